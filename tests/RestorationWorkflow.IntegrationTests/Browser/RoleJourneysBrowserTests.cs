using Microsoft.Playwright;
using RestorationWorkflow.IntegrationTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace RestorationWorkflow.IntegrationTests.Browser;

/// <summary>The other roles through the browser: an approver decides, an auditor checks, an administrator manages users.</summary>
public sealed class RoleJourneysBrowserTests(KestrelAppFactory app, BrowserFixture browser) : IClassFixture<KestrelAppFactory>, IClassFixture<BrowserFixture>
{
    private Task<IPage> SignInAsync(string email, string locale = "en-US") => browser.SignInAsync(app.BaseAddress, email, locale);

    /// <summary>A project submitted for consent review through the API, as a project manager would.</summary>
    private async Task<Guid> ProjectInConsentReviewAsync(string name)
    {
        // Start Kestrel first, so API clients get its real address.
        _ = app.BaseAddress;
        using var pm = await app.ClientForAsync("pm@example.org");
        var id = await pm.CreateProjectAsync(name);
        var version = await pm.FireAsync(id, "StartAssessment", 1);
        version = await pm.CompleteStepsAsync(id, ProjectsApi.AssessmentSteps, version);
        await pm.FireAsync(id, "SubmitAssessment", version);
        return id;
    }

    [BrowserFact]
    public async Task Approver_FindsProjectInReviewQueue_AndApprovesConsent()
    {
        var id = await ProjectInConsentReviewAsync("Loess plateau grassland");
        var page = await SignInAsync("approver1@example.org");

        await page.Locator("[data-nav=reviews]").ClickAsync();
        await Expect(page.GetByTestId("projects")).ToContainTextAsync("Loess plateau grassland");
        await BrowserFixture.ScreenshotAsync(page, "20-review-queue");
        await page.GetByRole(AriaRole.Link, new() { Name = "Loess plateau grassland" }).ClickAsync();

        // The approver sees the decision buttons enabled; the manager's work actions are not theirs.
        await Expect(page.GetByTestId("action-ApproveConsent")).ToBeEnabledAsync();
        await Expect(page.GetByTestId("checklist").Locator("select")).ToHaveCountAsync(0);
        await page.GetByTestId("action-ApproveConsent").ClickAsync();
        await Expect(page.GetByTestId("project-state")).ToHaveAttributeAsync("data-state", "Planning");
        await Expect(page.GetByTestId("history")).ToContainTextAsync("Alex Approver");
        await BrowserFixture.ScreenshotAsync(page, "21-approved");

        // And the queue no longer lists it.
        await page.Locator("[data-nav=reviews]").ClickAsync();
        await Expect(page.GetByTestId("no-projects")).ToBeVisibleAsync();

        // The decision is the stored state, not only what the page shows.
        using var auditor = await app.ClientForAsync("auditor@example.org");
        var project = await auditor.GetProjectAsync(id);
        Assert.Equal("Planning", project.GetProperty("state").GetString());
    }

    [BrowserFact]
    public async Task Approver_RejectingWithoutComment_IsRefused_ThenWithCommentReturnsToAssessment()
    {
        await ProjectInConsentReviewAsync("Mangrove belt, Zhanjiang");
        var page = await SignInAsync("approver2@example.org", "zh-CN");
        await page.Locator("[data-nav=reviews]").ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Mangrove belt, Zhanjiang" }).ClickAsync();

        var reject = page.Locator("form[data-trigger=RejectConsent]");
        // The browser asks for the comment; the server refuses it too when the browser's check is bypassed.
        await reject.Locator("textarea").EvaluateAsync("t => t.removeAttribute('required')");
        await reject.Locator("button").ClickAsync();
        await Expect(page.GetByTestId("action-errors")).ToContainTextAsync("必须填写意见");
        await Expect(page.GetByTestId("project-state")).ToHaveAttributeAsync("data-state", "ConsentReview");

        reject = page.Locator("form[data-trigger=RejectConsent]");
        await reject.Locator("textarea").FillAsync("社区会议记录缺少妇女代表的签字，请补充。");
        await reject.Locator("button").ClickAsync();
        await Expect(page.GetByTestId("project-state")).ToHaveAttributeAsync("data-state", "Assessment");
        await Expect(page.GetByTestId("history")).ToContainTextAsync("社区会议记录缺少妇女代表的签字");
        await Expect(page.GetByTestId("diagram").Locator("svg g.current")).ToHaveCountAsync(1);
        await BrowserFixture.ScreenshotAsync(page, "22-rejected-zh");
    }

    [BrowserFact]
    public async Task Auditor_SeesEveryChainIntact_AndCannotEdit()
    {
        await ProjectInConsentReviewAsync("Sahel farmland regreening");
        var page = await SignInAsync("auditor@example.org");
        await page.Locator("[data-nav=audit]").ClickAsync();
        var row = page.GetByTestId("audit").Locator("tr", new() { HasText = "Sahel farmland regreening" });
        await Expect(row).ToContainTextAsync("Not verified yet");
        await page.GetByTestId("verify-page").ClickAsync();
        await Expect(row).ToContainTextAsync("Intact");
        await BrowserFixture.ScreenshotAsync(page, "23-audit");

        await row.GetByRole(AriaRole.Link).ClickAsync();
        await Expect(page.GetByTestId("checklist").Locator("form")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("actions").Locator("button:enabled")).ToHaveCountAsync(0);
    }

    [BrowserFact]
    public async Task Administrator_CreatesUserWithRole_AndLocksThem()
    {
        var page = await SignInAsync("admin@example.org");
        await page.Locator("[data-nav=users]").ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "New user" }).ClickAsync();
        await page.Locator("#Email").FillAsync("field.officer@example.org");
        await page.Locator("#DisplayName").FillAsync("Field Officer");
        await page.Locator("#Password").FillAsync("short");
        await page.Locator("input[name=Roles][value=ProjectManager]").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Create user" }).ClickAsync();
        await Expect(page.Locator("span[data-valmsg-for=Password]")).ToContainTextAsync("at least 12 characters");
        await page.Locator("#Password").FillAsync("Field-Officer-2026!");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create user" }).ClickAsync();

        var row = page.GetByTestId("users").Locator("tr", new() { HasText = "field.officer@example.org" });
        await Expect(row).ToContainTextAsync("Project manager");
        await row.GetByRole(AriaRole.Button, new() { Name = "Lock" }).ClickAsync();
        await Expect(row).ToContainTextAsync("Locked");
        await BrowserFixture.ScreenshotAsync(page, "24-users");
    }
}
