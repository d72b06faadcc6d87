using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking.Internal;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.Update;
using Microsoft.EntityFrameworkCore.Update.Internal;
using Microsoft.Extensions.DependencyInjection;
using RestorationWorkflow.Audit;
using RestorationWorkflow.Data;
using RestorationWorkflow.Reminders;
using RestorationWorkflow.Workflows;
using RestorationWorkflow.IntegrationTests.Infrastructure;
using RestorationWorkflow.Web.Infrastructure.Persistence;

namespace RestorationWorkflow.IntegrationTests.Persistence;

#pragma warning disable EF1001 // The rows a SaveChanges would write are read with EF Core's own services, as its SaveChanges does.

/// <summary>
/// Decision 0062: SaveChanges skips EF Core's dependency sort only when no row can depend on another, and then writes
/// them in the order EF Core's sort gives; rows that can depend on each other go through EF Core's sort. Checked on the
/// app's own model and database (the provider under test).
/// </summary>
public sealed class IndependentRowsBatchPreparerTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task The_app_s_contexts_use_the_preparer_with_the_shortcut()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();

        Assert.IsType<IndependentRowsBatchPreparer>(db.GetService<ICommandBatchPreparer>());
    }

    [Fact]
    public async Task A_transition_s_rows_take_the_shortcut_in_the_order_EF_Core_s_sort_gives()
    {
        var id = await (await app.ClientForAsync(DemoUsers.Pm)).CreateProjectAsync("Rows without dependencies");
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var project = await db.Projects.SingleAsync(p => p.Id == id);
        // What a transition writes: the project's row updated (not its key), a new audit event of the project.
        db.Entry(project).Property(p => p.State).CurrentValue = "Monitoring";
        db.Entry(project).Property(p => p.Version).CurrentValue = project.Version + 1;
        db.AuditEvents.Add(NewEvent(id, 1000));

        var rows = RowsToSave(db);

        Assert.Equal(["AuditEvents", "Projects"], rows.Select(r => r.TableName).Order(StringComparer.Ordinal));
        Assert.True(IndependentRowsBatchPreparer.Independent(rows));
        var efCore = new CommandBatchPreparer(db.GetService<CommandBatchPreparerDependencies>()).TopologicalSort(rows);
        var shortcut = AppPreparer(db).TopologicalSort(rows);
        // The same rows, in the same one set, in the same order.
        Assert.Equal(efCore.Select(s => s.Count), shortcut.Select(s => s.Count));
        Assert.Equal(efCore.SelectMany(s => s), shortcut.SelectMany(s => s), ReferenceEqualityComparer.Instance);
        Assert.Single(shortcut);
    }

    [Fact]
    public async Task A_deleted_principal_and_its_deleted_dependents_go_through_EF_Core_s_sort()
    {
        var id = await (await app.ClientForAsync(DemoUsers.Pm)).CreateProjectAsync("Rows that depend on each other");
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var project = await db.Projects.Include(p => p.Members).SingleAsync(p => p.Id == id);
        db.Projects.Remove(project);

        var rows = RowsToSave(db);

        Assert.Contains(rows, r => r.TableName == "Projects" && r.EntityState == EntityState.Deleted);
        Assert.Contains(rows, r => r.TableName == "ProjectMembers" && r.EntityState == EntityState.Deleted);
        Assert.False(IndependentRowsBatchPreparer.Independent(rows));
        var sets = AppPreparer(db).TopologicalSort(rows);
        // The project's member goes before the project.
        var order = sets.SelectMany(s => s).Select(r => r.TableName).ToList();
        Assert.True(order.IndexOf("ProjectMembers") < order.IndexOf("Projects"));
    }

    [Fact]
    public async Task A_new_principal_with_a_new_dependent_goes_through_EF_Core_s_sort_and_is_written_first()
    {
        var id = await (await app.ClientForAsync(DemoUsers.Pm)).CreateProjectAsync("A copy's principal first");
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var project = await db.Projects.AsNoTracking().SingleAsync(p => p.Id == id);
        // The same project as a new row (a new id), with an audit event that points to it.
        typeof(RestorationWorkflow.Projects.Project).GetProperty(nameof(project.Id))!.SetValue(project, Guid.NewGuid());
        db.Projects.Add(project);
        db.AuditEvents.Add(NewEvent(project.Id, 1));

        var rows = RowsToSave(db);

        Assert.Equal([EntityState.Added, EntityState.Added], rows.Select(r => r.EntityState));
        Assert.False(IndependentRowsBatchPreparer.Independent(rows));
        var order = AppPreparer(db).TopologicalSort(rows).SelectMany(s => s).Select(r => r.TableName).ToList();
        Assert.Equal(["Projects", "AuditEvents"], order);
    }

    [Fact]
    public async Task Two_new_rows_of_one_table_take_the_shortcut_in_the_order_EF_Core_s_sort_gives()
    {
        var id = await (await app.ClientForAsync(DemoUsers.Pm)).CreateProjectAsync("Two new rows of one table");
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.AuditEvents.Add(NewEvent(id, 1001));
        db.AuditEvents.Add(NewEvent(id, 1000));

        var rows = RowsToSave(db);

        Assert.True(IndependentRowsBatchPreparer.Independent(rows));
        var efCore = new CommandBatchPreparer(db.GetService<CommandBatchPreparerDependencies>()).TopologicalSort(rows);
        var shortcut = AppPreparer(db).TopologicalSort(rows);
        Assert.Equal(efCore.Select(s => s.Count), shortcut.Select(s => s.Count));
        Assert.Equal(efCore.SelectMany(s => s), shortcut.SelectMany(s => s), ReferenceEqualityComparer.Instance);
    }

    [Fact]
    public async Task A_deleted_row_and_a_new_row_with_its_unique_value_take_the_shortcut_the_deleted_one_first()
    {
        var id = await (await app.ClientForAsync(DemoUsers.Pm)).CreateProjectAsync("A unique value given up and taken");
        var old = DueItem.Create(id, "test", "test:one", null, new DateOnly(2027, 1, 1), new LocalizedText("Old", "旧"), DateTimeOffset.UnixEpoch);
        await using (var seed = app.Services.CreateAsyncScope())
        {
            var db = seed.ServiceProvider.GetRequiredService<AppDbContext>();
            db.DueItems.Add(old);
            await db.SaveChangesAsync();
        }
        await using var scope = app.Services.CreateAsyncScope();
        var context = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        // What a plan submission and a decision write: the project's row updated, one due item deleted, another
        // inserted (here with the deleted one's unique project and key, so the delete must go first).
        var project = await context.Projects.SingleAsync(p => p.Id == id);
        context.Entry(project).Property(p => p.Version).CurrentValue = project.Version + 1;
        context.DueItems.Remove(await context.DueItems.SingleAsync(d => d.Id == old.Id));
        var replacement = DueItem.Create(id, "test", "test:one", null, new DateOnly(2027, 2, 1), new LocalizedText("New", "新"), DateTimeOffset.UnixEpoch);
        context.DueItems.Add(replacement);

        var rows = RowsToSave(context);

        Assert.Equal(["DueItems:Added", "DueItems:Deleted", "Projects:Modified"], rows.Select(r => $"{r.TableName}:{r.EntityState}").Order(StringComparer.Ordinal));
        Assert.True(IndependentRowsBatchPreparer.Independent(rows));
        var efCore = new CommandBatchPreparer(context.GetService<CommandBatchPreparerDependencies>()).TopologicalSort(rows).SelectMany(s => s).ToList();
        var shortcut = Assert.Single(AppPreparer(context).TopologicalSort(rows));
        // EF Core's sort writes the delete in an earlier set than the insert; the shortcut writes it earlier in its one set.
        Assert.Equal(efCore.Where(r => r.TableName == "DueItems"), shortcut.Where(r => r.TableName == "DueItems"), ReferenceEqualityComparer.Instance);
        Assert.Equal(EntityState.Deleted, shortcut.First(r => r.TableName == "DueItems").EntityState);

        await context.SaveChangesAsync();
        var left = await app.QueryDbAsync(db => db.DueItems.AsNoTracking().Where(d => d.ProjectId == id && d.Key == "test:one").Select(d => d.Id).ToListAsync());
        Assert.Equal([replacement.Id], left);
    }

    [Fact]
    public async Task Two_updated_rows_of_one_table_go_through_EF_Core_s_sort()
    {
        var client = await app.ClientForAsync(DemoUsers.Pm);
        var ids = new[] { await client.CreateProjectAsync("Two updated rows, one"), await client.CreateProjectAsync("Two updated rows, two") };
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        // Two updated rows of one table may exchange a unique value: only EF Core's sort orders them.
        foreach (var project in await db.Projects.Where(p => ids.Contains(p.Id)).ToListAsync())
            db.Entry(project).Property(p => p.Version).CurrentValue = project.Version + 1;

        var rows = RowsToSave(db);

        Assert.Equal(["Projects:Modified", "Projects:Modified"], rows.Select(r => $"{r.TableName}:{r.EntityState}"));
        Assert.False(IndependentRowsBatchPreparer.Independent(rows));
    }

    private static AuditEvent NewEvent(Guid projectId, int sequence) => new()
    {
        ProjectId = projectId,
        Sequence = sequence,
        ActorId = "test",
        ActorName = "Test",
        At = DateTimeOffset.UnixEpoch,
        Action = "test",
        WorkflowId = "staper-restoration",
        WorkflowVersion = 1,
        PreviousHash = "",
        Hash = $"hash-{sequence}",
    };

    private static IndependentRowsBatchPreparer AppPreparer(AppDbContext db) => Assert.IsType<IndependentRowsBatchPreparer>(db.GetService<ICommandBatchPreparer>());

    /// <summary>The rows SaveChanges would write now, as EF Core's preparer makes them before sorting.</summary>
    private static List<IReadOnlyModificationCommand> RowsToSave(AppDbContext db)
    {
        db.ChangeTracker.DetectChanges();
        var entries = db.GetService<IStateManager>().GetEntriesToSave(cascadeChanges: true);
        return RowMaker.Rows(db.GetService<CommandBatchPreparerDependencies>(), entries, db.GetService<IUpdateAdapterFactory>().Create());
    }

    /// <summary>EF Core's preparer, to reach the step that turns tracked entries into rows.</summary>
    private sealed class RowMaker(CommandBatchPreparerDependencies dependencies) : CommandBatchPreparer(dependencies)
    {
        public static List<IReadOnlyModificationCommand> Rows(CommandBatchPreparerDependencies dependencies, IList<IUpdateEntry> entries, IUpdateAdapter adapter) =>
            [.. new RowMaker(dependencies).CreateModificationCommands(entries, adapter, new ParameterNameGenerator().GenerateNext)];
    }
}
