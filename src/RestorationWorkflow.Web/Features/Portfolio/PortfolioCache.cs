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
public sealed class PortfolioCache : IDisposable
{
    private readonly MemoryCache? _cache;

    public PortfolioCache(IOptions<PortfolioOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var entries = options.Value.CacheEntries;
        _cache = entries > 0 ? new MemoryCache(new MemoryCacheOptions { SizeLimit = entries, CompactionPercentage = 0.25 }) : null;
    }

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
    /// </summary>
    /// <remarks>With the cache off (<paramref name="key"/> null is allowed then), every call computes.</remarks>
    public async Task<PortfolioFigures> GetOrComputeAsync(PortfolioCacheKey? key, Func<Task<PortfolioFigures>> compute)
    {
        ArgumentNullException.ThrowIfNull(compute);
        if (_cache is null || key is null)
        {
            Interlocked.Increment(ref _misses);
            return await compute();
        }
        if (_cache.TryGetValue(key, out PortfolioFigures? cached) && cached is not null)
        {
            Interlocked.Increment(ref _hits);
            return cached;
        }
        Interlocked.Increment(ref _misses);
        var figures = await compute();
        _cache.Set(key, figures, new MemoryCacheEntryOptions { Size = 1 });
        return figures;
    }

    public void Dispose() => _cache?.Dispose();
}
