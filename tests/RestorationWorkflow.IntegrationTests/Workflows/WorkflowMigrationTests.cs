using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.IntegrationTests.Infrastructure;

namespace RestorationWorkflow.IntegrationTests.Workflows;

/// <summary>
/// The real migration of staper-restoration v1 projects to v2 (the shipped definitions): v2 declares
/// <c>"migrateFrom": {"version": 1, "states": {"EnablingEnvironment": "Planning"}}</c>, every other v1 state keeps
/// its code. New projects start on v2, so each test pins its projects to v1 first.
/// </summary>
public sealed class WorkflowMigrationTests(AppFactory factory) : IClassFixture<AppFactory>
{
    private const string MigrationsPath = "/api/workflows/staper-restoration/migrations";

    [Fact]
    public async Task Catalog_HasEveryVersion_AndNewProjectsStartOnTheLatest()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);

        var list = await (await pm.GetAsync("/api/workflows")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal([(1, false), (2, false), (3, true)], list.EnumerateArray().Select(w => (w.Number("version"), w.GetProperty("latest").GetBoolean())));

        var id = await pm.CreateProjectAsync();
        var project = await pm.GetProjectAsync(id);
        Assert.Equal(WorkflowsApi.LatestVersion, project.GetProperty("workflow").Number("version"));
        Assert.Equal("Draft", project.Str("state"));
    }

    [Fact]
    public async Task DryRun_ReportsEveryV1StateWithItsV2State_AndChangesNothing()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        using var admin = await factory.ClientForAsync(DemoUsers.Admin);
        var projects = await ArrangeEveryV1StateAsync(pm);
        var before = await SnapshotsAsync(projects.Values);

        var response = await admin.PostAsJsonAsync(MigrationsPath, new { fromVersion = 1, toVersion = 2, dryRun = true });

        var report = await response.ExpectAsync(HttpStatusCode.OK);
        Assert.True(report.GetProperty("dryRun").GetBoolean());
        Assert.Equal((1, 2), (report.Number("fromVersion"), report.Number("toVersion")));
        var moved = Items(report, "moved");
        var blocked = Items(report, "blocked");
        foreach (var (state, id) in projects)
        {
            Assert.DoesNotContain(id, blocked.Keys);
            var item = moved[id];
            Assert.Equal(state, item.Str("state"));
            Assert.Equal(WorkflowsApi.V2StateOf(state), item.Str("toState"));
            Assert.Equal(JsonValueKind.Null, item.GetProperty("reason").ValueKind);
        }
        var suspended = moved[projects["Suspended"]];
        Assert.Equal("EnablingEnvironment", suspended.Str("stateBeforeSuspension"));
        Assert.Equal("Planning", suspended.Str("toStateBeforeSuspension"));

        Assert.Equal(before, await SnapshotsAsync(projects.Values));
        Assert.Equal("EnablingEnvironment", await factory.StateBeforeSuspensionAsync(projects["Suspended"]));
        var ids = projects.Values.ToList();
        Assert.Equal(0, await factory.QueryDbAsync(db => db.AuditEvents.CountAsync(e => e.Action == "workflow.migrated" && ids.Contains(e.ProjectId))));
    }

    [Fact]
    public async Task Apply_AfterTheDryRun_MovesEveryV1StateToV2_WithAChainedAuditEventEach()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        using var admin = await factory.ClientForAsync(DemoUsers.Admin);
        var projects = await ArrangeEveryV1StateAsync(pm);
        var before = (await SnapshotsAsync(projects.Values)).ToList();
        var dryRun = await (await admin.PostAsJsonAsync(MigrationsPath, new { fromVersion = 1, toVersion = 2, dryRun = true })).ExpectAsync(HttpStatusCode.OK);

        var report = await (await admin.PostAsJsonAsync(MigrationsPath, new { fromVersion = 1, toVersion = 2, dryRun = false })).ExpectAsync(HttpStatusCode.OK);

        Assert.False(report.GetProperty("dryRun").GetBoolean());
        var moved = Items(report, "moved");
        var planned = Items(dryRun, "moved");
        var after = (await SnapshotsAsync(projects.Values)).ToList();
        var i = 0;
        foreach (var (state, id) in projects)
        {
            // What the dry run announced is what happened.
            Assert.Equal(planned[id].Str("toState"), moved[id].Str("toState"));
            var v2State = WorkflowsApi.V2StateOf(state);
            Assert.Equal(before[i] with { State = v2State, WorkflowVersion = 2, Version = before[i].Version + 1, AuditEvents = before[i].AuditEvents + 1 }, after[i]);
            var history = (await (await pm.GetAsync($"/api/projects/{id}/history")).ExpectAsync(HttpStatusCode.OK)).EnumerateArray().ToList();
            var migrated = history[^1];
            Assert.Equal("workflow.migrated", migrated.Str("action"));
            Assert.Equal(history.Count, migrated.Number("sequence"));
            Assert.Equal(history[^2].Str("hash"), migrated.Str("previousHash"));
            Assert.Equal((state, v2State), (migrated.Str("fromState"), migrated.Str("toState")));
            Assert.Equal(2, migrated.GetProperty("workflow").Number("version"));
            var changes = migrated.GetProperty("changes");
            Assert.Equal((1, 2), (changes.GetProperty("workflowVersion").Number("old"), changes.GetProperty("workflowVersion").Number("new")));
            Assert.Equal(state != v2State, changes.TryGetProperty("state", out _));
            Assert.Equal("Ada Administrator", migrated.Str("actorName"));
            // Events and rows agree again: the migration event carries the new version and state.
            var verify = await (await pm.GetAsync($"/api/projects/{id}/audit/verify")).ExpectAsync(HttpStatusCode.OK);
            Assert.True(verify.GetProperty("valid").GetBoolean(), $"Audit chain of the {state} project: {verify}");
            i++;
        }
        var enablingChanges = (await (await pm.GetAsync($"/api/projects/{projects["EnablingEnvironment"]}/history")).ExpectAsync(HttpStatusCode.OK))
            .EnumerateArray().Last().GetProperty("changes");
        Assert.Equal(("EnablingEnvironment", "Planning"), (enablingChanges.GetProperty("state").Str("old"), enablingChanges.GetProperty("state").Str("new")));
        var suspendedChanges = (await (await pm.GetAsync($"/api/projects/{projects["Suspended"]}/history")).ExpectAsync(HttpStatusCode.OK))
            .EnumerateArray().Last().GetProperty("changes");
        Assert.Equal(("EnablingEnvironment", "Planning"),
            (suspendedChanges.GetProperty("stateBeforeSuspension").Str("old"), suspendedChanges.GetProperty("stateBeforeSuspension").Str("new")));
        Assert.Equal("Planning", await factory.StateBeforeSuspensionAsync(projects["Suspended"]));

        // The project that was in EnablingEnvironment now follows v2: it submits its plan (B and C together).
        var transitions = await (await pm.GetAsync($"/api/projects/{projects["EnablingEnvironment"]}/transitions")).ExpectAsync(HttpStatusCode.OK);
        var triggers = transitions.GetProperty("transitions").EnumerateArray().Select(t => t.Str("trigger")).ToList();
        Assert.Contains("SubmitPlan", triggers);
        Assert.DoesNotContain("StartPlanning", triggers);

        // A second run finds none of them left on v1.
        var again = await (await admin.PostAsJsonAsync(MigrationsPath, new { fromVersion = 1, toVersion = 2, dryRun = false })).ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(Items(again, "moved").Keys.Intersect(projects.Values));
    }

    /// <summary>
    /// A project driven through v1 by the API (StartAssessment, SubmitAssessment, ApproveConsent into
    /// EnablingEnvironment, then WithdrawConsent), migrated, resumes into v2's Planning.
    /// </summary>
    [Fact]
    public async Task SuspendedFromEnablingEnvironmentOnV1_ResumesIntoPlanningAfterTheMigration()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        using var approver = await factory.ClientForAsync(DemoUsers.Approver1);
        using var admin = await factory.ClientForAsync(DemoUsers.Admin);
        var id = await pm.CreateProjectAsync($"Migrate {Guid.NewGuid():N} journey");
        await factory.PinAsync(id, 1, "Draft");
        var version = await pm.FireAsync(id, "StartAssessment", 1);
        version = await pm.CompleteStepsAsync(id, ProjectsApi.AssessmentSteps, version);
        version = await pm.FireAsync(id, "SubmitAssessment", version);
        version = await approver.FireAsync(id, "ApproveConsent", version);
        Assert.Equal("EnablingEnvironment", (await pm.GetProjectAsync(id)).Str("state"));
        version = await pm.FireAsync(id, "WithdrawConsent", version, comment: "The community assembly withdrew its consent.");
        Assert.Equal("EnablingEnvironment", await factory.StateBeforeSuspensionAsync(id));

        var report = await (await admin.PostAsJsonAsync(MigrationsPath, new { fromVersion = 1, toVersion = 2, dryRun = false })).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal("Planning", Items(report, "moved")[id].Str("toStateBeforeSuspension"));
        var verify = await (await pm.GetAsync($"/api/projects/{id}/audit/verify")).ExpectAsync(HttpStatusCode.OK);
        Assert.True(verify.GetProperty("valid").GetBoolean(), verify.ToString());
        await pm.FireAsync(id, "Resume", version + 1, comment: "Consent granted again at the assembly of 3 May.");
        var project = await pm.GetProjectAsync(id);
        Assert.Equal(("Planning", 2), (project.Str("state"), project.GetProperty("workflow").Number("version")));
    }

    /// <summary>
    /// v2 → v3 adds the approval gates: a project waiting in a review state on v2 gets its approval request on the move
    /// (snapshot, the person who submitted it), in the migration's audit event, and is then decided by decisions.
    /// </summary>
    [Fact]
    public async Task V2ToV3_AProjectUnderReview_GetsItsApprovalRequest_AndIsDecidedByDecisions()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        using var approver = await factory.ClientForAsync(DemoUsers.Approver1);
        using var admin = await factory.ClientForAsync(DemoUsers.Admin);
        var id = await pm.CreateProjectAsync($"Migrate {Guid.NewGuid():N} under review");
        await factory.PinAsync(id, 2, "Draft");
        var version = await pm.FireAsync(id, "StartAssessment", 1);
        version = await pm.CompleteStepsAsync(id, ProjectsApi.AssessmentSteps, version);
        version = await pm.FireAsync(id, "SubmitAssessment", version);
        Assert.Empty((await pm.ApprovalsAsync(id)).GetProperty("requests").EnumerateArray());

        var dryRun = await (await admin.PostAsJsonAsync(MigrationsPath, new { fromVersion = 2, toVersion = 3, dryRun = true })).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("ConsentReview", Items(dryRun, "moved")[id].Str("toState"));
        Assert.Empty((await pm.ApprovalsAsync(id)).GetProperty("requests").EnumerateArray());
        await (await admin.PostAsJsonAsync(MigrationsPath, new { fromVersion = 2, toVersion = 3, dryRun = false })).ExpectAsync(HttpStatusCode.OK);

        var request = await pm.OpenRequestAsync(id, "consent");
        Assert.Equal(("consent", 1, 3), (request.Str("gate"), request.Number("sequence"), (await pm.GetProjectAsync(id)).GetProperty("workflow").Number("version")));
        Assert.Equal(DemoUsers.Pm, request.GetProperty("submittedBy").Str("email"));
        var migrated = (await (await pm.GetAsync($"/api/projects/{id}/history")).ExpectAsync(HttpStatusCode.OK)).EnumerateArray().Last();
        Assert.Equal("workflow.migrated", migrated.Str("action"));
        Assert.Equal(request.Str("snapshotHash"), migrated.GetProperty("changes").GetProperty("approvals.consent.snapshotHash").Str("new"));

        var direct = await (await approver.PostAsJsonAsync($"/api/projects/{id}/transitions", new { trigger = "ApproveConsent", expectedVersion = version + 1 }))
            .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("approvalGate", direct.Guards("unmet"));
        await approver.DecideAsync(id, "consent");
        Assert.Equal("Planning", (await pm.GetProjectAsync(id)).Str("state"));
    }

    [Fact]
    public async Task DryRun_AStateWithNoPlaceInV2_IsBlockedWithTheReason_AndStaysOnV1()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        using var admin = await factory.ClientForAsync(DemoUsers.Admin);
        var id = await pm.CreateProjectAsync($"Migrate {Guid.NewGuid():N} stray");
        // A state no definition has (a row edited by hand): nothing maps it.
        await factory.PinAsync(id, 1, "Retired");

        var report = await (await admin.PostAsJsonAsync(MigrationsPath, new { fromVersion = 1, toVersion = 2, dryRun = false })).ExpectAsync(HttpStatusCode.OK);

        var blocked = Items(report, "blocked")[id];
        Assert.Equal("Retired", blocked.Str("state"));
        Assert.Contains("'Retired' does not exist in staper-restoration@2", blocked.Str("reason"), StringComparison.Ordinal);
        Assert.DoesNotContain(id, Items(report, "moved").Keys);
        Assert.Equal(new ProjectSnapshot("Retired", 1, 1, 1), await factory.SnapshotAsync(id));
    }

    [Fact]
    public async Task Migrate_AsProjectManager_Returns403AndMovesNothing()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        await factory.PinAsync(id, 1, "EnablingEnvironment");

        var response = await pm.PostAsJsonAsync(MigrationsPath, new { fromVersion = 1, toVersion = 2, dryRun = false });

        await response.ExpectProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(new ProjectSnapshot("EnablingEnvironment", 1, 1, 1), await factory.SnapshotAsync(id));
    }

    [Fact]
    public async Task Migrate_FromUnknownVersion_Returns400NamingFromVersion()
    {
        using var admin = await factory.ClientForAsync(DemoUsers.Admin);

        var response = await admin.PostAsJsonAsync(MigrationsPath, new { fromVersion = 7, toVersion = 2, dryRun = true });

        var problem = await response.ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["fromVersion"], problem.ErrorFields());
        Assert.Contains("7", problem.ErrorsOf("fromVersion")[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrate_WithoutVersions_Returns400NamingBoth()
    {
        using var admin = await factory.ClientForAsync(DemoUsers.Admin);

        var response = await admin.PostAsJsonAsync(MigrationsPath, new { dryRun = true });

        var problem = await response.ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["fromVersion", "toVersion"], problem.ErrorFields().Order(StringComparer.Ordinal));
    }

    /// <summary>One project pinned to v1 in each v1 state; the suspended one left EnablingEnvironment.</summary>
    private async Task<Dictionary<string, Guid>> ArrangeEveryV1StateAsync(HttpClient pm)
    {
        var token = Guid.NewGuid().ToString("N")[..8];
        var projects = new Dictionary<string, Guid>(StringComparer.Ordinal);
        foreach (var state in WorkflowsApi.V1States)
        {
            var id = await pm.CreateProjectAsync($"Migrate {token} {state}");
            await factory.PinAsync(id, 1, state, state == "Suspended" ? "EnablingEnvironment" : null);
            projects[state] = id;
        }
        return projects;
    }

    private async Task<ProjectSnapshot[]> SnapshotsAsync(IEnumerable<Guid> ids)
    {
        var snapshots = new List<ProjectSnapshot>();
        foreach (var id in ids)
            snapshots.Add(await factory.SnapshotAsync(id));
        return [.. snapshots];
    }

    private static Dictionary<Guid, JsonElement> Items(JsonElement report, string property) =>
        report.GetProperty(property).EnumerateArray().ToDictionary(i => i.GetProperty("projectId").GetGuid());
}
