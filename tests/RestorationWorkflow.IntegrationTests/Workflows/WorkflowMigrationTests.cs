using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.IntegrationTests.Infrastructure;

namespace RestorationWorkflow.IntegrationTests.Workflows;

/// <summary>
/// The app with the repository's definitions plus <c>Fixtures/staper-restoration.v2.json</c> (v1 without the
/// EnablingEnvironment state: ApproveConsent leads straight to Planning), in a folder of its own under Storage:Root.
/// </summary>
public sealed class TwoVersionsAppFactory : AppFactory
{
    public TwoVersionsAppFactory()
    {
        var shipped = Path.Combine(AppContext.BaseDirectory, "workflows");
        foreach (var file in Directory.EnumerateFiles(shipped, "*.json", SearchOption.AllDirectories))
        {
            var target = Path.Combine(WorkflowsFolder, Path.GetRelativePath(shipped, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Workflows", "Fixtures", "staper-restoration.v2.json"),
            Path.Combine(WorkflowsFolder, "staper-restoration.v2.json"));
    }

    public string WorkflowsFolder => Path.Combine(StorageRoot, "workflows");

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Workflows:Path"] = WorkflowsFolder };
}

public sealed class WorkflowMigrationTests(TwoVersionsAppFactory factory) : IClassFixture<TwoVersionsAppFactory>
{
    private const string MigrationsPath = "/api/workflows/staper-restoration/migrations";

    [Fact]
    public async Task Catalog_HasBothVersions_AndNewProjectsStartOnTheLatest()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);

        var list = await (await pm.GetAsync("/api/workflows")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal([(1, false), (2, true)], list.EnumerateArray().Select(w => (w.Number("version"), w.GetProperty("latest").GetBoolean())));
        var v2 = await (await pm.GetAsync("/api/workflows/staper-restoration/2")).ExpectAsync(HttpStatusCode.OK);
        Assert.DoesNotContain("EnablingEnvironment", v2.GetProperty("states").EnumerateArray().Select(s => s.Str("code")));

        var id = await pm.CreateProjectAsync();
        var project = await pm.GetProjectAsync(id);
        Assert.Equal(2, project.GetProperty("workflow").Number("version"));
    }

    [Fact]
    public async Task DryRun_ListsMovableAndBlockedProjects_AndChangesNothing()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        using var admin = await factory.ClientForAsync(DemoUsers.Admin);
        var (draft, review, enabling) = await ArrangeV1ProjectsAsync(pm);
        var before = await SnapshotsAsync(draft, review, enabling);

        var response = await admin.PostAsJsonAsync(MigrationsPath, new { fromVersion = 1, toVersion = 2, dryRun = true });

        var report = await response.ExpectAsync(HttpStatusCode.OK);
        Assert.True(report.GetProperty("dryRun").GetBoolean());
        Assert.Equal(1, report.Number("fromVersion"));
        Assert.Equal(2, report.Number("toVersion"));
        var moved = Items(report, "moved");
        var blocked = Items(report, "blocked");
        Assert.Contains(draft, moved.Keys);
        Assert.Contains(review, moved.Keys);
        Assert.DoesNotContain(enabling, moved.Keys);
        Assert.Contains(enabling, blocked.Keys);
        Assert.DoesNotContain(draft, blocked.Keys);
        Assert.Equal("EnablingEnvironment", blocked[enabling].Str("state"));
        Assert.Contains("EnablingEnvironment", blocked[enabling].Str("reason"), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, moved[draft].GetProperty("reason").ValueKind);

        Assert.Equal(before, await SnapshotsAsync(draft, review, enabling));
        Assert.Equal(0, await factory.QueryDbAsync(db => db.AuditEvents.CountAsync(e => e.Action == "workflow.migrated" && (e.ProjectId == draft || e.ProjectId == review || e.ProjectId == enabling))));
    }

    [Fact]
    public async Task Run_MovesTheMovableProjectsWithAChainedAuditEvent_AndLeavesTheBlockedOne()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        using var approver = await factory.ClientForAsync(DemoUsers.Approver2);
        using var admin = await factory.ClientForAsync(DemoUsers.Admin);
        var (draft, review, enabling) = await ArrangeV1ProjectsAsync(pm);
        var before = await SnapshotsAsync(draft, review, enabling);

        var response = await admin.PostAsJsonAsync(MigrationsPath, new { fromVersion = 1, toVersion = 2, dryRun = false });

        var report = await response.ExpectAsync(HttpStatusCode.OK);
        Assert.False(report.GetProperty("dryRun").GetBoolean());
        var moved = Items(report, "moved");
        var blocked = Items(report, "blocked");
        Assert.Contains(draft, moved.Keys);
        Assert.Contains(review, moved.Keys);
        Assert.Contains(enabling, blocked.Keys);
        Assert.Contains("EnablingEnvironment", blocked[enabling].Str("reason"), StringComparison.Ordinal);

        var after = await SnapshotsAsync(draft, review, enabling);
        Assert.Equal(before[0] with { WorkflowVersion = 2, Version = before[0].Version + 1, AuditEvents = before[0].AuditEvents + 1 }, after[0]);
        Assert.Equal(before[1] with { WorkflowVersion = 2, Version = before[1].Version + 1, AuditEvents = before[1].AuditEvents + 1 }, after[1]);
        Assert.Equal(before[2], after[2]);

        var history = await (await pm.GetAsync($"/api/projects/{review}/history")).ExpectAsync(HttpStatusCode.OK);
        var events = history.EnumerateArray().ToList();
        var migrated = events[^1];
        Assert.Equal("workflow.migrated", migrated.Str("action"));
        Assert.Equal(events.Count, migrated.Number("sequence"));
        Assert.Equal(events[^2].Str("hash"), migrated.Str("previousHash"));
        Assert.Equal("ConsentReview", migrated.Str("fromState"));
        Assert.Equal("ConsentReview", migrated.Str("toState"));
        Assert.Equal(2, migrated.GetProperty("workflow").Number("version"));
        Assert.Equal(1, migrated.GetProperty("changes").GetProperty("workflowVersion").Number("old"));
        Assert.Equal(2, migrated.GetProperty("changes").GetProperty("workflowVersion").Number("new"));
        Assert.Equal("Ada Administrator", migrated.Str("actorName"));
        foreach (var id in new[] { draft, review })
        {
            var verify = await (await pm.GetAsync($"/api/projects/{id}/audit/verify")).ExpectAsync(HttpStatusCode.OK);
            Assert.True(verify.GetProperty("valid").GetBoolean(), $"Audit chain of {id}: {verify}");
        }
        // The blocked project was put in its state directly in the database to arrange it; verify says so.
        var forced = await (await pm.GetAsync($"/api/projects/{enabling}/audit/verify")).ExpectAsync(HttpStatusCode.OK);
        Assert.Contains("state is EnablingEnvironment, but its events end in", forced.Str("reason"), StringComparison.Ordinal);

        // The moved project now follows v2: approving consent leads straight to Planning.
        var version = (await pm.GetProjectAsync(review)).Number("version");
        await approver.FireAsync(review, "ApproveConsent", version);
        Assert.Equal("Planning", (await pm.GetProjectAsync(review)).Str("state"));
        // The blocked one still follows v1.
        var blockedTransitions = await (await pm.GetAsync($"/api/projects/{enabling}/transitions")).ExpectAsync(HttpStatusCode.OK);
        Assert.Contains("StartPlanning", blockedTransitions.GetProperty("transitions").EnumerateArray().Select(t => t.Str("trigger")));

        // A second run finds nothing more to move but still reports the blocked project.
        var again = await (await admin.PostAsJsonAsync(MigrationsPath, new { fromVersion = 1, toVersion = 2, dryRun = false })).ExpectAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(draft, Items(again, "moved").Keys);
        Assert.Contains(enabling, Items(again, "blocked").Keys);
    }

    [Fact]
    public async Task Migrate_AsProjectManager_Returns403AndMovesNothing()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var (draft, _, _) = await ArrangeV1ProjectsAsync(pm);

        var response = await pm.PostAsJsonAsync(MigrationsPath, new { fromVersion = 1, toVersion = 2, dryRun = false });

        await response.ExpectProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(1, (await factory.SnapshotAsync(draft)).WorkflowVersion);
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

    /// <summary>
    /// Three projects pinned to v1 (new projects start on v2, so the pin is set in the database): one in Draft,
    /// one in ConsentReview (both exist in v2), one in EnablingEnvironment (gone in v2).
    /// </summary>
    private async Task<(Guid Draft, Guid Review, Guid Enabling)> ArrangeV1ProjectsAsync(HttpClient pm)
    {
        var token = Guid.NewGuid().ToString("N")[..8];
        var draft = await pm.CreateProjectAsync($"Migrate {token} draft");
        var review = await pm.CreateProjectAsync($"Migrate {token} review");
        var enabling = await pm.CreateProjectAsync($"Migrate {token} enabling");
        // What the consent review approves was submitted: approving re-checks it.
        await pm.CompleteStepsAsync(review, ProjectsApi.AssessmentSteps, 1);
        await factory.ForceStateAsync(draft, "Draft", workflowVersion: 1);
        await factory.ForceStateAsync(review, "ConsentReview", workflowVersion: 1);
        await factory.ForceStateAsync(enabling, "EnablingEnvironment", workflowVersion: 1);
        return (draft, review, enabling);
    }

    private async Task<ProjectSnapshot[]> SnapshotsAsync(params Guid[] ids)
    {
        var snapshots = new ProjectSnapshot[ids.Length];
        for (var i = 0; i < ids.Length; i++)
            snapshots[i] = await factory.SnapshotAsync(ids[i]);
        return snapshots;
    }

    private static Dictionary<Guid, JsonElement> Items(JsonElement report, string property) =>
        report.GetProperty(property).EnumerateArray().ToDictionary(i => i.GetProperty("projectId").GetGuid());
}
