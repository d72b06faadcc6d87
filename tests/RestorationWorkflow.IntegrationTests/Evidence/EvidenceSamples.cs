using System.IO.Compression;
using System.Net.Http.Headers;
using System.Text;

namespace RestorationWorkflow.IntegrationTests.Evidence;

/// <summary>Tiny valid samples of each accepted kind, made here, and the multipart upload a client sends.</summary>
public static class EvidenceSamples
{
    public static byte[] Pdf() => Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");

    public static byte[] Png() =>
    [
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
        0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4, 0x89,
    ];

    public static byte[] Jpeg() => [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xFF, 0xD9];

    public static byte[] Csv() => Encoding.UTF8.GetBytes("site,hectares,driver\n\"North, upper\",12.5,drainage\nSouth,3,grazing\n");

    public static byte[] GeoJson() => Encoding.UTF8.GetBytes("""{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[36.8,-1.3]}}]}""");

    public static byte[] Xlsx() => Zip(("[Content_Types].xml", "<Types/>"), ("xl/workbook.xml", "<workbook/>"), ("_rels/.rels", "<Relationships/>"));

    public static byte[] Docx() => Zip(("[Content_Types].xml", "<Types/>"), ("word/document.xml", "<document/>"), ("_rels/.rels", "<Relationships/>"));

    public static byte[] Shapefile() => Zip(("sites/plots.shp", "shp"), ("sites/plots.shx", "shx"), ("sites/plots.dbf", "dbf"), ("sites/plots.prj", "GEOGCS"));

    public static byte[] Zip(params (string Name, string Content)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                using var writer = new StreamWriter(zip.CreateEntry(name).Open());
                writer.Write(content);
            }
        }
        return buffer.ToArray();
    }

    /// <summary>The multipart form of an upload; a null field is left out.</summary>
    public static MultipartFormDataContent Form(byte[]? file, string? fileName, string? code, int? expectedVersion, string? siteId = null, string contentType = "application/octet-stream")
    {
        var form = new MultipartFormDataContent();
        if (code is not null)
            form.Add(new StringContent(code), "code");
        if (siteId is not null)
            form.Add(new StringContent(siteId), "siteId");
        if (expectedVersion is { } version)
            form.Add(new StringContent(version.ToString(System.Globalization.CultureInfo.InvariantCulture)), "expectedVersion");
        if (file is not null)
        {
            var content = new ByteArrayContent(file);
            content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
            form.Add(content, "file", fileName ?? "file.bin");
        }
        return form;
    }
}
