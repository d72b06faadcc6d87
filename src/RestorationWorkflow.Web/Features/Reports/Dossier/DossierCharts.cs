using System.Globalization;
using RestorationWorkflow.Web.Reporting;
using ScottPlot;
using SkiaSharp;

namespace RestorationWorkflow.Web.Features.Reports.Dossier;

/// <summary>The dossier's drawings: the map of the sites' boundaries and the state diagram, as ScottPlot plots drawn as vectors.</summary>
internal static class DossierCharts
{
    private static readonly double[] NiceMultiples = [1, 2, 5, 10];
    private static readonly string[] SitePalette = ["#2f6b4f", "#3b82a0", "#b7791f", "#7b5ea7", "#c0504d", "#4f8f3a", "#2b6cb0", "#8a6d3b"];

    /// <summary>
    /// The sites' boundaries as filled polygons on longitude/latitude axes (degrees, WGS 84), each labelled with its
    /// name at its centre; the axes keep a degree of longitude as wide as a degree of latitude at the sites' mean latitude.
    /// </summary>
    public static Plot SiteMap(IReadOnlyList<DossierSite> sites, string lonLabel, string latLabel)
    {
        var plot = new Plot();
        var allLat = sites.SelectMany(s => s.Rings).SelectMany(r => r.Lat).DefaultIfEmpty(0).ToList();
        // Longitudes are drawn scaled by cos(latitude), so the shapes are not stretched; the ticks are relabelled in degrees.
        var scale = Math.Cos((allLat.Min() + allLat.Max()) / 2 * Math.PI / 180);
        if (scale < 0.05)
            scale = 0.05;
        for (var i = 0; i < sites.Count; i++)
        {
            var site = sites[i];
            var colour = Color.FromHex(SitePalette[i % SitePalette.Length]);
            foreach (var ring in site.Rings.Where(r => r.Lon.Count >= 3))
            {
                var points = ring.Lon.Zip(ring.Lat, (x, y) => new Coordinates(x * scale, y)).ToArray();
                var polygon = plot.Add.Polygon(points);
                polygon.FillColor = colour.WithAlpha(0.28);
                polygon.LineColor = colour;
                polygon.LineWidth = 1.2f;
            }
            if (site.Rings.Where(r => r.Lon.Count >= 3).OrderByDescending(r => Extent(r)).FirstOrDefault() is { } largest)
            {
                var label = plot.Add.Text(site.Name, (largest.Lon.Min() + largest.Lon.Max()) / 2 * scale, (largest.Lat.Min() + largest.Lat.Max()) / 2);
                label.LabelFontSize = 8;
                label.LabelFontColor = Color.FromHex("#1d2a24");
                label.LabelBackgroundColor = Colors.White.WithAlpha(0.8);
                label.LabelBorderColor = colour;
                label.LabelBorderWidth = 0.6f;
                label.LabelPadding = 2;
                label.LabelAlignment = Alignment.MiddleCenter;
            }
        }
        plot.Axes.SquareUnits();
        plot.Axes.Margins(0.12, 0.12);
        plot.XLabel(lonLabel, 9);
        plot.YLabel(latLabel, 9);
        plot.Axes.Bottom.TickLabelStyle.FontSize = 8;
        plot.Axes.Left.TickLabelStyle.FontSize = 8;
        // Ticks at round longitudes (the axis runs in scaled units, so the automatic ticks would fall on odd degrees).
        var lons = sites.SelectMany(s => s.Rings).SelectMany(r => r.Lon).DefaultIfEmpty(0).ToList();
        var (west, east) = (lons.Min(), lons.Max());
        var span = Math.Max(east - west, 1e-4) * 1.24;
        var step = NiceStep(span / 6);
        var first = Math.Ceiling((west - span * 0.12) / step) * step;
        var ticks = Enumerable.Range(0, 12).Select(i => first + i * step).Where(x => x <= east + span * 0.12).ToArray();
        plot.Axes.Bottom.SetTicks([.. ticks.Select(x => x * scale)], [.. ticks.Select(x => x.ToString("0.####", CultureInfo.InvariantCulture) + "°")]);
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            LabelFormatter = y => y.ToString("0.###", CultureInfo.InvariantCulture) + "°",
        };
        plot.Grid.MajorLineColor = Color.FromHex("#e5ebe7");
        return plot;
    }

    /// <summary>1, 2 or 5 times a power of ten, at least <paramref name="rough"/>.</summary>
    private static double NiceStep(double rough)
    {
        var power = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        return NiceMultiples.Select(m => m * power).First(step => step >= rough);
    }

    private static double Extent(DossierRing ring) => (ring.Lon.Max() - ring.Lon.Min()) * (ring.Lat.Max() - ring.Lat.Min());

    /// <summary>The workflow's states as boxes in their order (the main path in rows, then the states off it) with the current one in the accent colour.</summary>
    public static Plot StateDiagram(IReadOnlyList<DossierState> states, string offPathCaption, ReportFont font, out float height)
    {
        var diagram = new StateDiagramPlottable(states, offPathCaption, font);
        height = diagram.Height;
        var plot = new Plot();
        plot.Add.Plottable(diagram);
        plot.Layout.Frameless();
        plot.HideGrid();
        plot.Axes.Frameless();
        return plot;
    }

    /// <summary>Draws the state boxes straight on the canvas in points, with the report font shaped as the body text is.</summary>
    private sealed class StateDiagramPlottable : IPlottable
    {
        private const int Columns = 5;
        private const float Gap = 18f;
        private const float BoxHeight = 52f;
        private const float RowGap = 26f;
        private const float TextSize = 7.8f;
        private static readonly SKColor Accent = TextStyle.Accent;
        private static readonly SKColor Ink = TextStyle.Ink;
        private static readonly SKColor Muted = TextStyle.Muted;
        private static readonly SKColor BoxFill = new(0xf1, 0xf6, 0xf3);
        private static readonly SKColor ReviewFill = new(0xfd, 0xf6, 0xe3);
        private static readonly SKColor ReviewLine = new(0xb7, 0x79, 0x1f);
        private static readonly SKColor OffFill = new(0xf3, 0xf4, 0xf3);
        private static readonly SKColor Line = new(0x9a, 0xae, 0xa3);

        private readonly List<DossierState> _path;
        private readonly List<DossierState> _off;
        private readonly string _offCaption;
        private readonly ReportFont _font;
        private readonly int _pathRows;

        public StateDiagramPlottable(IReadOnlyList<DossierState> states, string offCaption, ReportFont font)
        {
            // The main path runs up to the first terminal state; what follows (suspension, cancellation) is reached from several states.
            var end = states.ToList().FindIndex(s => s.Kind == "Terminal");
            _path = [.. end < 0 ? states : states.Take(end + 1)];
            _off = [.. end < 0 ? [] : states.Skip(end + 1)];
            _offCaption = offCaption;
            _font = font;
            _pathRows = Math.Max(1, (_path.Count + Columns - 1) / Columns);
            Height = _pathRows * BoxHeight + (_pathRows - 1) * RowGap + (_off.Count > 0 ? 24 + BoxHeight * 0.8f : 0) + 4;
        }

        public float Height { get; }

        public bool IsVisible { get; set; } = true;

        public IAxes Axes { get; set; } = new Axes();

        public IEnumerable<LegendItem> LegendItems => [];

        public AxisLimits GetAxisLimits() => new(0, 1, 0, 1);

        public void Render(RenderPack rp)
        {
            var canvas = rp.Canvas;
            var origin = new SKPoint(rp.FigureRect.Left, rp.FigureRect.Top);
            var width = rp.FigureRect.Width;
            var boxWidth = (width - (Columns - 1) * Gap) / Columns;
            using var font = new SKFont(_font.Typeface, TextSize) { Subpixel = true, LinearMetrics = true, Hinting = SKFontHinting.None };
            using var small = new SKFont(_font.Typeface, 6.5f) { Subpixel = true, LinearMetrics = true, Hinting = SKFontHinting.None };
            using var fill = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Fill };
            using var stroke = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = 0.8f, StrokeJoin = SKStrokeJoin.Round };

            SKRect Box(int index, float top)
            {
                var (row, col) = (index / Columns, index % Columns);
                return SKRect.Create(origin.X + col * (boxWidth + Gap), origin.Y + top + row * (BoxHeight + RowGap), boxWidth, BoxHeight);
            }

            // Arrows first, under the boxes: along a row, and from a row's end down and back to the next row's start.
            stroke.Color = Line;
            fill.Color = Line;
            for (var i = 0; i + 1 < _path.Count; i++)
            {
                var (a, b) = (Box(i, 0), Box(i + 1, 0));
                if ((i + 1) % Columns != 0)
                {
                    canvas.DrawLine(a.Right + 1, a.MidY, b.Left - 4, b.MidY, stroke);
                    Head(canvas, fill, new SKPoint(b.Left - 1, b.MidY), 0);
                }
                else
                {
                    var midY = a.Bottom + RowGap / 2;
                    using var path = new SKPath();
                    path.MoveTo(a.MidX, a.Bottom + 1);
                    path.LineTo(a.MidX, midY);
                    path.LineTo(b.MidX, midY);
                    path.LineTo(b.MidX, b.Top - 4);
                    canvas.DrawPath(path, stroke);
                    Head(canvas, fill, new SKPoint(b.MidX, b.Top - 1), 90);
                }
            }

            for (var i = 0; i < _path.Count; i++)
                DrawBox(canvas, Box(i, 0), _path[i], i + 1, font, small, fill, stroke);

            if (_off.Count > 0)
            {
                var top = _pathRows * BoxHeight + (_pathRows - 1) * RowGap + 8;
                fill.Color = Muted;
                DrawText(canvas, _offCaption, small, fill, origin.X, origin.Y + top + 7, width, center: false);
                for (var i = 0; i < _off.Count; i++)
                {
                    var box = Box(i, top + 14);
                    box = SKRect.Create(box.Left, box.Top, box.Width, BoxHeight * 0.8f);
                    DrawBox(canvas, box, _off[i], null, font, small, fill, stroke);
                }
            }
        }

        private void DrawBox(SKCanvas canvas, SKRect box, DossierState state, int? number, SKFont font, SKFont small, SKPaint fill, SKPaint stroke)
        {
            var review = state.Kind == "Review";
            var offPath = number is null;
            fill.Color = state.Current ? Accent : review ? ReviewFill : offPath ? OffFill : BoxFill;
            canvas.DrawRoundRect(box, 4, 4, fill);
            stroke.Color = state.Current ? Accent : review ? ReviewLine : Line;
            stroke.StrokeWidth = state.Current ? 1.6f : 0.8f;
            stroke.PathEffect = review && !state.Current ? SKPathEffect.CreateDash([3, 2], 0) : null;
            canvas.DrawRoundRect(box, 4, 4, stroke);
            stroke.PathEffect = null;
            stroke.StrokeWidth = 0.8f;

            // A corner tag: the state's number on the path and its STAPER group.
            var tag = string.Join(" · ", new[] { number?.ToString(CultureInfo.InvariantCulture), state.Group is "none" or "" ? null : state.Group }.OfType<string>());
            fill.Color = state.Current ? SKColors.White : Muted;
            if (tag.Length > 0)
                DrawText(canvas, tag, small, fill, box.Left + 4, box.Top + 8.5f, box.Width - 8, center: false);

            var lines = TextLayout.Wrap(_font.Shaper, font, state.Label, box.Width - 8);
            var leading = TextSize * 1.25f;
            var shown = lines.Take(4).ToList();
            var blockTop = box.Top + 10 + (box.Height - 10 - shown.Count * leading) / 2;
            fill.Color = state.Current ? SKColors.White : Ink;
            for (var i = 0; i < shown.Count; i++)
                shown[i].Draw(canvas, font, fill, box.Left + (box.Width - shown[i].Width) / 2, blockTop + (i + 1) * leading - TextSize * 0.3f);
        }

        private void DrawText(SKCanvas canvas, string text, SKFont font, SKPaint paint, float x, float baseline, float width, bool center)
        {
            var line = TextLayout.Wrap(_font.Shaper, font, text, width).FirstOrDefault();
            line?.Draw(canvas, font, paint, center ? x + (width - line.Width) / 2 : x, baseline);
        }

        private static void Head(SKCanvas canvas, SKPaint paint, SKPoint tip, float degrees)
        {
            using var path = new SKPath();
            path.MoveTo(0, 0);
            path.LineTo(-5, -2.6f);
            path.LineTo(-5, 2.6f);
            path.Close();
            canvas.Save();
            canvas.Translate(tip.X, tip.Y);
            canvas.RotateDegrees(degrees);
            canvas.DrawPath(path, paint);
            canvas.Restore();
        }
    }
}
