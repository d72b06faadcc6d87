using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace RestorationWorkflow.IntegrationTests.Browser;

/// <summary>
/// A project manager creates a project, starts the assessment, fills in the A1 and A2 forms, settles A3–A6 through
/// the checklist, watches the disabled action's reason disappear, and submits the assessment for consent review.
/// </summary>
public sealed class ProjectWorkflowBrowserTests(KestrelAppFactory app, BrowserFixture browser) : IClassFixture<KestrelAppFactory>, IClassFixture<BrowserFixture>
{
    [BrowserFact]
    public async Task ProjectManager_CompletesAssessmentThroughChecklist_AndSubmitsToConsentReview()
    {
        var page = await browser.NewPageAsync(app.BaseAddress);
        await page.GotoAsync("/Account/Login");
        await page.GetByLabel("E-mail").FillAsync("pm@example.org");
        await page.GetByLabel("Password").FillAsync(Infrastructure.AppFactory.DemoPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByTestId("whoami")).ToContainTextAsync("Pat Manager");

        // Create the project through the form.
        await page.Locator("[data-nav=new-project]").ClickAsync();
        await page.GetByLabel("Name").FillAsync("Mau Forest wetland corridor");
        await page.GetByLabel("Description").FillAsync("Restore the riparian wetland linking two forest blocks; drivers: grazing and drainage.");
        await page.GetByLabel("Country (ISO code, e.g. KE, CN)").FillAsync("KE");
        await page.GetByTestId("eco-wetland").CheckAsync();
        await page.GetByTestId("eco-forest").CheckAsync();
        await page.GetByLabel("Area (hectares)").FillAsync("1250.5");
        await BrowserFixture.ScreenshotAsync(page, "10-new-project");
        await page.GetByTestId("create-project").ClickAsync();

        await Expect(page.GetByTestId("project-name")).ToHaveTextAsync("Mau Forest wetland corridor");
        await Expect(page.GetByTestId("project-state")).ToHaveAttributeAsync("data-state", "Draft");

        // Draft → Assessment.
        await page.GetByTestId("action-StartAssessment").ClickAsync();
        await Expect(page.GetByTestId("project-state")).ToHaveAttributeAsync("data-state", "Assessment");

        // Submitting is disabled, and says why: A1–A6 are open.
        var submit = page.GetByTestId("action-SubmitAssessment");
        await Expect(submit).ToBeDisabledAsync();
        var reasons = page.GetByTestId("reasons-SubmitAssessment");
        await Expect(reasons).ToContainTextAsync("A1, A2, A3, A4, A5, A6");
        await BrowserFixture.ScreenshotAsync(page, "11-assessment-blocked");

        // A1 through its form: fields rendered from the schema, saved, and the checklist shows the form complete.
        await page.GetByTestId("form-A1").ClickAsync();
        await Expect(page.GetByTestId("form-status")).ToHaveAttributeAsync("data-status", "empty");
        await page.Locator("#values-extentHectares").FillAsync("1250.5");
        await page.Locator("input[name='values.ecosystemTypes'][value='wetland']").CheckAsync();
        await page.Locator("#values-degradationType").SelectOptionAsync("both");
        await page.Locator("#values-degree").SelectOptionAsync("severe");
        await page.Locator("#values-location").FillAsync("Riparian strip between the two forest blocks.");
        await page.Locator("input[name='values.drivers'][value='overExploitation']").CheckAsync();
        await page.Locator("input[name='values.drivers'][value='landUseChange']").CheckAsync();
        await BrowserFixture.ScreenshotAsync(page, "11a-form-A1");
        await page.GetByTestId("save-form").ClickAsync();
        await Expect(page.GetByTestId("form-status")).ToHaveAttributeAsync("data-status", "complete");
        await page.GetByRole(AriaRole.Link, new() { Name = "Mau Forest wetland corridor" }).ClickAsync();
        await Expect(page.GetByTestId("form-status-A1")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("status-complete"));
        await Expect(page.GetByTestId("reasons-SubmitAssessment")).Not.ToContainTextAsync("A1");

        // A2 through its form: a partial save is in progress, then complete.
        await page.GetByTestId("form-A2").ClickAsync();
        await page.Locator("#values-biodiversityPriority").SelectOptionAsync("true");
        await page.GetByTestId("save-form").ClickAsync();
        await Expect(page.GetByTestId("form-status")).ToHaveAttributeAsync("data-status", "inProgress");
        await page.Locator("#values-ecosystemServices").SelectOptionAsync("true");
        await page.Locator("#values-protectedAreaConnectivity").SelectOptionAsync("false");
        await page.Locator("#values-justification").FillAsync("Links two forest blocks; supplies water downstream.");
        await page.GetByTestId("save-form").ClickAsync();
        await Expect(page.GetByTestId("form-status")).ToHaveAttributeAsync("data-status", "complete");
        await page.GetByRole(AriaRole.Link, new() { Name = "Mau Forest wetland corridor" }).ClickAsync();

        // A3 (no form) done; A4–A6 not applicable with a reason; the reason shrinks as steps are settled.
        await page.GetByTestId("status-A3").SelectOptionAsync("done");
        await page.GetByTestId("note-A3").FillAsync("Consent recorded in the site file.");
        await page.GetByTestId("save-A3").ClickAsync();
        await Expect(page.Locator("tr[data-code=A3]")).ToHaveClassAsync("status-done");
        foreach (var code in new[] { "A4", "A5", "A6" })
        {
            await page.GetByTestId($"status-{code}").SelectOptionAsync("notApplicable");
            await page.GetByTestId($"note-{code}").FillAsync($"Covered by the national programme ({code}).");
            await page.GetByTestId($"save-{code}").ClickAsync();
            await Expect(page.Locator($"tr[data-code={code}]")).ToHaveClassAsync("status-notapplicable");
        }

        await Expect(page.GetByTestId("reasons-SubmitAssessment")).ToHaveCountAsync(0);
        await Expect(submit).ToBeEnabledAsync();
        await BrowserFixture.ScreenshotAsync(page, "12-assessment-complete");

        await submit.ClickAsync();
        await Expect(page.GetByTestId("project-state")).ToHaveAttributeAsync("data-state", "ConsentReview");
        // The manager cannot approve their own consent review: the approver's actions are disabled for them.
        await Expect(page.GetByTestId("action-ApproveConsent")).ToBeDisabledAsync();
        await Expect(page.GetByTestId("history")).ToContainTextAsync("Pat Manager");
        await BrowserFixture.ScreenshotAsync(page, "13-consent-review");

        // The state diagram is drawn (by the vendored Mermaid) with the current state highlighted.
        var diagram = page.GetByTestId("diagram");
        await Expect(diagram.Locator("svg")).ToBeVisibleAsync();
        await Expect(diagram.Locator("svg g.current")).ToHaveCountAsync(1);
        await diagram.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "14-diagram.png") });
    }
}
