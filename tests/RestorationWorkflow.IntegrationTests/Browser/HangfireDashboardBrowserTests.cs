using Microsoft.Playwright;
using RestorationWorkflow.IntegrationTests.Infrastructure;

namespace RestorationWorkflow.IntegrationTests.Browser;

/// <summary>
/// The Hangfire dashboard in a real browser under the site's Content-Security-Policy: it renders, its script runs
/// (no violation), and an administrator triggers the reminder scan from it (its antiforgery-protected POST works).
/// </summary>
public sealed class HangfireDashboardBrowserTests(BrowserFixture browser, KestrelAppFactory app)
    : IClassFixture<BrowserFixture>, IClassFixture<KestrelAppFactory>
{
    [BrowserFact]
    public async Task Administrator_SeesTheReminderJobs_AndTriggersTheScan_WithoutAPolicyViolation()
    {
        var page = await browser.SignInAsync(app.BaseAddress, DemoUsers.Admin);
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
                errors.Add(message.Text);
        };
        page.PageError += (_, error) => errors.Add(error);

        await page.GotoAsync("/hangfire/recurring");
        var scan = page.Locator("tr", new PageLocatorOptions { HasText = "reminders-scan" });
        await Assertions.Expect(scan).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("tr", new PageLocatorOptions { HasText = "reminders-weekly-digest" })).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "hangfire-recurring");

        // The dashboard's script enables the buttons once a row is selected: it ran.
        await scan.Locator("input[type=checkbox]").CheckAsync();
        var trigger = page.Locator("button[data-url$='/recurring/trigger']");
        await Assertions.Expect(trigger).ToBeEnabledAsync();
        // The script posts the trigger (with the antiforgery token), then reloads the page.
        var posted = await page.RunAndWaitForResponseAsync(() => trigger.ClickAsync(), r => r.Url.EndsWith("/recurring/trigger", StringComparison.Ordinal));
        Assert.Equal(204, posted.Status);
        // The reloaded page counts one job enqueued in the navigation (no background server runs in tests to take it).
        await Assertions.Expect(page.Locator("a[href='/hangfire/jobs/enqueued']").First).ToContainTextAsync("1");
        await BrowserFixture.ScreenshotAsync(page, "hangfire-triggered");

        Assert.Empty(errors);
    }
}
