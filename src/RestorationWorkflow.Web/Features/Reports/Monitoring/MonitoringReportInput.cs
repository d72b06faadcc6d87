using RestorationWorkflow.Projects.Targets;

namespace RestorationWorkflow.Web.Features.Reports.Monitoring;

/// <summary>
/// Everything the monitoring report shows, already in the report's language where it comes from data (state, target
/// sentences, indicators, units, due items' titles); <see cref="MonitoringReportSource"/> builds it from the database,
/// <see cref="MonitoringReport"/> draws it. Its SHA-256 (as JSON) is printed in every page's footer.
/// </summary>
public sealed record MonitoringReportInput(
    string Language,
    DateTimeOffset GeneratedAt,
    DateOnly Today,
    string RequestedBy,
    MonitoringReportProject Project,
    MonitoringReportThresholds Thresholds,
    IReadOnlyList<MonitoringReportTarget> Targets,
    MonitoringReportReview? LastPlanReview,
    IReadOnlyList<MonitoringReportDue> Due);

/// <summary>The project: code, name, current state's label and workflow (title and version).</summary>
public sealed record MonitoringReportProject(Guid Id, string Code, string Name, string State, string Workflow);

/// <summary>The thresholds of the status rule (decision 0031) the statuses were computed with.</summary>
public sealed record MonitoringReportThresholds(decimal AtRiskBelow, decimal OffTrackBelow);

/// <summary>
/// One SMART target: its sentence and indicator, unit, baseline, the value aimed at (and a maintain band), deadline, where
/// it stands by the status rule (latest measurement, the value expected on that day, the ratio), the last review of it
/// and every measurement, oldest first.
/// </summary>
public sealed record MonitoringReportTarget(
    Guid Id,
    string Indicator,
    string Sentence,
    string Unit,
    decimal BaselineValue,
    DateOnly BaselineDate,
    string BaselineSource,
    bool Maintain,
    decimal TargetValue,
    decimal? BandLow,
    decimal? BandHigh,
    DateOnly Deadline,
    ProgressStatus Status,
    MeasuredPoint? Latest,
    decimal? ExpectedAtLatest,
    decimal? Ratio,
    MonitoringReportReview? LastReview,
    IReadOnlyList<MonitoringReportMeasurement> Measurements);

/// <summary>A measurement: day, value, method and who measured it.</summary>
public sealed record MonitoringReportMeasurement(DateOnly On, decimal Value, string Method, string MeasuredBy);

/// <summary>A recorded monitoring review: day, who recorded it, what it found.</summary>
public sealed record MonitoringReportReview(DateOnly On, string By, string Summary);

/// <summary>A due item of the monitoring schedule: its kind (code and label), what is due, the day, days overdue (0: not yet).</summary>
public sealed record MonitoringReportDue(string Kind, string KindLabel, string Title, DateOnly DueOn, int DaysOverdue);
