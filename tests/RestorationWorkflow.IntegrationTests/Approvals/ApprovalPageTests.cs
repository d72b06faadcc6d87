using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.Approvals;
using RestorationWorkflow.IntegrationTests.Infrastructure;

namespace RestorationWorkflow.IntegrationTests.Approvals;

/// <summary>
/// The Approvals section of the project page, for every role: an approver approves or rejects (a comment is required
/// to reject, shown next to the field in the reader's language) signing the snapshot hash they were shown, or decides
/// on behalf of an approver whose delegation is in force; the submitter, the team and auditors see the history and why
/// they cannot decide, with no form; a manager resubmits a stale request. The gated approve and reject transitions
/// are no longer buttons of the Actions section.
/// </summary>
public sealed partial class ApprovalPageTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task Approver_ApprovesFromTheProjectPage_SigningTheSnapshotShown()
    {
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        var id = await ConsentReviewAsync(pm);
        var open = await pm.OpenRequestAsync(id, "consent");
        var hash = open.Str("snapshotHash");

        using var approver = await PageSession.SignInAsync(app, DemoUsers.Approver1);
        var page = await approver.GetStringAsync($"/Projects/{id}");
        // The review's approve and reject are not buttons of the Actions section any more; it points to the approvals.
        Assert.DoesNotContain("data-testid=\"action-ApproveConsent\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"action-RejectConsent\"", page, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"decided-in-approvals\"", page, StringComparison.Ordinal);
        var section = Approvals(page);
        Assert.Contains("data-testid=\"approve-consent\"", section, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"reject-consent\"", section, StringComparison.Ordinal);
        Assert.Equal(hash, Hidden(section, "snapshotHash"));
        Assert.Equal(open.Str("id"), Hidden(section, "requestId"));
        // The gate's rules: quorum, SLA, who decides.
        Assert.Contains("1 distinct approver(s)", section, StringComparison.Ordinal);
        Assert.Contains("14 day(s) after submission", section, StringComparison.Ordinal);
        Assert.Contains("not the submitter nor the project team", section, StringComparison.Ordinal);

        // A decision on another snapshot than the request's is refused (409), and nothing is recorded.
        using var other = await PostAsync(approver, id, "Decide", page,
            ("requestId", open.Str("id")), ("decision", "approve"), ("snapshotHash", new string('0', 64)));
        Assert.Equal(HttpStatusCode.Conflict, other.StatusCode);
        Assert.Contains("not what you reviewed any more", Approvals(await other.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(0, await app.QueryDbAsync(db => db.ApprovalDecisions.CountAsync(d => d.ProjectId == id)));

        using var approved = await PostAsync(approver, id, "Decide", page,
            ("requestId", open.Str("id")), ("decision", "approve"), ("snapshotHash", hash), ("comment", "Consent records verified."));
        Assert.Equal(HttpStatusCode.Redirect, approved.StatusCode);
        Assert.Equal($"/Projects/{id}#approvals", approved.Headers.Location?.OriginalString);
        Assert.Equal("Planning", (await pm.GetProjectAsync(id)).Str("state"));
        var decision = await app.QueryDbAsync(db => db.ApprovalDecisions.AsNoTracking().SingleAsync(d => d.ProjectId == id));
        Assert.Equal((ApprovalDecisionKind.Approve, hash, "Consent records verified."), (decision.Decision, decision.SnapshotHash, decision.Comment));

        var after = Approvals(await approver.GetStringAsync($"/Projects/{id}"));
        var request = Request(after, "consent", 1);
        Assert.Contains("data-status=\"approved\"", request, StringComparison.Ordinal);
        Assert.Contains("Alex Approver", request, StringComparison.Ordinal);
        Assert.Contains($"data-hash=\"{hash}\"", request, StringComparison.Ordinal);
        Assert.Contains($"title=\"SHA-256 {hash}\">{hash[..12]}…</code>", request, StringComparison.Ordinal);
        Assert.DoesNotContain("<form", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Approver_RejectingWithoutAComment_SeesTheFieldError_InChinese_ThenRejectsWithOne()
    {
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        var id = await ConsentReviewAsync(pm);
        var open = await pm.OpenRequestAsync(id, "consent");
        using var approver = await PageSession.SignInAsync(app, DemoUsers.Approver2);
        var page = await approver.GetStringAsync($"/Projects/{id}");

        using var refused = await PostAsync(approver, id, "Decide", page, "zh-Hans",
            ("requestId", open.Str("id")), ("decision", "reject"), ("snapshotHash", open.Str("snapshotHash")), ("comment", " "), ("sections", "consents"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var section = Approvals(await refused.Content.ReadAsStringAsync());
        Assert.Matches(@"data-testid=""error-comment"">退回时必须填写意见，说明需要修改什么。</span>", section);
        // The form comes back as it was sent, ready to be completed.
        Assert.Matches(@"value=""consents"" checked=""checked""", section);
        Assert.Contains("data-testid=\"reject-consent\"", section, StringComparison.Ordinal);
        Assert.Equal("ConsentReview", (await pm.GetProjectAsync(id)).Str("state"));
        Assert.Equal(0, await app.QueryDbAsync(db => db.ApprovalDecisions.CountAsync(d => d.ProjectId == id)));

        using var rejected = await PostAsync(approver, id, "Decide", page,
            ("requestId", open.Str("id")), ("decision", "reject"), ("snapshotHash", open.Str("snapshotHash")),
            ("comment", "The assembly minutes lack the women's signatures."), ("sections", "consents"), ("sections", "participation"));
        Assert.Equal(HttpStatusCode.Redirect, rejected.StatusCode);
        Assert.Equal("Assessment", (await pm.GetProjectAsync(id)).Str("state"));
        var decision = await app.QueryDbAsync(db => db.ApprovalDecisions.AsNoTracking().SingleAsync(d => d.ProjectId == id));
        Assert.Equal(ApprovalDecisionKind.Reject, decision.Decision);
        Assert.Equal(["consents", "participation"], decision.Sections);

        var request = Request(Approvals(await approver.GetStringAsync($"/Projects/{id}")), "consent", 1);
        Assert.Contains("data-status=\"rejected\"", request, StringComparison.Ordinal);
        Assert.Contains("The assembly minutes lack the women&#x27;s signatures.", request, StringComparison.Ordinal);
        Assert.Contains("To change: Consent records, Participation events", request, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delegate_DecidesOnBehalfOfTheApproverWhoseDelegationIsInForce()
    {
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        var id = await ConsentReviewAsync(pm);
        var open = await pm.OpenRequestAsync(id, "consent");
        var (approver1, approver2) = (await UserIdAsync(DemoUsers.Approver1), await UserIdAsync(DemoUsers.Approver2));
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        await app.WithDbAsync(async db =>
        {
            // Approver 2 is away this week and delegated to approver 1; an older window has ended.
            db.ApprovalDelegations.Add(new ApprovalDelegation(approver2, approver1, today.AddDays(-1), today.AddDays(5), approver2, DateTimeOffset.UtcNow));
            await db.SaveChangesAsync();
        });

        using var delegateSession = await PageSession.SignInAsync(app, DemoUsers.Approver1);
        var page = await delegateSession.GetStringAsync($"/Projects/{id}");
        var select = Regex.Match(Approvals(page), @"<select name=""onBehalfOf""[^>]*>(?<options>.*?)</select>", RegexOptions.Singleline);
        Assert.True(select.Success, "The delegate is offered to decide on behalf of the delegator.");
        Assert.Contains($"<option value=\"{approver2}\">", select.Groups["options"].Value, StringComparison.Ordinal);
        Assert.Equal(2, Regex.Count(select.Groups["options"].Value, "<option"));
        // Approver 2 has no delegation from anybody: no choice is offered.
        using var delegatorSession = await PageSession.SignInAsync(app, DemoUsers.Approver2);
        Assert.DoesNotContain("name=\"onBehalfOf\"", await delegatorSession.GetStringAsync($"/Projects/{id}"), StringComparison.Ordinal);

        using var decided = await PostAsync(delegateSession, id, "Decide", page,
            ("requestId", open.Str("id")), ("decision", "approve"), ("snapshotHash", open.Str("snapshotHash")), ("onBehalfOf", approver2));
        Assert.Equal(HttpStatusCode.Redirect, decided.StatusCode);
        var decision = await app.QueryDbAsync(db => db.ApprovalDecisions.AsNoTracking().SingleAsync(d => d.ProjectId == id));
        Assert.Equal((approver1, approver2), (decision.DeciderId, decision.OnBehalfOfId));
        var request = Request(Approvals(await delegateSession.GetStringAsync($"/Projects/{id}")), "consent", 1);
        Assert.Matches(@"Alex Approver\s*<div class=""muted"">On behalf of [^<]+</div>", request);
    }

    [Fact]
    public async Task SubmitterApproverWhoDecidedAndAuditor_SeeTheHistoryAndWhyTheyCannotDecide_WithNoForm()
    {
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        using var approver1 = await app.ClientForAsync(DemoUsers.Approver1);
        var id = await pm.CreateProjectAsync();
        await pm.ToPlanReviewAsync(approver1, id);
        var plan = await pm.OpenRequestAsync(id, "plan");
        await (await approver1.DecideRawAsync(plan.GetProperty("id").GetGuid(), "approve", "Targets are measurable.")).ExpectAsync(HttpStatusCode.Created);
        // The plan review has waited past its 30 days.
        await app.WithDbAsync(async db =>
        {
            var request = await db.ApprovalRequests.SingleAsync(r => r.Id == plan.GetProperty("id").GetGuid());
            db.Entry(request).Property(r => r.DueAt).CurrentValue = DateTimeOffset.UtcNow.AddDays(-2);
            await db.SaveChangesAsync();
        });

        using var auditor = await PageSession.SignInAsync(app, DemoUsers.Auditor);
        var page = await auditor.GetStringAsync($"/Projects/{id}");
        var section = Approvals(page);
        Assert.DoesNotContain("<form", section, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"approve-plan\"", section, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"resubmit-plan\"", section, StringComparison.Ordinal);
        Assert.Contains("Only these roles decide the gate &#x27;Restoration plan&#x27;: Approver.", Between(section, "data-testid=\"why-not-plan\"", "</ul>"), StringComparison.Ordinal);
        Assert.Contains("data-status=\"approved\"", Request(section, "consent", 1), StringComparison.Ordinal);
        var planRequest = Request(section, "plan", 1);
        Assert.Contains("data-status=\"open\"", planRequest, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"overdue-plan-1\"", planRequest, StringComparison.Ordinal);
        Assert.Contains("1 of 2 approval(s)", planRequest, StringComparison.Ordinal);
        Assert.Contains("Targets are measurable.", planRequest, StringComparison.Ordinal);
        Assert.Contains("No request yet", Between(section, "data-testid=\"gate-evaluation\"", "</article>"), StringComparison.Ordinal);

        // The full snapshot, as GET /api/approvals/{id} gives it, for a signed-in reader of the project.
        using var snapshot = await auditor.GetAsync($"/Projects/{id}?handler=Snapshot&requestId={plan.Str("id")}");
        Assert.Equal(HttpStatusCode.OK, snapshot.StatusCode);
        var detail = await snapshot.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(plan.Str("snapshotHash"), detail.GetProperty("request").Str("snapshotHash"));
        Assert.Equal(JsonValueKind.Object, detail.GetProperty("snapshot").ValueKind);
        Assert.Contains($"href=\"/Projects/{id}?requestId={plan.Str("id")}&amp;handler=Snapshot\"", planRequest, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await auditor.GetAsync($"/Projects/{id}?handler=Snapshot&requestId={Guid.NewGuid()}")).StatusCode);

        // The submitter is refused twice (submitter and team member), the approver who decided once.
        using var manager = await PageSession.SignInAsync(app, DemoUsers.Pm);
        var managerPage = await manager.GetStringAsync($"/Projects/{id}");
        var mine = Approvals(managerPage);
        Assert.DoesNotContain("<form", mine, StringComparison.Ordinal);
        var why = Between(mine, "data-testid=\"why-not-plan\"", "</ul>");
        Assert.Contains("You submitted this for review (Restoration plan)", why, StringComparison.Ordinal);
        Assert.Contains("Members of the project team may not decide its approvals", why, StringComparison.Ordinal);
        using var decided = await PageSession.SignInAsync(app, DemoUsers.Approver1);
        Assert.Contains("already decided this request", Between(Approvals(await decided.GetStringAsync($"/Projects/{id}")), "data-testid=\"why-not-plan\"", "</ul>"),
            StringComparison.Ordinal);

        // Posting anyway is refused with the rule, in the reader's language.
        using var forced = await PostAsync(manager, id, "Decide", managerPage, "zh-Hans",
            ("requestId", plan.Str("id")), ("decision", "approve"), ("snapshotHash", plan.Str("snapshotHash")));
        Assert.Equal(HttpStatusCode.Forbidden, forced.StatusCode);
        Assert.Contains("项目团队成员不得决定本项目的审批", Between(Approvals(await forced.Content.ReadAsStringAsync()), "data-testid=\"approval-errors\"", "</ul>"),
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task Manager_ResubmitsAStaleRequest_FromTheProjectPage()
    {
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        using var approver1 = await app.ClientForAsync(DemoUsers.Approver1);
        var arranged = await pm.ToPlanApprovedOnceAsync(approver1);
        var id = arranged.Id;
        var version = await pm.WithdrawConsentAsync(arranged, arranged.Version);

        // Suspended: the request waits; nobody resubmits or decides.
        using var manager = await PageSession.SignInAsync(app, DemoUsers.Pm);
        var suspended = Approvals(await manager.GetStringAsync($"/Projects/{id}"));
        Assert.Contains("data-testid=\"awaits-plan\"", suspended, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"resubmit-plan\"", suspended, StringComparison.Ordinal);

        version = await pm.ConsentAgainAndResumeAsync(arranged, version);

        using var approver2 = await PageSession.SignInAsync(app, DemoUsers.Approver2);
        var theirs = Approvals(await approver2.GetStringAsync($"/Projects/{id}"));
        Assert.Contains("data-testid=\"stale-plan\"", theirs, StringComparison.Ordinal);
        Assert.DoesNotContain("<form", theirs, StringComparison.Ordinal);
        Assert.Contains("Stale: Consent records changed", Request(theirs, "plan", 1), StringComparison.Ordinal);

        var page = await manager.GetStringAsync($"/Projects/{id}");
        var mine = Approvals(page);
        Assert.Contains("data-testid=\"resubmit-plan\"", mine, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"approve-plan\"", mine, StringComparison.Ordinal);

        using var resubmitted = await PostAsync(manager, id, "Resubmit", page,
            ("gate", "plan"), ("expectedVersion", version.ToString(CultureInfo.InvariantCulture)), ("comment", "Consent renewed on 1 June."));
        Assert.Equal(HttpStatusCode.Redirect, resubmitted.StatusCode);
        Assert.Equal($"/Projects/{id}#approvals", resubmitted.Headers.Location?.OriginalString);
        var requests = (await pm.ApprovalsAsync(id)).GetProperty("requests").EnumerateArray().Where(r => r.Str("gate") == "plan").ToList();
        Assert.Equal(["superseded", "open"], requests.Select(r => r.Str("status")));

        var after = Approvals(await manager.GetStringAsync($"/Projects/{id}"));
        Assert.DoesNotContain("data-testid=\"resubmit-plan\"", after, StringComparison.Ordinal);
        Assert.Contains("data-status=\"superseded\"", Request(after, "plan", 1), StringComparison.Ordinal);
        var diff = Between(Request(after, "plan", 2), "data-testid=\"diff-plan-2\"", "</details>");
        Assert.Contains("since request #1", diff, StringComparison.Ordinal);
        Assert.Contains("<td>Consent records</td>", diff, StringComparison.Ordinal);

        // Nothing changed since: a second resubmission (an old page) is refused with the reason.
        using var again = await PostAsync(manager, id, "Resubmit", page, ("gate", "plan"), ("expectedVersion", (version + 1).ToString(CultureInfo.InvariantCulture)));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("it needs no resubmission", Approvals(await again.Content.ReadAsStringAsync()), StringComparison.Ordinal);
    }

    private static async Task<Guid> ConsentReviewAsync(HttpClient pm)
    {
        var id = await pm.CreateProjectAsync();
        var version = await pm.FireAsync(id, "StartAssessment", 1);
        version = await pm.CompleteStepsAsync(id, ProjectsApi.AssessmentSteps, version);
        await pm.FireAsync(id, "SubmitAssessment", version);
        return id;
    }

    private Task<string> UserIdAsync(string email) =>
        app.QueryDbAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, Guid id, string handler, string page, params (string Name, string Value)[] fields) =>
        PostAsync(client, id, handler, page, null, fields);

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, Guid id, string handler, string page, string? language, params (string Name, string Value)[] fields)
    {
        var form = fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))
            .Append(new KeyValuePair<string, string>("__RequestVerificationToken", PageSession.Token(page)));
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/Projects/{id}?handler={handler}") { Content = new FormUrlEncodedContent(form) };
        if (language is not null)
            request.Headers.AcceptLanguage.ParseAdd(language);
        return await client.SendAsync(request);
    }

    /// <summary>The Approvals section of a project page.</summary>
    private static string Approvals(string page) => Between(page, "data-testid=\"approvals\"", "</section>");

    /// <summary>One request of a gate's history.</summary>
    private static string Request(string section, string gate, int sequence) =>
        Between(section, $"data-testid=\"request-{gate}-{sequence}\"", "</li>");

    private static string Between(string text, string start, string end)
    {
        var from = text.IndexOf(start, StringComparison.Ordinal);
        Assert.True(from >= 0, $"'{start}' is not on the page.");
        var to = text.IndexOf(end, from, StringComparison.Ordinal);
        return to < 0 ? text[from..] : text[from..to];
    }

    private static string Hidden(string html, string name) =>
        Regex.Match(html, $@"<input type=""hidden"" name=""{name}"" value=""(?<value>[^""]*)""").Groups["value"].Value;
}
