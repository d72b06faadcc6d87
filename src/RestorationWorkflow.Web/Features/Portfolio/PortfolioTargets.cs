using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RestorationWorkflow.Data;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Projects.Targets;
using RestorationWorkflow.Web.Features.Measurements;

namespace RestorationWorkflow.Web.Features.Portfolio;

/// <summary>One target of the portfolio with its latest measurement on or after the baseline date (what the status reads).</summary>
public sealed record PortfolioTargetRow(
    Guid Id, Guid ProjectId, string Action, decimal BaselineValue, DateOnly BaselineDate, decimal? Quantity, bool QuantityIsPercent,
    DateOnly Deadline, DateOnly? LatestOn, decimal? LatestValue)
{
    /// <summary>The status by the rule of decision 0031 (<see cref="TargetProgress"/>), from the one point it looks at.</summary>
    public ProgressStatus Status(ProgressThresholds thresholds)
    {
        var details = new TargetDetails("", "", null, "", new TargetBaseline(BaselineValue, BaselineDate, ""), Action, Quantity, QuantityIsPercent, Deadline, 1, []);
        MeasuredPoint[] points = LatestOn is { } on && LatestValue is { } value ? [new MeasuredPoint(on, value)] : [];
        return TargetProgress.Evaluate(details, points, thresholds).Status;
    }
}

/// <summary>
/// The targets of a set of projects with their status. SQL reduces the measurements to one row per target: the latest
/// measurement dated on or after the baseline (two correlated lookups on the index (TargetId, MeasuredOn, Id), so the
/// million rows are never read); the status is then the rule of decision 0031, applied in .NET to that one point —
/// the same code the project page runs, not a copy of it in SQL (SQLite keeps decimals as text).
/// </summary>
public sealed class PortfolioTargets(AppDbContext db, IOptions<MonitoringOptions> options)
{
    public ProgressThresholds Thresholds => options.Value.Thresholds;

    public async Task<List<PortfolioTargetRow>> RowsAsync(IQueryable<Project> projects, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(projects);
        // Ties on the latest day: the highest id, as the project page's ordered read (MeasuredOn, Id) keeps the last.
        return await db.RestorationTargets.AsNoTracking()
            .Where(t => projects.Any(p => p.Id == t.ProjectId))
            .Select(t => new PortfolioTargetRow(t.Id, t.ProjectId, t.Action, t.BaselineValue, t.BaselineDate, t.Quantity, t.QuantityIsPercent, t.Deadline,
                db.Measurements.Where(m => m.TargetId == t.Id && m.MeasuredOn >= t.BaselineDate)
                    .OrderByDescending(m => m.MeasuredOn).ThenByDescending(m => m.Id).Select(m => (DateOnly?)m.MeasuredOn).FirstOrDefault(),
                db.Measurements.Where(m => m.TargetId == t.Id && m.MeasuredOn >= t.BaselineDate)
                    .OrderByDescending(m => m.MeasuredOn).ThenByDescending(m => m.Id).Select(m => (decimal?)m.Value).FirstOrDefault()))
            .ToListAsync(ct);
    }

    /// <summary>The projects among <paramref name="projects"/> with at least one target in <paramref name="status"/> (a status code).</summary>
    public async Task<List<Guid>> ProjectsWithStatusAsync(IQueryable<Project> projects, string status, CancellationToken ct)
    {
        var thresholds = Thresholds;
        var rows = await RowsAsync(projects, ct);
        return [.. rows.Where(r => TargetProgress.Code(r.Status(thresholds)) == status).Select(r => r.ProjectId).Distinct()];
    }
}
