using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using RestorationWorkflow.Data;

namespace RestorationWorkflow.Web.Features.Approvals;

/// <summary>
/// What changed since the previous submission, per request, kept on this node for a while. A request's snapshot and its
/// predecessor's never change, so their diff is computed once and read by the project's approvals (API and page) and
/// the inbox alike. Computed each time, the approvals of a project cost one diff per request of its history: a project
/// resubmitted to a gate 50 times took 40 ms of CPU per read (docs/performance.md).
/// </summary>
public sealed class SnapshotDiffs(IMemoryCache cache)
{
    private static readonly MemoryCacheEntryOptions Kept = new() { SlidingExpiration = TimeSpan.FromMinutes(10) };

    /// <summary>The changes of <paramref name="requestId"/> since its predecessor, if this node knows them.</summary>
    public bool TryGet(Guid requestId, out IReadOnlyList<SnapshotChange> changes)
    {
        if (cache.TryGetValue(Key(requestId), out IReadOnlyList<SnapshotChange>? known) && known is not null)
        {
            changes = known;
            return true;
        }
        changes = [];
        return false;
    }

    /// <summary>The changes of <paramref name="requestId"/> from <paramref name="previousSnapshot"/> to its <paramref name="snapshot"/>.</summary>
    public IReadOnlyList<SnapshotChange> Of(Guid requestId, string previousSnapshot, string snapshot)
    {
        if (TryGet(requestId, out var known))
            return known;
        var changes = SnapshotDiff.Between(previousSnapshot, snapshot);
        cache.Set(Key(requestId), changes, Kept);
        return changes;
    }

    /// <summary>
    /// Records that <paramref name="requestId"/>'s snapshot has the same hash as its predecessor's: no changes, known
    /// without reading either text. Kept before the opening command commits; a request that never commits is never asked for.
    /// </summary>
    public void Unchanged(Guid requestId) => cache.Set(Key(requestId), (IReadOnlyList<SnapshotChange>)[], Kept);

    /// <summary>
    /// The changes of each of <paramref name="requests"/> that has a predecessor: the kept ones, and for the others both
    /// snapshots read in one query (only their id and text) and diffed once. A request whose snapshots are gone is left out.
    /// </summary>
    public async Task<IReadOnlyDictionary<Guid, IReadOnlyList<SnapshotChange>>> OfAsync(
        AppDbContext db, IEnumerable<(Guid Id, Guid? PreviousId)> requests, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(requests);
        var changes = new Dictionary<Guid, IReadOnlyList<SnapshotChange>>();
        var unknown = new List<(Guid Id, Guid PreviousId)>();
        foreach (var (id, previousId) in requests)
        {
            if (previousId is not { } previous)
                continue;
            if (TryGet(id, out var known))
                changes[id] = known;
            else
                unknown.Add((id, previous));
        }
        if (unknown.Count == 0)
            return changes;
        var ids = unknown.SelectMany(r => new[] { r.Id, r.PreviousId }).Distinct().ToList();
        var texts = await db.ApprovalRequests.AsNoTracking().Where(r => ids.Contains(r.Id)).Select(r => new { r.Id, r.Snapshot })
            .ToDictionaryAsync(r => r.Id, r => r.Snapshot, ct);
        foreach (var (id, previous) in unknown)
        {
            if (texts.TryGetValue(previous, out var before) && texts.TryGetValue(id, out var after))
                changes[id] = Of(id, before, after);
        }
        return changes;
    }

    private static string Key(Guid requestId) => "snapshot-diff:" + requestId.ToString("N");
}
