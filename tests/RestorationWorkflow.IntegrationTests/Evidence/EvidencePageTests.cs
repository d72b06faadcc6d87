using System.Net;
using System.Net.Http.Headers;
using RestorationWorkflow.IntegrationTests.Infrastructure;

namespace RestorationWorkflow.IntegrationTests.Evidence;

/// <summary>The evidence section on the project page and the upload form's handler (cookie session, anti-forgery).</summary>
public sealed class EvidencePageTests(EvidenceAppFactory factory) : IClassFixture<EvidenceAppFactory>
{
    private static MultipartFormDataContent Form(string html, byte[] file, string fileName, string? code, int expectedVersion)
    {
        var form = new MultipartFormDataContent
        {
            { new StringContent(PageSession.Token(html)), "__RequestVerificationToken" },
            { new StringContent(expectedVersion.ToString(System.Globalization.CultureInfo.InvariantCulture)), "expectedVersion" },
        };
        if (code is not null)
            form.Add(new StringContent(code), "code");
        var content = new ByteArrayContent(file);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        form.Add(content, "file", fileName);
        return form;
    }

    [Fact]
    public async Task AManager_UploadsFromTheProjectPage_AndSeesTheFileListed()
    {
        using var api = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await api.CreateProjectAsync();
        using var page = await PageSession.SignInAsync(factory, DemoUsers.Pm);
        var html = await page.GetStringAsync($"/Projects/{id}");
        Assert.Contains("data-testid=\"evidence-upload\"", html, StringComparison.Ordinal);

        using var form = Form(html, EvidenceSamples.Pdf(), "survey.pdf", "A2", 1);
        using var response = await page.PostAsync($"/Projects/{id}/Evidence?handler=Upload&returnUrl=%2FProjects%2F{id}", form);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/Projects/{id}", response.Headers.Location?.OriginalString);
        var after = await page.GetStringAsync($"/Projects/{id}");
        Assert.Contains("survey.pdf", after, StringComparison.Ordinal);
        Assert.Contains("data-target=\"code:A2\"", after, StringComparison.Ordinal);
        Assert.Contains("attached an evidence file", after, StringComparison.Ordinal);
        var list = await (await api.GetAsync($"/api/projects/{id}/evidence")).ExpectAsync(HttpStatusCode.OK);
        var fileId = Assert.Single(list.GetProperty("items").EnumerateArray()).Str("id");
        using var download = await page.GetAsync($"/Projects/{id}/Evidence?handler=Download&fileId={fileId}");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal(EvidenceSamples.Pdf(), await download.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task ARefusedUpload_ShowsTheErrorNextToTheFileField_InBothLanguages()
    {
        using var api = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await api.CreateProjectAsync();
        using var page = await PageSession.SignInAsync(factory, DemoUsers.Pm);
        var before = factory.EvidenceFiles().Count;

        var html = await page.GetStringAsync($"/Projects/{id}/Evidence");
        using var form = Form(html, "<html></html>"u8.ToArray(), "page.pdf", "A1", 1);
        using var response = await page.PostAsync($"/Projects/{id}/Evidence?handler=Upload", form);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Matches("data-testid=\"evidence-file-error\">[^<]*markup", body);

        var zh = await page.GetStringAsync($"/Projects/{id}/Evidence?culture=zh-Hans&ui-culture=zh-Hans");
        using var empty = Form(zh, [], "empty.pdf", "A1", 1);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/Projects/{id}/Evidence?handler=Upload") { Content = empty };
        request.Headers.AcceptLanguage.ParseAdd("zh-Hans");
        using var refused = await page.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("证据文件", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, factory.EvidenceFiles().Count);
    }

    [Fact]
    public async Task AnOversizeFileOnThePage_Is413WithTheMessageNextToTheField_AndLeavesNothing()
    {
        using var api = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await api.CreateProjectAsync();
        using var page = await PageSession.SignInAsync(factory, DemoUsers.Pm);
        var before = factory.EvidenceFiles().Count;
        var bytes = new byte[(1024 * 1024) + 1];
        "%PDF-"u8.CopyTo(bytes);

        var html = await page.GetStringAsync($"/Projects/{id}/Evidence");
        using var form = Form(html, bytes, "big.pdf", "A1", 1);
        using var response = await page.PostAsync($"/Projects/{id}/Evidence?handler=Upload", form);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Matches("data-testid=\"evidence-file-error\">[^<]*1 MB", await response.Content.ReadAsStringAsync());
        Assert.Equal(before, factory.EvidenceFiles().Count);
        Assert.Equal(0, await factory.EvidenceRowsAsync(id));
    }

    [Theory]
    [InlineData(DemoUsers.Auditor)]
    [InlineData(DemoUsers.Pm2)]
    public async Task Readers_SeeTheListAndDownload_ButNoUploadForm(string email)
    {
        using var api = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await api.CreateProjectAsync();
        using var upload = EvidenceSamples.Form(EvidenceSamples.Csv(), "plots.csv", "A1", 1);
        var created = await (await api.PostAsync($"/api/projects/{id}/evidence", upload)).ExpectAsync(HttpStatusCode.Created);
        using var page = await PageSession.SignInAsync(factory, email);

        var html = await page.GetStringAsync($"/Projects/{id}");

        Assert.Contains("plots.csv", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"evidence-upload\"", html, StringComparison.Ordinal);
        using var download = await page.GetAsync($"/Projects/{id}/Evidence?handler=Download&fileId={created.Str("id")}");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(EvidenceSamples.Csv(), await download.Content.ReadAsByteArrayAsync());
    }
}
