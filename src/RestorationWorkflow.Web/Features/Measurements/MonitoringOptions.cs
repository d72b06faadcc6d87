using RestorationWorkflow.Projects.Targets;

namespace RestorationWorkflow.Web.Features.Measurements;

/// <summary><c>Monitoring:*</c> settings: the status thresholds (decision 0031) and the CSV import's limits.</summary>
public sealed class MonitoringOptions
{
    public const string Section = "Monitoring";

    /// <summary><c>Monitoring:AtRiskBelow</c>: a progress ratio below this is at risk. Default 0.8.</summary>
    public decimal AtRiskBelow { get; set; } = 0.8m;

    /// <summary><c>Monitoring:OffTrackBelow</c>: a progress ratio below this is off track. Default 0.5.</summary>
    public decimal OffTrackBelow { get; set; } = 0.5m;

    /// <summary><c>Monitoring:MaintainTolerancePercent</c>: the band of a target to maintain that gives none. Default 5.</summary>
    public decimal MaintainTolerancePercent { get; set; } = 5m;

    /// <summary><c>Monitoring:ImportMaxKilobytes</c>: the largest CSV file imported (413 beyond). Default 1024.</summary>
    public int ImportMaxKilobytes { get; set; } = 1024;

    /// <summary><c>Monitoring:ImportMaxRows</c>: the most measurements one file may hold (400 beyond). Default 5000.</summary>
    public int ImportMaxRows { get; set; } = 5000;

    public long ImportMaxBytes => ImportMaxKilobytes * 1024L;

    public ProgressThresholds Thresholds => new() { AtRiskBelow = AtRiskBelow, OffTrackBelow = OffTrackBelow, MaintainTolerancePercent = MaintainTolerancePercent };
}
