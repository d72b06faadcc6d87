using SkiaSharp;

namespace RestorationWorkflow.Web.Reporting;

/// <summary>
/// How a piece of report text looks: size in points, colour and line height (a multiple of the size). There is no bold:
/// the font has one weight, and Skia draws synthetic bold as outlines (a megabyte a page, decision 0035), so emphasis is
/// size and colour.
/// </summary>
public sealed record TextStyle(float Size, SKColor Color, float LineHeight = 1.45f)
{
    public static readonly SKColor Ink = new(0x1d, 0x2a, 0x24);
    public static readonly SKColor Muted = new(0x5d, 0x6b, 0x64);
    public static readonly SKColor Accent = new(0x2f, 0x6b, 0x4f);
    public static readonly SKColor Danger = new(0xb3, 0x26, 0x1e);

    public static readonly TextStyle Title = new(20, Accent, LineHeight: 1.3f);
    public static readonly TextStyle Heading = new(14, Accent, LineHeight: 1.35f);
    public static readonly TextStyle Subheading = new(11.5f, Accent, LineHeight: 1.35f);
    public static readonly TextStyle Body = new(10, Ink);
    public static readonly TextStyle Small = new(8.5f, Ink, LineHeight: 1.4f);
    public static readonly TextStyle Label = new(8.5f, Accent, LineHeight: 1.4f);
    public static readonly TextStyle Caption = new(8.5f, Muted, LineHeight: 1.4f);
    public static readonly TextStyle Margin = new(7.5f, Muted, LineHeight: 1.3f);

    /// <summary>The distance from one baseline to the next.</summary>
    public float Leading => Size * LineHeight;

    public TextStyle WithColor(SKColor color) => this with { Color = color };
}
