using Microsoft.Playwright;
using RestorationWorkflow.IntegrationTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace RestorationWorkflow.IntegrationTests.Browser;

/// <summary>
/// Step D through the browser: the manager of a project in Evaluation enters a measurement and sees the chart and the
/// target's status change; records the cycle's evaluation with the stakeholders consulted; takes the decision to
/// continue monitoring and sees the project move to Monitoring, the decision listed on the project page; then records
/// a lesson and finds it on /Lessons. The evaluation page reads in Chinese too.
/// </summary>
public sealed class EvaluationBrowserTests(KestrelAppFactory app, BrowserFixture browser) : IClassFixture<KestrelAppFactory>, IClassFixture<BrowserFixture>
{
    [BrowserFact]
    public async Task Manager_MeasuresEvaluatesAndDecides_TheProjectMoves()
    {
        _ = app.BaseAddress;
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        var (id, biomass, _, version) = await pm.MonitoredProjectAsync(app, "Evaluation");
        await pm.AddParticipationAsync(id, PeopleApi.Participation(version, "D1", women: 14, men: 11, otherGender: 0));
        var page = await browser.SignInAsync(app.BaseAddress, DemoUsers.Pm);

        // D1 monitoring results: a measurement on the trajectory.
        await page.GotoAsync($"/Projects/{id}/Targets/{biomass}/Measurements");
        await Expect(page.GetByTestId("progress-status")).ToHaveAttributeAsync("data-status", "noData");
        await page.GetByTestId("measurement-date").FillAsync("2026-06-01");
        await page.GetByTestId("measurement-value").FillAsync("43.3");
        await page.GetByTestId("measurement-method").FillAsync("Ten permanent plots");
        await page.GetByTestId("measurement-by").FillAsync("Achieng Wanjiru");
        await page.GetByTestId("save-measurement").ClickAsync();
        await Expect(page.GetByTestId("progress-status")).ToHaveAttributeAsync("data-status", "onTrack");
        await ExpectChartLoadedAsync(page.GetByTestId("progress-chart"));
        await BrowserFixture.ScreenshotAsync(page, "50-evaluation-measurement");

        // The project page says what the cycle needs and leads to the evaluation.
        await page.GotoAsync($"/Projects/{id}#evaluation");
        await Expect(page.GetByTestId("project-state")).ToHaveAttributeAsync("data-state", "Evaluation");
        await Expect(page.GetByTestId("evaluation-cycle")).ToContainTextAsync("evaluation to record");
        await page.GetByTestId("open-evaluation").ClickAsync();

        // Every decision waits for the evaluation; closing also names the unmet D1–D3 checklist.
        await Expect(page.GetByTestId("decision-reasons-continueMonitoring")).ToContainTextAsync("Record the evaluation of cycle 1 first.");
        await Expect(page.GetByTestId("decision-reasons-close")).ToContainTextAsync("D1");

        await page.GetByTestId("evaluation-effectiveness").FillAsync("Biomass rose on 8 of 10 plots.");
        await page.GetByTestId("evaluation-impact").FillAsync("The riparian canopy is closing; the water table rose.");
        await page.GetByTestId("evaluation-cost").FillAsync("180000");
        await page.GetByTestId("evaluation-currency").FillAsync("KES");
        await page.GetByTestId("benefit-category-0").SelectOptionAsync("jobsAndLivelihoods");
        await page.GetByTestId("benefit-value-0").FillAsync("28");
        await page.GetByTestId("benefit-unit-0").FillAsync("jobs");
        await page.GetByTestId("evaluation-socio").FillAsync("Two women's groups run tree nurseries.");
        await page.GetByTestId("evaluation-consultation").SelectOptionAsync(new SelectOptionValue { Index = 1 });
        await page.GetByTestId("evaluation-unintended").FillAsync("Grazing moved to the neighbouring slope.");
        await page.GetByTestId("save-evaluation").ClickAsync();
        await Expect(page.Locator(".flash")).ToHaveTextAsync("The evaluation is saved.");
        await Expect(page.Locator("[data-decision=continueMonitoring]")).ToHaveAttributeAsync("data-allowed", "true");
        await BrowserFixture.ScreenshotAsync(page, "51-evaluation-recorded");

        await page.GetByTestId("decision-continueMonitoring").CheckAsync();
        await page.GetByTestId("decision-rationale").FillAsync("Both targets on track; measure again next season.");
        await page.GetByTestId("take-decision").ClickAsync();

        await Expect(page.GetByTestId("project-state")).ToHaveAttributeAsync("data-state", "Monitoring");
        await Expect(page.GetByTestId("decision-row")).ToHaveAttributeAsync("data-decision", "continueMonitoring");
        await page.GetByTestId("evaluation").ScrollIntoViewIfNeededAsync();
        await page.GetByTestId("evaluation").ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "52-project-evaluation-section.png") });
        await page.Locator("header.topbar + main .project-head, main h1").First.ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "52-project-moved.png") });

        // D3: a lesson, found across projects.
        await page.GetByTestId("add-lesson").ClickAsync();
        await page.GetByTestId("lesson-topic").SelectOptionAsync("monitoring");
        await page.GetByTestId("lesson-worked").FillAsync("Permanent plots gave comparable series.");
        await page.GetByTestId("lesson-not").FillAsync("Two plots were grazed before the survey.");
        await page.GetByTestId("lesson-recommendation").FillAsync("Fence permanent plots from the first season.");
        await page.GetByTestId("save-lesson").ClickAsync();
        await Expect(page.GetByTestId("lesson-item")).ToContainTextAsync("Fence permanent plots");
        await page.GotoAsync("/Lessons?q=permanent+plots&topic=monitoring");
        await Expect(page.Locator($"[data-testid=lesson-row][data-project='{id}']")).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "53-lessons");

        var zh = await browser.SignInAsync(app.BaseAddress, DemoUsers.Pm, "zh-CN");
        await zh.GotoAsync($"/Projects/{id}/Evaluation");
        await Expect(zh.Locator("h1")).ToHaveTextAsync("评价和适应性管理");
        await Expect(zh.GetByTestId("evaluation-decision")).ToContainTextAsync("继续监测");
        await BrowserFixture.ScreenshotAsync(zh, "54-evaluation-zh-Hans");
    }

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
