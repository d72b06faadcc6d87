using System.Net;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using RestorationWorkflow.IntegrationTests.Infrastructure;

namespace RestorationWorkflow.IntegrationTests.Reports;

/// <summary>The reports in the browser's pages: requested from the project page, followed on the report's page, downloaded.</summary>
public sealed partial class ReportPageTests(ReportPipelineTests.App app) : IClassFixture<ReportPipelineTests.App>
{
    [Fact]
    public async Task FromTheProjectPage_ARequestLeadsToAProgressPage_ThatRefreshesUntilDone_ThenDownloads()
    {
        using var api = await app.ClientForAsync(DemoUsers.Pm);
        var projectId = await api.CreateProjectAsync("Page report project");
        using var browser = await PageSession.SignInAsync(app, DemoUsers.Pm);

        var projectPage = await browser.GetStringAsync($"/Projects/{projectId}");
        Assert.Contains("data-testid=\"report-request\"", projectPage, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"reports-empty\"", projectPage, StringComparison.Ordinal);

        var posted = await browser.PostAsync($"/Projects/{projectId}/Reports?handler=Request", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["kind"] = "audit-trail",
            ["language"] = "zh-Hans",
            ["__RequestVerificationToken"] = PageSession.Token(projectPage),
        }));
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        var location = posted.Headers.Location!.OriginalString;
        var reportId = Guid.Parse(ReportPath().Match(location).Groups["id"].Value);

        var pending = await browser.GetStringAsync(location);
        Assert.Contains("http-equiv=\"refresh\"", pending, StringComparison.Ordinal);
        Assert.Contains("data-status=\"queued\"", pending, StringComparison.Ordinal);
        Assert.DoesNotContain("/api/", pending, StringComparison.Ordinal);

        await app.RunJobAsync(reportId);
        var done = await browser.GetStringAsync(location);
        Assert.DoesNotContain("http-equiv=\"refresh\"", done, StringComparison.Ordinal);
        Assert.Contains("data-status=\"done\"", done, StringComparison.Ordinal);
        var sha = Sha().Match(done).Groups["sha"].Value;
        Assert.Equal(64, sha.Length);

        var file = await browser.GetAsync($"/Reports/{reportId}?handler=File");
        Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        Assert.Equal("application/pdf", file.Content.Headers.ContentType?.MediaType);
        Assert.Equal(sha, Convert.ToHexStringLower(SHA256.HashData(await file.Content.ReadAsByteArrayAsync())));
        Assert.Single(await app.DownloadsAsync(reportId));

        var list = await browser.GetStringAsync($"/Projects/{projectId}/Reports");
        Assert.Contains("data-testid=\"report-download\"", list, StringComparison.Ordinal);
        Assert.Contains("简体中文", list, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABadLanguageOnThePage_ShowsTheMessage_AndMakesNoReport()
    {
        using var api = await app.ClientForAsync(DemoUsers.Pm);
        var projectId = await api.CreateProjectAsync("Page bad language");
        using var browser = await PageSession.SignInAsync(app, DemoUsers.Pm);
        var page = await browser.GetStringAsync($"/Projects/{projectId}/Reports");
        var posted = await browser.PostAsync($"/Projects/{projectId}/Reports?handler=Request", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["kind"] = "audit-trail",
            ["language"] = "fr",
            ["__RequestVerificationToken"] = PageSession.Token(page),
        }));
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        Assert.Contains("is not a report language", await posted.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await app.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(db.Reports, r => r.ProjectId == projectId)));
    }

    [GeneratedRegex("/Reports/(?<id>[0-9a-f-]{36})$")]
    private static partial Regex ReportPath();

    [GeneratedRegex("data-testid=\"report-sha256\">(?<sha>[0-9a-f]{64})<")]
    private static partial Regex Sha();
}
