using System.Globalization;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.Data;
using RestorationWorkflow.Projects.Targets;
using RestorationWorkflow.Reminders;
using RestorationWorkflow.Web.Features.Measurements;
using RestorationWorkflow.Web.Features.Reminders.Due;
using RestorationWorkflow.Web.Features.Reminders.Notifications;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Web.Features.Reports.Monitoring;

/// <summary>
/// Loads what the monitoring report shows, through the code the pages use: each target's status by the rule of decision
/// 0031 with the configured thresholds (<see cref="MeasurementReader"/>), its sentence (<see cref="TargetSentence"/>),
/// and the monitoring schedule — due items and recorded reviews — read by <see cref="ScheduleReader"/> (decision 0029)
/// in the report's language. The caller has already checked that the requester may read the project.
/// </summary>
public sealed class MonitoringReportSource(AppDbContext db, MeasurementReader measurements, ScheduleReader schedule, WorkflowCatalog catalog, TimeProvider time)
{
    /// <summary>The due items a monitoring report lists: the targets' reviews and deadlines and the plan's review.</summary>
    public static readonly IReadOnlyList<string> DueKinds = [DueItemKinds.TargetMonitoring, DueItemKinds.PlanReview, DueItemKinds.TargetDeadline];

    /// <summary>The report's input, or <c>null</c> when the project does not exist.</summary>
    public async Task<MonitoringReportInput?> LoadAsync(Guid projectId, string language, string requestedByName, CancellationToken ct)
    {
        var project = await db.Projects.AsNoTracking().FirstOrDefaultAsync(p => p.Id == projectId, ct);
        if (project is null)
            return null;
        var culture = language.StartsWith("zh", StringComparison.OrdinalIgnoreCase) ? new CultureInfo("zh-Hans") : new CultureInfo("en");
        var targets = await db.RestorationTargets.AsNoTracking().Where(t => t.ProjectId == projectId).ToListAsync(ct);
        var measured = (await db.Measurements.AsNoTracking().Where(m => m.ProjectId == projectId).ToListAsync(ct))
            .OrderBy(m => m.MeasuredOn).ThenBy(m => m.Id)
            .ToLookup(m => m.TargetId);
        var plan = await schedule.ReadAsync(project, culture, ct);
        // Reviews come newest first: the first of a target is its last.
        var lastReviews = plan.Reviews
            .GroupBy(r => r.TargetId)
            .ToDictionary(g => g.Key ?? Guid.Empty, g => g.First());

        var rows = targets.OrderBy(t => t.CreatedAt).ThenBy(t => t.Id).Select(target =>
        {
            var details = target.Details;
            var series = measured[target.Id].ToList();
            var progress = measurements.Evaluate(target, series.Select(m => new MeasuredPoint(m.MeasuredOn, m.Value)));
            return new MonitoringReportTarget(
                target.Id,
                details.IndicatorLabel.For(culture),
                details.Sentence.For(culture),
                TargetUnits.Label(target.Unit).For(culture),
                target.BaselineValue,
                target.BaselineDate,
                target.BaselineSource,
                target.Action == TargetActions.Maintain,
                progress.TargetValue,
                progress.BandLow,
                progress.BandHigh,
                target.Deadline,
                progress.Status,
                progress.Latest,
                progress.ExpectedAtLatest,
                progress.Ratio,
                lastReviews.TryGetValue(target.Id, out var review) ? Review(review) : null,
                [.. series.Select(m => new MonitoringReportMeasurement(m.MeasuredOn, m.Value, m.Method, m.MeasuredBy))]);
        }).ToList();

        var due = plan.Items
            .Where(i => DueKinds.Contains(i.Kind, StringComparer.Ordinal))
            .Select(i => new MonitoringReportDue(i.Kind, CalendarFeed.KindLabel(i.Kind).For(culture), i.Title, i.DueOn, i.DaysOverdue))
            .ToList();

        var definition = catalog.Find(project.WorkflowId, project.WorkflowVersion);
        return new MonitoringReportInput(
            culture.Name,
            time.GetUtcNow(),
            plan.Today,
            requestedByName,
            new MonitoringReportProject(project.Id, project.Code, project.Name,
                definition?.FindState(project.State)?.Label.For(culture) ?? project.State,
                $"{definition?.Title.For(culture) ?? project.WorkflowId} v{project.WorkflowVersion.ToString(culture)}"),
            new MonitoringReportThresholds(measurements.Thresholds.AtRiskBelow, measurements.Thresholds.OffTrackBelow),
            rows,
            lastReviews.TryGetValue(Guid.Empty, out var planReview) ? Review(planReview) : null,
            due);
    }

    private static MonitoringReportReview Review(MonitoringReviewDto review) => new(review.ReviewedOn, review.RecordedBy, review.Summary);
}
