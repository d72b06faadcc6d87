using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;

namespace RestorationWorkflow.Web.Reporting;

/// <summary>
/// What a report says about itself: the running header (product, subject, kind), the footer (generated at, SHA-256 of
/// the data it shows) and the PDF's metadata (title, author, subject, creation date, producer). The language picks the
/// footer's words ("en" or "zh-Hans").
/// </summary>
public sealed record ReportInfo
{
    public const string ProductName = "RestorationWorkflow";

    /// <summary>The document title (metadata), e.g. "Audit trail — Mangrove belt".</summary>
    public required string Title { get; init; }

    /// <summary>What the report is about, in the header's left part (e.g. the project's code and name).</summary>
    public required string Subject { get; init; }

    /// <summary>The kind of report, in the header's right part (e.g. "Audit trail").</summary>
    public required string Kind { get; init; }

    /// <summary>Who the report was made for or by (metadata).</summary>
    public required string Author { get; init; }

    public required DateTimeOffset GeneratedAt { get; init; }

    /// <summary>The SHA-256 (lowercase hex) of the data the report shows, printed in every footer: <see cref="HashOf{T}"/>.</summary>
    public required string DataSha256 { get; init; }

    public string Language { get; init; } = "en";

    public string Product { get; init; } = ProductName;

    public CultureInfo Culture => Language.StartsWith("zh", StringComparison.OrdinalIgnoreCase) ? new CultureInfo("zh-Hans") : new CultureInfo("en");

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The SHA-256 of <paramref name="data"/> as JSON (web defaults): the same data gives the same hash.</summary>
    public static string HashOf<T>(T data) =>
        Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(data, Json)));
}
