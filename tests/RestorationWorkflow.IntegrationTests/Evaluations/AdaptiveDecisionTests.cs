using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.IntegrationTests.Infrastructure;

namespace RestorationWorkflow.IntegrationTests.Evaluations;

/// <summary>
/// Adaptive-management decisions (D2): each decision fires the transition the definition maps it to, through the same
/// command as firing it by hand (roles, membership, guards, gate), with the decision recorded in the same audit event;
/// nothing is written when it is refused; closing goes through the evaluation gate to Closed; a closed project keeps
/// its monitoring reviews and reminders.
/// </summary>
public sealed class AdaptiveDecisionTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Theory]
    [InlineData("continueMonitoring", "NextMonitoringCycle", "Monitoring")]
    [InlineData("adjustImplementation", "AdaptImplementation", "Implementation")]
    [InlineData("revisePlan", "RevisePlan", "Planning")]
    [InlineData("revisitEnablingEnvironment", "AdaptEnablingEnvironment", "Planning")]
    [InlineData("reassess", "AdaptAssessment", "Assessment")]
    public async Task EachDecision_FiresItsTransition_InOneAuditEvent(string kind, string trigger, string state)
    {
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        var (id, version, _) = await pm.EvaluatedProjectAsync(app);

        var response = await pm.DecideRawAsync(id, kind, version, "Targets on track; keep measuring.");
        var taken = await response.ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(state, taken.Str("state"));
        Assert.Equal(version + 1, taken.Number("version"));
        var decision = taken.GetProperty("decision");
        Assert.Equal((kind, trigger, 1, state), (decision.Str("kind"), decision.Str("trigger"), decision.Number("cycle"), decision.Str("resultingState")));

        // One event: the transition, carrying the decision and its rationale as the comment.
        var last = await app.QueryDbAsync(db => db.AuditEvents.Where(e => e.ProjectId == id).OrderByDescending(e => e.Sequence).FirstAsync());
        Assert.Equal(version + 1, last.Sequence);
        Assert.Equal(("workflow.transition", trigger, "Evaluation", state), (last.Action, last.Trigger, last.FromState, last.ToState));
        Assert.Equal("Targets on track; keep measuring.", last.Comment);
        using var changes = JsonDocument.Parse(last.Changes);
        Assert.Equal(kind, changes.RootElement.GetProperty($"decisions.{decision.Str("id")}.kind").Str("new"));

        // Listed for every reader, with the evaluation it closed.
        using var auditor = await app.ClientForAsync(DemoUsers.Auditor);
        var read = await (await auditor.GetAsync($"/api/projects/{id}/evaluations")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(kind, Assert.Single(read.GetProperty("decisions").EnumerateArray()).Str("kind"));
        Assert.Equal(kind, read.GetProperty("evaluations")[0].GetProperty("decision").Str("kind"));
        Assert.Equal(2, read.Number("currentCycle"));
    }

    [Fact]
    public async Task NotAManagerOfTheProject_Is403NamingTheRule_AndNothingIsWritten()
    {
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        var (id, version, _) = await pm.EvaluatedProjectAsync(app);

        using var pm2 = await app.ClientForAsync(DemoUsers.Pm2);
        var other = await (await pm2.DecideRawAsync(id, "continueMonitoring", version)).ExpectProblemAsync(HttpStatusCode.Forbidden);
        Assert.Contains("roleMember", other.Guards("reasons"));
        using var auditor = await app.ClientForAsync(DemoUsers.Auditor);
        var role = await (await auditor.DecideRawAsync(id, "revisePlan", version)).ExpectProblemAsync(HttpStatusCode.Forbidden);
        Assert.Contains("role", role.Guards("reasons"));

        await AssertUnchangedAsync(id, version);
    }

    [Fact]
    public async Task Close_WithD1ToD3Open_Is422NamingTheGuard_AndNothingIsWritten()
    {
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        var (id, version, _) = await pm.EvaluatedProjectAsync(app);

        var problem = await (await pm.DecideRawAsync(id, "close", version)).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(["checklistComplete"], problem.Guards("unmet"));
        // The same refusal as firing RequestClosure by hand.
        Assert.Equal(["checklistComplete"], await pm.RefusedAsync(id, "RequestClosure", version, "Close it."));
        await AssertUnchangedAsync(id, version);
    }

    [Fact]
    public async Task Decision_WithoutTheCyclesEvaluation_Is422_ListingEveryUnmetCondition()
    {
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        var (id, _, _, version) = await pm.MonitoredProjectAsync(app, "Evaluation");

        var problem = await (await pm.DecideRawAsync(id, "close", version)).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(["evaluationRecorded", "checklistComplete", "participationRecorded"], problem.Guards("unmet"));
        await AssertUnchangedAsync(id, version);
    }

    [Fact]
    public async Task Decision_Validated_Stale_AndOutsideEvaluation()
    {
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        var (id, version, _) = await pm.EvaluatedProjectAsync(app);

        var invalid = await (await pm.DecideRawAsync(id, "stopEverything", version, rationale: " ")).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["kind", "rationale"], invalid.ErrorFields().Order(StringComparer.Ordinal));
        var stale = await (await pm.DecideRawAsync(id, "continueMonitoring", version - 1)).ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(version, stale.Number("currentVersion"));
        await AssertUnchangedAsync(id, version);

        version = await pm.FireAsync(id, "NextMonitoringCycle", version, "By hand");
        var monitoring = await (await pm.DecideRawAsync(id, "continueMonitoring", version)).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(["state"], monitoring.Guards("unmet"));
    }

    [Fact]
    public async Task Cycle_EndsWithADecision_TheNextNeedsItsOwnEvaluation()
    {
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        var (id, version, eventId) = await pm.EvaluatedProjectAsync(app);
        version = (await (await pm.DecideRawAsync(id, "continueMonitoring", version)).ExpectAsync(HttpStatusCode.Created)).Number("version");
        version = await pm.FireAsync(id, "StartEvaluation", version);

        var read = await (await pm.GetAsync($"/api/projects/{id}/evaluations")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(2, read.Number("currentCycle"));
        Assert.Equal(JsonValueKind.Null, read.GetProperty("current").ValueKind);
        var missing = await (await pm.DecideRawAsync(id, "continueMonitoring", version)).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(["evaluationRecorded"], missing.Guards("unmet"));

        // Cycle 1's evaluation is closed; cycle 2 gets its own.
        var first = read.GetProperty("evaluations")[0].Str("id");
        var closed = await (await pm.PutAsJsonAsync($"/api/projects/{id}/evaluations/{first}", EvaluationsApi.Evaluation(version, eventId)))
            .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(["cycle"], closed.Guards("unmet"));
        var second = await pm.RecordEvaluationAsync(id, EvaluationsApi.Evaluation(version, eventId));
        Assert.Equal(2, second.GetProperty("evaluation").Number("cycle"));
        var taken = await (await pm.DecideRawAsync(id, "adjustImplementation", second.Number("version"))).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(2, taken.GetProperty("decision").Number("cycle"));
    }

    [Fact]
    public async Task Close_GoesThroughTheEvaluationGate_ReachesClosed_AndMonitoringGoesOn()
    {
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        var (id, version, _) = await pm.EvaluatedProjectAsync(app);
        version = await pm.CompleteStepsAsync(id, ["D1", "D2", "D3"], version, participation: false);

        var taken = await (await pm.DecideRawAsync(id, "close", version, "All targets met; the community takes over.")).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal("EvaluationReview", taken.Str("state"));
        Assert.Equal("EvaluationReview", taken.GetProperty("decision").Str("resultingState"));
        version = taken.Number("version");
        // The manager cannot close it (an approver's role, and they submitted it); the gate's approver does.
        var byHand = await (await pm.PostAsJsonAsync($"/api/projects/{id}/transitions", new { trigger = "CloseProject", expectedVersion = version }))
            .ExpectProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(["role", "separationOfDuties"], byHand.Guards("reasons"));
        using var approver = await app.ClientForAsync(DemoUsers.Approver1);
        version = await approver.DecideAsync(id, "evaluation", "approve", "Evaluation and lessons checked.");
        Assert.Equal("Closed", (await pm.GetProjectAsync(id)).Str("state"));

        // After closure the targets' reviews stay due, a review is recorded and moves the next one.
        var schedule = await (await pm.GetAsync($"/api/projects/{id}/schedule")).ExpectAsync(HttpStatusCode.OK);
        Assert.True(schedule.GetProperty("monitoringApplies").GetBoolean());
        var items = schedule.GetProperty("items").EnumerateArray().Select(i => i.Str("kind")).ToList();
        Assert.Equal(2, items.Count(k => k == "targetMonitoring"));
        Assert.Equal(2, items.Count(k => k == "targetDeadline"));
        Assert.DoesNotContain("planReview", items);
        var target = schedule.GetProperty("subjects").EnumerateArray().First(s => s.GetProperty("id").ValueKind == JsonValueKind.String).Str("id");
        var today = DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var reviewed = await (await pm.PostAsJsonAsync($"/api/projects/{id}/monitoring/reviews",
            new { targetId = target, reviewedOn = today, summary = "Post-closure plots surveyed.", expectedVersion = version })).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(DateOnly.Parse(today, System.Globalization.CultureInfo.InvariantCulture).AddMonths(12).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            reviewed.Str("nextDueOn"));
    }

    private async Task AssertUnchangedAsync(Guid id, int version)
    {
        var (state, current, decisions) = await app.QueryDbAsync(async db => (
            await db.Projects.Where(p => p.Id == id).Select(p => p.State).SingleAsync(),
            await db.Projects.Where(p => p.Id == id).Select(p => p.Version).SingleAsync(),
            await db.AdaptiveDecisions.CountAsync(d => d.ProjectId == id)));
        Assert.Equal(("Evaluation", version, 0), (state, current, decisions));
    }
}
