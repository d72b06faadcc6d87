using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RestorationWorkflow.IntegrationTests.Infrastructure;
using RestorationWorkflow.Web.Features.Approvals;
using static RestorationWorkflow.IntegrationTests.Infrastructure.DelegationsApi;

namespace RestorationWorkflow.IntegrationTests.Approvals;

/// <summary>
/// <c>/api/approvals/delegations</c>: give, list, revoke (soft) and the user audit events; every refusal names its field
/// (self-delegation, a delegate who is not an active approver, bad or past dates, overlaps, chains) and writes nothing;
/// who may do what; the reader the decisions use. Each test makes its own approvers, so windows do not meet across tests.
/// </summary>
public sealed class DelegationApiTests(AppFactory factory) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task Create_List_Revoke_KeepsTheRow_AndAuditsBothOnTheDelegatorsAccount()
    {
        var (aId, aEmail) = await factory.CreateUserAsync("Ada Away");
        var (bId, bEmail) = await factory.CreateUserAsync("Ben Backup");
        var (_, cEmail) = await factory.CreateUserAsync("Cy Outsider");
        using var a = await factory.ClientForAsync(aEmail);
        using var b = await factory.ClientForAsync(bEmail);
        using var c = await factory.ClientForAsync(cEmail);
        using var admin = await factory.ClientForAsync(DemoUsers.Admin);
        using var auditor = await factory.ClientForAsync(DemoUsers.Auditor);

        var start = Today.AddDays(10);
        using var response = await a.PostAsJsonAsync(Url, Request(bEmail, start, start.AddDays(4)));
        var created = await response.ExpectAsync(HttpStatusCode.Created);
        var id = created.Str("id");
        Assert.Equal($"{Url}/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal(aId, created.Str("delegatorId"));
        Assert.Equal("Ada Away", created.Str("delegatorName"));
        Assert.Equal(bId, created.Str("delegateId"));
        Assert.Equal("Ben Backup", created.Str("delegateName"));
        Assert.Equal(Day(start), created.Str("startsOn"));
        Assert.Equal(Day(start.AddDays(4)), created.Str("endsOn"));
        Assert.Equal("upcoming", created.Str("state"));
        Assert.Equal(aId, created.Str("createdById"));

        // The delegator and the delegate see it, another approver does not; administrators and auditors see all.
        Assert.Contains(id, await a.ListDelegationIdsAsync());
        Assert.Contains(id, await b.ListDelegationIdsAsync());
        Assert.DoesNotContain(id, await c.ListDelegationIdsAsync());
        await (await c.GetAsync($"{Url}/{id}")).ExpectProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal([id], await admin.ListDelegationIdsAsync($"?userId={aId}"));
        Assert.Contains(id, await auditor.ListDelegationIdsAsync());
        Assert.Equal("Ben Backup", (await (await b.GetAsync($"{Url}/{id}")).ExpectAsync(HttpStatusCode.OK)).Str("delegateName"));

        // The delegate may not revoke it; the delegator does, and the row stays, revoked.
        var refused = await (await b.DeleteAsync($"{Url}/{id}")).ExpectProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(["delegator"], refused.Guards("reasons"));
        var revoked = await (await a.DeleteAsync($"{Url}/{id}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("revoked", revoked.Str("state"));
        Assert.Equal(aId, revoked.Str("revokedById"));
        var again = await (await a.DeleteAsync($"{Url}/{id}")).ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("delegation-revoked", again.Str("code"));
        await (await a.DeleteAsync($"{Url}/{Guid.NewGuid()}")).ExpectProblemAsync(HttpStatusCode.NotFound);
        var listed = await (await a.GetAsync(Url)).ExpectAsync(HttpStatusCode.OK);
        var row = Assert.Single(listed.GetProperty("items").EnumerateArray(), e => e.Str("id") == id);
        Assert.Equal("revoked", row.Str("state"));
        Assert.Equal(Day(Today), listed.Str("today"));

        var events = await factory.QueryDbAsync(db => db.UserAuditEvents.AsNoTracking().Where(e => e.UserId == aId && e.Action.StartsWith("user.delegation")).OrderBy(e => e.Sequence).ToListAsync());
        Assert.Equal(["user.delegation-created", "user.delegation-revoked"], events.Select(e => e.Action));
        Assert.All(events, e => Assert.Equal(aId, e.ActorId));
        Assert.Contains(bEmail, events[0].Changes, StringComparison.Ordinal);
        Assert.Contains(id, events[1].Changes, StringComparison.Ordinal);
        var chain = await (await auditor.GetAsync("/api/audit/users/verify")).ExpectAsync(HttpStatusCode.OK);
        Assert.True(chain.GetProperty("valid").GetBoolean(), chain.GetRawText());
    }

    [Fact]
    public async Task Reader_FindsTheDelegationInForceOnlyInsideItsWindow_AndNotOnceRevokedOrTheDelegatorIsLockedOut()
    {
        var (aId, aEmail) = await factory.CreateUserAsync("Ana Reader");
        var (bId, bEmail) = await factory.CreateUserAsync("Bo Reader");
        using var a = await factory.ClientForAsync(aEmail);
        var created = await a.DelegateAsync(bEmail, Today, Today.AddDays(1));
        Assert.Equal("inForce", created.Str("state"));

        async Task<(int ForDelegate, bool Found)> ReadAsync(DateOnly day)
        {
            await using var scope = factory.Scope();
            var reader = scope.ServiceProvider.GetRequiredService<DelegationReader>();
            var forDelegate = await reader.ActiveForDelegateAsync(bId, day, CancellationToken.None);
            var found = await reader.FindActiveAsync(aId, bId, day, CancellationToken.None);
            Assert.All(forDelegate, d => Assert.Equal(aId, d.DelegatorId));
            return (forDelegate.Count, found is not null);
        }

        Assert.Equal((1, true), await ReadAsync(Today));
        Assert.Equal((1, true), await ReadAsync(Today.AddDays(1)));
        Assert.Equal((0, false), await ReadAsync(Today.AddDays(2)));
        Assert.Equal((0, false), await ReadAsync(Today.AddDays(-1)));

        using var admin = await factory.ClientForAsync(DemoUsers.Admin);
        await (await admin.PostAsync($"/api/admin/users/{aId}/lock", null)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal((0, false), await ReadAsync(Today));
        await (await admin.PostAsync($"/api/admin/users/{aId}/unlock", null)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal((1, true), await ReadAsync(Today));

        await (await admin.DeleteAsync($"{Url}/{created.Str("id")}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal((0, false), await ReadAsync(Today));
    }

    [Fact]
    public async Task SelfDelegation_IsRefused_NamingTheField_InEnglishAndChinese()
    {
        var (aId, aEmail) = await factory.CreateUserAsync("Sol Self");
        using var a = await factory.ClientForAsync(aEmail);
        var before = await CountAsync();

        var byEmail = await (await a.PostAsJsonAsync(Url, Request(aEmail, Today.AddDays(3), Today.AddDays(4)))).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(["delegateEmail"], byEmail.Guards("unmet"));
        Assert.Equal("You cannot delegate to yourself.", byEmail.GetProperty("unmet")[0].Str("message"));

        using var zh = new HttpRequestMessage(HttpMethod.Post, Url) { Content = JsonContent.Create(Request(null, Today.AddDays(3), Today.AddDays(4), delegateId: aId)) };
        zh.Headers.AcceptLanguage.ParseAdd("zh-Hans");
        var byId = await (await a.SendAsync(zh)).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(["delegateId"], byId.Guards("unmet"));
        Assert.Equal("您不能委托给自己。", byId.GetProperty("unmet")[0].Str("message"));
        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task DelegateWhoIsNotAnActiveApprover_IsRefused_NamingTheField()
    {
        var (_, aEmail) = await factory.CreateUserAsync("Nia Needs");
        var (lockedId, lockedEmail) = await factory.CreateUserAsync("Lou Locked");
        using var a = await factory.ClientForAsync(aEmail);
        using var admin = await factory.ClientForAsync(DemoUsers.Admin);
        await (await admin.PostAsync($"/api/admin/users/{lockedId}/lock", null)).ExpectAsync(HttpStatusCode.OK);
        var before = await CountAsync();
        var (start, end) = (Today.AddDays(3), Today.AddDays(5));

        foreach (var (email, expected) in new[]
        {
            (DemoUsers.Pm, "is not an active approver"),
            (DemoUsers.Auditor, "is not an active approver"),
            (lockedEmail, "is not an active approver"),
            ("nobody-here@example.org", "No user has the e-mail"),
        })
        {
            var problem = await (await a.PostAsJsonAsync(Url, Request(email, start, end))).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
            Assert.Equal(["delegateEmail"], problem.Guards("unmet"));
            Assert.Contains(expected, problem.GetProperty("unmet")[0].Str("message"), StringComparison.Ordinal);
        }
        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task BadAndPastDates_AreRefused_NamingTheField()
    {
        var (_, aEmail) = await factory.CreateUserAsync("Dee Dates");
        var (_, bEmail) = await factory.CreateUserAsync("Dan Dates");
        using var a = await factory.ClientForAsync(aEmail);
        var before = await CountAsync();

        var reversed = await (await a.PostAsJsonAsync(Url, Request(bEmail, Today.AddDays(5), Today.AddDays(4)))).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["endsOn"], reversed.ErrorFields());
        Assert.Contains("must be on or after the first day", reversed.ErrorsOf("endsOn")[0], StringComparison.Ordinal);

        var tooLong = await (await a.PostAsJsonAsync(Url, Request(bEmail, Today.AddDays(1), Today.AddDays(367)))).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["endsOn"], tooLong.ErrorFields());
        Assert.Contains("at most 366 days", tooLong.ErrorsOf("endsOn")[0], StringComparison.Ordinal);

        var missing = await (await a.PostAsJsonAsync(Url, new { delegateEmail = bEmail })).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["endsOn", "startsOn"], missing.ErrorFields().Order(StringComparer.Ordinal));
        var noDelegate = await (await a.PostAsJsonAsync(Url, new { startsOn = Day(Today), endsOn = Day(Today) })).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["delegateEmail"], noDelegate.ErrorFields());
        var notADate = await (await a.PostAsJsonAsync(Url, new { delegateEmail = bEmail, startsOn = "31/12/2026", endsOn = Day(Today) })).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["startsOn"], notADate.ErrorFields());

        var past = await (await a.PostAsJsonAsync(Url, Request(bEmail, Today.AddDays(-10), Today.AddDays(-1)))).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(["endsOn"], past.Guards("unmet"));
        Assert.Contains("wholly in the past", past.GetProperty("unmet")[0].Str("message"), StringComparison.Ordinal);
        Assert.Equal(before, await CountAsync());

        // 366 days, both ends included, and a window that began yesterday but runs on, are accepted.
        await a.DelegateAsync(bEmail, Today.AddDays(-1), Today.AddDays(364));
    }

    [Fact]
    public async Task OverlappingWindow_IsRefused_NamingTheOtherDelegationsDelegateAndDates()
    {
        var (_, aEmail) = await factory.CreateUserAsync("Oli Overlap");
        var (_, bEmail) = await factory.CreateUserAsync("Bea First");
        var (_, cEmail) = await factory.CreateUserAsync("Cal Second");
        using var a = await factory.ClientForAsync(aEmail);
        var (start, end) = (Today.AddDays(20), Today.AddDays(25));
        var first = await a.DelegateAsync(bEmail, start, end);
        var before = await CountAsync();

        var problem = await (await a.PostAsJsonAsync(Url, Request(cEmail, end, end.AddDays(3)))).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(["startsOn"], problem.Guards("unmet"));
        var message = problem.GetProperty("unmet")[0].Str("message");
        Assert.Contains("Bea First", message, StringComparison.Ordinal);
        Assert.Contains($"from {Day(start)} to {Day(end)}", message, StringComparison.Ordinal);
        Assert.Equal(before, await CountAsync());

        // The day after it ends is free; once revoked, its days are free too.
        await a.DelegateAsync(cEmail, end.AddDays(1), end.AddDays(3));
        await (await a.DeleteAsync($"{Url}/{first.Str("id")}")).ExpectAsync(HttpStatusCode.OK);
        await a.DelegateAsync(cEmail, start, end);
    }

    [Fact]
    public async Task TwoOverlappingDelegationsAtOnce_OnlyOneIsStored()
    {
        var (aId, aEmail) = await factory.CreateUserAsync("Raz Race");
        var (_, bEmail) = await factory.CreateUserAsync("Rob Race");
        var (_, cEmail) = await factory.CreateUserAsync("Rue Race");
        using var a = await factory.ClientForAsync(aEmail);
        var (start, end) = (Today.AddDays(70), Today.AddDays(75));

        var responses = await Task.WhenAll(
            a.PostAsJsonAsync(Url, Request(bEmail, start, end)),
            a.PostAsJsonAsync(Url, Request(cEmail, start.AddDays(1), end)));
        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.UnprocessableEntity], responses.Select(r => r.StatusCode).Order());
        Assert.Equal(1, await factory.QueryDbAsync(db => db.ApprovalDelegations.CountAsync(d => d.DelegatorId == aId)));
        foreach (var response in responses)
            response.Dispose();
    }

    [Fact]
    public async Task Chains_AreRefused_BothWays()
    {
        var (_, aEmail) = await factory.CreateUserAsync("Ari Chain");
        var (_, bEmail) = await factory.CreateUserAsync("Bri Chain");
        var (_, cEmail) = await factory.CreateUserAsync("Cai Chain");
        using var a = await factory.ClientForAsync(aEmail);
        using var b = await factory.ClientForAsync(bEmail);
        var (start, end) = (Today.AddDays(30), Today.AddDays(35));
        await b.DelegateAsync(cEmail, start, end);
        var before = await CountAsync();

        // B has delegated these days away: B cannot receive A's approvals for them.
        var toDelegating = await (await a.PostAsJsonAsync(Url, Request(bEmail, end, end.AddDays(2)))).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(["delegateEmail"], toDelegating.Guards("unmet"));
        Assert.Contains("cannot be chained", toDelegating.GetProperty("unmet")[0].Str("message"), StringComparison.Ordinal);

        // C decides for B on these days: C cannot pass its own on for them either.
        using var c = await factory.ClientForAsync(cEmail);
        var fromDelegate = await (await c.PostAsJsonAsync(Url, Request(aEmail, start, start))).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(["startsOn"], fromDelegate.Guards("unmet"));
        Assert.Contains("Bri Chain", fromDelegate.GetProperty("unmet")[0].Str("message"), StringComparison.Ordinal);
        Assert.Equal(before, await CountAsync());

        // Outside B's window A may delegate to B.
        await a.DelegateAsync(bEmail, end.AddDays(1), end.AddDays(2));
    }

    [Fact]
    public async Task Administrators_DelegateOnBehalfOfAnApprover_ApproversOnlyTheirOwn()
    {
        var (aId, aEmail) = await factory.CreateUserAsync("Abe Behalf");
        var (_, bEmail) = await factory.CreateUserAsync("Bud Behalf");
        var (_, cEmail) = await factory.CreateUserAsync("Coe Behalf");
        using var admin = await factory.ClientForAsync(DemoUsers.Admin);
        using var c = await factory.ClientForAsync(cEmail);
        var (start, end) = (Today.AddDays(40), Today.AddDays(41));

        var forbidden = await (await c.PostAsJsonAsync(Url, Request(bEmail, start, end, delegatorId: aId))).ExpectProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(["delegatorId"], forbidden.Guards("reasons"));

        // The demo administrator holds no Approver role: it has no approvals of its own to delegate.
        var own = await (await admin.PostAsJsonAsync(Url, Request(bEmail, start, end))).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(["delegatorId"], own.Guards("unmet"));

        var created = await admin.DelegateAsync(bEmail, start, end, delegatorId: aId);
        Assert.Equal(aId, created.Str("delegatorId"));
        Assert.NotEqual(aId, created.Str("createdById"));
        Assert.Equal("Bud Behalf", created.Str("delegateName"));
        using var a = await factory.ClientForAsync(aEmail);
        Assert.Contains(created.Str("id"), await a.ListDelegationIdsAsync());
        // The delegator may revoke what an administrator gave in their name.
        await (await a.DeleteAsync($"{Url}/{created.Str("id")}")).ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Auditors_ReadOnly_ProjectManagers_Forbidden_Anonymous_Unauthorized()
    {
        var (_, aEmail) = await factory.CreateUserAsync("Ida Audited");
        var (_, bEmail) = await factory.CreateUserAsync("Jon Audited");
        using var a = await factory.ClientForAsync(aEmail);
        var id = (await a.DelegateAsync(bEmail, Today.AddDays(50), Today.AddDays(51))).Str("id");
        var before = await CountAsync();

        using var auditor = await factory.ClientForAsync(DemoUsers.Auditor);
        Assert.Contains(id, await auditor.ListDelegationIdsAsync());
        await (await auditor.GetAsync($"{Url}/{id}")).ExpectAsync(HttpStatusCode.OK);
        await (await auditor.PostAsJsonAsync(Url, Request(bEmail, Today.AddDays(60), Today.AddDays(61)))).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await auditor.DeleteAsync($"{Url}/{id}")).ExpectProblemAsync(HttpStatusCode.Forbidden);

        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        await (await pm.GetAsync(Url)).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await pm.GetAsync($"{Url}/{id}")).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await pm.PostAsJsonAsync(Url, Request(bEmail, Today.AddDays(60), Today.AddDays(61)))).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await pm.DeleteAsync($"{Url}/{id}")).ExpectProblemAsync(HttpStatusCode.Forbidden);

        using var anonymous = factory.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(Url)).StatusCode);
        Assert.Equal(before, await CountAsync());
        var stored = await factory.QueryDbAsync(db => db.ApprovalDelegations.AsNoTracking().SingleAsync(d => d.Id == Guid.Parse(id)));
        Assert.Null(stored.RevokedAt);
    }

    /// <summary>Delegations and user audit events stored: a refusal changes neither.</summary>
    private Task<(int Delegations, int Events)> CountAsync() =>
        factory.QueryDbAsync(async db => (await db.ApprovalDelegations.CountAsync(), await db.UserAuditEvents.CountAsync()));
}
