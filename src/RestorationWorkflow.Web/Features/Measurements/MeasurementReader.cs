using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RestorationWorkflow.Data;
using RestorationWorkflow.Projects.Targets;

namespace RestorationWorkflow.Web.Features.Measurements;

/// <summary>A target with its measurements (oldest first) and where it stands.</summary>
public sealed record TargetMonitoring(RestorationTarget Target, IReadOnlyList<Measurement> Measurements, TargetProgressResult Progress);

/// <summary>Reads measurements and computes each target's progress with the configured thresholds.</summary>
public sealed class MeasurementReader(AppDbContext db, IOptions<MonitoringOptions> options)
{
    public ProgressThresholds Thresholds => options.Value.Thresholds;

    /// <summary>One target of the project with its measurements, or null when the project has no such target.</summary>
    public async Task<TargetMonitoring?> ForTargetAsync(Guid projectId, Guid targetId, CancellationToken ct)
    {
        var target = await db.RestorationTargets.AsNoTracking().FirstOrDefaultAsync(t => t.ProjectId == projectId && t.Id == targetId, ct);
        if (target is null)
            return null;
        var measurements = await db.Measurements.AsNoTracking()
            .Where(m => m.ProjectId == projectId && m.TargetId == targetId)
            .OrderBy(m => m.MeasuredOn).ThenBy(m => m.Id)
            .ToListAsync(ct);
        return new TargetMonitoring(target, measurements, Evaluate(target, measurements.Select(m => new MeasuredPoint(m.MeasuredOn, m.Value))));
    }

    /// <summary>The progress of each of <paramref name="targets"/> (one query for the project's measured values).</summary>
    public async Task<IReadOnlyDictionary<Guid, (TargetProgressResult Progress, int Count)>> ProgressAsync(
        Guid projectId, IEnumerable<RestorationTarget> targets, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(targets);
        var points = (await db.Measurements.AsNoTracking()
                .Where(m => m.ProjectId == projectId)
                .OrderBy(m => m.MeasuredOn).ThenBy(m => m.Id)
                .Select(m => new { m.TargetId, m.MeasuredOn, m.Value })
                .ToListAsync(ct))
            .ToLookup(p => p.TargetId, p => new MeasuredPoint(p.MeasuredOn, p.Value));
        return targets.ToDictionary(t => t.Id, t => (Evaluate(t, points[t.Id]), points[t.Id].Count()));
    }

    public TargetProgressResult Evaluate(RestorationTarget target, IEnumerable<MeasuredPoint> points)
    {
        ArgumentNullException.ThrowIfNull(target);
        return TargetProgress.Evaluate(target.Details, points, Thresholds);
    }
}
