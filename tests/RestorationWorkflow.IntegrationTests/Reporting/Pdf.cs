using RestorationWorkflow.Web.Reporting;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Content;

namespace RestorationWorkflow.IntegrationTests.Reporting;

/// <summary>Reads generated PDFs back with PdfPig, and keeps a copy beside the test assembly to look at.</summary>
internal static class Pdf
{
    public static readonly DateTimeOffset GeneratedAt = new(2026, 11, 26, 9, 30, 0, TimeSpan.Zero);

    public static ReportInfo Info(string language = "en") => new()
    {
        Title = "Layout test",
        Subject = "TEST-001 Mangrove belt",
        Kind = language == "en" ? "Layout test" : "版式测试",
        Author = "Test Author",
        GeneratedAt = GeneratedAt,
        DataSha256 = ReportInfo.HashOf(new { language }),
        Language = language,
    };

    public static byte[] Render(Action<ReportDocument> compose, string language = "en", string? keepAs = null)
    {
        using var document = new ReportDocument(Info(language));
        compose(document);
        var bytes = document.ToPdf();
        if (keepAs is not null)
            Keep(bytes, keepAs);
        return bytes;
    }

    /// <summary>Writes <paramref name="bytes"/> to <c>bin/…/reports/</c> (pdftoppm them to look at a report).</summary>
    public static void Keep(byte[] bytes, string name)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "reports");
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, name + ".pdf"), bytes);
    }

    public static PdfDocument Open(byte[] bytes) => PdfDocument.Open(bytes);

    /// <summary>A page's text as drawn, letter by letter (spaces are glyphs too).</summary>
    public static string Text(Page page) => string.Concat(page.Letters.Select(l => l.Value));

    /// <summary>The body's letters (between the running header and footer), grouped into lines by baseline, top to bottom.</summary>
    public static List<List<Letter>> BodyLines(Page page) =>
        [.. page.Letters
            .Where(l => Top(page, l) > ReportDocument.BodyTop - 2 && Top(page, l) < ReportDocument.BodyBottom)
            .GroupBy(l => Math.Round(l.StartBaseLine.Y, 1))
            .OrderByDescending(g => g.Key)
            .Select(g => g.OrderBy(l => l.StartBaseLine.X).ToList())];

    /// <summary>Distance of a letter's baseline from the top of the page (PDF y grows upwards).</summary>
    public static double Top(Page page, Letter letter) => page.Height - letter.StartBaseLine.Y;

    public static string Join(IEnumerable<Letter> letters) => string.Concat(letters.Select(l => l.Value));
}
