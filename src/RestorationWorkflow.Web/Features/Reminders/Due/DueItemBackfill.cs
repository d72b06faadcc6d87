using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.Data;
using RestorationWorkflow.Reminders;
using RestorationWorkflow.Web.Infrastructure.Persistence;

namespace RestorationWorkflow.Web.Features.Reminders.Due;

/// <summary>
/// Plans in full the due items of projects planned under older rules (<see cref="RestorationWorkflow.Projects.Project.DuePlanRevision"/>
/// below <see cref="DuePlan.Revision"/>): the projects stored before due items existed, and every project once after a
/// change of the rules. The reminder scan runs it first, so such a project is reminded from the first scan on. Each
/// page of projects is planned and marked in one transaction; a project that a command changed meanwhile (its due
/// items or its row) is left for the next scan. Due items are derived from audited content, so planning them writes no
/// audit event, as the planner inside a command writes none of its own.
/// </summary>
public sealed class DueItemBackfill(AppDbContext db, DueItemPlanner planner, TimeProvider time, ILogger<DueItemBackfill> logger, SqliteWriteGate? writeGate = null)
{
    /// <summary>Projects planned per transaction.</summary>
    public const int PageSize = 100;

    /// <summary>Plans every project behind the current revision; answers how many were planned.</summary>
    public async Task<int> RunAsync(CancellationToken ct)
    {
        var planned = 0;
        var skipped = new HashSet<Guid>();
        // The planner stages moved dates on tracked items: change detection must be on (the scan turns it off after).
        db.ChangeTracker.AutoDetectChangesEnabled = true;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            var ids = await db.Projects.AsNoTracking()
                .Where(p => p.DuePlanRevision < DuePlan.Revision)
                .OrderBy(p => p.Id).Select(p => p.Id)
                .Take(PageSize + skipped.Count).ToListAsync(ct);
            ids.RemoveAll(skipped.Contains);
            if (ids.Count == 0)
                return planned;
            try
            {
                planned += await PlanPageAsync(ids, ct);
            }
            catch (DbUpdateException ex)
            {
                // A command planned one of these projects meanwhile (same keys) or changed its row: the next scan retries.
                logger.LogInformation(ex, "Due-item backfill: {Count} projects changed meanwhile; they are planned by the next scan.", ids.Count);
                skipped.UnionWith(ids);
            }
            finally
            {
                db.ChangeTracker.Clear();
            }
        }
    }

    private async Task<int> PlanPageAsync(List<Guid> ids, CancellationToken ct)
    {
        using var held = writeGate is null ? null : await writeGate.EnterAsync();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var now = time.GetUtcNow();
        var projects = await db.Projects.Where(p => ids.Contains(p.Id)).ToListAsync(ct);
        foreach (var project in projects)
            await planner.PlanAsync(project, DueAspects.All, firedTrigger: null, now, ct);
        await db.SaveChangesAsync(ct);
        // Marked only if still behind: the row itself is not rewritten, so its concurrency token is untouched.
        await db.Projects.Where(p => ids.Contains(p.Id) && p.DuePlanRevision < DuePlan.Revision)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.DuePlanRevision, DuePlan.Revision), ct);
        await transaction.CommitAsync(ct);
        return projects.Count;
    }
}
