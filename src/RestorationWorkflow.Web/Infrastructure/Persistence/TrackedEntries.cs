using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace RestorationWorkflow.Web.Infrastructure.Persistence;

/// <summary>
/// The tracked entries of one entity type, each scanned for changes on its own, also where a writer turned automatic
/// change detection off. <c>ChangeTracker.Entries&lt;T&gt;()</c> first scans every tracked entity (a project's
/// checklist, members, forms …), so the keepers that look at one type before each save paid a whole scan each: three
/// whole scans per transition besides SaveChanges' own (docs/performance.md). An entity of this type reached only
/// through another entity's navigation, never added to the context, is not found here: use it for types that are
/// added through their own set.
/// </summary>
public static class TrackedEntries
{
    public static List<EntityEntry<T>> Of<T>(ChangeTracker tracker) where T : class
    {
        var entries = WithoutScan<T>(tracker);
        foreach (var entry in entries)
            entry.DetectChanges();
        return entries;
    }

    /// <summary>
    /// The tracked entries of one entity type without scanning them for changes: for a reader of the entities' own
    /// current values and of the states a command sets itself (Added through the set, Deleted by Remove). Modified is
    /// not reliable here: only a scan finds it. A scan of an approval request (its snapshot, its decisions) cost the
    /// due-item planner 2 % of a plan-review cycle.
    /// </summary>
    public static List<EntityEntry<T>> WithoutScan<T>(ChangeTracker tracker) where T : class
    {
        ArgumentNullException.ThrowIfNull(tracker);
        var detect = tracker.AutoDetectChangesEnabled;
        tracker.AutoDetectChangesEnabled = false;
        try
        {
            return [.. tracker.Entries<T>()];
        }
        finally
        {
            tracker.AutoDetectChangesEnabled = detect;
        }
    }
}
