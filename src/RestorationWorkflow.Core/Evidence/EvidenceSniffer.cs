using System.IO.Compression;
using System.Text;
using System.Text.Json;

namespace RestorationWorkflow.Evidence;

/// <summary>What <see cref="EvidenceSniffer"/> found: an accepted kind, or the name of what it is instead and why it is refused.</summary>
public sealed record SniffResult(EvidenceKind? Kind, string Detected, string Detail)
{
    public bool Accepted => Kind is not null;

    public static SniffResult Accept(EvidenceKind kind) => new(kind, kind.Name, kind.Label.En);

    public static SniffResult Refuse(string detected, string detail) => new(null, detected, detail);
}

/// <summary>Limits on archives (XLSX, DOCX, zipped shapefiles) so that a zip bomb is refused without being expanded.</summary>
public sealed record ZipLimits(int MaxEntries, long MaxUncompressedBytes, int MaxCompressionRatio)
{
    public static readonly ZipLimits Default = new(MaxEntries: 10_000, MaxUncompressedBytes: 512L * 1024 * 1024, MaxCompressionRatio: 1_000);
}

/// <summary>
/// Decides what a file is from its bytes alone, never from its name or the client's Content-Type: PDF
/// (<c>%PDF-</c>), PNG and JPEG by signature; XLSX, DOCX and zipped shapefiles by the parts of the ZIP archive;
/// GeoJSON as JSON with a GeoJSON <c>type</c>; CSV as UTF-8 text without NULs whose first records split on one
/// delimiter into the same number of fields. Everything else is refused and named.
/// </summary>
public static class EvidenceSniffer
{
    private const int SampleChars = 64 * 1024;
    private const int SampleRecords = 20;

    private static readonly byte[] PdfMagic = "%PDF-"u8.ToArray();
    private static readonly byte[] PngMagic = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly byte[] JpegMagic = [0xFF, 0xD8, 0xFF];
    private static readonly byte[] ZipMagic = [0x50, 0x4B, 0x03, 0x04];
    private static readonly string[] ShapefileParts = [".shp", ".shx", ".dbf"];
    private static readonly char[] Delimiters = [',', ';', '\t', '|'];
    private static readonly byte[] Utf8Bom = [0xEF, 0xBB, 0xBF];

    private static readonly HashSet<string> GeoJsonTypes = new(StringComparer.Ordinal)
    {
        "FeatureCollection", "Feature", "Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon", "GeometryCollection",
    };

    /// <summary>Sniffs a readable, seekable stream from its start.</summary>
    public static SniffResult Sniff(Stream content, ZipLimits? zipLimits = null)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (!content.CanSeek)
            throw new ArgumentException("The content must be seekable.", nameof(content));
        content.Position = 0;
        Span<byte> head = stackalloc byte[16];
        var read = content.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        head = head[..read];
        if (read == 0)
            return SniffResult.Refuse("empty", "The file is empty.");
        if (head.StartsWith(PdfMagic))
            return SniffResult.Accept(EvidenceKind.Pdf);
        if (head.StartsWith(PngMagic))
            return SniffResult.Accept(EvidenceKind.Png);
        if (head.StartsWith(JpegMagic))
            return SniffResult.Accept(EvidenceKind.Jpeg);
        if (head.StartsWith(ZipMagic))
            return SniffZip(content, zipLimits ?? ZipLimits.Default);
        return SniffText(content);
    }

    private static SniffResult SniffZip(Stream content, ZipLimits limits)
    {
        content.Position = 0;
        try
        {
            using var zip = new ZipArchive(content, ZipArchiveMode.Read, leaveOpen: true);
            var entries = zip.Entries;
            if (entries.Count > limits.MaxEntries)
                return SniffResult.Refuse("zip", $"The archive has {entries.Count} entries; at most {limits.MaxEntries} are accepted.");
            long total = 0;
            foreach (var entry in entries)
            {
                if (entry.IsEncrypted)
                    return SniffResult.Refuse("encrypted zip", "The archive is encrypted; encrypted archives are not accepted.");
                total += entry.Length;
                if (total > limits.MaxUncompressedBytes)
                    return SniffResult.Refuse("zip", $"The archive would expand to more than {limits.MaxUncompressedBytes / (1024 * 1024)} MB.");
                if (entry.Length > 1024 * 1024 && entry.Length / Math.Max(1, entry.CompressedLength) > limits.MaxCompressionRatio)
                    return SniffResult.Refuse("zip", $"An entry of the archive is compressed more than {limits.MaxCompressionRatio}:1 (a zip bomb?).");
            }
            var names = entries.Select(e => e.FullName).ToList();
            if (names.Contains("[Content_Types].xml", StringComparer.Ordinal))
            {
                if (names.Any(n => n.StartsWith("xl/", StringComparison.Ordinal)))
                    return SniffResult.Accept(EvidenceKind.Xlsx);
                if (names.Any(n => n.StartsWith("word/", StringComparison.Ordinal)))
                    return SniffResult.Accept(EvidenceKind.Docx);
                return SniffResult.Refuse("office document", "The archive is an Office Open XML package but neither a workbook (XLSX) nor a Word document (DOCX).");
            }
            var bases = names.Where(n => !n.EndsWith('/'))
                .Select(n => (Base: n[..^Path.GetExtension(n).Length], Extension: Path.GetExtension(n).ToLowerInvariant()))
                .GroupBy(n => n.Base, StringComparer.OrdinalIgnoreCase);
            if (bases.Any(g => ShapefileParts.All(x => g.Any(n => n.Extension == x))))
                return SniffResult.Accept(EvidenceKind.Shapefile);
            return SniffResult.Refuse("zip", "The ZIP archive is neither XLSX, DOCX nor a shapefile (.shp, .shx and .dbf with the same name).");
        }
        catch (InvalidDataException)
        {
            return SniffResult.Refuse("zip", "The ZIP archive is damaged.");
        }
    }

    private static SniffResult SniffText(Stream content)
    {
        content.Position = 0;
        var decoder = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetDecoder();
        var bytes = new byte[64 * 1024];
        var chars = new char[64 * 1024 + 1];
        var sample = new StringBuilder();
        var first = true;
        int read;
        try
        {
            while ((read = content.Read(bytes, 0, bytes.Length)) > 0)
            {
                var offset = 0;
                if (first && read >= 3 && bytes.AsSpan(0, 3).SequenceEqual(Utf8Bom))
                    offset = 3;
                first = false;
                var count = decoder.GetChars(bytes, offset, read - offset, chars, 0, flush: false);
                if (chars.AsSpan(0, count).Contains('\0'))
                    return SniffResult.Refuse("binary", "The file is not of an accepted kind (binary data that is not PDF, PNG, JPEG or ZIP).");
                if (sample.Length < SampleChars)
                    sample.Append(chars, 0, Math.Min(count, SampleChars - sample.Length));
            }
            decoder.GetChars([], 0, 0, chars, 0, flush: true);
        }
        catch (DecoderFallbackException)
        {
            return SniffResult.Refuse("binary", "The file is not of an accepted kind (binary data, or text that is not UTF-8).");
        }
        var text = sample.ToString();
        var start = text.TrimStart();
        if (start.StartsWith('{') || start.StartsWith('['))
            return SniffJson(content);
        if (start.StartsWith('<'))
            return SniffResult.Refuse("markup", "The file is markup (HTML, XML or SVG), which is not accepted.");
        var truncated = content.Length > SampleChars;
        return IsCsv(text, truncated)
            ? SniffResult.Accept(EvidenceKind.Csv)
            : SniffResult.Refuse("text", "The file is text but not CSV: its first lines do not split on one delimiter (, ; tab |) into the same number of fields.");
    }

    private static SniffResult SniffJson(Stream content)
    {
        content.Position = 0;
        try
        {
            using var document = JsonDocument.Parse(content, new JsonDocumentOptions { MaxDepth = 256 });
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("type", out var type)
                && type.ValueKind == JsonValueKind.String && GeoJsonTypes.Contains(type.GetString()!))
                return SniffResult.Accept(EvidenceKind.GeoJson);
            return SniffResult.Refuse("json", "The file is JSON but not GeoJSON (no GeoJSON \"type\" such as FeatureCollection).");
        }
        catch (JsonException)
        {
            return SniffResult.Refuse("text", "The file starts like JSON but is not valid JSON.");
        }
    }

    /// <summary>At least two records, and one delimiter that splits the sampled records into the same number (≥ 2) of fields.</summary>
    internal static bool IsCsv(string sample, bool truncated)
    {
        var records = Records(sample);
        if (truncated && records.Count > 1)
            records.RemoveAt(records.Count - 1);
        records = [.. records.Where(r => r.Length > 0).Take(SampleRecords)];
        if (records.Count < 2)
            return false;
        foreach (var delimiter in Delimiters)
        {
            var counts = records.Select(r => CountOutsideQuotes(r, delimiter)).ToList();
            if (counts[0] > 0 && counts.All(c => c == counts[0]))
                return true;
        }
        return false;
    }

    /// <summary>Splits on line ends outside double quotes (a quoted field may span lines).</summary>
    private static List<string> Records(string text)
    {
        var records = new List<string>();
        var current = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '"')
                quoted = !quoted;
            if (!quoted && (c == '\n' || c == '\r'))
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                    i++;
                records.Add(current.ToString());
                current.Clear();
                continue;
            }
            current.Append(c);
        }
        if (current.Length > 0)
            records.Add(current.ToString());
        return records;
    }

    private static int CountOutsideQuotes(string record, char delimiter)
    {
        var quoted = false;
        var count = 0;
        foreach (var c in record)
        {
            if (c == '"')
                quoted = !quoted;
            else if (c == delimiter && !quoted)
                count++;
        }
        return count;
    }
}
