using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.IntegrationTests.Infrastructure;

namespace RestorationWorkflow.IntegrationTests.Projects;

public sealed class TransitionsApiTests(AppFactory factory) : IClassFixture<AppFactory>
{
    [Theory]
    [InlineData("Draft")]
    [InlineData("Evaluation")]
    [InlineData("Suspended")]
    public async Task GetTransitions_ListsEveryTransitionLeavingTheState(string state)
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        if (state != "Draft")
            await factory.ForceStateAsync(id, state);

        var body = await (await pm.GetAsync($"/api/projects/{id}/transitions")).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(state, body.Str("state"));
        Assert.Equal(1, body.Number("version"));
        var triggers = body.GetProperty("transitions").EnumerateArray().Select(t => t.Str("trigger")).Order(StringComparer.Ordinal);
        Assert.Equal(TriggersFromLatest(state), triggers);
    }

    [Fact]
    public async Task GetTransitions_ForTheManager_AllowsStartAssessment()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();

        var body = await (await pm.GetAsync($"/api/projects/{id}/transitions")).ExpectAsync(HttpStatusCode.OK);

        var start = Transition(body, "StartAssessment");
        Assert.True(start.GetProperty("allowed").GetBoolean());
        Assert.Equal("Assessment", start.Str("to"));
        Assert.Equal("advance", start.Str("kind"));
        Assert.Empty(start.GetProperty("unmet").EnumerateArray());
        var cancel = Transition(body, "Cancel");
        Assert.True(cancel.GetProperty("requiresComment").GetBoolean());
    }

    [Fact]
    public async Task GetTransitions_ForAnApprover_ShowsTheRoleGuardOnAManagerTransition()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        using var approver = await factory.ClientForAsync(DemoUsers.Approver1);

        var body = await (await approver.GetAsync($"/api/projects/{id}/transitions")).ExpectAsync(HttpStatusCode.OK);

        var start = Transition(body, "StartAssessment");
        Assert.False(start.GetProperty("allowed").GetBoolean());
        Assert.Contains("role", start.Guards("unmet"));
    }

    [Fact]
    public async Task GetTransitions_InAssessmentWithOpenSteps_NamesTheChecklistGuard()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        await pm.FireAsync(id, "StartAssessment", 1);

        var body = await (await pm.GetAsync($"/api/projects/{id}/transitions")).ExpectAsync(HttpStatusCode.OK);

        var submit = Transition(body, "SubmitAssessment");
        Assert.False(submit.GetProperty("allowed").GetBoolean());
        var unmet = submit.GetProperty("unmet").EnumerateArray().ToList();
        Assert.Equal(["checklistComplete", "participationRecorded"], unmet.Select(u => u.Str("guard")));
        Assert.Contains("A1, A2, A3, A4, A5, A6", unmet[0].Str("message"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fire_HappyPath_DraftToPlanning()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        using var approver = await factory.ClientForAsync(DemoUsers.Approver1);
        var id = await pm.CreateProjectAsync();

        var response = await pm.PostAsJsonAsync($"/api/projects/{id}/transitions", new { trigger = "StartAssessment", expectedVersion = 1 });
        var started = await response.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(id, started.GetProperty("id").GetGuid());
        Assert.Equal("Assessment", started.Str("state"));
        Assert.Equal(2, started.Number("version"));

        // Six steps and the A3 participation event.
        var version = await pm.CompleteStepsAsync(id, ProjectsApi.AssessmentSteps, 2);
        Assert.Equal(9, version);
        version = await pm.FireAsync(id, "SubmitAssessment", version);
        Assert.Equal("ConsentReview", (await pm.GetProjectAsync(id)).Str("state"));

        version = await approver.DecideAsync(id, "consent", "approve", "Consent documented by the community assembly.");

        var project = await pm.GetProjectAsync(id);
        // v2: the enabling environment (B) is worked alongside planning, so approval leads straight to Planning.
        Assert.Equal("Planning", project.Str("state"));
        Assert.Equal("C", project.Str("group"));
        Assert.Equal(version, project.Number("version"));
        Assert.Equal(new ProjectSnapshot("Planning", 11, WorkflowsApi.LatestVersion, 11), await factory.SnapshotAsync(id));

        var transitions = await factory.QueryDbAsync(db => db.AuditEvents.AsNoTracking()
            .Where(e => e.ProjectId == id && e.Trigger != null).OrderBy(e => e.Sequence).ToListAsync());
        // The consent gate passes by the approver's decision: one event, the decision and the transition it fired.
        Assert.Equal(["StartAssessment", "SubmitAssessment", "ApproveConsent"], transitions.Select(e => e.Trigger));
        Assert.Equal(["workflow.transition", "workflow.transition", "approval.decided"], transitions.Select(e => e.Action));
        Assert.Equal(["Draft", "Assessment", "ConsentReview"], transitions.Select(e => e.FromState));
        Assert.Equal(["Assessment", "ConsentReview", "Planning"], transitions.Select(e => e.ToState));
        Assert.Equal("Alex Approver", transitions[^1].ActorName);
        Assert.Equal("Consent documented by the community assembly.", transitions[^1].Comment);
    }

    [Fact]
    public async Task Fire_UnknownTrigger_Returns400NamingTriggerAndWritesNothing()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();

        var response = await pm.PostAsJsonAsync($"/api/projects/{id}/transitions", new { trigger = "Teleport", expectedVersion = 1 });

        var problem = await response.ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["trigger"], problem.ErrorFields());
        Assert.Contains("Teleport", problem.ErrorsOf("trigger")[0], StringComparison.Ordinal);
        Assert.Equal(new ProjectSnapshot("Draft", 1, WorkflowsApi.LatestVersion, 1), await factory.SnapshotAsync(id));
    }

    [Fact]
    public async Task Fire_WithoutTriggerOrVersion_Returns400NamingBoth()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();

        var response = await pm.PostAsJsonAsync($"/api/projects/{id}/transitions", new { comment = "?" });

        var problem = await response.ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["expectedVersion", "trigger"], problem.ErrorFields().Order(StringComparer.Ordinal));
        Assert.Equal(new ProjectSnapshot("Draft", 1, WorkflowsApi.LatestVersion, 1), await factory.SnapshotAsync(id));
    }

    [Theory]
    [InlineData("""{"trigger":"StartAssessment","expectedVersion":"one"}""", "expectedVersion")]
    [InlineData("""{"trigger":"StartAssessment","expectedVersion":1""", null)]
    public async Task Fire_WithMalformedJson_Returns400AndWritesNothing(string json, string? field)
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();

        var response = await pm.PostAsync($"/api/projects/{id}/transitions", Http.RawJson(json));

        var problem = await response.ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotEmpty(problem.ErrorFields());
        if (field is not null)
            Assert.Equal([field], problem.ErrorFields());
        Assert.Equal(new ProjectSnapshot("Draft", 1, WorkflowsApi.LatestVersion, 1), await factory.SnapshotAsync(id));
    }

    [Fact]
    public async Task Fire_WorkTransitionAsApprover_Returns403WithRoleReason()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        using var approver = await factory.ClientForAsync(DemoUsers.Approver1);
        var id = await pm.CreateProjectAsync();

        var response = await approver.PostAsJsonAsync($"/api/projects/{id}/transitions", new { trigger = "StartAssessment", expectedVersion = 1 });

        var problem = await response.ExpectProblemAsync(HttpStatusCode.Forbidden);
        Assert.Contains("role", problem.Guards("reasons"));
        Assert.Contains("ProjectManager", problem.Str("detail"), StringComparison.Ordinal);
        Assert.Equal(new ProjectSnapshot("Draft", 1, WorkflowsApi.LatestVersion, 1), await factory.SnapshotAsync(id));
    }

    [Fact]
    public async Task Fire_ByManagerOfAnotherProject_Returns403WithMembershipReason()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        using var pm2 = await factory.ClientForAsync(DemoUsers.Pm2);
        var id = await pm.CreateProjectAsync();
        await pm2.CreateProjectAsync();

        var response = await pm2.PostAsJsonAsync($"/api/projects/{id}/transitions", new { trigger = "StartAssessment", expectedVersion = 1 });

        var problem = await response.ExpectProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(["roleMember"], problem.Guards("reasons"));
        Assert.Equal(new ProjectSnapshot("Draft", 1, WorkflowsApi.LatestVersion, 1), await factory.SnapshotAsync(id));
    }

    [Fact]
    public async Task Fire_WithSeveralUnmetGuards_Returns422ListingEachAndWritesNothing()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        await factory.ForceStateAsync(id, "Evaluation");

        // RequestClosure (v3; CloseProject in v2) needs D1–D3 settled, a participation event for D1 and a comment: none is there.
        var response = await pm.PostAsJsonAsync($"/api/projects/{id}/transitions", new { trigger = "RequestClosure", expectedVersion = 1 });

        var problem = await response.ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        var guards = problem.Guards("unmet");
        Assert.Contains("checklistComplete", guards);
        Assert.Contains("participationRecorded", guards);
        Assert.Contains("commentProvided", guards);
        Assert.Equal(3, guards.Count);
        Assert.Contains("D1, D2, D3", problem.GetProperty("unmet").EnumerateArray().Single(u => u.Str("guard") == "checklistComplete").Str("message"), StringComparison.Ordinal);
        Assert.Equal(new ProjectSnapshot("Evaluation", 1, WorkflowsApi.LatestVersion, 1), await factory.SnapshotAsync(id));
    }

    [Fact]
    public async Task Fire_WithTheFieldGuardUnmet_Returns422NamingTheMissingField()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var response = await pm.PostAsJsonAsync("/api/projects", new { name = "No description yet", country = "CN", ecosystemTypes = new[] { "grassland" }, areaHectares = 10m });
        var id = (await response.ExpectAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

        var fire = await pm.PostAsJsonAsync($"/api/projects/{id}/transitions", new { trigger = "StartAssessment", expectedVersion = 1 });

        var problem = await fire.ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        var unmet = Assert.Single(problem.GetProperty("unmet").EnumerateArray());
        Assert.Equal("projectFieldsComplete", unmet.Str("guard"));
        Assert.Contains("description", unmet.Str("message"), StringComparison.Ordinal);
        Assert.Equal(new ProjectSnapshot("Draft", 1, WorkflowsApi.LatestVersion, 1), await factory.SnapshotAsync(id));
    }

    [Fact]
    public async Task Fire_TriggerNotLeavingTheState_Returns422WithStateGuard()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();

        var response = await pm.PostAsJsonAsync($"/api/projects/{id}/transitions", new { trigger = "SubmitPlan", expectedVersion = 1 });

        var problem = await response.ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(["state"], problem.Guards("unmet"));
        Assert.Equal(new ProjectSnapshot("Draft", 1, WorkflowsApi.LatestVersion, 1), await factory.SnapshotAsync(id));
    }

    [Fact]
    public async Task Fire_WithStaleExpectedVersion_Returns409AndWritesNothing()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        await pm.SetStepAsync(id, "D1", 1);

        var response = await pm.PostAsJsonAsync($"/api/projects/{id}/transitions", new { trigger = "StartAssessment", expectedVersion = 1 });

        var problem = await response.ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(2, problem.Number("currentVersion"));
        Assert.Equal(new ProjectSnapshot("Draft", 2, WorkflowsApi.LatestVersion, 2), await factory.SnapshotAsync(id));
    }

    [Fact]
    public async Task Fire_TwoConcurrentRequestsAtTheSameVersion_OneWinsTheOtherGets409()
    {
        using var first = await factory.ClientForAsync(DemoUsers.Pm);
        using var second = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await first.CreateProjectAsync();

        var responses = await Task.WhenAll(
            first.PostAsJsonAsync($"/api/projects/{id}/transitions", new { trigger = "StartAssessment", expectedVersion = 1 }),
            second.PostAsJsonAsync($"/api/projects/{id}/transitions", new { trigger = "Cancel", comment = "Duplicate registration.", expectedVersion = 1 }));

        var statuses = responses.Select(r => r.StatusCode).Order().ToList();
        Assert.True(statuses.SequenceEqual([HttpStatusCode.OK, HttpStatusCode.Conflict]),
            $"Expected one 200 and one 409, got {string.Join(", ", statuses)}: {string.Join(" | ", await Task.WhenAll(responses.Select(r => r.Content.ReadAsStringAsync())))}");
        var winner = responses.Single(r => r.StatusCode == HttpStatusCode.OK);
        var loser = responses.Single(r => r.StatusCode == HttpStatusCode.Conflict);
        var won = await winner.ExpectAsync(HttpStatusCode.OK);
        var problem = await loser.ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(2, problem.Number("currentVersion"));

        var snapshot = await factory.SnapshotAsync(id);
        Assert.Equal(new ProjectSnapshot(won.Str("state"), 2, WorkflowsApi.LatestVersion, 2), snapshot);
        var transitions = await factory.QueryDbAsync(db => db.AuditEvents.CountAsync(e => e.ProjectId == id && e.Action == "workflow.transition"));
        Assert.Equal(1, transitions);
    }

    [Fact]
    public async Task Fire_ManyConcurrentRequests_WriteExactlyOneEventPerVersion()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        var clients = new List<HttpClient>();
        try
        {
            for (var i = 0; i < 4; i++)
                clients.Add(await factory.ClientForAsync(DemoUsers.Pm));

            var responses = await Task.WhenAll(clients.Select((c, i) =>
                c.PutAsJsonAsync($"/api/projects/{id}/checklist/{ProjectsApi.ChecklistOnlySteps[i]}", new { status = "done", expectedVersion = 1 })));

            Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
            Assert.Equal(3, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
            Assert.Equal(new ProjectSnapshot("Draft", 2, WorkflowsApi.LatestVersion, 2), await factory.SnapshotAsync(id));
            var verify = await (await pm.GetAsync($"/api/projects/{id}/audit/verify")).ExpectAsync(HttpStatusCode.OK);
            Assert.True(verify.GetProperty("valid").GetBoolean());
        }
        finally
        {
            foreach (var client in clients)
                client.Dispose();
        }
    }

    private static JsonElement Transition(JsonElement body, string trigger) =>
        body.GetProperty("transitions").EnumerateArray().Single(t => t.Str("trigger") == trigger);

    /// <summary>The triggers leaving <paramref name="state"/>, read straight from the latest definition file (new projects start on it).</summary>
    private static List<string> TriggersFromLatest(string state)
    {
        using var definition = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "workflows", $"staper-restoration.v{WorkflowsApi.LatestVersion}.json")));
        return [.. definition.RootElement.GetProperty("transitions").EnumerateArray()
            .Where(t => t.GetProperty("from") is var from && (from.ValueKind == JsonValueKind.String
                ? from.GetString() == state
                : from.EnumerateArray().Any(f => f.GetString() == state)))
            .Select(t => t.Str("trigger"))
            .Order(StringComparer.Ordinal)];
    }
}
