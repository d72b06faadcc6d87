using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RestorationWorkflow.Data;
using RestorationWorkflow.IntegrationTests.Infrastructure;
using RestorationWorkflow.IntegrationTests.Sites;
using RestorationWorkflow.IntegrationTests.Projects;

namespace RestorationWorkflow.IntegrationTests.Evidence;

/// <summary>The app with a 1 MB evidence limit and a commit that can be made to fail.</summary>
public sealed class EvidenceAppFactory : AppFactory
{
    public CommitFailureInterceptor Interceptor { get; } = new();

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Evidence:MaxFileMegabytes"] = "1" };

    protected override void ConfigureTestServices(IServiceCollection services) =>
        services.ConfigureDbContext<AppDbContext>(o => o.AddInterceptors(Interceptor), ServiceLifetime.Singleton);

    /// <summary>Every file under <c>Storage:Root/evidence</c>, temp files included.</summary>
    public IReadOnlyList<string> EvidenceFiles()
    {
        var folder = Path.Combine(StorageRoot, "evidence");
        return Directory.Exists(folder) ? [.. Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)] : [];
    }

    public async Task<int> EvidenceRowsAsync(Guid projectId)
    {
        var count = 0;
        await WithDbAsync(async db => count = await db.EvidenceFiles.CountAsync(e => e.ProjectId == projectId));
        return count;
    }
}

public sealed class EvidenceApiTests(EvidenceAppFactory factory) : IClassFixture<EvidenceAppFactory>
{
    private static async Task<HttpResponseMessage> UploadAsync(HttpClient client, Guid id, byte[]? file, string? fileName, string? code = "A1", int? expectedVersion = 1, string? siteId = null)
    {
        using var form = EvidenceSamples.Form(file, fileName, code, expectedVersion, siteId);
        return await client.PostAsync($"/api/projects/{id}/evidence", form);
    }

    private static string Sha(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    public static TheoryData<string, string, string> Kinds => new()
    {
        { "pdf", "report.pdf", "application/pdf" },
        { "png", "photo.png", "image/png" },
        { "jpeg", "photo.jpg", "image/jpeg" },
        { "csv", "plots.csv", "text/csv" },
        { "xlsx", "budget.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" },
        { "docx", "plan.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document" },
        { "geojson", "sites.geojson", "application/geo+json" },
        { "shapefile", "plots.zip", "application/zip" },
    };

    private static byte[] Sample(string kind) => kind switch
    {
        "pdf" => EvidenceSamples.Pdf(),
        "png" => EvidenceSamples.Png(),
        "jpeg" => EvidenceSamples.Jpeg(),
        "csv" => EvidenceSamples.Csv(),
        "xlsx" => EvidenceSamples.Xlsx(),
        "docx" => EvidenceSamples.Docx(),
        "geojson" => EvidenceSamples.GeoJson(),
        "shapefile" => EvidenceSamples.Shapefile(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task EachAcceptedKind_IsStoredWithTheTypeOfItsContent(string kind, string fileName, string mediaType)
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        var bytes = Sample(kind);

        using var response = await UploadAsync(pm, id, bytes, fileName);

        var body = await response.ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(mediaType, body.Str("mediaType"));
        Assert.Equal(fileName, body.Str("fileName"));
        Assert.Equal(bytes.Length, body.GetProperty("size").GetInt64());
        Assert.Equal(Sha(bytes), body.Str("sha256"));
        Assert.Equal(1, body.Number("version"));
        Assert.Equal(2, body.Number("projectVersion"));
        Assert.Equal($"/api/evidence/{body.Str("id")}/file", response.Headers.Location?.OriginalString);
        using var download = await pm.GetAsync(response.Headers.Location);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(mediaType, download.Content.Headers.ContentType?.MediaType);
        Assert.Equal(bytes, await download.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task PngBytesNamedPdf_AreStoredAsPng_AndDownloadAsPng()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();

        using var response = await UploadAsync(pm, id, EvidenceSamples.Png(), "scan.pdf");

        var body = await response.ExpectAsync(HttpStatusCode.Created);
        Assert.Equal("image/png", body.Str("mediaType"));
        Assert.Equal("scan.pdf", body.Str("fileName"));
        using var download = await pm.GetAsync(response.Headers.Location);
        Assert.Equal("image/png", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal("scan.png", download.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
    }

    [Theory]
    [InlineData("../../etc/passwd", "passwd")]
    [InlineData("..\\..\\windows\\system.ini", "system.ini")]
    [InlineData("/abs/path/.hidden.csv", "hidden.csv")]
    public async Task PathCharactersInTheName_AreStripped(string sent, string kept)
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();

        using var response = await UploadAsync(pm, id, EvidenceSamples.Csv(), sent);

        var body = await response.ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(kept, body.Str("fileName"));
        Assert.All(factory.EvidenceFiles(), f => Assert.StartsWith(Path.Combine(factory.StorageRoot, "evidence"), Path.GetFullPath(f), StringComparison.Ordinal));
        Assert.False(File.Exists(Path.Combine(factory.StorageRoot, "etc", "passwd")));
    }

    [Fact]
    public async Task EmptyFile_Is400NamingFile_AndLeavesNothing()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        var before = factory.EvidenceFiles().Count;

        using var response = await UploadAsync(pm, id, [], "empty.pdf");

        var problem = await response.ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("file", problem.ErrorFields());
        Assert.Equal(before, factory.EvidenceFiles().Count);
        Assert.Equal(0, await factory.EvidenceRowsAsync(id));
    }

    [Fact]
    public async Task MissingTargetAndVersion_Are400NamingEachField()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();

        using var none = await UploadAsync(pm, id, EvidenceSamples.Pdf(), "a.pdf", code: null, expectedVersion: null);
        var problem = await none.ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("code", problem.ErrorFields());
        Assert.Contains("expectedVersion", problem.ErrorFields());

        using var unknown = await UploadAsync(pm, id, EvidenceSamples.Pdf(), "a.pdf", code: "E9");
        Assert.Contains("code", (await unknown.ExpectProblemAsync(HttpStatusCode.BadRequest)).ErrorFields());

        using var both = await UploadAsync(pm, id, EvidenceSamples.Pdf(), "a.pdf", code: "A1", siteId: Guid.NewGuid().ToString());
        Assert.Contains("code", (await both.ExpectProblemAsync(HttpStatusCode.BadRequest)).ErrorFields());

        using var noFile = await UploadAsync(pm, id, null, null);
        Assert.Contains("file", (await noFile.ExpectProblemAsync(HttpStatusCode.BadRequest)).ErrorFields());
        Assert.Equal(0, await factory.EvidenceRowsAsync(id));
    }

    [Fact]
    public async Task OversizeFile_Is413ProblemNamingFile_AndLeavesNothing()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        var before = factory.EvidenceFiles().Count;
        var bytes = new byte[(1024 * 1024) + 1];
        "%PDF-"u8.CopyTo(bytes);

        using var response = await UploadAsync(pm, id, bytes, "big.pdf");

        var problem = await response.ExpectProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("file", problem.ErrorFields());
        Assert.Equal(before, factory.EvidenceFiles().Count);
        Assert.Equal(0, await factory.EvidenceRowsAsync(id));
    }

    [Fact]
    public async Task OversizeFileWithoutContentLength_Is413WhileStreaming()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        var before = factory.EvidenceFiles().Count;
        var bytes = new byte[(1024 * 1024) + 1];
        "%PDF-"u8.CopyTo(bytes);
        using var form = new MultipartFormDataContent
        {
            { new StringContent("A1"), "code" },
            { new StringContent("1"), "expectedVersion" },
            { new StreamContent(new UnknownLengthStream(bytes)), "file", "big.pdf" },
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/projects/{id}/evidence") { Content = form };
        request.Headers.TransferEncodingChunked = true;

        using var response = await pm.SendAsync(request);

        await response.ExpectProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(before, factory.EvidenceFiles().Count);
    }

    [Fact]
    public async Task TheSameFileTwice_IsTwoVersions_BothDownloadable()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        var bytes = EvidenceSamples.Pdf();

        var first = await (await UploadAsync(pm, id, bytes, "survey.pdf")).ExpectAsync(HttpStatusCode.Created);
        var second = await (await UploadAsync(pm, id, bytes, "survey.pdf", expectedVersion: first.Number("projectVersion"))).ExpectAsync(HttpStatusCode.Created);

        Assert.Equal(1, first.Number("version"));
        Assert.Equal(2, second.Number("version"));
        Assert.Equal(first.Str("sha256"), second.Str("sha256"));
        Assert.NotEqual(first.Str("id"), second.Str("id"));
        foreach (var upload in new[] { first, second })
            Assert.Equal(bytes, await pm.GetByteArrayAsync($"/api/evidence/{upload.Str("id")}/file"));
        var list = await (await pm.GetAsync($"/api/projects/{id}/evidence?code=A1")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal([2, 1], list.GetProperty("items").EnumerateArray().Select(i => i.Number("version")));
        Assert.Equal(2, await factory.EvidenceRowsAsync(id));
    }

    [Theory]
    [InlineData("GIF89a\x01\x00\x01\x00\x00\x00\x00;", "binary")]
    [InlineData("<html><script>alert(1)</script></html>", "markup")]
    [InlineData("Dear reader,\nthis is a letter, not a table.\nRegards\n", "text")]
    [InlineData("{\"name\": \"not geo\"}", "json")]
    public async Task AKindNotAccepted_Is415NamingFileAndTheDetectedKind(string content, string detected)
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        var before = factory.EvidenceFiles().Count;
        var bytes = content.StartsWith("GIF", StringComparison.Ordinal) ? [.. Encoding.ASCII.GetBytes("GIF89a"), 0x00, 0x01, 0x00, 0xFF] : Encoding.UTF8.GetBytes(content);

        using var response = await UploadAsync(pm, id, bytes, "evidence.pdf");

        var problem = await response.ExpectProblemAsync(HttpStatusCode.UnsupportedMediaType);
        Assert.Contains("file", problem.ErrorFields());
        Assert.Equal(detected, problem.Str("detectedKind"));
        Assert.Equal(before, factory.EvidenceFiles().Count);
        Assert.Equal(0, await factory.EvidenceRowsAsync(id));
    }

    [Fact]
    public async Task AZipThatIsNoAcceptedKind_Is415()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();

        using var response = await UploadAsync(pm, id, EvidenceSamples.Zip(("plots.shp", "x"), ("plots.dbf", "y")), "plots.zip");

        var problem = await response.ExpectProblemAsync(HttpStatusCode.UnsupportedMediaType);
        Assert.Equal("zip", problem.Str("detectedKind"));
    }

    [Fact]
    public async Task AFailureAfterTheFileIsWritten_LeavesNoFileAndNoRow()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        var before = factory.EvidenceFiles();
        var failures = factory.Interceptor.Failures;

        HttpResponseMessage response;
        factory.Interceptor.Armed = true;
        try
        {
            response = await UploadAsync(pm, id, EvidenceSamples.Pdf(), "doomed.pdf");
        }
        finally
        {
            factory.Interceptor.Armed = false;
        }

        using (response)
            await response.ExpectProblemAsync(HttpStatusCode.InternalServerError);
        Assert.True(factory.Interceptor.Failures > failures, "The injected fault did not fire.");
        Assert.Equal(before, factory.EvidenceFiles());
        Assert.Equal(0, await factory.EvidenceRowsAsync(id));
        Assert.Equal(1, (await pm.GetProjectAsync(id)).Number("version"));
    }

    [Theory]
    [InlineData(DemoUsers.Pm2)]
    [InlineData(DemoUsers.Auditor)]
    [InlineData(DemoUsers.Approver1)]
    [InlineData(DemoUsers.Admin)]
    public async Task OnlyTheProjectsManagersUpload_OthersGet403(string email)
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        using var other = await factory.ClientForAsync(email);
        var before = factory.EvidenceFiles().Count;

        using var response = await UploadAsync(other, id, EvidenceSamples.Pdf(), "a.pdf");

        await response.ExpectProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(before, factory.EvidenceFiles().Count);
        Assert.Equal(0, await factory.EvidenceRowsAsync(id));
    }

    [Fact]
    public async Task UnknownProject_Is404()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        using var response = await UploadAsync(pm, Guid.NewGuid(), EvidenceSamples.Pdf(), "a.pdf");
        await response.ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await pm.GetAsync($"/api/evidence/{Guid.NewGuid()}/file")).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AStaleVersion_Is409WithTheCurrentVersion_AndLeavesNothing()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        await pm.SetStepAsync(id, "A1", 1, "open", "moved on");
        var before = factory.EvidenceFiles().Count;

        using var response = await UploadAsync(pm, id, EvidenceSamples.Pdf(), "a.pdf", expectedVersion: 1);

        var problem = await response.ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(2, problem.Number("currentVersion"));
        Assert.Equal(before, factory.EvidenceFiles().Count);
        Assert.Equal(0, await factory.EvidenceRowsAsync(id));
    }

    [Fact]
    public async Task ASiteId_MustBeASiteOfThatProject()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        var other = await pm.CreateProjectAsync();
        var site = await pm.AddSiteAsync(id, SitesApi.Box(36.80, -1.40, 36.90, -1.30), expectedVersion: 1);
        var siteId = site.Str("id");
        var otherSite = await pm.AddSiteAsync(other, SitesApi.Box(36.80, -1.40, 36.90, -1.30), expectedVersion: 1);
        var before = factory.EvidenceFiles().Count;

        // Unknown, and another project's site: 422 naming siteId, nothing written.
        foreach (var wrong in new[] { Guid.NewGuid().ToString(), otherSite.Str("id") })
        {
            using var refused = await UploadAsync(pm, id, EvidenceSamples.GeoJson(), "site.geojson", code: null, expectedVersion: 2, siteId: wrong);
            var problem = await refused.ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
            Assert.Contains("siteId", problem.Guards("unmet"));
            Assert.Equal(before, factory.EvidenceFiles().Count);
        }

        // The project's own site: attached to it.
        using var accepted = await UploadAsync(pm, id, EvidenceSamples.GeoJson(), "site.geojson", code: null, expectedVersion: 2, siteId: siteId);
        await accepted.ExpectAsync(HttpStatusCode.Created);
        var listed = await (await pm.GetAsync($"/api/projects/{id}/evidence?siteId={siteId}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(1, listed.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Download_IsAnAttachmentWithASafeNameAndNosniff()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        var created = await (await UploadAsync(pm, id, EvidenceSamples.Pdf(), "报告; v1 (final).pdf")).ExpectAsync(HttpStatusCode.Created);

        using var download = await pm.GetAsync($"/api/evidence/{created.Str("id")}/file");

        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        var disposition = download.Content.Headers.ContentDisposition!;
        Assert.Equal("attachment", disposition.DispositionType);
        Assert.Equal("报告; v1 (final).pdf", created.Str("fileName"));
        Assert.Equal("____v1_(final).pdf", disposition.FileName?.Trim('"'));
        Assert.Equal("报告; v1 (final).pdf", disposition.FileNameStar);
        var raw = string.Join(",", download.Content.Headers.GetValues("Content-Disposition"));
        Assert.Contains("filename*=UTF-8''", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("报告", raw, StringComparison.Ordinal);
        Assert.Equal("nosniff", string.Join(",", download.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("application/pdf", download.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task AnUpload_IsAudited_WithTargetNameTypeSizeHashAndVersion()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        var bytes = EvidenceSamples.Csv();
        await (await UploadAsync(pm, id, bytes, "plots.csv", code: "C5")).ExpectAsync(HttpStatusCode.Created);

        var history = await (await pm.GetAsync($"/api/projects/{id}/history")).ExpectAsync(HttpStatusCode.OK);
        var events = history.ValueKind == System.Text.Json.JsonValueKind.Array ? history : history.GetProperty("items");
        var attached = events.EnumerateArray().Last();
        Assert.Equal("evidence.attached", attached.Str("action"));
        var changes = attached.GetProperty("changes").ToString();
        Assert.Contains("\"evidence.code\"", changes, StringComparison.Ordinal);
        Assert.Contains("\"C5\"", changes, StringComparison.Ordinal);
        Assert.Contains("plots.csv", changes, StringComparison.Ordinal);
        Assert.Contains("text/csv", changes, StringComparison.Ordinal);
        Assert.Contains(Sha(bytes), changes, StringComparison.Ordinal);
        Assert.Contains("\"evidence.version\"", changes, StringComparison.Ordinal);
        Assert.Contains("\"evidence.size\"", changes, StringComparison.Ordinal);
        var verify = await (await pm.GetAsync($"/api/projects/{id}/audit/verify")).ExpectAsync(HttpStatusCode.OK);
        Assert.True(verify.GetProperty("valid").GetBoolean(), verify.ToString());
    }

    [Theory]
    [InlineData(DemoUsers.Auditor)]
    [InlineData(DemoUsers.Approver1)]
    [InlineData(DemoUsers.Pm2)]
    public async Task Readers_ListAndDownload(string email)
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        var bytes = EvidenceSamples.Docx();
        var created = await (await UploadAsync(pm, id, bytes, "plan.docx", code: "C3")).ExpectAsync(HttpStatusCode.Created);
        using var reader = await factory.ClientForAsync(email);

        var list = await (await reader.GetAsync($"/api/projects/{id}/evidence")).ExpectAsync(HttpStatusCode.OK);
        var item = Assert.Single(list.GetProperty("items").EnumerateArray());
        Assert.Equal("C3", item.Str("code"));
        Assert.Equal(bytes, await reader.GetByteArrayAsync(item.Str("downloadUrl")));
        Assert.Equal(created.Str("id"), item.Str("id"));
        Assert.Empty((await (await reader.GetAsync($"/api/projects/{id}/evidence?code=A1")).ExpectAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
    }

    /// <summary>A stream that does not tell its length, so the client sends the body chunked.</summary>
    private sealed class UnknownLengthStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
