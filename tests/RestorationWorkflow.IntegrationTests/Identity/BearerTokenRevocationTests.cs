using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RestorationWorkflow.IntegrationTests.Infrastructure;
using RestorationWorkflow.Web.Features.Identity;

namespace RestorationWorkflow.IntegrationTests.Identity;

/// <summary>
/// A bearer token stops working as soon as its account changes: locked, roles changed or password changed.
/// On the node that made the change at once; the cached account state of other nodes within the recheck interval.
/// </summary>
public sealed class BearerTokenRevocationTests(AppFactory factory) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task LockedUser_OldToken_Gets401AndCreatesNothing()
    {
        var (id, email) = await Accounts.CreateAsync(factory, "locked", "ProjectManager");
        using var user = await factory.ClientForAsync(email, Accounts.Password);
        await (await user.PostAsJsonAsync("/api/projects", ProjectsApi.ValidRequest("Before the lock"))).ExpectAsync(HttpStatusCode.Created);

        using (var admin = await factory.ClientForAsync(DemoUsers.Admin))
            await (await admin.PostAsync($"/api/admin/users/{id}/lock", null)).ExpectAsync(HttpStatusCode.OK);

        var name = $"After the lock {Guid.NewGuid():N}";
        await (await user.PostAsJsonAsync("/api/projects", ProjectsApi.ValidRequest(name))).ExpectProblemAsync(HttpStatusCode.Unauthorized);
        await (await user.GetAsync("/api/projects")).ExpectProblemAsync(HttpStatusCode.Unauthorized);
        Assert.False(await factory.QueryDbAsync(db => db.Projects.AnyAsync(p => p.Name == name)));
    }

    [Fact]
    public async Task UserWhoseRolesWereAllRemoved_OldToken_Gets401()
    {
        var (id, email) = await Accounts.CreateAsync(factory, "roleless", "ProjectManager");
        using var user = await factory.ClientForAsync(email, Accounts.Password);
        await (await user.GetAsync("/api/projects")).ExpectAsync(HttpStatusCode.OK);

        using (var admin = await factory.ClientForAsync(DemoUsers.Admin))
            await (await admin.PutAsJsonAsync($"/api/admin/users/{id}/roles", new { roles = Array.Empty<string>() })).ExpectAsync(HttpStatusCode.OK);

        await (await user.PostAsJsonAsync("/api/projects", ProjectsApi.ValidRequest("Roleless"))).ExpectProblemAsync(HttpStatusCode.Unauthorized);
        await (await user.GetAsync("/api/projects")).ExpectProblemAsync(HttpStatusCode.Unauthorized);
        // Even a token issued now is refused: an account without a role uses nothing.
        using var fresh = await factory.ClientForAsync(email, Accounts.Password);
        await (await fresh.GetAsync("/api/projects")).ExpectProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task AdministratorWhoRemovedTheirOwnRole_OldToken_NoLongerListsUsers()
    {
        // A second administrator, so that the first one may step down (the last one may not, see LastAdministratorTests).
        var (id, email) = await Accounts.CreateAsync(factory, "stepping-down", "Administrator", "Auditor");
        using var self = await factory.ClientForAsync(email, Accounts.Password);
        await (await self.GetAsync("/api/admin/users")).ExpectAsync(HttpStatusCode.OK);

        await (await self.PutAsJsonAsync($"/api/admin/users/{id}/roles", new { roles = new[] { "Auditor" } })).ExpectAsync(HttpStatusCode.OK);

        var response = await self.GetAsync("/api/admin/users");
        Assert.Contains(response.StatusCode, new[] { HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden });
        // A new token carries the new role only: the auditor reads projects, not users.
        using var fresh = await factory.ClientForAsync(email, Accounts.Password);
        await (await fresh.GetAsync("/api/admin/users")).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await fresh.GetAsync("/api/projects")).ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task PasswordChange_OldToken_Gets401_NewPasswordSignsIn()
    {
        var (_, email) = await Accounts.CreateAsync(factory, "password", "Auditor");
        const string newPassword = "Changed-Password-2026!";
        using var user = await factory.ClientForAsync(email, Accounts.Password);

        await (await user.PostAsJsonAsync("/api/auth/manage/info", new { oldPassword = Accounts.Password, newPassword })).ExpectAsync(HttpStatusCode.OK);

        await (await user.GetAsync("/api/projects")).ExpectProblemAsync(HttpStatusCode.Unauthorized);
        using var fresh = await factory.ClientForAsync(email, newPassword);
        await (await fresh.GetAsync("/api/projects")).ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task PasswordChangeOnThePage_OldToken_Gets401()
    {
        var (_, email) = await Accounts.CreateAsync(factory, "page-password", "Auditor");
        using var user = await factory.ClientForAsync(email, Accounts.Password);
        using var browser = await Accounts.SignedInBrowserAsync(factory, email, Accounts.Password);

        var response = await ManagePage.ChangePasswordAsync(browser, Accounts.Password, "Changed-On-Page-2026!");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        await (await user.GetAsync("/api/projects")).ExpectProblemAsync(HttpStatusCode.Unauthorized);
        // The browser that changed it stays signed in (its cookie was issued again).
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/Account/Manage")).StatusCode);
    }

    [Fact]
    public async Task AccountState_IsCachedPerUser_SoAChangeBehindTheAppsBack_IsNotSeenAtOnce()
    {
        // What another node does: changes the stamp in the shared database, without this node's cache knowing.
        var (id, email) = await Accounts.CreateAsync(factory, "cached", "Auditor");
        using var user = await factory.ClientForAsync(email, Accounts.Password);
        await (await user.GetAsync("/api/projects")).ExpectAsync(HttpStatusCode.OK);

        await factory.WithDbAsync(db => db.Users.Where(u => u.Id == id)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.SecurityStamp, Guid.NewGuid().ToString("N"))));

        // The hot path answers from the cache (the default interval is 30 s, far longer than this test).
        await (await user.GetAsync("/api/projects")).ExpectAsync(HttpStatusCode.OK);
        await using var scope = factory.Scope();
        Assert.Equal(TimeSpan.FromSeconds(30), scope.ServiceProvider.GetRequiredService<AccountStatusCache>().RecheckInterval);
    }
}

/// <summary>A node whose cache is rechecked every second: a change made elsewhere reaches it within that interval.</summary>
public sealed class BearerTokenRecheckTests(BearerTokenRecheckTests.OneSecondRecheck factory) : IClassFixture<BearerTokenRecheckTests.OneSecondRecheck>
{
    public sealed class OneSecondRecheck : AppFactory
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Identity:BearerRecheckInterval"] = "00:00:01" };
    }

    [Fact]
    public async Task ChangeMadeByAnotherNode_ReachesThisNode_WithinTheRecheckInterval()
    {
        var (id, email) = await Accounts.CreateAsync(factory, "elsewhere", "Auditor");
        using var user = await factory.ClientForAsync(email, Accounts.Password);
        await (await user.GetAsync("/api/projects")).ExpectAsync(HttpStatusCode.OK);

        await factory.WithDbAsync(db => db.Users.Where(u => u.Id == id)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.LockoutEnd, DateTimeOffset.MaxValue).SetProperty(u => u.SecurityStamp, Guid.NewGuid().ToString("N"))));
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        await (await user.GetAsync("/api/projects")).ExpectProblemAsync(HttpStatusCode.Unauthorized);
    }
}

/// <summary>A recheck interval set above 30 s is held at 30 s: no node trusts a stale account longer.</summary>
public sealed class BearerTokenRecheckCapTests(BearerTokenRecheckCapTests.FiveMinuteRecheck factory) : IClassFixture<BearerTokenRecheckCapTests.FiveMinuteRecheck>
{
    public sealed class FiveMinuteRecheck : AppFactory
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Identity:BearerRecheckInterval"] = "00:05:00" };
    }

    [Fact]
    public async Task RecheckInterval_IsAtMostThirtySeconds()
    {
        await using var scope = factory.Scope();
        Assert.Equal(TimeSpan.FromSeconds(30), scope.ServiceProvider.GetRequiredService<AccountStatusCache>().RecheckInterval);
    }
}

/// <summary>Posts the change-password form of <c>/Account/Manage</c>.</summary>
public static class ManagePage
{
    public static async Task<HttpResponseMessage> ChangePasswordAsync(HttpClient browser, string current, string next)
    {
        ArgumentNullException.ThrowIfNull(browser);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.CurrentPassword"] = current,
            ["Input.NewPassword"] = next,
            ["Input.ConfirmPassword"] = next,
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(PageSession.Token(await browser.GetStringAsync("/Account/Manage"))),
        });
        return await browser.PostAsync("/Account/Manage", form);
    }
}
