using Microsoft.Playwright;
using RestorationWorkflow.IntegrationTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace RestorationWorkflow.IntegrationTests.Browser;

/// <summary>
/// The plan of a grassland project through the browser (workflow v2): the manager records the C3 participation event,
/// writes an environmental and a socio-economic SMART target and reads them back as sentences, answers the Appendix I
/// safeguard review with a justification for planting on grassland, an approver acknowledges that finding, and the
/// manager submits the plan for review.
/// </summary>
public sealed class PlanBrowserTests(KestrelAppFactory app, BrowserFixture browser) : IClassFixture<KestrelAppFactory>, IClassFixture<BrowserFixture>
{
    private Task<IPage> SignInAsync(string email) => browser.SignInAsync(app.BaseAddress, email);

    /// <summary>A grassland project through assessment and consent review, with B1–B9 and C1–C4 settled, through the API.</summary>
    private async Task<Guid> GrasslandProjectInPlanningAsync()
    {
        _ = app.BaseAddress;
        using var pm = await app.ClientForAsync("pm@example.org");
        using var approver = await app.ClientForAsync("approver1@example.org");
        var request = SafeguardsApi.ProjectRequest("grassland", "wetland");
        request["name"] = "Laikipia rangeland and springs";
        var id = await pm.CreateProjectWithAsync(request);
        var version = await pm.FireAsync(id, "StartAssessment", 1);
        version = await pm.CompleteStepsAsync(id, ProjectsApi.AssessmentSteps, version);
        version = await pm.FireAsync(id, "SubmitAssessment", version);
        version = await approver.DecideAsync(id, "consent", "approve", "Consent records verified.");
        await pm.CompleteStepsAsync(id, ProjectsApi.PlanSubmissionSteps, version, participation: false, targets: false);
        return id;
    }

    [BrowserFact]
    public async Task Manager_RecordsParticipation_WritesTwoTargets_AndASafeguardReview_ThenSubmitsThePlan()
    {
        var id = await GrasslandProjectInPlanningAsync();
        var page = await SignInAsync("pm@example.org");
        await page.GotoAsync($"/Projects/{id}");
        await Expect(page.GetByTestId("project-state")).ToHaveAttributeAsync("data-state", "Planning");

        // Each missing piece of the plan is named on the disabled action.
        var reasons = page.GetByTestId("reasons-SubmitPlan");
        await Expect(page.GetByTestId("action-SubmitPlan")).ToBeDisabledAsync();
        await Expect(reasons).ToContainTextAsync("participation event");
        await Expect(reasons).ToContainTextAsync("socio-economic target");

        // The C3 participation event, counted by gender.
        await page.GetByTestId("add-participation").ClickAsync();
        await page.GetByTestId("participation-date").FillAsync("2026-09-10");
        await page.GetByTestId("participation-step").SelectOptionAsync("C3");
        await page.GetByTestId("participation-method").FillAsync("Planning workshop with the herders' association");
        await page.GetByTestId("participation-purpose").FillAsync("Agree the plan's objectives and grazing rules.");
        await page.GetByTestId("participation-women").FillAsync("11");
        await page.GetByTestId("participation-men").FillAsync("14");
        await page.GetByTestId("participation-other").FillAsync("0");
        await page.GetByTestId("participation-iplc").FillAsync("20");
        await page.GetByTestId("participation-non-iplc").FillAsync("5");
        await page.GetByTestId("participation-outcome").FillAsync("Objectives agreed; rotational grazing accepted.");
        await page.GetByTestId("save-participation").ClickAsync();
        await Expect(page.GetByTestId("participation-table")).ToContainTextAsync("Planning workshop");

        // Two SMART targets, read back as sentences.
        await page.GetByTestId("add-target").ClickAsync();
        await page.GetByTestId("target-kind").SelectOptionAsync("environmental");
        await page.GetByTestId("target-indicator").SelectOptionAsync("vegetationBiomass");
        await page.GetByTestId("target-unit").FillAsync("t/ha");
        await page.GetByTestId("target-baseline-value").FillAsync("40");
        await page.GetByTestId("target-baseline-date").FillAsync("2025-06-01");
        await page.GetByTestId("target-baseline-source").FillAsync("2025 plot survey");
        await page.GetByTestId("target-action").SelectOptionAsync("increase");
        await page.GetByTestId("target-quantity").FillAsync("50");
        await page.GetByTestId("target-percent").CheckAsync();
        await page.GetByTestId("target-deadline").FillAsync("2031-06-30");
        await page.GetByTestId("target-monitoring").FillAsync("12");
        await BrowserFixture.ScreenshotAsync(page, "15-target-form");
        await page.GetByTestId("save-target").ClickAsync();
        await Expect(page.GetByTestId("targets")).ToContainTextAsync("Increase vegetation biomass by 50 % by 2031-06-30");

        await page.GetByTestId("add-target").ClickAsync();
        await page.GetByTestId("target-kind").SelectOptionAsync("socioEconomic");
        await page.GetByTestId("target-indicator").SelectOptionAsync("jobsCreated");
        await page.GetByTestId("target-unit").FillAsync("jobs");
        await page.GetByTestId("target-baseline-value").FillAsync("0");
        await page.GetByTestId("target-baseline-date").FillAsync("2025-06-01");
        await page.GetByTestId("target-baseline-source").FillAsync("County labour survey");
        await page.GetByTestId("target-action").SelectOptionAsync("increase");
        await page.GetByTestId("target-quantity").FillAsync("40");
        await page.GetByTestId("target-deadline").FillAsync("2030-12-31");
        await page.GetByTestId("target-monitoring").FillAsync("6");
        await page.GetByTestId("save-target").ClickAsync();
        await Expect(page.GetByTestId("targets")).ToContainTextAsync("Increase jobs created by 40 jobs by 2030-12-31");
        await Expect(page.GetByTestId("reasons-SubmitPlan")).Not.ToContainTextAsync("target");

        // The safeguard review: planting on grassland is a blocking finding until justified and acknowledged.
        await page.GetByTestId("safeguard-review-link").ClickAsync();
        await Expect(page.GetByTestId("seed-text-2")).ToBeVisibleAsync();
        for (var n = 1; n <= 9; n++)
        {
            await page.GetByTestId($"answer-{n}").SelectOptionAsync("addressed");
            await page.GetByTestId($"note-{n}").FillAsync($"Covered in section {n} of the plan.");
        }
        await page.GetByTestId("plans-planting").SelectOptionAsync("yes");
        await page.GetByTestId("planting-justification").FillAsync(
            "Only native shrubs along the two springs (0.4 ha), to hold the banks; the open grassland is left to natural regeneration.");
        await BrowserFixture.ScreenshotAsync(page, "16-safeguard-review");
        await page.GetByTestId("save-safeguards").ClickAsync();
        await page.GotoAsync($"/Projects/{id}");
        await Expect(page.GetByTestId("findings")).ToContainTextAsync("grassland");
        await Expect(page.GetByTestId("reasons-SubmitPlan")).ToContainTextAsync("grassland");
        await Expect(page.GetByTestId("action-SubmitPlan")).ToBeDisabledAsync();

        // An approver outside the team acknowledges the justified finding.
        var approverPage = await SignInAsync("approver1@example.org");
        await approverPage.GotoAsync($"/Projects/{id}");
        var acknowledge = approverPage.GetByTestId("acknowledge-grassland-planting");
        await acknowledge.Locator("textarea").FillAsync("Checked the spring map: planting is limited to the banks, native species only.");
        await acknowledge.Locator("button[type=submit]").ClickAsync();
        // Wait for the redirected page's content, not for a load event the click may already have raced past.
        await Expect(approverPage.GetByTestId("findings")).ToContainTextAsync("Acknowledged");
        await BrowserFixture.ScreenshotAsync(approverPage, "16a-acknowledged");

        // The plan now goes to review.
        await page.ReloadAsync();
        await Expect(page.GetByTestId("reasons-SubmitPlan")).ToHaveCountAsync(0);
        await BrowserFixture.ScreenshotAsync(page, "17-plan-ready");
        await page.GetByTestId("action-SubmitPlan").ClickAsync();
        await Expect(page.GetByTestId("project-state")).ToHaveAttributeAsync("data-state", "PlanReview");
        await SectionShotsAsync(page, "en");

        // The same sections in Chinese: the targets read as Chinese sentences, the safeguards carry the seed's text.
        await page.GetByTestId("lang-zh").ClickAsync();
        await Expect(page.GetByTestId("targets")).ToContainTextAsync("到 2031-06-30 将植被生物量增加 50%");
        await Expect(page.GetByTestId("safeguards")).ToContainTextAsync("草原和天然低林木植的生态系统");
        await SectionShotsAsync(page, "zh");
    }

    private static async Task SectionShotsAsync(IPage page, string language)
    {
        foreach (var section in new[] { "people", "targets", "safeguards" })
            await page.GetByTestId(section).ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, $"18-{section}-{language}.png") });
    }
}
