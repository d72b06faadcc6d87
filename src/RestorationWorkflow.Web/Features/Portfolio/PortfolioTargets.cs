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
/// The targets of a set of projects with their status. Each target row carries its latest measurement (day, id,
/// value), kept by the measurement commands in their transaction (<see cref="LatestMeasurementKeeper"/>, decision 0037),
/// so the million measurements are never read: one row per target. The status looks at the latest measurement dated on
/// or after the baseline date, which is the latest one when that is on or after the baseline, else there is none. The
/// status is then the rule of decision 0031, applied in .NET to that one point — the same code the project page runs,
/// not a copy of it in SQL (SQLite keeps decimals as text).
/// </summary>
public sealed class PortfolioTargets(AppDbContext db, IOptions<MonitoringOptions> options)
{
    public ProgressThresholds Thresholds => options.Value.Thresholds;

    public async Task<List<PortfolioTargetRow>> RowsAsync(IQueryable<Project> projects, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(projects);
        var rows = await db.RestorationTargets.AsNoTracking()
            .Where(t => projects.Any(p => p.Id == t.ProjectId))
            .Select(t => new { t.Id, t.ProjectId, t.Action, t.BaselineValue, t.BaselineDate, t.Quantity, t.QuantityIsPercent, t.Deadline, t.LatestMeasuredOn, t.LatestValue })
            .ToListAsync(ct);
        return [.. rows.Select(t =>
        {
            var counts = t.LatestMeasuredOn is { } on && on >= t.BaselineDate;
            return new PortfolioTargetRow(t.Id, t.ProjectId, t.Action, t.BaselineValue, t.BaselineDate, t.Quantity, t.QuantityIsPercent, t.Deadline,
                counts ? t.LatestMeasuredOn : null, counts ? t.LatestValue : null);
        })];
    }

    /// <summary>The projects among <paramref name="projects"/> with at least one target in <paramref name="status"/> (a status code).</summary>
    public async Task<List<Guid>> ProjectsWithStatusAsync(IQueryable<Project> projects, string status, CancellationToken ct)
    {
        var thresholds = Thresholds;
        var rows = await RowsAsync(projects, ct);
        return [.. rows.Where(r => TargetProgress.Code(r.Status(thresholds)) == status).Select(r => r.ProjectId).Distinct()];
    }
}
