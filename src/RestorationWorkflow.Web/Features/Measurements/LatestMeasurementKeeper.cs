using System.Data.SqlTypes;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.Projects.Targets;
using RestorationWorkflow.Web.Features.Projects;
using RestorationWorkflow.Web.Infrastructure.Persistence;

namespace RestorationWorkflow.Web.Features.Measurements;

/// <summary>
/// Keeps each target's latest measurement (<see cref="RestorationTarget.LatestMeasuredOn"/>, id, value) true inside
/// every project command (an <see cref="IProjectChangeHook"/>: after the command applied its changes, in the same
/// SaveChanges and transaction). It looks at the measurements the command added, changed or removed in the change
/// tracker — record, correct, delete and the CSV import alike, and any later command that writes measurements — and
/// for each target they belong to (before and after a change) takes the latest of the stored measurements the command
/// did not touch (one seek on the index (TargetId, MeasuredOn, Id, Value)) and the ones it added or changed. The latest
/// is the latest day, then the highest id, in the database's own order of ids, as the project page's ordered read.
/// The project's version guards the read: a concurrent measurement command on the same project loses with a 409.
/// </summary>
public sealed class LatestMeasurementKeeper : IProjectChangeHook
{
    public async Task AfterApplyAsync(ProjectCommandContext context, ProjectCommand command, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        var db = context.Db;
        // Measurements are added and removed through the context (MeasurementCommands), so one type's scan finds them.
        var entries = TrackedEntries.Of<Measurement>(db.ChangeTracker)
            .Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted)
            .ToList();
        if (entries.Count == 0)
            return;
        var touched = entries.Select(e => e.Entity.Id).ToHashSet();
        var targetIds = entries
            .SelectMany(e => e.State == EntityState.Modified
                ? new[] { e.Entity.TargetId, e.Property(m => m.TargetId).OriginalValue }
                : [e.Entity.TargetId])
            .ToHashSet();
        var sqlServer = db.Database.ProviderName?.Contains("SqlServer", StringComparison.Ordinal) == true;
        foreach (var targetId in targetIds)
        {
            var stored = await db.Measurements.AsNoTracking()
                .Where(m => m.TargetId == targetId && !touched.Contains(m.Id))
                .OrderByDescending(m => m.MeasuredOn).ThenByDescending(m => m.Id)
                .Select(m => new Candidate(m.MeasuredOn, m.Id, m.Value))
                .FirstOrDefaultAsync(ct);
            var latest = entries
                .Where(e => e.State is EntityState.Added or EntityState.Modified && e.Entity.TargetId == targetId)
                .Select(e => new Candidate(e.Entity.MeasuredOn, e.Entity.Id, e.Entity.Value))
                .Aggregate(stored, (best, c) => best is null || Later(c, best, sqlServer) ? c : best);
            var target = await db.RestorationTargets.FirstOrDefaultAsync(t => t.Id == targetId, ct);
            target?.SetLatest(latest?.MeasuredOn, latest?.Id, latest?.Value);
        }
    }

    /// <summary>Whether <paramref name="a"/> comes after <paramref name="b"/>: a later day, or the same day and a higher id.</summary>
    public static bool Later(Candidate a, Candidate b, bool sqlServer)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var days = a.MeasuredOn.CompareTo(b.MeasuredOn);
        return days != 0 ? days > 0 : CompareIds(a.Id, b.Id, sqlServer) > 0;
    }

    /// <summary>
    /// Ids in the order the database sorts them: SQLite keeps a Guid as upper-case text (ordinal order), SQL Server
    /// as uniqueidentifier (its own byte order, <see cref="SqlGuid"/>).
    /// </summary>
    public static int CompareIds(Guid a, Guid b, bool sqlServer) =>
        sqlServer
            ? new SqlGuid(a).CompareTo(new SqlGuid(b))
            : string.CompareOrdinal(a.ToString("D").ToUpperInvariant(), b.ToString("D").ToUpperInvariant());

    /// <summary>One measurement as the latest: its day, id and value.</summary>
    public sealed record Candidate(DateOnly MeasuredOn, Guid Id, decimal Value);
}
