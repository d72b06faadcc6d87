using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using RestorationWorkflow.IntegrationTests.Infrastructure;
using RestorationWorkflow.Web.Features.Reports;
using static Microsoft.Playwright.Assertions;

namespace RestorationWorkflow.IntegrationTests.Browser;

/// <summary>
/// A report through the browser: the manager requests it on the project page, lands on its page, which reloads itself
/// while the job has not run and shows the SHA-256 and the download once it has; the page reads in Chinese too.
/// </summary>
public sealed class ReportBrowserTests(KestrelAppFactory app, BrowserFixture browser) : IClassFixture<KestrelAppFactory>, IClassFixture<BrowserFixture>
{
    [BrowserFact]
    public async Task Manager_RequestsAReport_ThePageRefreshesUntilDone_ThenOffersTheDownload()
    {
        _ = app.BaseAddress;
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync("Browser report project");
        var page = await browser.SignInAsync(app.BaseAddress, DemoUsers.Pm);

        await page.GotoAsync($"/Projects/{id}#reports");
        await page.GetByTestId("report-language").SelectOptionAsync("zh-Hans");
        await page.GetByTestId("report-request").Locator("button").ClickAsync();
        await Expect(page.GetByTestId("report")).ToHaveAttributeAsync("data-status", "queued");
        await Expect(page.GetByTestId("report-refreshing")).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "60-report-queued");
        var reportId = Guid.Parse(page.Url.Split('/').Last());

        await using (var scope = app.Scope())
            Assert.Equal(ReportJob.Outcome.Done, await scope.ServiceProvider.GetRequiredService<ReportJob>().RunAsync(reportId, CancellationToken.None));
        // No click: the page reloads itself.
        await Expect(page.GetByTestId("report")).ToHaveAttributeAsync("data-status", "done", new() { Timeout = 10_000 });
        await Expect(page.GetByTestId("report-sha256")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^[0-9a-f]{64}$"));
        await BrowserFixture.ScreenshotAsync(page, "61-report-done");
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("report-download").ClickAsync());
        Assert.EndsWith("_zh-Hans.pdf", download.SuggestedFilename, StringComparison.Ordinal);

        await page.GotoAsync($"/Projects/{id}#reports");
        await Expect(page.GetByTestId("report-row")).ToHaveAttributeAsync("data-status", "done");
        await page.GetByTestId("reports").ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "62-project-reports-section.png") });

        var zh = await browser.SignInAsync(app.BaseAddress, DemoUsers.Pm, "zh-CN");
        await zh.GotoAsync($"/Reports/{reportId}");
        await Expect(zh.GetByTestId("report-status")).ToHaveTextAsync("已完成");
        await BrowserFixture.ScreenshotAsync(zh, "63-report-zh-Hans");
    }

    [BrowserFact]
    public async Task Approver_RequestsAPortfolioReport_FromThePortfolioPage_AndFindsItListedThere()
    {
        _ = app.BaseAddress;
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        await pm.CreateProjectAsync("Browser portfolio project");
        var page = await browser.SignInAsync(app.BaseAddress, DemoUsers.Approver1);

        await page.GotoAsync("/Portfolio#reports");
        await Expect(page.GetByTestId("portfolio-report-request")).ToBeVisibleAsync();
        await page.GetByTestId("portfolio-reports").ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "64-portfolio-report-form.png") });
        await page.GetByTestId("portfolio-report-language").SelectOptionAsync("zh-Hans");
        await page.GetByTestId("portfolio-report-request").Locator("button").ClickAsync();
        await Expect(page.GetByTestId("report")).ToHaveAttributeAsync("data-status", "queued");
        var reportId = Guid.Parse(page.Url.Split('/').Last());

        await using (var scope = app.Scope())
            Assert.Equal(ReportJob.Outcome.Done, await scope.ServiceProvider.GetRequiredService<ReportJob>().RunAsync(reportId, CancellationToken.None));
        await Expect(page.GetByTestId("report")).ToHaveAttributeAsync("data-status", "done", new() { Timeout = 10_000 });
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("report-download").ClickAsync());
        Assert.StartsWith("portfolio_portfolio_", download.SuggestedFilename, StringComparison.Ordinal);
        Assert.EndsWith("_zh-Hans.pdf", download.SuggestedFilename, StringComparison.Ordinal);

        await page.GetByTestId("report-portfolio-link").ClickAsync();
        await Expect(page.GetByTestId("portfolio-reports").GetByTestId("report-row")).ToHaveAttributeAsync("data-status", "done");
        await page.GetByTestId("portfolio-reports").ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "65-portfolio-reports-listed.png") });
        await BrowserFixture.ScreenshotAsync(page, "66-portfolio-page");
    }
}
