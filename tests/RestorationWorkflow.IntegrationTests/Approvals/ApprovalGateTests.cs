using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.IntegrationTests.Infrastructure;

namespace RestorationWorkflow.IntegrationTests.Approvals;

/// <summary>
/// Approval gates on workflow v3: requests opened on entering a review with a snapshot hash, quorum of distinct
/// approvers, separation of duties (submitter and team, whatever roles they hold), rejection with its comment,
/// stale sign-offs after a consent withdrawal, resubmission, the evaluation gate before closing.
/// </summary>
public sealed class ApprovalGateTests(AppFactory factory) : IClassFixture<AppFactory>
{
    private const string Password = "Gate-Keeper-2026!";

    [Fact]
    public async Task PlanQuorum_NeedsTwoDistinctApprovers_TheSameApproverTwiceCountsOnce()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        using var approver1 = await factory.ClientForAsync(DemoUsers.Approver1);
        using var approver2 = await factory.ClientForAsync(DemoUsers.Approver2);
        var id = await pm.CreateProjectAsync();
        var version = await pm.ToPlanReviewAsync(approver1, id);

        var request = await approver1.OpenRequestAsync(id, "plan");
        Assert.Equal((2, 0, 1), (request.Number("quorum"), request.Number("approvals"), request.Number("sequence")));
        Assert.Matches("^[0-9a-f]{64}$", request.Str("snapshotHash"));
        var requestId = request.GetProperty("id").GetGuid();

        var first = await (await approver1.DecideRawAsync(requestId, "approve", "Targets are measurable.")).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal("PlanReview", first.Str("projectState"));
        Assert.Equal(version + 1, first.Number("projectVersion"));
        Assert.Equal(1, first.GetProperty("request").Number("approvals"));

        var again = await (await approver1.DecideRawAsync(requestId, "approve", "Once more.")).ExpectProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(["alreadyDecided"], again.Guards("reasons"));
        Assert.Equal(("PlanReview", version + 1), await StateAsync(id));

        var second = await (await approver2.DecideRawAsync(requestId, "approve", "Budget checked.")).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(("Implementation", "ApprovePlan"), (second.Str("projectState"), second.Str("fired")));
        var approvals = await pm.ApprovalsAsync(id);
        var closed = approvals.GetProperty("requests").EnumerateArray().Single(r => r.Str("gate") == "plan");
        Assert.Equal("approved", closed.Str("status"));
        var decisions = closed.GetProperty("decisions").EnumerateArray().ToList();
        Assert.Equal(["Alex Approver", "approver2@example.org"], decisions.Select(d => d.GetProperty("decider").Str("name")).Take(1).Append(decisions[1].GetProperty("decider").Str("email")));
        Assert.All(decisions, d => Assert.Equal(request.Str("snapshotHash"), d.Str("snapshotHash")));

        // Each decision is an audit event carrying the snapshot hash; the chain still verifies.
        var events = (await factory.QueryDbAsync(db => db.AuditEvents.AsNoTracking().Where(e => e.ProjectId == id && e.Action == "approval.decided").OrderBy(e => e.Sequence).ToListAsync()))
            .Where(e => e.Changes.Contains("approvals.plan.", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, events.Count);
        Assert.All(events, e => Assert.Contains(request.Str("snapshotHash"), e.Changes, StringComparison.Ordinal));
        Assert.Equal("ApprovePlan", events[1].Trigger);
        var verify = await (await pm.GetAsync($"/api/projects/{id}/audit/verify")).ExpectAsync(HttpStatusCode.OK);
        Assert.True(verify.GetProperty("valid").GetBoolean(), verify.GetRawText());
    }

    [Fact]
    public async Task SubmitterAndTeamMembers_AreRefused_EvenWhenTheyHoldTheApproverRole()
    {
        using var both = await UserAsync("ProjectManager", "Approver");
        using var approver1 = await factory.ClientForAsync(DemoUsers.Approver1);
        using var approver2 = await factory.ClientForAsync(DemoUsers.Approver2);
        var id = await both.CreateProjectAsync();
        var version = await both.FireAsync(id, "StartAssessment", 1);
        version = await both.CompleteStepsAsync(id, ProjectsApi.AssessmentSteps, version);
        // approver2 joins the team as a member: a team member may not decide, whatever their role.
        using var admin = await factory.ClientForAsync(DemoUsers.Admin);
        version = (await (await both.PostAsJsonAsync($"/api/projects/{id}/team", new { email = DemoUsers.Approver2, role = "member", expectedVersion = version }))
            .ExpectAsync(HttpStatusCode.OK)).Number("version");
        version = await both.FireAsync(id, "SubmitAssessment", version);
        var requestId = (await both.OpenRequestAsync(id, "consent")).GetProperty("id").GetGuid();

        var submitter = await (await both.DecideRawAsync(requestId, "approve")).ExpectProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(["submitter", "teamMember"], submitter.Guards("reasons"));
        var member = await (await approver2.DecideRawAsync(requestId, "approve")).ExpectProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(["teamMember"], member.Guards("reasons"));
        var auditor = await factory.ClientForAsync(DemoUsers.Auditor);
        var notApprover = await (await auditor.DecideRawAsync(requestId, "approve")).ExpectProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(["role"], notApprover.Guards("reasons"));
        Assert.Equal(("ConsentReview", version), await StateAsync(id));
        Assert.Equal(0, await factory.QueryDbAsync(db => db.ApprovalDecisions.CountAsync(d => d.ProjectId == id)));

        // Nor can the gate be passed by firing its trigger directly.
        var direct = await (await approver1.PostAsJsonAsync($"/api/projects/{id}/transitions", new { trigger = "ApproveConsent", expectedVersion = version }))
            .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("approvalGate", direct.Guards("unmet"));

        await (await approver1.DecideRawAsync(requestId, "approve", "Consent record verified.")).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal("Planning", (await StateAsync(id)).State);
    }

    [Fact]
    public async Task Rejection_NeedsAComment_AndLoopsBackWithIt()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        using var approver1 = await factory.ClientForAsync(DemoUsers.Approver1);
        using var approver2 = await factory.ClientForAsync(DemoUsers.Approver2);
        var id = await pm.CreateProjectAsync();
        var version = await pm.ToPlanReviewAsync(approver1, id);
        var requestId = (await approver1.OpenRequestAsync(id, "plan")).GetProperty("id").GetGuid();

        var noComment = await (await approver2.DecideRawAsync(requestId, "reject")).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(noComment.GetProperty("errors").TryGetProperty("comment", out _));
        // The API answers in the caller's language, as the pages do (the same command, no page-side translation).
        using (var zh = new HttpRequestMessage(HttpMethod.Post, $"/api/approvals/{requestId}/decisions") { Content = JsonContent.Create(new { decision = "reject" }) })
        {
            zh.Headers.AcceptLanguage.ParseAdd("zh-Hans");
            var zhProblem = await (await approver2.SendAsync(zh)).ExpectProblemAsync(HttpStatusCode.BadRequest);
            Assert.Equal("退回时必须填写意见，说明需要修改什么。", zhProblem.GetProperty("errors").GetProperty("comment")[0].GetString());
        }
        var badDecision = await (await approver2.DecideRawAsync(requestId, "maybe", "?")).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(badDecision.GetProperty("errors").TryGetProperty("decision", out _));
        var badSection = await (await approver2.DecideRawAsync(requestId, "reject", "Fix it.", sections: ["budget"])).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(badSection.GetProperty("errors").TryGetProperty("sections[0]", out _));

        await (await approver1.DecideRawAsync(requestId, "approve", "Fine by me.")).ExpectAsync(HttpStatusCode.Created);
        var rejected = await (await approver2.DecideRawAsync(requestId, "reject", "The monitoring frequency is too low for the grazing target.", sections: ["targets"]))
            .ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(("Planning", "RejectPlan"), (rejected.Str("projectState"), rejected.Str("fired")));
        Assert.Equal("rejected", rejected.GetProperty("request").Str("status"));

        var history = (await (await pm.GetAsync($"/api/projects/{id}/history")).ExpectAsync(HttpStatusCode.OK)).EnumerateArray().Last();
        Assert.Equal(("RejectPlan", "The monitoring frequency is too low for the grazing target."), (history.Str("trigger"), history.Str("comment")));
        // A closed request takes no more decisions.
        using var other = await UserAsync("Approver");
        var late = await (await other.DecideRawAsync(requestId, "approve")).ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("approval-request-closed", late.Str("code"));

        // Submitting again opens the gate's next request, whose diff against the rejected one is empty (nothing changed).
        version = await pm.FireAsync(id, "SubmitPlan", rejected.Number("projectVersion"));
        var next = await pm.OpenRequestAsync(id, "plan");
        Assert.Equal(2, next.Number("sequence"));
        Assert.Equal(requestId, next.GetProperty("previousRequestId").GetGuid());
        Assert.Equal(0, next.GetProperty("approvals").GetInt32());
    }

    [Fact]
    public async Task Submitting_AnswersTheRequestItOpened_AndATransitionThatOpensNoneAnswersNothing()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        using var approver1 = await factory.ClientForAsync(DemoUsers.Approver1);
        var other = await pm.CreateProjectAsync();
        var started = await (await pm.PostAsJsonAsync($"/api/projects/{other}/transitions", new { trigger = "StartAssessment", expectedVersion = 1 }))
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Assessment", started.Str("state"));
        Assert.Empty(started.GetProperty("created").EnumerateArray());

        var id = await pm.CreateProjectAsync();
        var version = await pm.ToPlanningAsync(approver1, id);
        version = await pm.PutSafeguardsAsync(id, SafeguardsApi.Review(version, plansPlanting: false));
        var submitted = await (await pm.PostAsJsonAsync($"/api/projects/{id}/transitions", new { trigger = "SubmitPlan", expectedVersion = version }))
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(("PlanReview", version + 1), (submitted.Str("state"), submitted.Number("version")));
        var created = Assert.Single(submitted.GetProperty("created").EnumerateArray());
        var open = await approver1.OpenRequestAsync(id, "plan");
        var requestId = open.GetProperty("id").GetGuid();
        Assert.Equal(("approvalRequest", requestId), (created.Str("kind"), created.GetProperty("id").GetGuid()));
        Assert.Equal($"/api/approvals/{requestId}", created.Str("href"));
        var detail = await (await approver1.GetAsync(created.Str("href"))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(("plan", open.Str("snapshotHash")), (detail.GetProperty("request").Str("gate"), detail.GetProperty("request").Str("snapshotHash")));
    }

    [Fact]
    public async Task ConsentWithdrawal_AfterOnePlanApproval_MakesItStale_AndBlocksTheGateUntilResubmitted()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        using var approver1 = await factory.ClientForAsync(DemoUsers.Approver1);
        using var approver2 = await factory.ClientForAsync(DemoUsers.Approver2);
        var arranged = await pm.ToPlanApprovedOnceAsync(approver1);
        var (id, requestId) = (arranged.Id, arranged.RequestId);

        // The community withdraws its consent: the project is suspended and the approval no longer signs what is there.
        var version = await pm.WithdrawConsentAsync(arranged, arranged.Version);
        var stale = await pm.OpenRequestAsync(id, "plan");
        Assert.True(stale.GetProperty("stale").GetBoolean());
        Assert.Equal(["consents"], stale.GetProperty("staleSections").EnumerateArray().Select(s => s.GetString()));

        version = await pm.ConsentAgainAndResumeAsync(arranged, version);
        Assert.Equal("PlanReview", (await StateAsync(id)).State);

        // The gate cannot pass on the stale request.
        var blocked = await (await approver2.DecideRawAsync(requestId, "approve", "Looks fine.")).ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("approval-request-stale", blocked.Str("code"));
        Assert.Equal(("PlanReview", version), await StateAsync(id));

        // An approver cannot resubmit; the manager does, and a new request with a new snapshot opens.
        await (await approver2.PostAsJsonAsync($"/api/projects/{id}/approvals/plan/resubmit", new { expectedVersion = version })).ExpectProblemAsync(HttpStatusCode.Forbidden);
        var resubmitted = await (await pm.PostAsJsonAsync($"/api/projects/{id}/approvals/plan/resubmit", new { expectedVersion = version, comment = "Consent renewed." }))
            .ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(2, resubmitted.Number("sequence"));
        Assert.NotEqual(stale.Str("snapshotHash"), resubmitted.Str("snapshotHash"));
        Assert.Contains(resubmitted.GetProperty("changesSincePrevious").EnumerateArray(), c => c.Str("section") == "consents");
        var approvals = (await pm.ApprovalsAsync(id)).GetProperty("requests").EnumerateArray().Where(r => r.Str("gate") == "plan").ToList();
        Assert.Equal(["superseded", "open"], approvals.Select(r => r.Str("status")));
        Assert.Single(approvals[0].GetProperty("decisions").EnumerateArray());
        // Nothing changed since: resubmitting again is refused.
        var again = await (await pm.PostAsJsonAsync($"/api/projects/{id}/approvals/plan/resubmit", new { expectedVersion = version + 1 })).ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("approval-request-not-stale", again.Str("code"));

        await approver1.ApprovePlanAsync(approver2, id);
        Assert.Equal("Implementation", (await StateAsync(id)).State);
    }

    [Fact]
    public async Task Closing_NeedsTheEvaluationGate()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        using var approver = await factory.ClientForAsync(DemoUsers.Approver1);
        var id = await pm.CreateProjectAsync();
        await factory.ForceStateAsync(id, "Evaluation");
        var version = await pm.CompleteStepsAsync(id, ["D1", "D2", "D3"], 1);

        // The manager alone cannot close: CloseProject does not leave Evaluation any more.
        var direct = await (await pm.PostAsJsonAsync($"/api/projects/{id}/transitions", new { trigger = "CloseProject", comment = "Done.", expectedVersion = version }))
            .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(["state"], direct.Guards("unmet"));
        version = await pm.FireAsync(id, "RequestClosure", version, "Targets met; lessons shared with the county.");
        Assert.Equal("EvaluationReview", (await StateAsync(id)).State);
        var request = await approver.OpenRequestAsync(id, "evaluation");
        Assert.Equal(1, request.Number("quorum"));
        Assert.NotNull(request.GetProperty("dueAt").GetString());

        var closed = await (await approver.DecideRawAsync(request.GetProperty("id").GetGuid(), "approve", "Evaluation signed off.")).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(("Closed", "CloseProject"), (closed.Str("projectState"), closed.Str("fired")));
    }

    [Fact]
    public async Task Cancelling_UnderReview_ClosesTheOpenRequest()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        using var approver = await factory.ClientForAsync(DemoUsers.Approver1);
        var id = await pm.CreateProjectAsync();
        var version = await pm.FireAsync(id, "StartAssessment", 1);
        version = await pm.CompleteStepsAsync(id, ProjectsApi.AssessmentSteps, version);
        version = await pm.FireAsync(id, "SubmitAssessment", version);
        var requestId = (await pm.OpenRequestAsync(id, "consent")).GetProperty("id").GetGuid();
        await pm.FireAsync(id, "Cancel", version, "Funding withdrawn.");

        var request = (await pm.ApprovalsAsync(id)).GetProperty("requests")[0];
        Assert.Equal("cancelled", request.Str("status"));
        var late = await (await approver.DecideRawAsync(requestId, "approve")).ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("approval-request-closed", late.Str("code"));
    }

    [Fact]
    public async Task Cancelling_WhileSuspendedFromAReview_ClosesTheRequestItKept()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        var version = await pm.FireAsync(id, "StartAssessment", 1);
        version = await pm.CompleteStepsAsync(id, ProjectsApi.AssessmentSteps, version);
        version = await pm.FireAsync(id, "SubmitAssessment", version);
        version = await pm.FireAsync(id, "WithdrawConsent", version, "The assembly withdrew its consent.");
        Assert.Equal("open", (await pm.ApprovalsAsync(id)).GetProperty("requests")[0].Str("status"));

        await pm.FireAsync(id, "Cancel", version, "Abandoned after the withdrawal.");

        Assert.Equal("cancelled", (await pm.ApprovalsAsync(id)).GetProperty("requests")[0].Str("status"));
    }

    private Task<(string State, int Version)> StateAsync(Guid id) =>
        factory.QueryDbAsync(db => db.Projects.AsNoTracking().Where(p => p.Id == id).Select(p => new ValueTuple<string, int>(p.State, p.Version)).SingleAsync());

    private async Task<HttpClient> UserAsync(params string[] roles)
    {
        using var admin = await factory.ClientForAsync(DemoUsers.Admin);
        var email = $"gate-{Guid.NewGuid():N}@example.org";
        await (await admin.PostAsJsonAsync("/api/admin/users", new { email, displayName = "Sam Gate", password = Password, roles }))
            .ExpectAsync(HttpStatusCode.Created);
        return await factory.ClientForAsync(email, Password);
    }
}
