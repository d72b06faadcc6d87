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

        // The approver decides in the Approvals section (the Actions section points there); the manager's work
        // actions are not theirs.
        await Expect(page.GetByTestId("action-ApproveConsent")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("decided-in-approvals")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("approve-consent")).ToBeEnabledAsync();
        await Expect(page.GetByTestId("checklist").Locator("select")).ToHaveCountAsync(0);
        await page.GetByTestId("approvals").ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "20b-approvals-en.png") });
        await page.GetByTestId("comment-consent").FillAsync("Consent records verified against the assembly minutes.");
        await page.GetByTestId("approve-consent").ClickAsync();
        await Expect(page.GetByTestId("project-state")).ToHaveAttributeAsync("data-state", "Planning");
        await Expect(page.GetByTestId("history")).ToContainTextAsync("Alex Approver");
        var request = page.GetByTestId("request-consent-1");
        await Expect(request).ToHaveAttributeAsync("data-status", "approved");
        await Expect(request).ToContainTextAsync("Consent records verified against the assembly minutes.");
        await Expect(page.GetByTestId("approvals").Locator("form")).ToHaveCountAsync(0);
        await page.GetByTestId("gate-consent").ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "21b-approval-history.png") });
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

        // Rejecting needs a comment: the server refuses the decision and says so next to the comment field.
        await Expect(page.Locator("form[data-trigger=RejectConsent]")).ToHaveCountAsync(0);
        await page.GetByTestId("section-consent-consents").CheckAsync();
        await page.GetByTestId("reject-consent").ClickAsync();
        await Expect(page.GetByTestId("error-comment")).ToContainTextAsync("退回时必须填写意见");
        await Expect(page.GetByTestId("project-state")).ToHaveAttributeAsync("data-state", "ConsentReview");
        await Expect(page.GetByTestId("section-consent-consents")).ToBeCheckedAsync();
        await page.GetByTestId("approvals").ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "22a-approvals-zh.png") });

        await page.GetByTestId("comment-consent").FillAsync("社区会议记录缺少妇女代表的签字，请补充。");
        await page.GetByTestId("reject-consent").ClickAsync();
        await Expect(page.GetByTestId("project-state")).ToHaveAttributeAsync("data-state", "Assessment");
        await Expect(page.GetByTestId("history")).ToContainTextAsync("社区会议记录缺少妇女代表的签字");
        var request = page.GetByTestId("request-consent-1");
        await Expect(request).ToHaveAttributeAsync("data-status", "rejected");
        await Expect(request).ToContainTextAsync("需修改：同意记录");
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
