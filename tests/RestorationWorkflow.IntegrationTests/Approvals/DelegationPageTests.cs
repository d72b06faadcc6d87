using System.Net;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.IntegrationTests.Infrastructure;
using static RestorationWorkflow.IntegrationTests.Infrastructure.DelegationsApi;

namespace RestorationWorkflow.IntegrationTests.Approvals;

/// <summary>
/// <c>/Approvals/Delegations</c>: an approver delegates to another approver picked from a select and revokes it with the
/// row's button; a refusal comes back next to its field, in the reader's language; auditors read without forms; the
/// navigation links it for approvers and administrators only.
/// </summary>
public sealed class DelegationPageTests(AppFactory factory) : IClassFixture<AppFactory>
{
    private const string Page = "/Approvals/Delegations";

    [Fact]
    public async Task Approver_Delegates_FromTheSelect_ThenRevokes()
    {
        var (aId, aEmail) = await factory.CreateUserAsync("Pia Page");
        var (bId, _) = await factory.CreateUserAsync("Rex Page");
        using var client = await PageSession.SignInAsync(factory, aEmail);
        var html = await client.GetStringAsync(Page);
        Assert.Contains("data-nav=\"delegations\"", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"delegation-form\"", html, StringComparison.Ordinal);
        // Every other active approver is offered, never oneself.
        Assert.Matches($@"<option value=""{bId}"">Rex Page \(", html);
        Assert.DoesNotContain($"<option value=\"{aId}\"", html, StringComparison.Ordinal);

        var (start, end) = (Today.AddDays(7), Today.AddDays(9));
        using var saved = await client.PostAsync(Page, Form(html, bId, start, end));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var stored = await factory.QueryDbAsync(db => db.ApprovalDelegations.AsNoTracking().SingleAsync(d => d.DelegatorId == aId));
        Assert.Equal((bId, start, end), (stored.DelegateId, stored.StartsOn, stored.EndsOn));

        var listed = WebUtility.HtmlDecode(await client.GetStringAsync(Page));
        Assert.Contains($"data-delegation=\"{stored.Id}\" data-state=\"upcoming\"", listed, StringComparison.Ordinal);
        Assert.Contains("Rex Page", listed, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"revoke-delegation\"", listed, StringComparison.Ordinal);

        using var revoked = await client.PostAsync($"{Page}?handler=Revoke", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["id"] = stored.Id.ToString(), ["__RequestVerificationToken"] = PageSession.Token(listed),
        }));
        Assert.Equal(HttpStatusCode.Redirect, revoked.StatusCode);
        var after = await client.GetStringAsync(Page);
        Assert.Contains($"data-delegation=\"{stored.Id}\" data-state=\"revoked\"", after, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"revoke-delegation\"", after, StringComparison.Ordinal);
        Assert.NotNull((await factory.QueryDbAsync(db => db.ApprovalDelegations.AsNoTracking().SingleAsync(d => d.Id == stored.Id))).RevokedAt);
    }

    [Fact]
    public async Task Refusals_AreShownNextToTheirFields_InChinese()
    {
        var (_, aEmail) = await factory.CreateUserAsync("Qi Page");
        var (bId, bEmail) = await factory.CreateUserAsync("Wu Page");
        using var api = await factory.ClientForAsync(aEmail);
        var (start, end) = (Today.AddDays(12), Today.AddDays(14));
        await api.DelegateAsync(bEmail, start, end);
        using var client = await PageSession.SignInAsync(factory, aEmail);
        var html = await client.GetStringAsync(Page);

        using var overlap = new HttpRequestMessage(HttpMethod.Post, Page) { Content = Form(html, bId, end, end.AddDays(1)) };
        overlap.Headers.AcceptLanguage.ParseAdd("zh-Hans");
        using var refused = await client.SendAsync(overlap);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        var page = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync());
        Assert.Matches($@"data-valmsg-for=""StartsOn""[^>]*>[^<]*已于 {Day(start)} 至 {Day(end)} 委托给 Wu Page", page);

        using var reversed = await client.PostAsync(Page, Form(html, bId, end.AddDays(5), end.AddDays(4)));
        Assert.Equal(HttpStatusCode.BadRequest, reversed.StatusCode);
        Assert.Matches(@"data-valmsg-for=""EndsOn""[^>]*>The last day \([-0-9]+\) must be on or after the first day", WebUtility.HtmlDecode(await reversed.Content.ReadAsStringAsync()));

        using var nobody = await client.PostAsync(Page, Form(html, "", end.AddDays(5), end.AddDays(6)));
        Assert.Equal(HttpStatusCode.BadRequest, nobody.StatusCode);
        Assert.Matches(@"data-valmsg-for=""DelegateId""[^>]*>The delegate is required", WebUtility.HtmlDecode(await nobody.Content.ReadAsStringAsync()));
        Assert.Equal(1, await factory.QueryDbAsync(db => db.ApprovalDelegations.CountAsync(d => d.DelegateId == bId)));
    }

    [Fact]
    public async Task Auditor_ReadsWithoutForms_AndCannotPost_ManagerHasNoLink()
    {
        var (_, aEmail) = await factory.CreateUserAsync("Kim Page");
        var (_, bEmail) = await factory.CreateUserAsync("Lee Page");
        using var api = await factory.ClientForAsync(aEmail);
        var id = (await api.DelegateAsync(bEmail, Today.AddDays(20), Today.AddDays(21))).Str("id");

        using var auditor = await PageSession.SignInAsync(factory, DemoUsers.Auditor);
        var html = await auditor.GetStringAsync(Page);
        Assert.Contains($"data-delegation=\"{id}\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"delegation-form\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"revoke-delegation\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-nav=\"delegations\"", html, StringComparison.Ordinal);
        using var posted = await auditor.PostAsync($"{Page}?handler=Revoke", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["id"] = id, ["__RequestVerificationToken"] = PageSession.Token(html),
        }));
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        Assert.Equal("/Account/AccessDenied", posted.Headers.Location?.AbsolutePath);
        Assert.Null((await factory.QueryDbAsync(db => db.ApprovalDelegations.AsNoTracking().SingleAsync(d => d.Id == Guid.Parse(id)))).RevokedAt);

        using var admin = await PageSession.SignInAsync(factory, DemoUsers.Admin);
        var adminPage = await admin.GetStringAsync(Page);
        Assert.Contains("data-nav=\"delegations\"", adminPage, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"delegation-delegator\"", adminPage, StringComparison.Ordinal);

        using var manager = await PageSession.SignInAsync(factory, DemoUsers.Pm);
        Assert.DoesNotContain("data-nav=\"delegations\"", await manager.GetStringAsync("/Projects"), StringComparison.Ordinal);
        using var denied = await manager.GetAsync(Page);
        Assert.Equal(HttpStatusCode.Redirect, denied.StatusCode);
    }

    private static FormUrlEncodedContent Form(string html, string delegateId, DateOnly start, DateOnly end) => new(new Dictionary<string, string>
    {
        ["DelegateId"] = delegateId, ["StartsOn"] = Day(start), ["EndsOn"] = Day(end), ["__RequestVerificationToken"] = PageSession.Token(html),
    });
}
