using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.Approvals;
using RestorationWorkflow.IntegrationTests.Infrastructure;

namespace RestorationWorkflow.IntegrationTests.Approvals;

/// <summary>
/// <c>GET /api/inbox</c> and <c>/inbox</c>: what waits on each role — requests to decide (never the submitter's or a
/// team member's), stale requests to resubmit, next actions with their unmet guards, returned requests with the
/// comment, approvals to give again, overdue requests for administrators and auditors — sorted by due date, counted.
/// </summary>
public sealed class InboxTests(AppFactory factory) : IClassFixture<AppFactory>
{
    private const string Password = "Inbox-Keeper-2026!";

    [Fact]
    public async Task Approver_SeesRequestsToDecide_NotWhereTheyAreOnTheTeamOrSubmitted_AndTheItemGoesOnceDecided()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        using var approver1 = await factory.ClientForAsync(DemoUsers.Approver1);
        using var approver2 = await factory.ClientForAsync(DemoUsers.Approver2);
        using var both = await UserAsync("ProjectManager", "Approver");

        // A: the plan of pm's project waits in PlanReview (quorum 2).
        var a = await pm.CreateProjectAsync();
        await pm.ToPlanReviewAsync(approver1, a);
        // B: submitted by a manager who is also an approver, with approver2 on its team.
        var b = await both.CreateProjectAsync();
        var version = await both.FireAsync(b, "StartAssessment", 1);
        version = await both.CompleteStepsAsync(b, ProjectsApi.AssessmentSteps, version);
        await (await both.PostAsJsonAsync($"/api/projects/{b}/team", new { email = DemoUsers.Approver2, role = "member", expectedVersion = version }))
            .ExpectAsync(HttpStatusCode.OK);
        await both.FireAsync(b, "SubmitAssessment", version + 1);
        var requestA = (await pm.OpenRequestAsync(a, "plan")).GetProperty("id").GetGuid();
        var requestB = (await pm.OpenRequestAsync(b, "consent")).GetProperty("id").GetGuid();

        var inbox1 = await InboxAsync(approver1);
        var itemA = Single(inbox1, "decide", a);
        Assert.Equal((requestA, "plan", 0, 2), (itemA.GetProperty("requestId").GetGuid(), itemA.Str("gate"), itemA.Number("approvals"), itemA.Number("quorum")));
        Assert.Equal("PlanReview", itemA.GetProperty("project").Str("state"));
        Assert.False(string.IsNullOrEmpty(itemA.GetProperty("project").Str("code")));
        Assert.Contains("Pat Manager", itemA.GetProperty("reason").Str("en"), StringComparison.Ordinal);
        Assert.Contains("待您", itemA.GetProperty("reason").Str("zh-Hans"), StringComparison.Ordinal);
        Assert.NotEmpty(itemA.GetProperty("covers").EnumerateArray());
        Assert.Equal(0, itemA.Number("changeCount"));
        Assert.Equal(requestB, Single(inbox1, "decide", b).GetProperty("requestId").GetGuid());

        // approver2 is on B's team; the manager-approver submitted B and manages it: neither is offered B.
        var inbox2 = await InboxAsync(approver2);
        Single(inbox2, "decide", a);
        Assert.Empty(Items(inbox2, "decide", b));
        var inboxBoth = await InboxAsync(both);
        Assert.Empty(Items(inboxBoth, "decide", b));
        Assert.Single(Items(inboxBoth, "decide", a));
        // A project manager without the approver role has nothing to decide; the auditor neither.
        Assert.Empty(Items(await InboxAsync(pm), "decide"));
        using var auditor = await factory.ClientForAsync(DemoUsers.Auditor);
        Assert.Empty(Items(await InboxAsync(auditor), "decide"));

        // Once decided, the item leaves the decider's inbox and stays in the other approver's, with the approval counted.
        await (await approver1.DecideRawAsync(requestA, "approve", "Plan checked.")).ExpectAsync(HttpStatusCode.Created);
        Assert.Empty(Items(await InboxAsync(approver1), "decide", a));
        Assert.Equal(1, Single(await InboxAsync(approver2), "decide", a).Number("approvals"));
        Assert.Contains("1 of 2", Single(await InboxAsync(approver2), "decide", a).GetProperty("reason").Str("en"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Manager_SeesAStaleRequestToResubmit_TheApproverAnApprovalToGiveAgain_AndAfterResubmissionTheChanges()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        using var approver1 = await factory.ClientForAsync(DemoUsers.Approver1);
        using var approver2 = await factory.ClientForAsync(DemoUsers.Approver2);
        var arranged = await pm.ToPlanApprovedOnceAsync(approver1);
        var (id, requestId) = (arranged.Id, arranged.RequestId);
        Assert.Empty(Items(await InboxAsync(pm), "resubmit", id));

        var version = await pm.WithdrawConsentAsync(arranged, arranged.Version);
        version = await pm.ConsentAgainAndResumeAsync(arranged, version);

        var pmInbox = await InboxAsync(pm);
        var resubmit = Single(pmInbox, "resubmit", id);
        Assert.Equal((requestId, "plan"), (resubmit.GetProperty("requestId").GetGuid(), resubmit.Str("gate")));
        Assert.Equal(["consents"], resubmit.GetProperty("sections").EnumerateArray().Select(s => s.GetString()));
        Assert.Contains("resubmit", resubmit.GetProperty("reason").Str("en"), StringComparison.Ordinal);
        Assert.True(pmInbox.GetProperty("counts").Number("resubmit") >= 1);
        // The stale request is no one's to decide; the approver who approved it is told their approval no longer counts.
        Assert.Empty(Items(await InboxAsync(approver2), "decide", id));
        var again = Single(await InboxAsync(approver1), "staleDecision", id);
        Assert.True(again.GetProperty("readOnly").GetBoolean());
        Assert.Contains("consents", again.GetProperty("reason").Str("en"), StringComparison.Ordinal);
        Assert.Empty(Items(await InboxAsync(approver2), "staleDecision", id));

        await (await pm.PostAsJsonAsync($"/api/projects/{id}/approvals/plan/resubmit", new { expectedVersion = version })).ExpectAsync(HttpStatusCode.Created);
        Assert.Empty(Items(await InboxAsync(pm), "resubmit", id));
        Assert.Empty(Items(await InboxAsync(approver1), "staleDecision", id));
        // Both approvers decide the new submission, each seeing what changed since the previous snapshot.
        var fresh = Single(await InboxAsync(approver1), "decide", id);
        Assert.True(fresh.Number("changeCount") > 0);
        Assert.Equal(fresh.Number("changeCount"), fresh.GetProperty("changes").GetArrayLength());
        Assert.Contains(fresh.GetProperty("changes").EnumerateArray(), c => c.Str("section") == "consents");
        Single(await InboxAsync(approver2), "decide", id);
    }

    [Fact]
    public async Task Manager_SeesNextActionsWithUnmetGuards_AndReturnedRequestsWithTheComment()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        using var pm2 = await factory.ClientForAsync(DemoUsers.Pm2);
        using var approver1 = await factory.ClientForAsync(DemoUsers.Approver1);
        using var approver2 = await factory.ClientForAsync(DemoUsers.Approver2);
        var id = await pm.CreateProjectAsync();
        await pm.FireAsync(id, "StartAssessment", 1);

        var next = Single(await InboxAsync(pm), "nextAction", id);
        var submit = next.GetProperty("actions").EnumerateArray().Single(a => a.Str("trigger") == "SubmitAssessment");
        Assert.False(submit.GetProperty("allowed").GetBoolean());
        Assert.Contains("checklistComplete", submit.GetProperty("unmet").EnumerateArray().Select(u => u.Str("guard")));
        Assert.Contains("condition(s) unmet", next.GetProperty("reason").Str("en"), StringComparison.Ordinal);
        Assert.Contains("未满足", next.GetProperty("reason").Str("zh-Hans"), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, next.GetProperty("dueAt").ValueKind);
        // Only the project's managers see its next actions.
        Assert.Empty(Items(await InboxAsync(pm2), "nextAction", id));
        Assert.Empty(Items(await InboxAsync(approver1), "nextAction", id));

        var other = await pm.CreateProjectAsync();
        await pm.ToPlanReviewAsync(approver1, other);
        Assert.Empty(Items(await InboxAsync(pm), "nextAction", other));
        var requestId = (await pm.OpenRequestAsync(other, "plan")).GetProperty("id").GetGuid();
        await (await approver1.DecideRawAsync(requestId, "approve", "Fine.")).ExpectAsync(HttpStatusCode.Created);
        const string Comment = "The monitoring frequency is too low for the grazing target.";
        await (await approver2.DecideRawAsync(requestId, "reject", Comment, sections: ["targets"])).ExpectAsync(HttpStatusCode.Created);

        var inbox = await InboxAsync(pm);
        var returned = Single(inbox, "returned", other);
        Assert.Equal((Comment, requestId), (returned.Str("comment"), returned.GetProperty("requestId").GetGuid()));
        Assert.Equal(["targets"], returned.GetProperty("sections").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(DemoUsers.Approver2, returned.GetProperty("decidedBy").Str("email"));
        Assert.Contains(Comment, returned.GetProperty("reason").Str("en"), StringComparison.Ordinal);
        Assert.Contains(Comment, returned.GetProperty("reason").Str("zh-Hans"), StringComparison.Ordinal);
        // Back in Planning: its next action is to submit the plan again.
        Assert.Contains(Single(inbox, "nextAction", other).GetProperty("actions").EnumerateArray(), a => a.Str("trigger") == "SubmitPlan");
        Assert.Empty(Items(await InboxAsync(pm2), "returned", other));
        Assert.Empty(Items(await InboxAsync(approver2), "returned", other));

        // A rejection older than 30 days is no longer shown.
        await factory.WithDbAsync(db => db.ApprovalDecisions.Where(d => d.RequestId == requestId && d.Decision == ApprovalDecisionKind.Reject)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.DecidedAt, DateTimeOffset.UtcNow.AddDays(-31))));
        Assert.Empty(Items(await InboxAsync(pm), "returned", other));
    }

    [Fact]
    public async Task OverdueRequests_AreShownToAdministratorsAndAuditors_ReadOnlyForAuditors_AndItemsAreSortedByDueDate()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        using var approver1 = await factory.ClientForAsync(DemoUsers.Approver1);
        using var admin = await factory.ClientForAsync(DemoUsers.Admin);
        using var auditor = await factory.ClientForAsync(DemoUsers.Auditor);
        var late = await pm.CreateProjectAsync();
        await pm.ToPlanReviewAsync(approver1, late);
        var soon = await pm.CreateProjectAsync();
        await pm.ToPlanReviewAsync(approver1, soon);
        var lateRequest = (await pm.OpenRequestAsync(late, "plan")).GetProperty("id").GetGuid();
        var soonRequest = (await pm.OpenRequestAsync(soon, "plan")).GetProperty("id").GetGuid();
        Assert.Empty(Items(await InboxAsync(admin), "overdue", late));

        // The SLA passed for one request: its due date is set in the past.
        var past = DateTimeOffset.UtcNow.AddDays(-3);
        await factory.WithDbAsync(db => db.ApprovalRequests.Where(r => r.Id == lateRequest).ExecuteUpdateAsync(s => s.SetProperty(r => r.DueAt, past)));
        var soonDue = DateTimeOffset.UtcNow.AddDays(-1).AddHours(-1);
        await factory.WithDbAsync(db => db.ApprovalRequests.Where(r => r.Id == soonRequest).ExecuteUpdateAsync(s => s.SetProperty(r => r.DueAt, soonDue)));

        var adminInbox = await InboxAsync(admin);
        var overdue = Single(adminInbox, "overdue", late);
        Assert.True(overdue.GetProperty("overdue").GetBoolean());
        Assert.False(overdue.GetProperty("readOnly").GetBoolean());
        Assert.Contains("due ", overdue.GetProperty("reason").Str("en"), StringComparison.Ordinal);
        Assert.Equal(past.UtcTicks / TimeSpan.TicksPerSecond, overdue.GetProperty("dueAt").GetDateTimeOffset().UtcTicks / TimeSpan.TicksPerSecond);
        Assert.True(adminInbox.GetProperty("counts").Number("overdue") >= 2);
        var auditorInbox = await InboxAsync(auditor);
        Assert.True(Single(auditorInbox, "overdue", late).GetProperty("readOnly").GetBoolean());
        Assert.Equal(auditorInbox.GetProperty("counts").Number("overdue"), Items(auditorInbox, "overdue").Count);
        // Managers and approvers do not get the oversight list.
        Assert.Empty(Items(await InboxAsync(pm), "overdue"));
        Assert.Empty(Items(await InboxAsync(approver1), "overdue"));

        // The approver's decisions come by due date (the late one first, then the other, then those due later; none last).
        var inbox = await InboxAsync(approver1);
        var decide = Items(inbox, "decide");
        Assert.Equal([lateRequest, soonRequest], decide.Take(2).Select(i => i.GetProperty("requestId").GetGuid()));
        Assert.True(decide[0].GetProperty("overdue").GetBoolean());
        var dues = inbox.GetProperty("items").EnumerateArray()
            .Select(i => i.GetProperty("dueAt").ValueKind == JsonValueKind.Null ? DateTimeOffset.MaxValue : i.GetProperty("dueAt").GetDateTimeOffset()).ToList();
        Assert.Equal(dues.Order().ToList(), dues);
        // Counts: every kind's total; the badge is what needs action (decide, resubmit, overdue).
        var counts = inbox.GetProperty("counts");
        Assert.Equal(decide.Count, counts.Number("decide"));
        Assert.Equal(inbox.GetProperty("items").GetArrayLength(), counts.EnumerateObject().Sum(c => c.Value.GetInt32()));
        Assert.Equal(inbox.Number("total"), counts.EnumerateObject().Sum(c => c.Value.GetInt32()));
        Assert.Equal(counts.Number("decide") + counts.Number("resubmit") + counts.Number("overdue"), inbox.Number("badge"));
    }

    [Fact]
    public async Task RequestsWithoutADueDate_AreListedAfterEveryDatedOne_AndCounted()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        using var approver1 = await factory.ClientForAsync(DemoUsers.Approver1);
        var undated = await pm.CreateProjectAsync();
        await pm.ToPlanReviewAsync(approver1, undated);
        var dated = await pm.CreateProjectAsync();
        await pm.ToPlanReviewAsync(approver1, dated);
        // A gate without dueDays (as in the first workflow versions) opens requests without a due date.
        var undatedRequest = (await pm.OpenRequestAsync(undated, "plan")).GetProperty("id").GetGuid();
        await factory.WithDbAsync(db => db.ApprovalRequests.Where(r => r.Id == undatedRequest)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.DueAt, (DateTimeOffset?)null)));

        var inbox = await InboxAsync(approver1);
        var decide = Items(inbox, "decide");
        var last = decide[^1];
        Assert.Equal(undatedRequest, last.GetProperty("requestId").GetGuid());
        Assert.Equal(JsonValueKind.Null, last.GetProperty("dueAt").ValueKind);
        Assert.Contains(decide, i => i.GetProperty("project").GetProperty("id").GetGuid() == dated && i.GetProperty("dueAt").ValueKind != JsonValueKind.Null);
        Assert.All(decide.SkipLast(1), i => Assert.NotEqual(JsonValueKind.Null, i.GetProperty("dueAt").ValueKind));
        Assert.Equal(decide.Count, inbox.GetProperty("counts").Number("decide"));
    }

    [Fact]
    public async Task ARequestWhoseProjectIsSuspended_IsOnHold_NotOffered_AndOfferedAgainOnResumption()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        using var approver1 = await factory.ClientForAsync(DemoUsers.Approver1);
        var id = await pm.CreateProjectAsync();
        var version = await pm.FireAsync(id, "StartAssessment", 1);
        version = await pm.CompleteStepsAsync(id, ProjectsApi.AssessmentSteps, version);
        version = await pm.FireAsync(id, "SubmitAssessment", version);
        var requestId = Single(await InboxAsync(approver1), "decide", id).GetProperty("requestId").GetGuid();
        var before = (await InboxAsync(approver1)).GetProperty("counts").Number("decide");

        // Suspended from the consent review: the request stays open and fresh, but nobody decides it meanwhile.
        version = await pm.FireAsync(id, "WithdrawConsent", version, "The assembly asked for time.");
        var held = await factory.QueryDbAsync(db => db.ApprovalRequests.AsNoTracking().SingleAsync(r => r.Id == requestId));
        Assert.Equal((ApprovalRequestStatus.Open, false, true), (held.Status, held.Stale, held.OnHold));
        var shown = (await pm.ApprovalsAsync(id)).GetProperty("requests")[0];
        Assert.Equal(("open", true), (shown.Str("status"), shown.GetProperty("onHold").GetBoolean()));
        var inbox = await InboxAsync(approver1);
        Assert.Empty(Items(inbox, "decide", id));
        Assert.Equal(before - 1, inbox.GetProperty("counts").Number("decide"));
        // The navigation's count is one statement (no page check behind it): it must agree.
        using (var page = await PageSession.SignInAsync(factory, DemoUsers.Approver1))
        {
            var badge = inbox.Number("badge");
            Assert.Contains($"data-testid=\"inbox-badge\" aria-label=\"{badge} waiting\">{badge}</span>", await page.GetStringAsync("/inbox"), StringComparison.Ordinal);
        }
        var history = await (await pm.GetAsync($"/api/projects/{id}/history")).ExpectAsync(HttpStatusCode.OK);
        Assert.Contains("approvals.consent.onHold", history.GetRawText(), StringComparison.Ordinal);

        // Resumed: offered again, and decidable.
        await pm.FireAsync(id, "Resume", version, "Consent confirmed by the assembly.");
        Assert.False((await factory.QueryDbAsync(db => db.ApprovalRequests.AsNoTracking().SingleAsync(r => r.Id == requestId))).OnHold);
        Assert.Equal(requestId, Single(await InboxAsync(approver1), "decide", id).GetProperty("requestId").GetGuid());
        await (await approver1.DecideRawAsync(requestId, "approve", "Consent records verified.")).ExpectAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task ADelegationInForce_LetsTheDelegateDecideOnBehalf_OnlyInsideItsWindow()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        using var approver1 = await factory.ClientForAsync(DemoUsers.Approver1);
        var id = await pm.CreateProjectAsync();
        await pm.ToPlanReviewAsync(approver1, id);
        var (ids, today) = await factory.QueryDbAsync(async db => (
            await db.Users.Where(u => u.Email == DemoUsers.Approver1 || u.Email == DemoUsers.Approver2).ToDictionaryAsync(u => u.Email!, u => u.Id),
            DateOnly.FromDateTime(DateTime.UtcNow)));
        Assert.Empty(Single(await InboxAsync(approver1), "decide", id).GetProperty("mayDecideFor").EnumerateArray());

        await factory.WithDbAsync(async db =>
        {
            db.ApprovalDelegations.Add(new ApprovalDelegation(ids[DemoUsers.Approver2], ids[DemoUsers.Approver1], today.AddDays(-1), today.AddDays(2), ids[DemoUsers.Approver2], DateTimeOffset.UtcNow));
            db.ApprovalDelegations.Add(new ApprovalDelegation(ids[DemoUsers.Approver2], ids[DemoUsers.Approver1], today.AddDays(5), today.AddDays(9), ids[DemoUsers.Approver2], DateTimeOffset.UtcNow));
            await db.SaveChangesAsync();
        });
        var item = Single(await InboxAsync(approver1), "decide", id);
        Assert.Equal([DemoUsers.Approver2], item.GetProperty("mayDecideFor").EnumerateArray().Select(p => p.Str("email")));
        Assert.Contains("on behalf of", item.GetProperty("reason").Str("en"), StringComparison.Ordinal);

        // Revoked: no longer offered.
        await factory.WithDbAsync(db => db.ApprovalDelegations.Where(d => d.DelegateId == ids[DemoUsers.Approver1])
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.RevokedAt, DateTimeOffset.UtcNow)));
        Assert.Empty(Single(await InboxAsync(approver1), "decide", id).GetProperty("mayDecideFor").EnumerateArray());
    }

    [Fact]
    public async Task InboxPage_ApproverDecidesFromIt_ARejectionWithoutCommentIsShownAtTheField_AndTheBadgeCounts()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        using var approver1 = await factory.ClientForAsync(DemoUsers.Approver1);
        var id = await pm.CreateProjectAsync();
        await pm.ToPlanReviewAsync(approver1, id);
        var requestId = (await pm.OpenRequestAsync(id, "plan")).GetProperty("id").GetGuid();
        using var page = await PageSession.SignInAsync(factory, DemoUsers.Approver2);

        var html = await page.GetStringAsync("/inbox");
        var badge = (await InboxAsync(await factory.ClientForAsync(DemoUsers.Approver2))).Number("badge");
        Assert.Contains($"data-testid=\"inbox-badge\" aria-label=\"{badge} waiting\">{badge}</span>", html, StringComparison.Ordinal);
        Assert.Contains($"data-request=\"{requestId}\"", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"decide-form\"", html, StringComparison.Ordinal);
        // The sections an approver may ask to change are named as the project page names them, not by their codes.
        Assert.Contains("value=\"targets\" /> Restoration targets</label>", html, StringComparison.Ordinal);

        using var refused = await page.PostAsync("/inbox?handler=Decide", Form(html, requestId, "reject", ""));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var refusedHtml = await refused.Content.ReadAsStringAsync();
        Assert.Contains("data-testid=\"comment-error\">A rejection needs a comment", refusedHtml, StringComparison.Ordinal);
        Assert.Equal(0, await factory.QueryDbAsync(db => db.ApprovalDecisions.CountAsync(d => d.RequestId == requestId)));

        using var approved = await page.PostAsync("/inbox?handler=Decide", Form(html, requestId, "approve", "Budget and schedule checked."));
        Assert.Equal(HttpStatusCode.Redirect, approved.StatusCode);
        var decision = await factory.QueryDbAsync(db => db.ApprovalDecisions.AsNoTracking().SingleAsync(d => d.RequestId == requestId));
        Assert.Equal(("Budget and schedule checked.", ApprovalDecisionKind.Approve), (decision.Comment, decision.Decision));
        var after = await page.GetStringAsync("/inbox");
        Assert.DoesNotContain($"data-request=\"{requestId}\"", after, StringComparison.Ordinal);

        // Without the anti-forgery token nothing is decided.
        using var forged = await page.PostAsync("/inbox?handler=Decide", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["requestId"] = requestId.ToString(), ["decision"] = "approve",
        }));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);

        // In Chinese.
        using var zh = new HttpRequestMessage(HttpMethod.Get, "/inbox");
        zh.Headers.AcceptLanguage.ParseAdd("zh-Hans");
        var zhHtml = await (await page.SendAsync(zh)).Content.ReadAsStringAsync();
        Assert.Contains("待办", zhHtml, StringComparison.Ordinal);
    }

    private static FormUrlEncodedContent Form(string html, Guid requestId, string decision, string comment) => new(new Dictionary<string, string>
    {
        ["__RequestVerificationToken"] = PageSession.Token(html),
        ["requestId"] = requestId.ToString(),
        ["decision"] = decision,
        ["comment"] = comment,
    });

    private static async Task<JsonElement> InboxAsync(HttpClient client) => await (await client.GetAsync("/api/inbox")).ExpectAsync(HttpStatusCode.OK);

    private static List<JsonElement> Items(JsonElement inbox, string kind, Guid? project = null) =>
        [.. inbox.GetProperty("items").EnumerateArray().Where(i => i.Str("kind") == kind && (project is null || i.GetProperty("project").GetProperty("id").GetGuid() == project))];

    private static JsonElement Single(JsonElement inbox, string kind, Guid project) => Assert.Single(Items(inbox, kind, project));

    private async Task<HttpClient> UserAsync(params string[] roles)
    {
        using var admin = await factory.ClientForAsync(DemoUsers.Admin);
        var email = $"inbox-{Guid.NewGuid():N}@example.org";
        await (await admin.PostAsJsonAsync("/api/admin/users", new { email, displayName = "Sam Inbox", password = Password, roles }))
            .ExpectAsync(HttpStatusCode.Created);
        return await factory.ClientForAsync(email, Password);
    }
}
