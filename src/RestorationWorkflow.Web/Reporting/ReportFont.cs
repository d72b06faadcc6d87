using System.Text;
using SkiaSharp;
using SkiaSharp.HarfBuzz;

namespace RestorationWorkflow.Web.Reporting;

/// <summary>
/// The one typeface every report draws with: WenQuanYi Micro Hei (TrueType outlines, CJK and Latin), shipped in
/// <c>Reporting/Fonts/</c> beside the app and loaded from there, never from the system, so Chinese embeds and
/// extracts on a machine with no fonts (decision 0035). Shaping with HarfBuzz: the font is immutable after it is
/// built, so one instance serves every report on every thread.
/// </summary>
public sealed class ReportFont : IDisposable
{
    public const string FileName = "wqy-microhei.ttc";

    /// <summary>The family name the charts (ScottPlot) know the font by.</summary>
    public const string FamilyName = "WenQuanYi Micro Hei";

    private static readonly Lazy<ReportFont> SharedFont = new(() => Load(DefaultPath), LazyThreadSafetyMode.ExecutionAndPublication);

    private ReportFont(SKTypeface typeface, string path)
    {
        Typeface = typeface;
        Path = path;
        Shaper = new SKShaper(typeface);
    }

    /// <summary>Where the app ships the font: <c>Reporting/Fonts/</c> under the app's base directory.</summary>
    public static string DefaultPath => System.IO.Path.Combine(AppContext.BaseDirectory, "Reporting", "Fonts", FileName);

    /// <summary>The font loaded from <see cref="DefaultPath"/> once per process.</summary>
    public static ReportFont Shared => SharedFont.Value;

    public SKTypeface Typeface { get; }

    public SKShaper Shaper { get; }

    public string Path { get; }

    /// <summary>Loads face 0 (Micro Hei; face 1 is its monospaced twin) and registers it with the charts.</summary>
    public static ReportFont Load(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"The report font is missing: {path}. It ships in Reporting/Fonts/ and is copied to the output.", path);
        var typeface = SKTypeface.FromFile(path, 0)
            ?? throw new InvalidOperationException($"The report font could not be read: {path}.");
        var font = new ReportFont(typeface, path);
        // The charts draw with this very typeface, so a PDF with text and charts embeds the font once.
        ScottPlot.Fonts.FontResolvers.Insert(0, new ChartFontResolver(font));
        return font;
    }

    /// <summary>Whether the font has a glyph for every character of <paramref name="text"/> (none would print as a box).</summary>
    public bool Covers(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var rune in text.EnumerateRunes())
        {
            if (!Rune.IsControl(rune) && Typeface.GetGlyph(rune.Value) == 0)
                return false;
        }
        return true;
    }

    private sealed class ChartFontResolver(ReportFont font) : ScottPlot.IFontResolver
    {
        public SKTypeface? CreateTypeface(string fontName, bool bold, bool italic) =>
            fontName == FamilyName ? font.Typeface : null;

        public SKTypeface? CreateTypeface(string fontName, ScottPlot.FontWeight weight, ScottPlot.FontSlant slant, ScottPlot.FontSpacing spacing) =>
            fontName == FamilyName ? font.Typeface : null;
    }

    public void Dispose()
    {
        Shaper.Dispose();
        Typeface.Dispose();
    }
}
