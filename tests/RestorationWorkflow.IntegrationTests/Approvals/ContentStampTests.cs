using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RestorationWorkflow.Approvals;
using RestorationWorkflow.Data;
using RestorationWorkflow.IntegrationTests.Demo;
using RestorationWorkflow.IntegrationTests.Evidence;
using RestorationWorkflow.IntegrationTests.Infrastructure;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Projects.Safeguards;
using RestorationWorkflow.Web.Features.Approvals;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.IntegrationTests.Approvals;

/// <summary>
/// The database's own stamp over what approval snapshots cover (decision 0068): triggers move it on every write of a
/// covered row, through the app or around it, and a request whose stamp is the project's is current without its
/// snapshot being built again. On the demo projects, which have rows in every covered table.
/// </summary>
public sealed partial class ContentStampTests(DevelopmentAppFactory factory) : IClassFixture<DevelopmentAppFactory>
{
    [Fact]
    public async Task EveryCoveredTable_WrittenAroundTheApp_MovesTheStamp_OnInsertUpdateAndDelete()
    {
        // The demo projects have rows in every covered table but the evidence files.
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        using var upload = EvidenceSamples.Form(EvidenceSamples.Pdf(), "survey.pdf", "A1", 1, null);
        await (await pm.PostAsync($"/api/projects/{await pm.CreateProjectAsync()}/evidence", upload)).ExpectAsync(HttpStatusCode.Created);

        await using var scope = factory.Scope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync();
        // Nor any acknowledged safeguard finding: one is added here, and rolled back with the rest.
        var acknowledged = await db.Projects.OrderBy(p => p.Code).Select(p => p.Id).FirstAsync();
        db.SafeguardAcknowledgements.Add(new SafeguardAcknowledgement(acknowledged, "grassland-planting", new string('a', 64), "Checked.", "approver", "Approver", DateTimeOffset.UtcNow));
        await db.SaveChangesAsync();
        foreach (var table in StampedTables(db))
        {
            var id = await FirstProjectOfAsync(db, table);
            Assert.True(id != Guid.Empty, $"No project has a row in {table}: this test needs one to write.");

            var before = await StampAsync(db, id);
            await RunAsync(db, $$"""UPDATE "{{table}}" SET "ProjectId" = "ProjectId" WHERE "ProjectId" = {0}""", id);
            var updated = await StampAsync(db, id);
            Assert.True(updated > before, $"An update of {table} did not move the stamp.");

            await RunAsync(db, $$"""CREATE TEMP TABLE "copy_{{table}}" AS SELECT * FROM "{{table}}" WHERE 1 = 0""");
            await RunAsync(db, $$"""INSERT INTO "copy_{{table}}" SELECT * FROM "{{table}}" WHERE "ProjectId" = {0}""", id);
            // Other rows refer to these (a consent to its stakeholder): the foreign keys wait, and the transaction rolls back.
            if (db.Database.IsNpgsql())
                await RunAsync(db, $$"""ALTER TABLE "{{table}}" DISABLE TRIGGER ALL; ALTER TABLE "{{table}}" ENABLE TRIGGER "{{CoveredContent.TriggerOf(table)}}";""");
            else
                await RunAsync(db, "PRAGMA defer_foreign_keys = ON");
            await RunAsync(db, $$"""DELETE FROM "{{table}}" WHERE "ProjectId" = {0}""", id);
            var deleted = await StampAsync(db, id);
            Assert.True(deleted > updated, $"A delete from {table} did not move the stamp.");

            await RunAsync(db, $"""INSERT INTO "{table}" SELECT * FROM "copy_{table}" """);
            Assert.True(await StampAsync(db, id) > deleted, $"An insert into {table} did not move the stamp.");
        }
        await transaction.RollbackAsync();
    }

    [Fact]
    public async Task EveryRegistryColumn_WrittenAroundTheApp_MovesTheStamp_AndTheCommandPathsOwnColumnsDoNot()
    {
        await using var scope = factory.Scope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync();
        var project = await db.Projects.AsNoTracking().OrderBy(p => p.Code).FirstAsync();
        var entity = db.Model.FindEntityType(typeof(Project))!;

        foreach (var field in ProjectRegistryFields.Of(project).Keys)
        {
            var property = entity.FindProperty(char.ToUpperInvariant(field[0]) + field[1..]);
            Assert.True(property is not null, $"The registry field '{field}' has no property of that name on Project.");
            var column = property.GetColumnName();
            var before = await StampAsync(db, project.Id);
            await RunAsync(db, $$"""UPDATE "Projects" SET "{{column}}" = "{{column}}" WHERE "Id" = {0}""", project.Id);
            Assert.True(await StampAsync(db, project.Id) > before, $"An update of the registry column {column} did not move the stamp.");
        }

        // A transition, an audit event, the due-item plan: what every command writes on the row is not content.
        var stamp = await StampAsync(db, project.Id);
        await db.Database.ExecuteSqlRawAsync(
            """UPDATE "Projects" SET "State" = "State", "Version" = "Version" + 1, "UpdatedAt" = "UpdatedAt", "AuditHead" = "AuditHead", "AuditSequence" = "AuditSequence" WHERE "Id" = {0}""",
            project.Id);
        Assert.Equal(stamp, await StampAsync(db, project.Id));
        await transaction.RollbackAsync();
    }

    /// <summary>Every table a snapshot reads has the triggers: a section added on a new table cannot skip them.</summary>
    [Fact]
    public async Task EveryTableASnapshotReads_IsCovered()
    {
        await using var scope = factory.Scope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var project = await db.Projects.AsNoTracking().Include(p => p.Members).OrderBy(p => p.Code).FirstAsync();
        var definition = scope.ServiceProvider.GetRequiredService<WorkflowCatalog>().DefinitionOf(project);
        var read = new HashSet<string>(StringComparer.Ordinal);

        foreach (var gate in definition.Gates)
        {
            using var recording = factory.Sql.Record();
            await scope.ServiceProvider.GetRequiredService<ApprovalSnapshotBuilder>().BuildAsync(project, gate, CancellationToken.None);
            foreach (var command in recording.Commands)
            {
                foreach (Match match in TableRead().Matches(command))
                    read.Add(match.Groups[1].Value);
            }
        }

        Assert.NotEmpty(read);
        Assert.Subset(CoveredTables(db).ToHashSet(StringComparer.Ordinal), read);
        // And every covered table is read by some gate's snapshot: none carries triggers for nothing.
        Assert.Equal(CoveredTables(db).Count, read.Count);
    }

    [Fact]
    public async Task ADecision_OnAnUnchangedRequest_DoesNotBuildItsSnapshotAgain_AndAfterAWriteAroundTheApp_Does()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        using var approver1 = await factory.ClientForAsync(DemoUsers.Approver1);
        using var approver2 = await factory.ClientForAsync(DemoUsers.Approver2);
        var unchanged = await pm.ToPlanApprovedOnceAsync(approver1);
        var touched = await pm.ToPlanApprovedOnceAsync(approver1);
        var snapshotSql = await SnapshotSqlAsync(unchanged.Id);
        Assert.NotEmpty(snapshotSql);

        using (var recording = factory.Sql.Record())
        {
            await (await approver2.DecideRawAsync(unchanged.RequestId, "reject", "Budget lines are missing.")).ExpectAsync(HttpStatusCode.Created);
            Assert.Empty(recording.Commands.Intersect(snapshotSql));
        }

        // Written by hand to the same values: the stamp moved, so the decision builds the snapshot, finds it equal, and decides.
        await factory.WithDbAsync(db => db.Database.ExecuteSqlRawAsync("""UPDATE "ChecklistItems" SET "Note" = "Note" WHERE "ProjectId" = {0}""", touched.Id));
        using (var recording = factory.Sql.Record())
        {
            await (await approver2.DecideRawAsync(touched.RequestId, "reject", "Budget lines are missing.")).ExpectAsync(HttpStatusCode.Created);
            Assert.Subset(recording.Commands.ToHashSet(StringComparer.Ordinal), snapshotSql);
        }
    }

    [Fact]
    public async Task ASubmission_AfterARejectionThatChangedNothing_TakesTheLastSnapshot_AndAfterAWriteAroundTheApp_BuildsIt()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        using var approver1 = await factory.ClientForAsync(DemoUsers.Approver1);
        using var approver2 = await factory.ClientForAsync(DemoUsers.Approver2);
        var project = await pm.ToPlanApprovedOnceAsync(approver1);
        var first = await pm.OpenRequestAsync(project.Id, "plan");
        var snapshotSql = await SnapshotSqlAsync(project.Id);
        var version = (await (await approver2.DecideRawAsync(project.RequestId, "reject", "Budget lines are missing.")).ExpectAsync(HttpStatusCode.Created))
            .Number("projectVersion");

        // The submission's guards read some of the same tables (the planned species), and their data is kept under the
        // same stamp (decision 0069): unchanged, the submission runs none of the snapshot's queries.
        using (var recording = factory.Sql.Record())
        {
            version = await pm.FireAsync(project.Id, "SubmitPlan", version);
            Assert.Empty(recording.Commands.Intersect(snapshotSql));
        }
        var second = await pm.OpenRequestAsync(project.Id, "plan");
        Assert.Equal(first.Str("snapshotHash"), second.Str("snapshotHash"));
        Assert.False(second.GetProperty("stale").GetBoolean());
        await factory.WithDbAsync(async db => Assert.Equal(
            await db.ApprovalRequests.Where(r => r.Id == project.RequestId).Select(r => r.Snapshot).SingleAsync(),
            await db.ApprovalRequests.Where(r => r.Id == second.GetProperty("id").GetGuid()).Select(r => r.Snapshot).SingleAsync()));

        version = (await (await approver2.DecideRawAsync(second.GetProperty("id").GetGuid(), "reject", "Still missing.")).ExpectAsync(HttpStatusCode.Created))
            .Number("projectVersion");
        await factory.WithDbAsync(db => db.Database.ExecuteSqlRawAsync("""UPDATE "ChecklistItems" SET "Note" = 'changed by hand' WHERE "ProjectId" = {0}""", project.Id));
        using (var recording = factory.Sql.Record())
        {
            await pm.FireAsync(project.Id, "SubmitPlan", version);
            Assert.Subset(recording.Commands.ToHashSet(StringComparer.Ordinal), snapshotSql);
        }
        var third = await pm.OpenRequestAsync(project.Id, "plan");
        Assert.NotEqual(second.Str("snapshotHash"), third.Str("snapshotHash"));
        Assert.Contains(third.GetProperty("changesSincePrevious").EnumerateArray(), c => c.Str("path").StartsWith("checklist.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheApprovalsRead_OfAnUnchangedRequest_DoesNotBuildItsSnapshot_AndSeesAChangeMadeAroundTheApp()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        using var approver1 = await factory.ClientForAsync(DemoUsers.Approver1);
        var project = await pm.ToPlanApprovedOnceAsync(approver1);
        var snapshotSql = await SnapshotSqlAsync(project.Id);

        using (var recording = factory.Sql.Record())
        {
            Assert.False((await pm.OpenRequestAsync(project.Id, "plan")).GetProperty("stale").GetBoolean());
            Assert.Empty(recording.Commands.Intersect(snapshotSql));
        }

        await factory.WithDbAsync(db => db.Database.ExecuteSqlRawAsync("""UPDATE "ChecklistItems" SET "Note" = 'changed by hand' WHERE "ProjectId" = {0}""", project.Id));
        Assert.True((await pm.OpenRequestAsync(project.Id, "plan")).GetProperty("stale").GetBoolean());
    }

    /// <summary>The SQL of the plan snapshot's queries, as the app sends it.</summary>
    private async Task<HashSet<string>> SnapshotSqlAsync(Guid projectId)
    {
        await using var scope = factory.Scope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var project = await db.Projects.AsNoTracking().Include(p => p.Members).SingleAsync(p => p.Id == projectId);
        var gate = scope.ServiceProvider.GetRequiredService<WorkflowCatalog>().DefinitionOf(project).FindGate("plan")!;
        using var recording = factory.Sql.Record();
        await scope.ServiceProvider.GetRequiredService<ApprovalSnapshotBuilder>().BuildAsync(project, gate, CancellationToken.None);
        return recording.Commands.ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The tables a snapshot reads.</summary>
    private static List<string> CoveredTables(AppDbContext db) =>
        [.. CoveredContent.Entities.Select(t => db.Model.FindEntityType(t)!.GetTableName()!)];

    /// <summary>Every table whose writes move the stamp: those, and the ones only stamped guard data reads (decision 0069).</summary>
    private static List<string> StampedTables(AppDbContext db) =>
        [.. CoveredContent.StampedEntities.Select(t => db.Model.FindEntityType(t)!.GetTableName()!)];

    /// <summary>Table and column names here come from the app's own model, never from input.</summary>
    private static Task<int> RunAsync(AppDbContext db, string sql, params object[] arguments) => db.Database.ExecuteSqlRawAsync(sql, arguments);

    private static Task<Guid> FirstProjectOfAsync(AppDbContext db, string table)
    {
        var sql = "SELECT \"ProjectId\" AS \"Value\" FROM \"" + table + "\"";
        return db.Database.SqlQueryRaw<Guid>(sql).FirstOrDefaultAsync();
    }

    private static Task<long> StampAsync(AppDbContext db, Guid id) =>
        db.Projects.AsNoTracking().Where(p => p.Id == id).Select(p => p.ContentStamp).SingleAsync();

    [GeneratedRegex(@"(?:FROM|JOIN) ""(\w+)""")]
    private static partial Regex TableRead();
}
