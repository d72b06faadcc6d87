using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using RestorationWorkflow.Data;

namespace RestorationWorkflow.IntegrationTests.Infrastructure;

/// <summary>Reads from the fixture's database directly, beside the API, to check what was stored.</summary>
public static class DatabaseSnapshots
{
    /// <summary>Reads something from the fixture's database in a fresh scope.</summary>
    public static async Task<T> QueryDbAsync<T>(this AppFactory factory, Func<AppDbContext, Task<T>> query)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(query);
        var result = default(T)!;
        await factory.WithDbAsync(async db => result = await query(db));
        return result;
    }

    /// <summary>Migrates the fixture's database to <paramref name="target"/> (a migration's id, or null for the latest): down or up.</summary>
    public static async Task MigrateToAsync(this AppFactory factory, string? target)
    {
        ArgumentNullException.ThrowIfNull(factory);
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        await db.GetService<IMigrator>().MigrateAsync(target);
    }

    /// <summary>The names of a table's columns in the fixture's SQLite database.</summary>
    public static Task<List<string>> SqliteColumnsAsync(this AppFactory factory, string table) =>
        factory.QueryDbAsync(db => db.Database.SqlQuery<string>($"SELECT name AS \"Value\" FROM pragma_table_info({table})").ToListAsync());

    /// <summary>The project's state, version and number of audit events, straight from the database.</summary>
    public static Task<ProjectSnapshot> SnapshotAsync(this AppFactory factory, Guid projectId) =>
        factory.QueryDbAsync(async db =>
        {
            var project = await db.Projects.AsNoTracking().SingleAsync(p => p.Id == projectId);
            var events = await db.AuditEvents.CountAsync(e => e.ProjectId == projectId);
            return new ProjectSnapshot(project.State, project.Version, project.WorkflowVersion, events);
        });
}

/// <summary>What <see cref="DatabaseSnapshots.SnapshotAsync"/> reads: compared whole, so a test states every field it expects.</summary>
public sealed record ProjectSnapshot(string State, int Version, int WorkflowVersion, int AuditEvents);
