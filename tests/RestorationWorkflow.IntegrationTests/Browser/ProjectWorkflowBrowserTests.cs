using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace RestorationWorkflow.IntegrationTests.Browser;

/// <summary>
/// A project manager creates a project, uploads a site and sees it on the map, starts the assessment, fills in the A1, A2 and A4–A6 forms, settles A3 through
/// the checklist, records an IPLC stakeholder, a participation event counted by gender and their consent, watches the disabled action's reason disappear, and submits the assessment for consent review.
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
        // The whole registry can be filled in at creation.
        await page.GetByLabel("Project code").FillAsync("KE-MAU-01");
        await page.GetByLabel("Sub-national region").FillAsync("Nakuru County");
        await page.GetByLabel("Scale").SelectOptionAsync("subNational");
        await page.GetByLabel("Situation").SelectOptionAsync("identifiedConsidered");
        await page.GetByLabel("Start date").FillAsync("2027-01-01");
        await page.GetByLabel("Planned lifespan (years)").FillAsync("10");
        await page.GetByLabel("Budget").FillAsync("2500000");
        await page.GetByLabel("Currency (ISO 4217, e.g. KES, CNY, USD)").FillAsync("KES");
        await page.GetByLabel("Lead organisation").FillAsync("Kenya Forest Service");
        await BrowserFixture.ScreenshotAsync(page, "10-new-project");
        await page.GetByTestId("create-project").ClickAsync();

        await Expect(page.GetByTestId("project-name")).ToHaveTextAsync("Mau Forest wetland corridor");
        await Expect(page.GetByTestId("project-code")).ToHaveTextAsync("KE-MAU-01");
        await Expect(page.GetByTestId("project-situation")).ToHaveTextAsync("Degraded, identified and considered for restoration");
        await Expect(page.GetByTestId("project-budget")).ToContainTextAsync("2,500,000.00 KES");
        await Expect(page.GetByTestId("registry")).ToContainTextAsync("Kenya Forest Service");
        await Expect(page.GetByTestId("registry")).ToContainTextAsync("Nakuru County");
        await Expect(page.GetByTestId("project-state")).ToHaveAttributeAsync("data-state", "Draft");

        // A site uploaded as GeoJSON, then seen on the project's map over the country outlines.
        await page.GetByTestId("add-site").ClickAsync();
        await page.GetByTestId("site-name").FillAsync("Riparian corridor");
        await page.GetByTestId("site-ecosystem").SelectOptionAsync("wetland");
        await page.GetByTestId("site-tenure").SelectOptionAsync("communalCustomary");
        await page.GetByTestId("site-declared").FillAsync("12300");
        await page.GetByTestId("site-file").SetInputFilesAsync(new FilePayload
        {
            Name = "corridor.geojson",
            MimeType = "application/geo+json",
            Buffer = System.Text.Encoding.UTF8.GetBytes("""{"type":"Polygon","coordinates":[[[35.60,-0.60],[35.70,-0.60],[35.70,-0.50],[35.60,-0.50],[35.60,-0.60]]]}"""),
        });
        await page.GetByTestId("save-site").ClickAsync();
        await Expect(page.GetByTestId("sites-table").Locator("tbody tr")).ToHaveCountAsync(1);
        var map = page.GetByTestId("sites-map");
        await Expect(map).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("map-ready"));
        await Expect(map.Locator(".leaflet-overlay-pane path.leaflet-interactive")).ToHaveCountAsync(1);
        await map.ScrollIntoViewIfNeededAsync();
        await map.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "10a-site-on-the-map.png") });
        await page.GotoAsync(page.Url.Split('#')[0]);

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

        // A4, A5 and A6 through their forms.
        await page.GetByTestId("form-A4").ClickAsync();
        await page.Locator("#values-estimatedCost").FillAsync("250000");
        await page.Locator("#values-currency").FillAsync("USD");
        await page.Locator("select[name='values.benefits[0].category']").SelectOptionAsync("jobsAndLivelihoods");
        await page.Locator("input[name='values.benefits[0].estimate']").FillAsync("40");
        await page.Locator("input[name='values.benefits[0].unit']").FillAsync("jobs");
        await page.GetByTestId("save-form").ClickAsync();
        await Expect(page.GetByTestId("form-status")).ToHaveAttributeAsync("data-status", "complete");
        await page.GetByRole(AriaRole.Link, new() { Name = "Mau Forest wetland corridor" }).ClickAsync();

        await page.GetByTestId("form-A5").ClickAsync();
        await page.Locator("#values-frameworks").FillAsync("Wetland Act 2013; county spatial plan.");
        await page.Locator("#values-financialResources").FillAsync("County budget line, GEF grant.");
        await page.Locator("#values-technicalResources").FillAsync("University hydrology lab.");
        await page.Locator("#values-gaps").FillAsync("No funding for years 4–6.");
        await page.GetByTestId("save-form").ClickAsync();
        await Expect(page.GetByTestId("form-status")).ToHaveAttributeAsync("data-status", "complete");
        await page.GetByRole(AriaRole.Link, new() { Name = "Mau Forest wetland corridor" }).ClickAsync();

        await page.GetByTestId("form-A6").ClickAsync();
        await page.Locator("select[name='values.measures[0].driver']").SelectOptionAsync("landUseChange");
        await page.Locator("[name='values.measures[0].measure']").FillAsync("Block the drainage ditches.");
        await page.Locator("#values-baseline").FillAsync("Water table 10 cm below surface, 60 % sedge cover.");
        await page.Locator("#values-preDegradation").SelectOptionAsync("true");
        await page.Locator("#values-baselineSource").FillAsync("1975 survey maps.");
        await page.Locator("#values-baselineSetBy").FillAsync("County ecologists with the village council.");
        await page.GetByTestId("save-form").ClickAsync();
        await Expect(page.GetByTestId("form-status")).ToHaveAttributeAsync("data-status", "complete");
        await page.GetByRole(AriaRole.Link, new() { Name = "Mau Forest wetland corridor" }).ClickAsync();

        // A3 (no form yet) ticked done with a note; the reason shrinks to nothing.
        await Expect(page.GetByTestId("reasons-SubmitAssessment")).ToContainTextAsync("A3");
        await page.GetByTestId("status-A3").SelectOptionAsync("done");
        await page.GetByTestId("note-A3").FillAsync("Consent recorded in the site file.");
        await page.GetByTestId("save-A3").ClickAsync();
        await Expect(page.Locator("tr[data-code=A3]")).ToHaveClassAsync("status-done");

        // v2 asks for participation in A2/A3, counted by gender, and for the consent of every IPLC stakeholder.
        await Expect(page.GetByTestId("reasons-SubmitAssessment")).ToContainTextAsync("participation event");
        await page.GetByTestId("add-stakeholder").ClickAsync();
        await page.GetByTestId("stakeholder-name").FillAsync("Ogiek community of Mariashoni");
        await page.GetByTestId("stakeholder-group").SelectOptionAsync("indigenousPeople");
        await page.GetByTestId("stakeholder-iplc").CheckAsync();
        await page.GetByTestId("stakeholder-contact").FillAsync("Council elder, +254 711 000 111");
        await page.GetByTestId("save-stakeholder").ClickAsync();
        await Expect(page.GetByTestId("stakeholders-table")).ToContainTextAsync("Ogiek community of Mariashoni");
        await Expect(page.GetByTestId("reasons-SubmitAssessment")).ToContainTextAsync("consent");

        await page.GetByTestId("add-participation").ClickAsync();
        await page.GetByTestId("participation-date").FillAsync("2026-04-01");
        await page.GetByTestId("participation-step").SelectOptionAsync("A3");
        await page.GetByTestId("participation-method").FillAsync("Village assembly");
        await page.GetByTestId("participation-purpose").FillAsync("Present the assessment and seek prior and informed consent.");
        await page.GetByTestId("participation-women").FillAsync("18");
        await page.GetByTestId("participation-men").FillAsync("15");
        await page.GetByTestId("participation-other").FillAsync("0");
        await page.GetByTestId("participation-iplc").FillAsync("30");
        await page.GetByTestId("participation-non-iplc").FillAsync("3");
        await page.GetByTestId("participation-outcome").FillAsync("The assembly agreed to the assessment and to planning.");
        await BrowserFixture.ScreenshotAsync(page, "12a-participation");
        await page.GetByTestId("save-participation").ClickAsync();
        await Expect(page.GetByTestId("participation-table")).ToContainTextAsync("Village assembly");

        await page.GetByTestId("add-consent").ClickAsync();
        await page.GetByTestId("consent-stakeholder").SelectOptionAsync(new SelectOptionValue { Label = "Ogiek community of Mariashoni" });
        await page.GetByTestId("consent-scope-assessment").CheckAsync();
        await page.GetByTestId("consent-scope-plan").CheckAsync();
        await page.GetByTestId("consent-scope-implementation").CheckAsync();
        await page.GetByTestId("consent-outcome").SelectOptionAsync("granted");
        await page.GetByTestId("consent-date").FillAsync("2026-04-02");
        await page.GetByTestId("save-consent").ClickAsync();
        await Expect(page.GetByTestId("consents-table")).ToContainTextAsync("Ogiek community of Mariashoni");
        await BrowserFixture.ScreenshotAsync(page, "12b-people");

        await Expect(page.GetByTestId("reasons-SubmitAssessment")).ToHaveCountAsync(0);
        await Expect(submit).ToBeEnabledAsync();
        await BrowserFixture.ScreenshotAsync(page, "12-assessment-complete");

        await submit.ClickAsync();
        await Expect(page.GetByTestId("project-state")).ToHaveAttributeAsync("data-state", "ConsentReview");
        // The manager cannot approve their own consent review: the Approvals section offers them no decision and
        // says why (separation of duties); the Actions section has no approve button any more.
        await Expect(page.GetByTestId("action-ApproveConsent")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("approve-consent")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("why-not-consent")).ToContainTextAsync("You submitted this for review");
        await Expect(page.GetByTestId("why-not-consent")).ToContainTextAsync("Members of the project team may not decide");
        await Expect(page.GetByTestId("request-consent-1")).ToHaveAttributeAsync("data-status", "open");
        await Expect(page.GetByTestId("history")).ToContainTextAsync("Pat Manager");
        await BrowserFixture.ScreenshotAsync(page, "13-consent-review");

        // The state diagram is drawn (by the vendored Mermaid) with the current state highlighted.
        var diagram = page.GetByTestId("diagram");
        await Expect(diagram.Locator("svg")).ToBeVisibleAsync();
        await Expect(diagram.Locator("svg g.current")).ToHaveCountAsync(1);
        await diagram.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "14-diagram.png") });
    }
}
