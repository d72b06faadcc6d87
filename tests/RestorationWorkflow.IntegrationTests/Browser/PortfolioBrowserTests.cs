using Microsoft.Playwright;
using RestorationWorkflow.IntegrationTests.Infrastructure;
using RestorationWorkflow.IntegrationTests.Sites;
using static Microsoft.Playwright.Assertions;

namespace RestorationWorkflow.IntegrationTests.Browser;

/// <summary>
/// The portfolio dashboard in the browser: an approver sees the hectares, the charts the app draws, the map's dots over
/// the country outlines and the targets by status; a hectare figure opens the project list behind it; the page reads in
/// Chinese.
/// </summary>
public sealed class PortfolioBrowserTests(KestrelAppFactory app, BrowserFixture browser) : IClassFixture<KestrelAppFactory>, IClassFixture<BrowserFixture>
{
    [BrowserFact]
    public async Task Approver_SeesTheDashboard_AndFollowsAFigureToItsProjects()
    {
        _ = app.BaseAddress;
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        var (monitored, biomass, _, version) = await pm.MonitoredProjectAsync(app, "Monitoring");
        var site = await pm.AddSiteAsync(monitored, SitesApi.Box(36.80, -1.40, 36.90, -1.30), version);
        await pm.RecordAsync(monitored, biomass, MeasurementsApi.Measurement(site.Number("version")));
        var planning = await pm.CreateProjectAsync("Lake Naivasha riparian forest");
        await pm.AddSiteAsync(planning, SitesApi.Box(36.30, -0.80, 36.36, -0.74), 1, "Naivasha shore");
        await app.ForceStateAsync(planning, "Planning");

        var page = await browser.SignInAsync(app.BaseAddress, DemoUsers.Approver1);
        await page.GotoAsync("/Portfolio");
        await Expect(page.GetByTestId("portfolio-scope")).ToHaveTextAsync("All projects.");
        var wetland = page.Locator("[data-testid=hectares-table] tr[data-ecosystem=wetland]");
        await Expect(wetland.Locator("td[data-group=D] a")).ToBeVisibleAsync();
        await Expect(wetland.Locator("td[data-group=C] a")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("targets-onTrack")).ToHaveTextAsync("1");
        await Expect(page.GetByTestId("portfolio-map")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("map-ready"), new() { Timeout = 20_000 });
        await Expect(page.GetByTestId("portfolio-map")).ToHaveAttributeAsync("data-sites", "2");
        foreach (var chart in new[] { "hectares-chart", "targets-chart" })
        {
            var image = page.GetByTestId(chart);
            await image.ScrollIntoViewIfNeededAsync();
            var width = 0;
            for (var attempt = 0; attempt < 50 && width == 0; attempt++)
            {
                width = await image.EvaluateAsync<int>("img => img.complete ? img.naturalWidth : 0");
                if (width == 0)
                    await Task.Delay(100);
            }
            Assert.True(width > 0, $"{chart} did not load");
        }
        await page.EvaluateAsync("window.scrollTo(0, 0)");
        await BrowserFixture.ScreenshotAsync(page, "60-portfolio-dashboard");

        // The monitoring column of wetland opens the list of exactly the monitored project.
        await wetland.Locator("td[data-group=D] a").ClickAsync();
        await Expect(page.GetByTestId("portfolio-filters")).ToContainTextAsync("siteEcosystemType=wetland");
        await Expect(page.Locator("[data-testid=projects] tbody tr")).ToHaveCountAsync(1);
        await Expect(page.Locator($"[data-testid=projects] a[href='/Projects/{monitored}']")).ToBeVisibleAsync();

        var zh = await browser.SignInAsync(app.BaseAddress, DemoUsers.Approver1, "zh-CN");
        await zh.GotoAsync("/Portfolio");
        await Expect(zh.Locator("h1")).ToHaveTextAsync("项目组合");
        await Expect(zh.GetByTestId("portfolio-map")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("map-ready"), new() { Timeout = 20_000 });
        await zh.WaitForTimeoutAsync(500); // the map's zoom animation after fitting the dots
        await BrowserFixture.ScreenshotAsync(zh, "61-portfolio-dashboard-zh-Hans");
    }
}
