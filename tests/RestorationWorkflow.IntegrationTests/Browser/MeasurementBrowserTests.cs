using Microsoft.Playwright;
using RestorationWorkflow.IntegrationTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace RestorationWorkflow.IntegrationTests.Browser;

/// <summary>
/// Monitoring results through the browser: the manager opens a target's results from the project page, enters a
/// measurement, sees it in the chart (an SVG the app draws) and the target's status change; then a second, lower one
/// turns the status off track, on the project page too. The same page reads in Chinese.
/// </summary>
public sealed class MeasurementBrowserTests(KestrelAppFactory app, BrowserFixture browser) : IClassFixture<KestrelAppFactory>, IClassFixture<BrowserFixture>
{
    [BrowserFact]
    public async Task Manager_EntersAMeasurement_SeesTheChartAndTheStatusChange()
    {
        _ = app.BaseAddress;
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        var (id, biomass, _, _) = await pm.MonitoredProjectAsync(app);
        var page = await browser.SignInAsync(app.BaseAddress, DemoUsers.Pm);

        await page.GotoAsync($"/Projects/{id}#targets");
        var status = page.Locator($"[data-target='{biomass}'] [data-testid=target-status]");
        await Expect(status).ToHaveAttributeAsync("data-status", "noData");
        await page.Locator($"[data-target='{biomass}'] [data-testid=target-measurements]").ClickAsync();
        await Expect(page.GetByTestId("progress-status")).ToHaveTextAsync("No data");

        await page.GetByTestId("measurement-date").FillAsync("2026-06-01");
        await page.GetByTestId("measurement-value").FillAsync("43.3");
        await page.GetByTestId("measurement-method").FillAsync("Ten permanent plots, destructive sampling");
        await page.GetByTestId("measurement-by").FillAsync("Achieng Wanjiru");
        await page.GetByTestId("save-measurement").ClickAsync();

        await Expect(page.GetByTestId("measurement-row")).ToHaveCountAsync(1);
        await Expect(page.GetByTestId("progress-status")).ToHaveAttributeAsync("data-status", "onTrack");
        await Expect(page.GetByTestId("progress-status")).ToHaveTextAsync("On track");
        await ExpectChartLoadedAsync(page.GetByTestId("progress-chart"));
        await BrowserFixture.ScreenshotAsync(page, "40-measurement-on-track");

        // A second measurement, far below the trajectory.
        await page.GetByTestId("measurement-date").FillAsync("2026-09-01");
        await page.GetByTestId("measurement-value").FillAsync("40.2");
        await page.GetByTestId("measurement-method").FillAsync("Ten permanent plots");
        await page.GetByTestId("measurement-by").FillAsync("Achieng Wanjiru");
        await page.GetByTestId("save-measurement").ClickAsync();
        await Expect(page.GetByTestId("measurement-row")).ToHaveCountAsync(2);
        await Expect(page.GetByTestId("progress-status")).ToHaveAttributeAsync("data-status", "offTrack");
        await BrowserFixture.ScreenshotAsync(page, "41-measurement-off-track");

        await page.GotoAsync($"/Projects/{id}#targets");
        await Expect(status).ToHaveAttributeAsync("data-status", "offTrack");
        await ExpectChartLoadedAsync(page.Locator($"[data-target='{biomass}'] [data-testid=target-chart]"));
        await page.GetByTestId("targets").ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "42-project-targets-with-status.png") });

        var zh = await browser.SignInAsync(app.BaseAddress, DemoUsers.Pm, "zh-CN");
        await zh.GotoAsync($"/Projects/{id}/Targets/{biomass}/Measurements");
        await Expect(zh.GetByTestId("progress-status")).ToHaveTextAsync("偏离目标");
        await Expect(zh.Locator("h1")).ToHaveTextAsync("监测结果");
        await BrowserFixture.ScreenshotAsync(zh, "43-measurement-zh-Hans");
    }

    /// <summary>The image was fetched and decoded (an SVG from the app, not a broken image).</summary>
    private static async Task ExpectChartLoadedAsync(ILocator image)
    {
        await image.ScrollIntoViewIfNeededAsync();
        await Expect(image).ToBeVisibleAsync();
        var width = 0;
        for (var attempt = 0; attempt < 50 && width == 0; attempt++)
        {
            width = await image.EvaluateAsync<int>("img => img.complete ? img.naturalWidth : 0");
            if (width == 0)
                await Task.Delay(100);
        }
        Assert.True(width > 0, "The chart did not load.");
    }
}
