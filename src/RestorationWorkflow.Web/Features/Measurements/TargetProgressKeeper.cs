using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;
using RestorationWorkflow.Data;
using RestorationWorkflow.Projects.Targets;
using RestorationWorkflow.Web.Infrastructure.Persistence;

namespace RestorationWorkflow.Web.Features.Measurements;

/// <summary>
/// Keeps each target's status on its row (<see cref="RestorationTarget.Progress"/>, decision 0044): before every save,
/// every target added or changed — a target command, a measurement command moving its latest measurement
/// (<see cref="LatestMeasurementKeeper"/>), the import, the demo seed, any later writer — is decided again by the status
/// rule with the configured thresholds, in the same SaveChanges and transaction. A save interceptor, so no writer can
/// forget it. The status is derived from audited content (like the latest measurement), so it writes no audit event.
/// </summary>
public sealed class TargetProgressKeeper(IOptions<MonitoringOptions> options) : SaveChangesInterceptor
{
    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        Keep(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        Keep(eventData.Context);
        return ValueTask.FromResult(result);
    }

    private void Keep(DbContext? context)
    {
        if (context is null)
            return;
        var thresholds = options.Value.Thresholds;
        // Targets are added through their own set (TargetCommands), never through a navigation.
        foreach (var entry in TrackedEntries.Of<RestorationTarget>(context.ChangeTracker))
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified))
                continue;
            entry.Entity.KeepProgress(thresholds);
            entry.DetectChanges();
        }
    }
}

/// <summary>
/// At start-up, in the background, decides again the status of every target decided under other thresholds than the
/// configured ones (<see cref="RestorationTarget.ProgressRule"/>), or never decided (rows from before decision 0044, rows
/// written by a bulk load): pages of <see cref="PageSize"/> targets, each page one transaction. Until it is done the
/// portfolio decides those rows itself (<c>PortfolioTargets</c>), so no figure is ever wrong, only slower.
/// </summary>
public sealed class TargetProgressBackfill(IServiceScopeFactory scopes, IOptions<MonitoringOptions> options, ILogger<TargetProgressBackfill> logger) : IHostedService
{
    public const int PageSize = 500;

    /// <summary>The start-up pass: completes with the number of targets decided (0 when it failed, which is logged).</summary>
    public Task<int> Done { get; private set; } = Task.FromResult(0);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        Done = Task.Run(async () =>
        {
            try
            {
                return await RunAsync(CancellationToken.None);
            }
            catch (Exception ex) when (ex is DbUpdateException or System.Data.Common.DbException or InvalidOperationException)
            {
                logger.LogWarning(ex, "Deciding the stored status of targets stopped; the portfolio decides the remaining ones itself until the next start.");
                return 0;
            }
        }, CancellationToken.None);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Decides every target whose stored status is not the current rule's, in one pass in id order; answers how many.
    /// Each page is read and written in one serializable transaction (SQLite's are; on a server a concurrent change of
    /// one of its rows fails the page, which is left to the commands — they decide what they change — and to the next
    /// start), and written with one statement per status.
    /// </summary>
    public async Task<int> RunAsync(CancellationToken ct)
    {
        var thresholds = options.Value.Thresholds;
        var rule = thresholds.Key;
        var decided = 0;
        Guid? after = null;
        while (true)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var gate = scope.ServiceProvider.GetService<SqliteWriteGate>();
            using var held = gate is null ? null : await gate.EnterAsync();
            await using var transaction = await db.Database.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, ct);
            var query = db.RestorationTargets.AsNoTracking().Where(t => t.ProgressRule == null || t.ProgressRule != rule);
            if (after is { } last)
                query = query.Where(t => t.Id.CompareTo(last) > 0);
            var page = await query.OrderBy(t => t.Id).Take(PageSize).ToListAsync(ct);
            if (page.Count == 0)
                break;
            after = page[^1].Id;
            try
            {
                foreach (var group in page.GroupBy(t =>
                {
                    t.KeepProgress(thresholds);
                    return t.Progress;
                }))
                {
                    var ids = group.Select(t => t.Id).ToList();
                    var progress = group.Key;
                    await db.RestorationTargets.Where(t => ids.Contains(t.Id))
                        .ExecuteUpdateAsync(u => u.SetProperty(t => t.Progress, progress).SetProperty(t => t.ProgressRule, rule), ct);
                }
                await transaction.CommitAsync(ct);
                decided += page.Count;
            }
            catch (System.Data.Common.DbException ex)
            {
                logger.LogInformation(ex, "Deciding the stored status of {Count} targets: some changed meanwhile; their commands decided them.", page.Count);
            }
        }
        if (decided > 0)
            logger.LogInformation("Decided the stored status of {Count} targets under the thresholds {Rule}.", decided, rule);
        return decided;
    }
}
