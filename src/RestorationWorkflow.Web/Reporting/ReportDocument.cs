using System.Globalization;
using RestorationWorkflow.Workflows;
using SkiaSharp;

namespace RestorationWorkflow.Web.Reporting;

/// <summary>
/// The layout layer every report composes: A4 pages with margins, a running header (product, subject, kind) and
/// footer (generated at, SHA-256 of the data, page X of Y), headings, wrapped paragraphs, key–value blocks, tables
/// that break across pages with their header repeated, vector charts and images with captions, and the PDF metadata.
/// <para>
/// Each call lays its content out at once, measuring every text once, onto pages of positioned drawing steps; the
/// PDF is drawn from those pages at the end, when the page count is known. Work is linear in the content. Not thread
/// safe; one document per report. Knows nothing of projects.
/// </para>
/// </summary>
public sealed class ReportDocument : IDisposable
{
    /// <summary>A4 in PDF points (1/72 inch).</summary>
    public const float PageWidth = 595.28f;

    public const float PageHeight = 841.89f;

    public const float MarginLeft = 56.7f; // 20 mm

    public const float MarginRight = 56.7f;

    /// <summary>Where the body starts and ends; the header and footer sit in the margins above and below.</summary>
    public const float BodyTop = 68f;

    public const float BodyBottom = PageHeight - 60f;

    public const float ContentWidth = PageWidth - MarginLeft - MarginRight;

    private const float CellPaddingX = 4f;
    private const float CellPaddingY = 3f;
    private static readonly SKColor Rule = new(0xd8, 0xe0, 0xdb);
    private static readonly SKColor HeaderFill = new(0xe3, 0xef, 0xe8);
    private static readonly SKColor Zebra = new(0xf5, 0xf7, 0xf4);

    private readonly ReportInfo _info;
    private readonly ReportFont _font;
    private readonly Dictionary<TextStyle, SKFont> _fonts = [];
    private readonly Dictionary<SKColor, SKPaint> _fills = [];
    private readonly List<List<Action<SKCanvas>>> _pages = [];
    private readonly List<IDisposable> _resources = [];
    private readonly HashSet<ushort> _glyphs = [];
    private readonly HashSet<int> _codepoints = [];
    private SKTypeface _typeface;
    private bool _hasCharts;
    private float _y;

    public ReportDocument(ReportInfo info, ReportFont? font = null)
    {
        ArgumentNullException.ThrowIfNull(info);
        _info = info;
        _font = font ?? ReportFont.Shared;
        _typeface = _font.Typeface;
        NewPage();
    }

    /// <summary>The pages laid out so far.</summary>
    public int PageCount => _pages.Count;

    /// <summary>The report's language, for the caller's own words.</summary>
    public CultureInfo Culture => _info.Culture;

    private List<Action<SKCanvas>> Page => _pages[^1];

    private float Remaining => BodyBottom - _y;

    private bool AtPageTop => _y <= BodyTop + 0.01f;

    /// <summary>The report's title, large, with a rule beneath.</summary>
    public ReportDocument Title(string text)
    {
        var lines = Measure(text, TextStyle.Title, ContentWidth);
        EnsureRoom(lines.Count * TextStyle.Title.Leading + 60);
        PlaceLines(lines, TextStyle.Title, MarginLeft, ContentWidth, ColumnAlign.Left);
        var y = _y + 3;
        Page.Add(c => c.DrawRect(MarginLeft, y, ContentWidth, 1.2f, Fill(TextStyle.Accent)));
        _y += 14;
        return this;
    }

    /// <summary>A section heading, kept on the same page as at least the first lines that follow it.</summary>
    public ReportDocument Heading(string text)
    {
        var lines = Measure(text, TextStyle.Heading, ContentWidth);
        if (!AtPageTop)
            _y += 10;
        EnsureRoom(lines.Count * TextStyle.Heading.Leading + 4 * TextStyle.Body.Leading);
        PlaceLines(lines, TextStyle.Heading, MarginLeft, ContentWidth, ColumnAlign.Left);
        _y += 3;
        return this;
    }

    /// <summary>A heading within a section, smaller than <see cref="Heading"/>, kept with the first lines that follow it.</summary>
    public ReportDocument Subheading(string text)
    {
        var lines = Measure(text, TextStyle.Subheading, ContentWidth);
        if (!AtPageTop)
            _y += 5;
        EnsureRoom(lines.Count * TextStyle.Subheading.Leading + 3 * TextStyle.Body.Leading);
        PlaceLines(lines, TextStyle.Subheading, MarginLeft, ContentWidth, ColumnAlign.Left);
        _y += 2;
        return this;
    }

    /// <summary>Text wrapped to the content width; line feeds start new lines.</summary>
    public ReportDocument Paragraph(string text, TextStyle? style = null)
    {
        style ??= TextStyle.Body;
        PlaceLines(Measure(text, style, ContentWidth), style, MarginLeft, ContentWidth, ColumnAlign.Left);
        _y += style.Size * 0.6f;
        return this;
    }

    /// <summary>Label and value pairs in two columns; the values wrap.</summary>
    public ReportDocument KeyValues(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        float[] widths = [ContentWidth * 0.28f, ContentWidth * 0.72f];
        TextStyle[] styles = [TextStyle.Small.WithColor(TextStyle.Muted), TextStyle.Body with { Size = 9.5f, LineHeight = 1.35f }];
        PlaceRows(widths, styles, [ColumnAlign.Left, ColumnAlign.Left], pairs.Select(p => new[] { p.Key, p.Value }), header: null, zebra: false);
        _y += 6;
        return this;
    }

    /// <summary>A table; see <see cref="ReportTable"/> for how it breaks across pages.</summary>
    public ReportDocument Table(ReportTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var total = table.Columns.Sum(c => c.Weight);
        var widths = table.Columns.Select(c => ContentWidth * c.Weight / total).ToArray();
        var aligns = table.Columns.Select(c => c.Align).ToArray();
        var styles = Enumerable.Repeat(TextStyle.Small, widths.Length).ToArray();
        var headerCells = table.Columns.Select((c, i) => Measure(c.Header, TextStyle.Label, widths[i] - 2 * CellPaddingX)).ToArray();
        var headerHeight = headerCells.Max(l => l.Count) * TextStyle.Label.Leading + 2 * CellPaddingY;
        void Header()
        {
            var y = _y;
            Page.Add(c => c.DrawRect(MarginLeft, y, ContentWidth, headerHeight, Fill(HeaderFill)));
            PlaceCells(headerCells, widths, Enumerable.Repeat(TextStyle.Label, widths.Length).ToArray(), aligns, 0, int.MaxValue, y + CellPaddingY);
            Page.Add(c => c.DrawRect(MarginLeft, y + headerHeight - 0.8f, ContentWidth, 0.8f, Fill(TextStyle.Accent)));
            _y = y + headerHeight;
        }
        EnsureRoom(headerHeight + TextStyle.Small.Leading * 2 + 2 * CellPaddingY);
        Header();
        PlaceRows(widths, styles, aligns, table.Rows, Header, zebra: true);
        _y += 8;
        return this;
    }

    /// <summary>
    /// A ScottPlot chart drawn as vectors on the page, the content width wide and <paramref name="height"/> points
    /// high, with a caption. The plot's text is set to the report font, so its labels may be Chinese.
    /// </summary>
    public ReportDocument Chart(ScottPlot.Plot plot, string caption, float height = 230)
    {
        ArgumentNullException.ThrowIfNull(plot);
        plot.Font.Set(ReportFont.FamilyName);
        _hasCharts = true;
        // The page is the canvas: the plot must not clear it.
        plot.RenderManager.Remove<ScottPlot.Rendering.RenderActions.ClearCanvas>();
        var captionLines = Measure(caption, TextStyle.Caption, ContentWidth);
        EnsureRoom(height + captionLines.Count * TextStyle.Caption.Leading + 6);
        var (x, y, width) = (MarginLeft, _y, ContentWidth);
        // ScottPlot renders again whenever a render moved the axis limits (its first autoscale does), and on a page every
        // pass stays: hidden under the last one, but its text extracts twice. Settle the limits on a canvas that draws
        // nothing, so the page gets exactly one pass.
        using (var settle = new SKNoDrawCanvas((int)width, (int)height))
            plot.Render(settle, (int)width, (int)height);
        Page.Add(c =>
        {
            c.Save();
            c.Translate(x, y);
            c.ClipRect(new SKRect(0, 0, width, height));
            plot.Render(c, (int)width, (int)height);
            c.Restore();
        });
        _y += height + 4;
        PlaceLines(captionLines, TextStyle.Caption, MarginLeft, ContentWidth, ColumnAlign.Center);
        _y += 8;
        return this;
    }

    /// <summary>An image (PNG or JPEG bytes), scaled to fit the content width and <paramref name="maxHeight"/>, centred, with a caption.</summary>
    public ReportDocument Image(byte[] encoded, string caption, float maxHeight = 320)
    {
        ArgumentNullException.ThrowIfNull(encoded);
        var image = SKImage.FromEncodedData(encoded) ?? throw new ArgumentException("The image is not a PNG or JPEG that can be read.", nameof(encoded));
        _resources.Add(image);
        var scale = Math.Min(ContentWidth / image.Width, maxHeight / image.Height);
        var (width, height) = (image.Width * scale, image.Height * scale);
        var captionLines = Measure(caption, TextStyle.Caption, ContentWidth);
        EnsureRoom(height + captionLines.Count * TextStyle.Caption.Leading + 6);
        var rect = SKRect.Create(MarginLeft + (ContentWidth - width) / 2, _y, width, height);
        Page.Add(c => c.DrawImage(image, rect, new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear)));
        _y += height + 4;
        PlaceLines(captionLines, TextStyle.Caption, MarginLeft, ContentWidth, ColumnAlign.Center);
        _y += 8;
        return this;
    }

    /// <summary>Vertical space, dropped at the top of a page.</summary>
    public ReportDocument Space(float points)
    {
        if (!AtPageTop)
            _y = Math.Min(_y + points, BodyBottom);
        return this;
    }

    /// <summary>Starts a new page unless the current one is still empty.</summary>
    public ReportDocument PageBreak()
    {
        if (!AtPageTop)
            NewPage();
        return this;
    }

    /// <summary>Draws the pages into <paramref name="stream"/> as a PDF.</summary>
    public void WriteTo(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var metadata = new SKDocumentPdfMetadata
        {
            Title = _info.Title,
            Author = _info.Author,
            Subject = $"{_info.Kind} — {_info.Subject}",
            Creator = _info.Product,
            Producer = _info.Product,
            Creation = _info.GeneratedAt.UtcDateTime,
            Modified = _info.GeneratedAt.UtcDateTime,
            RasterDpi = 150,
        };
        var frame = Frame();
        UseEmbeddedTypeface();
        using var managed = new SKManagedWStream(stream);
        using var document = SKDocument.CreatePdf(managed, metadata)
            ?? throw new InvalidOperationException("SkiaSharp could not create a PDF document.");
        for (var i = 0; i < _pages.Count; i++)
        {
            var canvas = document.BeginPage(PageWidth, PageHeight);
            frame(canvas, i);
            foreach (var step in _pages[i])
                step(canvas);
            document.EndPage();
        }
        document.Close();
    }

    /// <summary>The PDF's bytes.</summary>
    public byte[] ToPdf()
    {
        using var buffer = new MemoryStream();
        WriteTo(buffer);
        return buffer.ToArray();
    }

    public void Dispose()
    {
        foreach (var font in _fonts.Values)
            font.Dispose();
        foreach (var paint in _fills.Values)
            paint.Dispose();
        foreach (var resource in _resources)
            resource.Dispose();
    }

    /// <summary>The running header and footer, measured once (and every page number) before the font is subset.</summary>
    private Action<SKCanvas, int> Frame()
    {
        var culture = _info.Culture;
        var style = TextStyle.Margin;
        var kind = FirstLine(_info.Kind, style, ContentWidth * 0.3f);
        var subject = FirstLine($"{_info.Product} · {_info.Subject}", style, ContentWidth * 0.68f);
        var generated = FirstLine(string.Format(culture, Words.Generated.For(culture),
            _info.GeneratedAt.ToUniversalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)), style, ContentWidth * 0.7f);
        var hash = FirstLine(string.Format(culture, Words.DataHash.For(culture), _info.DataSha256), style, ContentWidth * 0.8f);
        var numbers = Enumerable.Range(1, _pages.Count)
            .Select(page => FirstLine(string.Format(culture, Words.Page.For(culture), page, _pages.Count), style, ContentWidth * 0.3f)).ToList();
        var headerBaseline = 40f;
        var footerTop = PageHeight - 48f;
        return (canvas, index) =>
        {
            DrawLine(canvas, subject, style, MarginLeft, headerBaseline);
            DrawLine(canvas, kind, style, MarginLeft + ContentWidth - kind.Width, headerBaseline);
            canvas.DrawRect(MarginLeft, headerBaseline + 6, ContentWidth, 0.6f, Fill(Rule));
            canvas.DrawRect(MarginLeft, footerTop, ContentWidth, 0.6f, Fill(Rule));
            DrawLine(canvas, generated, style, MarginLeft, footerTop + 13);
            DrawLine(canvas, hash, style, MarginLeft, footerTop + 23);
            var number = numbers[index];
            DrawLine(canvas, number, style, MarginLeft + ContentWidth - number.Width, footerTop + 13);
        };
    }

    private TextLine FirstLine(string text, TextStyle style, float width)
    {
        var lines = Measure(text, style, width);
        if (lines.Count <= 1)
            return lines.Count == 1 ? lines[0] : new TextLine([], [], 0);
        // Too long for the margin: shorten with an ellipsis rather than overprint.
        var shortened = text;
        while (shortened.Length > 1 && lines.Count > 1)
        {
            shortened = shortened[..(shortened.Length * 9 / 10)];
            lines = Measure(shortened.TrimEnd() + "…", style, width);
        }
        return lines[0];
    }

    private void NewPage()
    {
        _pages.Add([]);
        _y = BodyTop;
    }

    /// <summary>Moves to a new page when <paramref name="height"/> does not fit on this one (unless this one is empty).</summary>
    private void EnsureRoom(float height)
    {
        if (height > Remaining && !AtPageTop)
            NewPage();
    }

    private List<TextLine> Measure(string text, TextStyle style, float width)
    {
        text ??= "";
        foreach (var rune in text.EnumerateRunes())
            _codepoints.Add(rune.Value);
        var lines = TextLayout.Wrap(_font.Shaper, Font(style), text, width);
        foreach (var line in lines)
            _glyphs.UnionWith(line.Glyphs);
        return lines;
    }

    /// <summary>
    /// Draws with a subset of the font holding only what this document uses (<see cref="FontSubset"/>). A document
    /// with a chart keeps the whole font: the charts draw with it, and Skia embeds each typeface once.
    /// </summary>
    private void UseEmbeddedTypeface()
    {
        if (_hasCharts || _typeface != _font.Typeface)
            return;
        var subset = FontSubset.Create(_font.Path, _glyphs, _codepoints);
        if (subset is null)
            return;
        _resources.Add(subset);
        foreach (var font in _fonts.Values)
            font.Dispose();
        _fonts.Clear();
        _typeface = subset;
    }

    private SKFont Font(TextStyle style)
    {
        if (!_fonts.TryGetValue(style, out var font))
        {
            font = new SKFont(_typeface, style.Size)
            {
                Subpixel = true,
                LinearMetrics = true,
                Edging = SKFontEdging.Antialias,
                Hinting = SKFontHinting.None,
            };
            _fonts[style] = font;
        }
        return font;
    }

    private SKPaint Fill(SKColor color)
    {
        if (!_fills.TryGetValue(color, out var paint))
        {
            paint = new SKPaint { Color = color, IsAntialias = true, Style = SKPaintStyle.Fill };
            _fills[color] = paint;
        }
        return paint;
    }

    /// <summary>From the top of a line box to the baseline, centring the font's ascent and descent in the box.</summary>
    private float BaselineOffset(TextStyle style)
    {
        var metrics = Font(style).Metrics;
        return (style.Leading - (metrics.Descent - metrics.Ascent)) / 2 - metrics.Ascent;
    }

    private void DrawLine(SKCanvas canvas, TextLine line, TextStyle style, float x, float baseline) =>
        line.Draw(canvas, Font(style), Fill(style.Color), x, baseline);

    private static float AlignedX(TextLine line, float x, float width, ColumnAlign align) => align switch
    {
        ColumnAlign.Right => x + width - line.Width,
        ColumnAlign.Center => x + (width - line.Width) / 2,
        _ => x,
    };

    /// <summary>Places lines one under another, going on to new pages as they fill.</summary>
    private void PlaceLines(List<TextLine> lines, TextStyle style, float x, float width, ColumnAlign align)
    {
        var offset = BaselineOffset(style);
        foreach (var line in lines)
        {
            if (style.Leading > Remaining)
                NewPage();
            var (lineX, baseline) = (AlignedX(line, x, width, align), _y + offset);
            Page.Add(c => DrawLine(c, line, style, lineX, baseline));
            _y += style.Leading;
        }
    }

    /// <summary>Places lines [<paramref name="from"/>, <paramref name="from"/> + <paramref name="count"/>) of each cell in a row starting at <paramref name="top"/>.</summary>
    private void PlaceCells(List<TextLine>[] cells, float[] widths, TextStyle[] styles, ColumnAlign[] aligns, int from, int count, float top)
    {
        var x = MarginLeft;
        for (var col = 0; col < cells.Length; col++)
        {
            var style = styles[col];
            var offset = BaselineOffset(style);
            var (cellX, cellWidth) = (x + CellPaddingX, widths[col] - 2 * CellPaddingX);
            var end = (int)Math.Min(cells[col].Count, (long)from + count);
            for (var i = from; i < end; i++)
            {
                var line = cells[col][i];
                var (lineX, baseline) = (AlignedX(line, cellX, cellWidth, aligns[col]), top + (i - from) * style.Leading + offset);
                Page.Add(c => DrawLine(c, line, style, lineX, baseline));
            }
            x += widths[col];
        }
    }

    /// <summary>
    /// Places rows of cells: a row that does not fit goes to the next page (after <paramref name="header"/> again); a
    /// row taller than a whole page is split between its lines. Each cell is measured once.
    /// </summary>
    private void PlaceRows(float[] widths, TextStyle[] styles, ColumnAlign[] aligns, IEnumerable<string[]> rows, Action? header, bool zebra)
    {
        var leading = styles.Max(s => s.Leading);
        var index = 0;
        foreach (var row in rows)
        {
            var cells = row.Select((text, col) => Measure(text, styles[col], widths[col] - 2 * CellPaddingX)).ToArray();
            var lineCount = Math.Max(1, cells.Max(c => c.Count));
            var shaded = zebra && index++ % 2 == 1;
            var start = 0;
            while (start < lineCount)
            {
                var fits = (int)Math.Floor((Remaining - 2 * CellPaddingY) / leading);
                var left = lineCount - start;
                var freshPage = (int)Math.Floor((BodyBottom - BodyTop - 2 * CellPaddingY) / leading) - (header is null ? 0 : 3);
                if (fits < left && (fits < 2 || (start == 0 && left <= freshPage)))
                {
                    NewPage();
                    header?.Invoke();
                    continue;
                }
                var take = Math.Min(fits, left);
                var (top, height) = (_y, take * leading + 2 * CellPaddingY);
                if (shaded)
                    Page.Add(c => c.DrawRect(MarginLeft, top, ContentWidth, height, Fill(Zebra)));
                Page.Add(c => c.DrawRect(MarginLeft, top + height - 0.5f, ContentWidth, 0.5f, Fill(Rule)));
                PlaceCells(cells, widths, styles, aligns, start, take, top + CellPaddingY);
                _y = top + height;
                start += take;
            }
        }
    }

    /// <summary>The layer's own words, in the report's language.</summary>
    private static class Words
    {
        public static readonly LocalizedText Page = new("Page {0} of {1}", "第 {0} 页，共 {1} 页");
        public static readonly LocalizedText Generated = new("Generated {0} UTC", "生成于 {0} UTC");
        public static readonly LocalizedText DataHash = new("SHA-256 of the data: {0}", "数据 SHA-256：{0}");
    }
}
