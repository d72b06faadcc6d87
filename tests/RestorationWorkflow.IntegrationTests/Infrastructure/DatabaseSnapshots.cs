using Microsoft.EntityFrameworkCore;
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
