using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using RestorationWorkflow.Data;
using RestorationWorkflow.Web.Features.Identity;
using RestorationWorkflow.Reminders;
using RestorationWorkflow.Web.Features.Projects;

namespace RestorationWorkflow.Web.Features.Portfolio;

/// <summary><c>Portfolio:*</c> settings.</summary>
public sealed class PortfolioOptions
{
    public const string Section = "Portfolio";

    /// <summary>How many dashboards (scope × filters × day × data stamp) the result cache keeps; 0 turns it off.</summary>
    public int CacheEntries { get; set; } = 256;

    /// <summary>
    /// How many dashboards are computed at once (decision 0052); the others wait their turn. 0 (the default): one per
    /// processor, <see cref="Environment.ProcessorCount"/>.
    /// </summary>
    public int Computations { get; set; }
}

/// <summary>
/// What a cached dashboard was computed for: the caller's scope (every project, or a manager's own), the filters, the day
/// in UTC (overdue items depend on it) and the data stamp (<see cref="PortfolioCache.StampAsync"/>).
/// </summary>
public sealed record PortfolioCacheKey(string Scope, PortfolioFilter Filter, DateOnly Today, PortfolioStamp Stamp);

/// <summary>
/// The data stamp: the highest audit event id, which every project command moves in the transaction that changes what
/// the dashboard reads (projects, team, sites, targets and their latest measurement, due items planned inside commands,
/// adaptive decisions and transitions); and the number of projects whose due items the reminder scan's backfill has yet
/// to plan (<see cref="RestorationWorkflow.Projects.Project.DuePlanRevision"/>), the one writer of due items outside a
/// command, which marks each page of projects in the transaction that plans them.
/// </summary>
public sealed record PortfolioStamp(long LastAuditEventId, int ProjectsToPlan);

/// <summary>
/// A small bounded cache of dashboards (decision 0037), correct by construction: the key holds everything a dashboard
/// depends on — scope, filters, day and a stamp that any write the dashboard reads changes — so a write through a
/// command makes the next dashboard a miss; nothing is invalidated by hand and nothing expires to become right. Audit
/// event ids only grow (events are never deleted, projects neither). What the dashboard does not read (the reminder
/// scan's <c>Settled</c> flag, notifications, users' preferences) is not in the stamp. Old keys (an earlier stamp or
/// day) are never asked for again and leave by the least-recently-used end (<see cref="PortfolioOptions.CacheEntries"/>,
/// the compaction of a <see cref="MemoryCache"/> with a size limit); no clock is involved.
/// </summary>
/// <remarks>
/// A miss is computed under two rules (decision 0052). Readers who miss on the same key at the same time (a write has
/// just moved the stamp and several people have the dashboard open) wait for one computation and share its figures.
/// And at most <see cref="PortfolioOptions.Computations"/> dashboards are computed at once, the others queued in
/// order: a computation is tens of milliseconds of one core's work, and more of them at once than there are cores
/// only share the cores (every one of them finishing later) and spend the difference switching between them.
/// </remarks>
public sealed class PortfolioCache : IDisposable
{
    private readonly MemoryCache? _cache;
    private readonly SemaphoreSlim _computations;
    private readonly ConcurrentDictionary<PortfolioCacheKey, Task<PortfolioFigures>> _computing = new();

    public PortfolioCache(IOptions<PortfolioOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var entries = options.Value.CacheEntries;
        _cache = entries > 0 ? new MemoryCache(new MemoryCacheOptions { SizeLimit = entries, CompactionPercentage = 0.25 }) : null;
        var computations = options.Value.Computations > 0 ? options.Value.Computations : Environment.ProcessorCount;
        _computations = new SemaphoreSlim(computations, computations);
        Computations = computations;
    }

    /// <summary>How many dashboards may be computed at once (<see cref="PortfolioOptions.Computations"/>).</summary>
    public int Computations { get; }

    public bool Enabled => _cache is not null;

    /// <summary>Dashboards computed (misses) and served from the cache (hits) since the start, for tests and diagnostics.</summary>
    public long Misses => Interlocked.Read(ref _misses);

    public long Hits => Interlocked.Read(ref _hits);

    private long _misses;
    private long _hits;

    /// <summary>The scope part of the key: <c>all</c>, or the manager's user id (their own projects).</summary>
    public static string ScopeOf(ClaimsPrincipal user) => ProjectScope.SeesAll(user) ? "all" : "mine:" + user.UserId();

    /// <summary>Reads the stamp: two lookups on indexes (the audit events' key, the projects' due-plan revision).</summary>
    public static async Task<PortfolioStamp> StampAsync(AppDbContext db, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var last = await db.AuditEvents.MaxAsync(e => (long?)e.Id, ct) ?? 0;
        var toPlan = await db.Projects.CountAsync(p => p.DuePlanRevision < DuePlan.Revision, ct);
        return new PortfolioStamp(last, toPlan);
    }

    /// <summary>
    /// The figures for <paramref name="key"/>: cached, or computed by <paramref name="compute"/> and kept. The stamp is read
    /// before computing, so a write that commits meanwhile is either in the figures or moves the stamp for the next reader.
    /// A reader who misses while the same key is being computed waits for that computation instead of starting another;
    /// should it fail or be cancelled (its reader went away), the waiting reader computes.
    /// </summary>
    /// <remarks>With the cache off (<paramref name="key"/> null is allowed then), every call computes, in its turn.</remarks>
    public async Task<PortfolioFigures> GetOrComputeAsync(PortfolioCacheKey? key, Func<Task<PortfolioFigures>> compute, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(compute);
        if (_cache is null || key is null)
        {
            Interlocked.Increment(ref _misses);
            return await InTurnAsync(compute, ct);
        }
        while (true)
        {
            if (_cache.TryGetValue(key, out PortfolioFigures? cached) && cached is not null)
            {
                Interlocked.Increment(ref _hits);
                return cached;
            }
            var mine = new TaskCompletionSource<PortfolioFigures>(TaskCreationOptions.RunContinuationsAsynchronously);
            var running = _computing.GetOrAdd(key, mine.Task);
            if (running != mine.Task)
            {
                try
                {
                    var shared = await running.WaitAsync(ct);
                    Interlocked.Increment(ref _shared);
                    return shared;
                }
                catch (Exception) when (!ct.IsCancellationRequested)
                {
                    // The reader computing it failed or went away: look again (the next one computes).
                    continue;
                }
            }
            Interlocked.Increment(ref _misses);
            PortfolioFigures figures;
            try
            {
                figures = await InTurnAsync(compute, ct);
            }
            catch (Exception ex)
            {
                // Out of the table before the waiting readers see it fail, so they do not find it again.
                _computing.TryRemove(new KeyValuePair<PortfolioCacheKey, Task<PortfolioFigures>>(key, mine.Task));
                mine.SetException(ex);
                _ = mine.Task.Exception; // observed here: the readers waiting on it, if any, compute themselves
                throw;
            }
            _cache.Set(key, figures, new MemoryCacheEntryOptions { Size = 1 });
            _computing.TryRemove(new KeyValuePair<PortfolioCacheKey, Task<PortfolioFigures>>(key, mine.Task));
            mine.SetResult(figures);
            return figures;
        }
    }

    /// <summary>Readers served by another reader's computation of the same key, running when they asked.</summary>
    public long Shared => Interlocked.Read(ref _shared);

    private long _shared;

    private async Task<PortfolioFigures> InTurnAsync(Func<Task<PortfolioFigures>> compute, CancellationToken ct)
    {
        await _computations.WaitAsync(ct);
        try
        {
            return await compute();
        }
        finally
        {
            _computations.Release();
        }
    }

    public void Dispose()
    {
        _cache?.Dispose();
        _computations.Dispose();
    }
}
