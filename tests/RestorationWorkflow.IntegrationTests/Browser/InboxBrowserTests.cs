using Microsoft.Playwright;
using RestorationWorkflow.IntegrationTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace RestorationWorkflow.IntegrationTests.Browser;

/// <summary>
/// The plan gate from the inboxes: a manager submits a plan, each of the two approvers finds it in their inbox (the
/// navigation counts it), approves it there, and the second approval (quorum 2) moves the project to Implementation.
/// </summary>
public sealed class InboxBrowserTests(KestrelAppFactory app, BrowserFixture browser) : IClassFixture<KestrelAppFactory>, IClassFixture<BrowserFixture>
{
    [BrowserFact]
    public async Task ManagerSubmitsThePlan_TwoApproversApproveFromTheirInboxes_AndTheProjectReachesImplementation()
    {
        _ = app.BaseAddress; // starts Kestrel before the API clients
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        using var consentApprover = await app.ClientForAsync(DemoUsers.Approver1);
        var request = SafeguardsApi.ProjectRequest("forest");
        request["name"] = "Mau forest springs";
        var id = await pm.CreateProjectWithAsync(request);
        var version = await pm.ToPlanningAsync(consentApprover, id);
        await pm.PutSafeguardsAsync(id, SafeguardsApi.Review(version, plansPlanting: false));

        var manager = await browser.SignInAsync(app.BaseAddress, DemoUsers.Pm);
        await manager.GotoAsync($"/Projects/{id}");
        await Expect(manager.GetByTestId("project-state")).ToHaveAttributeAsync("data-state", "Planning");
        await manager.GetByTestId("action-SubmitPlan").ClickAsync();
        await Expect(manager.GetByTestId("project-state")).ToHaveAttributeAsync("data-state", "PlanReview");

        foreach (var (email, comment, language) in new[]
        {
            (DemoUsers.Approver1, "Targets are measurable and the springs are mapped.", "en"),
            (DemoUsers.Approver2, "Budget and schedule checked.", "zh"),
        })
        {
            var page = await browser.SignInAsync(app.BaseAddress, email, language == "zh" ? "zh-CN" : "en-US");
            await Expect(page.GetByTestId("inbox-badge")).Not.ToHaveTextAsync("0");
            await page.Locator("[data-nav=inbox]").ClickAsync();
            var item = page.Locator($"[data-testid=inbox-item][data-kind=decide][data-project='{id}']");
            await Expect(item).ToHaveCountAsync(1);
            await Expect(item).ToContainTextAsync("Mau forest springs");
            await BrowserFixture.ScreenshotAsync(page, $"30-inbox-{language}");
            await item.GetByTestId("decide-comment").FillAsync(comment);
            await item.GetByTestId("approve").ClickAsync();
            await Expect(page.Locator("[role=status]")).ToBeVisibleAsync();
            await Expect(page.Locator($"[data-testid=inbox-item][data-kind=decide][data-project='{id}']")).ToHaveCountAsync(0);
        }

        await manager.ReloadAsync();
        await Expect(manager.GetByTestId("project-state")).ToHaveAttributeAsync("data-state", "Implementation");
    }
}
