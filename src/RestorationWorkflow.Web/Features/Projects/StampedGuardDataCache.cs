using Microsoft.Extensions.Caching.Memory;
using RestorationWorkflow.Approvals;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Workflows.Guards;

namespace RestorationWorkflow.Web.Features.Projects;

/// <summary>
/// The guard data of stamped providers this node read lately, per project and kind, each with the project's
/// <see cref="Project.ContentStamp"/> and workflow it was read at (decision 0069). A plan submitted again after a
/// rejection that changed nothing reads none of its guards' twelve queries.
/// </summary>
/// <remarks>
/// The stamp is the database's: its triggers move it on every write of a row such data is read from, whoever writes
/// it, so data kept under a stamp is never given for a project whose stamp has moved on — on this node or another
/// sharing the database. Data read after the project row was loaded may be newer than that row's stamp, never older;
/// newer, it is kept under a stamp the database has already passed, so only requests that read the project row before
/// that write can be given it, and they would have read the same newer rows themselves. One value per project and kind, replaced when read at another stamp; at
/// most <see cref="Capacity"/> are kept, each for <see cref="Lifetime"/> after it was last used. A database restored
/// to an earlier state under a running app could give stamps again with other rows: restore with the app stopped.
/// </remarks>
public sealed class StampedGuardDataCache : IGuardDataCache, IDisposable
{
    /// <summary>How many values are kept at most (a project's guard data is a few KiB: its targets, consents, findings).</summary>
    public const int Capacity = 4096;

    /// <summary>How long a value is kept after it was last given.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    private readonly MemoryCache _values = new(new MemoryCacheOptions { SizeLimit = Capacity, CompactionPercentage = 0.25 });

    private static readonly MemoryCacheEntryOptions Kept = new() { Size = 1, SlidingExpiration = Lifetime };

    private long _hits;
    private long _misses;

    /// <summary>Values given from the cache (hits) and read by their provider (misses) since the start, for tests and diagnostics.</summary>
    public long Hits => Interlocked.Read(ref _hits);

    public long Misses => Interlocked.Read(ref _misses);

    public bool TryGet(Project project, GuardDataKey key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out object? value)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(key);
        if (project.ContentStamp != CoveredContent.UnknownStamp
            && _values.TryGetValue((project.Id, key.Name), out Entry? entry) && entry is not null && entry.IsFor(project))
        {
            Interlocked.Increment(ref _hits);
            value = entry.Value;
            return true;
        }
        Interlocked.Increment(ref _misses);
        value = null;
        return false;
    }

    public void Keep(Project project, GuardDataKey key, object value)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        if (project.ContentStamp == CoveredContent.UnknownStamp)
            return;
        _values.Set((project.Id, key.Name), new Entry(project.ContentStamp, project.WorkflowId, project.WorkflowVersion, value), Kept);
    }

    public void Dispose() => _values.Dispose();

    private sealed record Entry(long Stamp, string WorkflowId, int WorkflowVersion, object Value)
    {
        public bool IsFor(Project project) =>
            Stamp == project.ContentStamp && WorkflowVersion == project.WorkflowVersion && string.Equals(WorkflowId, project.WorkflowId, StringComparison.Ordinal);
    }
}
