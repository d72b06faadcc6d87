using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.IntegrationTests.Identity;
using RestorationWorkflow.IntegrationTests.Infrastructure;

namespace RestorationWorkflow.IntegrationTests.Admin;

/// <summary>
/// The last active administrator can never be demoted or locked, over the API or the pages (one rule in
/// UserAdministration). Each test starts an app of its own: the rule depends on how many administrators exist.
/// </summary>
public sealed class LastAdministratorTests
{
    private const string Rule = "last-active-administrator";

    [Fact]
    public async Task Api_LastAdministratorRemovingOwnRole_Is422NamingTheRule_AndChangesNothing()
    {
        await using var app = new AppFactory();
        var adminId = await IdOfAsync(app, DemoUsers.Admin);
        var events = await EventCountAsync(app, adminId);
        using var admin = await app.ClientForAsync(DemoUsers.Admin);

        var response = await admin.PutAsJsonAsync($"/api/admin/users/{adminId}/roles", new { roles = new[] { "Auditor" } });

        var problem = await response.ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal([Rule], problem.Guards("unmet"));
        Assert.Contains("last active administrator", problem.Str("detail"), StringComparison.Ordinal);
        Assert.Equal(["Administrator"], await RolesOfAsync(app, adminId));
        Assert.Equal(events, await EventCountAsync(app, adminId));
        // Nothing changed, so the administrator's token still works.
        await (await admin.GetAsync("/api/admin/users")).ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Api_LastAdministratorLockingThemselves_Is422_AndStaysUnlocked()
    {
        await using var app = new AppFactory();
        var adminId = await IdOfAsync(app, DemoUsers.Admin);
        using var admin = await app.ClientForAsync(DemoUsers.Admin);

        var problem = await (await admin.PostAsync($"/api/admin/users/{adminId}/lock", null)).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Equal([Rule], problem.Guards("unmet"));
        Assert.Null(await app.QueryDbAsync(db => db.Users.Where(u => u.Id == adminId).Select(u => u.LockoutEnd).SingleAsync()));
        await (await admin.GetAsync("/api/admin/users")).ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Api_TwoAdministratorsLockingEachOtherAtOnce_OneWins_TheOtherIs422_NeverBoth()
    {
        for (var round = 0; round < 3; round++)
        {
            await using var app = new AppFactory();
            var adminId = await IdOfAsync(app, DemoUsers.Admin);
            var (secondId, secondEmail) = await Accounts.CreateAsync(app, "race-admin", "Administrator");
            using var admin = await app.ClientForAsync(DemoUsers.Admin);
            using var second = await app.ClientForAsync(secondEmail, Accounts.Password);

            // Each checks "another active administrator exists" and locks the other: run one after the other, the second
            // is refused; at once, the database must refuse one of them too (on PostgreSQL the loser is run again and
            // then sees the other's lock), and never answer 500.
            var responses = await Task.WhenAll(
                admin.PostAsync($"/api/admin/users/{secondId}/lock", null),
                second.PostAsync($"/api/admin/users/{adminId}/lock", null));

            var codes = responses.Select(r => r.StatusCode).Order().ToList();
            foreach (var response in responses)
                response.Dispose();
            // The loser may also be turned away with 401 when the winner locked it before its request was authenticated.
            Assert.Contains(HttpStatusCode.OK, codes);
            Assert.Single(codes, c => c == HttpStatusCode.OK);
            Assert.DoesNotContain(HttpStatusCode.InternalServerError, codes);
            var ends = await app.QueryDbAsync(db => db.Users.Where(u => u.Id == adminId || u.Id == secondId).Select(u => u.LockoutEnd).ToListAsync());
            Assert.Equal(1, ends.Count(e => e > DateTimeOffset.UtcNow));
        }
    }

    [Fact]
    public async Task Api_ALockedSecondAdministrator_DoesNotCount_AnActiveOneDoes()
    {
        await using var app = new AppFactory();
        var adminId = await IdOfAsync(app, DemoUsers.Admin);
        var (secondId, _) = await Accounts.CreateAsync(app, "second-admin", "Administrator");
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        await (await admin.PostAsync($"/api/admin/users/{secondId}/lock", null)).ExpectAsync(HttpStatusCode.OK);

        // The other administrator is locked: the demo administrator is still the last active one.
        await (await admin.PutAsJsonAsync($"/api/admin/users/{adminId}/roles", new { roles = new[] { "Auditor" } }))
            .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        await (await admin.PostAsync($"/api/admin/users/{secondId}/unlock", null)).ExpectAsync(HttpStatusCode.OK);

        // With an active second administrator, stepping down is allowed.
        var demoted = await (await admin.PutAsJsonAsync($"/api/admin/users/{adminId}/roles", new { roles = new[] { "Auditor" } })).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Auditor", Assert.Single(demoted.GetProperty("roles").EnumerateArray()).GetString());
        // ...and now the second one is the last: it cannot be locked by anyone.
        using var second = await app.ClientForAsync((await app.QueryDbAsync(db => db.Users.SingleAsync(u => u.Id == secondId))).Email!, Accounts.Password);
        await (await second.PostAsync($"/api/admin/users/{secondId}/lock", null)).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task Page_LastAdministratorRemovingOwnRole_ShowsTheRule_AndChangesNothing()
    {
        await using var app = new AppFactory();
        var adminId = await IdOfAsync(app, DemoUsers.Admin);
        using var browser = await PageSession.SignInAsync(app, DemoUsers.Admin);
        var token = PageSession.Token(await browser.GetStringAsync($"/Admin/Users/Edit/{adminId}"));
        using var form = new FormUrlEncodedContent([new("Roles", "Auditor"), new("__RequestVerificationToken", token)]);

        using var response = await browser.PostAsync($"/Admin/Users/Edit/{adminId}", form);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("This is the last active administrator", WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(["Administrator"], await RolesOfAsync(app, adminId));
    }

    [Fact]
    public async Task Page_LastAdministratorLockingThemselves_ShowsTheRuleInChinese_AndStaysUnlocked()
    {
        await using var app = new AppFactory();
        var adminId = await IdOfAsync(app, DemoUsers.Admin);
        using var browser = await PageSession.SignInAsync(app, DemoUsers.Admin);
        browser.DefaultRequestHeaders.AcceptLanguage.ParseAdd("zh-Hans");
        var token = PageSession.Token(await browser.GetStringAsync("/Admin/Users"));
        using var form = new FormUrlEncodedContent([new("id", adminId), new("__RequestVerificationToken", token)]);

        using var response = await browser.PostAsync("/Admin/Users?handler=Lock", form);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var page = WebUtility.HtmlDecode(await browser.GetStringAsync("/Admin/Users"));
        Assert.Contains("这是最后一位有效的管理员", page, StringComparison.Ordinal);
        Assert.Null(await app.QueryDbAsync(db => db.Users.Where(u => u.Id == adminId).Select(u => u.LockoutEnd).SingleAsync()));
    }

    private static Task<string> IdOfAsync(AppFactory app, string email) =>
        app.QueryDbAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());

    private static Task<int> EventCountAsync(AppFactory app, string userId) =>
        app.QueryDbAsync(db => db.UserAuditEvents.CountAsync(e => e.UserId == userId));

    private static Task<List<string>> RolesOfAsync(AppFactory app, string userId) =>
        app.QueryDbAsync(db => db.UserRoles.Where(ur => ur.UserId == userId).Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name!).ToListAsync());
}
