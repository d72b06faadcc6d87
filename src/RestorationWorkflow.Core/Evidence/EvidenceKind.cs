using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Evidence;

/// <summary>A kind of evidence file the app accepts: its name, media type and extensions (the first is the canonical one).</summary>
public sealed record EvidenceKind(string Name, string MediaType, IReadOnlyList<string> Extensions, LocalizedText Label)
{
    public string Extension => Extensions[0];

    public static readonly EvidenceKind Pdf = new("pdf", "application/pdf", [".pdf"], new("PDF document", "PDF 文档"));
    public static readonly EvidenceKind Png = new("png", "image/png", [".png"], new("PNG image", "PNG 图像"));
    public static readonly EvidenceKind Jpeg = new("jpeg", "image/jpeg", [".jpg", ".jpeg"], new("JPEG image", "JPEG 图像"));
    public static readonly EvidenceKind Csv = new("csv", "text/csv", [".csv"], new("CSV table", "CSV 表格"));
    public static readonly EvidenceKind Xlsx = new("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", [".xlsx"], new("Excel workbook", "Excel 工作簿"));
    public static readonly EvidenceKind Docx = new("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", [".docx"], new("Word document", "Word 文档"));
    public static readonly EvidenceKind GeoJson = new("geojson", "application/geo+json", [".geojson", ".json"], new("GeoJSON", "GeoJSON"));
    public static readonly EvidenceKind Shapefile = new("shapefile", "application/zip", [".zip"], new("Shapefile (ZIP)", "Shapefile（ZIP）"));

    public static readonly IReadOnlyList<EvidenceKind> All = [Pdf, Png, Jpeg, Csv, Xlsx, Docx, GeoJson, Shapefile];

    public static EvidenceKind? ByMediaType(string mediaType) => All.FirstOrDefault(k => k.MediaType == mediaType);

    public static EvidenceKind? ByExtension(string extension) => All.FirstOrDefault(k => k.Extensions.Contains(extension, StringComparer.OrdinalIgnoreCase));
}
