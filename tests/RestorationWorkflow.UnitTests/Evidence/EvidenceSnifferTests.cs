using System.IO.Compression;
using System.Text;
using RestorationWorkflow.Evidence;

namespace RestorationWorkflow.UnitTests.Evidence;

public sealed class EvidenceSnifferTests
{
    private static SniffResult Sniff(byte[] bytes, ZipLimits? limits = null)
    {
        using var stream = new MemoryStream(bytes);
        return EvidenceSniffer.Sniff(stream, limits);
    }

    private static SniffResult Sniff(string text) => Sniff(Encoding.UTF8.GetBytes(text));

    private static byte[] Zip(params string[] names)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var name in names)
            {
                using var writer = new StreamWriter(zip.CreateEntry(name).Open());
                writer.Write("x");
            }
        }
        return buffer.ToArray();
    }

    [Theory]
    [InlineData("%PDF-1.7\n%%EOF", "pdf")]
    [InlineData("site;ha\nA;1\nB;2\n", "csv")]
    [InlineData("site\tha\r\nA\t1\r\nB\t2", "csv")]
    [InlineData("\"a, quoted\",b\n\"multi\nline\",c\nd,e\n", "csv")]
    [InlineData("{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,0]]]}", "geojson")]
    [InlineData("  {\"type\":\"Feature\",\"geometry\":null,\"properties\":{}}", "geojson")]
    public void TextKinds_AreRecognised(string text, string kind) => Assert.Equal(kind, Sniff(text).Kind?.Name);

    [Fact]
    public void Utf8BomCsv_IsCsv() => Assert.Equal("csv", Sniff([0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("a,b\n1,2\n")]).Kind?.Name);

    [Theory]
    [InlineData("a,b\n1,2,3\n4\n", "text")]
    [InlineData("just one line, with a comma", "text")]
    [InlineData("{\"type\":\"Topology\"}", "json")]
    [InlineData("[1,2,3]", "json")]
    [InlineData("{ broken", "text")]
    [InlineData("<svg xmlns=\"http://www.w3.org/2000/svg\"/>", "markup")]
    public void OtherText_IsRefusedAndNamed(string text, string detected)
    {
        var result = Sniff(text);
        Assert.Null(result.Kind);
        Assert.Equal(detected, result.Detected);
    }

    [Fact]
    public void NulBytesOrInvalidUtf8_AreBinary()
    {
        Assert.Equal("binary", Sniff([(byte)'a', (byte)',', (byte)'b', 0, (byte)'\n']).Detected);
        Assert.Equal("binary", Sniff([(byte)'a', (byte)',', 0xC3, 0x28, (byte)'\n']).Detected);
    }

    [Theory]
    [InlineData(new[] { "[Content_Types].xml", "xl/workbook.xml" }, "xlsx")]
    [InlineData(new[] { "[Content_Types].xml", "word/document.xml" }, "docx")]
    [InlineData(new[] { "a/Plots.SHP", "a/Plots.shx", "a/Plots.dbf" }, "shapefile")]
    public void Archives_AreRecognisedByTheirParts(string[] names, string kind) => Assert.Equal(kind, Sniff(Zip(names)).Kind?.Name);

    [Theory]
    [InlineData(new[] { "plots.shp", "plots.shx", "other.dbf" }, "zip")]
    [InlineData(new[] { "readme.txt" }, "zip")]
    [InlineData(new[] { "[Content_Types].xml", "ppt/presentation.xml" }, "office document")]
    public void OtherArchives_AreRefused(string[] names, string detected) => Assert.Equal(detected, Sniff(Zip(names)).Detected);

    [Fact]
    public void AnArchiveWithTooManyEntries_IsRefused()
    {
        var result = Sniff(Zip("[Content_Types].xml", "xl/a.xml", "xl/b.xml", "xl/c.xml"), new ZipLimits(3, 1024, 1000));
        Assert.Null(result.Kind);
        Assert.Contains("entries", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void AnArchiveThatExpandsBeyondTheCap_IsRefusedWithoutExpanding()
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            zip.CreateEntry("[Content_Types].xml").Open().Dispose();
            using var entry = zip.CreateEntry("xl/zeros.bin", CompressionLevel.SmallestSize).Open();
            entry.Write(new byte[4 * 1024 * 1024]);
        }
        var result = Sniff(buffer.ToArray(), new ZipLimits(100, 1024 * 1024, 100_000));
        Assert.Null(result.Kind);
        Assert.Contains("expand", result.Detail, StringComparison.Ordinal);
        var ratio = Sniff(buffer.ToArray(), new ZipLimits(100, 1024L * 1024 * 1024, 100));
        Assert.Null(ratio.Kind);
        Assert.Contains("zip bomb", ratio.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void AnEncryptedArchive_IsRefused()
    {
        var bytes = Zip("[Content_Types].xml", "xl/workbook.xml");
        // Set the "encrypted" bit of the general-purpose flags in every local and central header.
        for (var i = 0; i + 8 < bytes.Length; i++)
        {
            if (bytes[i] == 0x50 && bytes[i + 1] == 0x4B && bytes[i + 2] == 0x03 && bytes[i + 3] == 0x04)
                bytes[i + 6] |= 1;
            if (bytes[i] == 0x50 && bytes[i + 1] == 0x4B && bytes[i + 2] == 0x01 && bytes[i + 3] == 0x02)
                bytes[i + 8] |= 1;
        }
        Assert.Equal("encrypted zip", Sniff(bytes).Detected);
    }

    [Fact]
    public void ADamagedArchive_IsRefused() => Assert.Equal("zip", Sniff([0x50, 0x4B, 0x03, 0x04, 1, 2, 3, 4, 5]).Detected);

    [Theory]
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0 }, "png")]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF, 0xDB, 0 }, "jpeg")]
    public void Images_AreRecognisedBySignature(byte[] bytes, string kind) => Assert.Equal(kind, Sniff(bytes).Kind?.Name);
}

public sealed class EvidenceFileNamesTests
{
    [Theory]
    [InlineData("../../etc/passwd", "passwd")]
    [InlineData("C:\\Users\\me\\report.pdf", "report.pdf")]
    [InlineData("..", "file")]
    [InlineData("", "file")]
    [InlineData("   ", "file")]
    [InlineData(".hidden", "hidden")]
    [InlineData("a\u0000b\u0007c\u202Efdp.exe", "abcfdp.exe")]
    [InlineData("say \"hi\" <now>|?*.csv", "say hi now.csv")]
    [InlineData("line\r\nbreak.pdf", "line break.pdf")]
    [InlineData("报告.pdf", "报告.pdf")]
    public void Clean_KeepsOnlyASafeName(string name, string expected) => Assert.Equal(expected, EvidenceFileNames.Clean(name));

    [Fact]
    public void Clean_CutsLongNamesAndKeepsTheExtension()
    {
        var cleaned = EvidenceFileNames.Clean(new string('x', 500) + ".xlsx");
        Assert.Equal(EvidenceFileNames.MaxLength, cleaned.Length);
        Assert.EndsWith(".xlsx", cleaned, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("scan.pdf", ".png", "scan.png")]
    [InlineData("photo.JPEG", ".jpg", "photo.JPEG")]
    [InlineData("sites.json", ".geojson", "sites.json")]
    [InlineData("notes", ".csv", "notes.csv")]
    [InlineData("report.final version", ".pdf", "report.final version.pdf")]
    public void WithExtension_NamesTheDetectedKind(string name, string extension, string expected) =>
        Assert.Equal(expected, EvidenceFileNames.WithExtension(name, extension));
}
