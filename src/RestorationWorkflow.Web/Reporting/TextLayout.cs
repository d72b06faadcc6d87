using SkiaSharp;
using SkiaSharp.HarfBuzz;

namespace RestorationWorkflow.Web.Reporting;

/// <summary>One laid-out line: its shaped glyphs with their x positions from the line's start, and its width.</summary>
internal sealed class TextLine(ushort[] glyphs, SKPoint[] positions, float width)
{
    public ushort[] Glyphs { get; } = glyphs;

    public SKPoint[] Positions { get; } = positions;

    /// <summary>The width without trailing spaces.</summary>
    public float Width { get; } = width;

    public void Draw(SKCanvas canvas, SKFont font, SKPaint paint, float x, float baseline)
    {
        if (Glyphs.Length == 0)
            return;
        using var builder = new SKTextBlobBuilder();
        var run = builder.AllocatePositionedRun(font, Glyphs.Length);
        Glyphs.CopyTo(run.Glyphs);
        Positions.CopyTo(run.Positions);
        using var blob = builder.Build();
        canvas.DrawText(blob, x, baseline, paint);
    }
}

/// <summary>
/// Breaks text into lines no wider than a width. Each paragraph is shaped once by HarfBuzz and the lines are cut from
/// the shaped glyphs, so the cost is linear in the text. Breaks: at line feeds; after spaces; between any two CJK
/// characters (not before closing or after opening punctuation); after a hyphen or slash; and, when a word is wider
/// than the line, between any two of its characters, without adding a hyphen.
/// </summary>
internal static class TextLayout
{
    public static List<TextLine> Wrap(SKShaper shaper, SKFont font, string text, float maxWidth)
    {
        var lines = new List<TextLine>();
        foreach (var paragraph in text.ReplaceLineEndings("\n").Split('\n'))
            WrapParagraph(shaper, font, paragraph, maxWidth, lines);
        return lines;
    }

    private static void WrapParagraph(SKShaper shaper, SKFont font, string text, float maxWidth, List<TextLine> lines)
    {
        if (text.Length == 0)
        {
            lines.Add(new TextLine([], [], 0));
            return;
        }
        // Our own buffer in UTF-16, so that cluster values are indexes into the string.
        using var buffer = new HarfBuzzSharp.Buffer();
        buffer.AddUtf16(text);
        buffer.GuessSegmentProperties();
        var shaped = shaper.Shape(buffer, font);
        var glyphCount = shaped.Codepoints.Length;
        if (glyphCount == 0)
        {
            lines.Add(new TextLine([], [], 0));
            return;
        }

        // Units are HarfBuzz clusters (one or more glyphs for one or more characters); lines break between units only.
        var unitStart = new List<int>(glyphCount); // first glyph of each unit
        for (var g = 0; g < glyphCount; g++)
        {
            if (g == 0 || shaped.Clusters[g] != shaped.Clusters[g - 1])
                unitStart.Add(g);
        }
        var units = unitStart.Count;
        float X(int glyph) => glyph < glyphCount ? shaped.Points[glyph].X : shaped.Width;
        int FirstChar(int unit) => (int)shaped.Clusters[unitStart[unit]];
        int EndChar(int unit) => unit + 1 < units ? FirstChar(unit + 1) : text.Length;
        float Right(int unit) => X(unit + 1 < units ? unitStart[unit + 1] : glyphCount);
        bool IsSpace(int unit) => char.IsWhiteSpace(text[FirstChar(unit)]);

        var lineStart = 0;
        var lastBreak = -1; // the unit after which the line may end
        for (var u = 0; u < units; u++)
        {
            var overflow = Right(u) - X(unitStart[lineStart]) > maxWidth;
            if (overflow && u > lineStart && !IsSpace(u))
            {
                var end = lastBreak >= lineStart ? lastBreak : u - 1;
                lines.Add(Cut(shaped, unitStart, lineStart, end, IsSpace, glyphCount));
                lineStart = end + 1;
                while (lineStart < u && IsSpace(lineStart))
                    lineStart++;
                lastBreak = -1;
                // The rest of a broken word may itself be too wide: look again from the new line's start.
                if (lineStart < u && Right(u) - X(unitStart[lineStart]) > maxWidth)
                {
                    u = lineStart - 1;
                    continue;
                }
            }
            if (u + 1 < units && MayBreakBetween(text, EndChar(u) - 1, FirstChar(u + 1)))
                lastBreak = u;
        }
        while (lineStart < units && lineStart > 0 && IsSpace(lineStart))
            lineStart++;
        if (lineStart < units)
            lines.Add(Cut(shaped, unitStart, lineStart, units - 1, IsSpace, glyphCount));
    }

    private static TextLine Cut(SKShaper.Result shaped, List<int> unitStart, int firstUnit, int lastUnit, Func<int, bool> isSpace, int glyphCount)
    {
        var from = unitStart[firstUnit];
        var to = lastUnit + 1 < unitStart.Count ? unitStart[lastUnit + 1] : glyphCount;
        var origin = shaped.Points[from].X;
        var glyphs = new ushort[to - from];
        var positions = new SKPoint[to - from];
        for (var g = from; g < to; g++)
        {
            glyphs[g - from] = (ushort)shaped.Codepoints[g];
            positions[g - from] = new SKPoint(shaped.Points[g].X - origin, 0);
        }
        var visibleEnd = lastUnit;
        while (visibleEnd > firstUnit && isSpace(visibleEnd))
            visibleEnd--;
        var endGlyph = visibleEnd + 1 < unitStart.Count ? unitStart[visibleEnd + 1] : glyphCount;
        var right = endGlyph < glyphCount ? shaped.Points[endGlyph].X : shaped.Width;
        return new TextLine(glyphs, positions, right - origin);
    }

    /// <summary>Whether a line may end after the character at <paramref name="before"/> and go on at <paramref name="after"/>.</summary>
    internal static bool MayBreakBetween(string text, int before, int after)
    {
        var left = text[before];
        var right = text[after];
        if (char.IsWhiteSpace(right))
            return false; // the spaces stay at the end of the line
        if (NoBreakBefore.Contains(right) || NoBreakAfter.Contains(left))
            return false;
        if (char.IsWhiteSpace(left))
            return true;
        if (IsCjk(left) || IsCjk(right))
            return true;
        return (left is '-' or '/' or '\u2010' or '\u2013' or '\u2014') && char.IsLetterOrDigit(right);
    }

    /// <summary>Han, kana, Hangul, CJK punctuation and full-width forms, including surrogate halves of the supplementary Han planes.</summary>
    private static bool IsCjk(char c) =>
        c is >= '\u2E80' and <= '\u9FFF' or >= '\uAC00' and <= '\uD7AF' or >= '\uF900' and <= '\uFAFF' or >= '\uFF00' and <= '\uFFEF'
            or >= '\uD840' and <= '\uD87F';

    private const string NoBreakBefore = "，。、；：？！）》」』】〕〉’”…·%,.;:?!)]}";
    private const string NoBreakAfter = "（《「『【〔〈‘“([{";
}
