using Microsoft.Playwright;
using RestorationWorkflow.IntegrationTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace RestorationWorkflow.IntegrationTests.Browser;

/// <summary>
/// The project page's "Monitoring schedule" in a browser, in English and Chinese: a project started in 2019 whose
/// plan is approved is past Implementation's window (years 3–6), so the page warns; its manager records a review of a
/// target from the section's form, and the review moves that target's next date a year after the review.
/// </summary>
public sealed class ScheduleBrowserTests(KestrelAppFactory app, BrowserFixture browser) : IClassFixture<KestrelAppFactory>, IClassFixture<BrowserFixture>
{
    [BrowserFact]
    public async Task TheManagerRecordsAReviewFromTheSchedule_WhichShowsDueItemsRemindersAndTheWindowWarning_InEnglishAndChinese()
    {
        _ = app.BaseAddress; // starts Kestrel before the API clients
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        using var approver1 = await app.ClientForAsync(DemoUsers.Approver1);
        using var approver2 = await app.ClientForAsync(DemoUsers.Approver2);
        var request = SafeguardsApi.ProjectRequest("forest");
        request["name"] = "Mau forest springs";
        request["startDate"] = "2019-01-01";
        request["lifespanYears"] = 20;
        var id = await pm.CreateProjectWithAsync(request);
        await pm.ToPlanReviewAsync(approver1, id);
        await approver1.ApprovePlanAsync(approver2, id);

        var page = await browser.SignInAsync(app.BaseAddress, DemoUsers.Pm);
        await page.GotoAsync($"/Projects/{id}");
        await Expect(page.GetByTestId("project-state")).ToHaveAttributeAsync("data-state", "Implementation");
        await Expect(page.GetByTestId("step-window-warning")).ToBeVisibleAsync();
        var schedule = page.GetByTestId("schedule");
        await Expect(schedule.Locator("tr[data-kind=stepWindow] [data-testid=overdue-badge]")).ToBeVisibleAsync();
        await Expect(schedule.Locator("tr[data-kind=targetMonitoring]")).ToHaveCountAsync(2);
        await Expect(schedule.Locator("tr[data-kind=planReview]")).ToHaveCountAsync(1);

        var form = page.GetByTestId("record-review-form");
        await form.GetByTestId("review-subject").SelectOptionAsync(new SelectOptionValue { Label = "Vegetation biomass" });
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        await form.GetByTestId("review-date").FillAsync(today.AddDays(-3).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        await form.GetByTestId("review-summary").FillAsync("Biomass plots re-measured with the community forest association: +8 %.");
        await form.GetByTestId("record-review").ClickAsync();
        await Expect(page.Locator(".flash[role=status]")).ToBeVisibleAsync();
        await Expect(schedule.GetByTestId("reviews")).ToContainTextAsync("+8 %");
        var next = today.AddDays(-3).AddMonths(12).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        await Expect(schedule.Locator($"tr[data-kind=targetMonitoring][data-due='{next}']")).ToHaveCountAsync(1);
        await schedule.ScrollIntoViewIfNeededAsync();
        await schedule.ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "40-schedule-en.png") });

        var zh = await browser.SignInAsync(app.BaseAddress, DemoUsers.Pm, "zh-CN");
        await zh.GotoAsync($"/Projects/{id}");
        var section = zh.GetByTestId("schedule");
        await Expect(section.Locator("h2")).ToHaveTextAsync("监测日程");
        await Expect(zh.GetByTestId("step-window-warning")).ToContainTextAsync("指示性时间窗");
        await Expect(section.GetByTestId("record-review")).ToHaveTextAsync("记录审查");
        await section.ScrollIntoViewIfNeededAsync();
        await section.ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "40-schedule-zh.png") });
    }
}
