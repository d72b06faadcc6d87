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
        ArgumentNullException.ThrowIfNull(tracker);
        var detect = tracker.AutoDetectChangesEnabled;
        tracker.AutoDetectChangesEnabled = false;
        try
        {
            var entries = tracker.Entries<T>().ToList();
            foreach (var entry in entries)
                entry.DetectChanges();
            return entries;
        }
        finally
        {
            tracker.AutoDetectChangesEnabled = detect;
        }
    }
}
