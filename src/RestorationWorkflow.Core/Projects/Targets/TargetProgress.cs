using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Projects.Targets;

/// <summary>Where a target stands against its expected trajectory (decision 0031).</summary>
public enum ProgressStatus
{
    /// <summary>No measurement on or after the baseline date.</summary>
    NoData,
    OnTrack,
    AtRisk,
    OffTrack,
}

/// <summary>
/// The thresholds of the status rule (configuration section <c>Monitoring</c>): a progress ratio below
/// <see cref="AtRiskBelow"/> is at risk, below <see cref="OffTrackBelow"/> off track; a target to maintain without a
/// band of its own keeps within <see cref="MaintainTolerancePercent"/> of its level.
/// </summary>
public sealed record ProgressThresholds
{
    public decimal AtRiskBelow { get; init; } = 0.8m;

    public decimal OffTrackBelow { get; init; } = 0.5m;

    public decimal MaintainTolerancePercent { get; init; } = 5m;

    /// <summary>
    /// The thresholds as one short text ("0.8/0.5/5", trailing zeros dropped): stored with each target's kept status
    /// (<see cref="RestorationTarget.ProgressRule"/>), so a status decided under other thresholds is known as such.
    /// </summary>
    public string Key => string.Join('/', new[] { AtRiskBelow, OffTrackBelow, MaintainTolerancePercent }
        .Select(d => d.ToString("0.############################", System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>Why the thresholds cannot be used, or null: 0 ≤ OffTrackBelow ≤ AtRiskBelow ≤ 10, tolerance 0–100.</summary>
    public string? Problem() =>
        OffTrackBelow < 0 || AtRiskBelow > 10 || OffTrackBelow > AtRiskBelow
            ? "Monitoring:OffTrackBelow and Monitoring:AtRiskBelow must satisfy 0 ≤ OffTrackBelow ≤ AtRiskBelow ≤ 10."
            : MaintainTolerancePercent is < 0 or > 100
                ? "Monitoring:MaintainTolerancePercent must be between 0 and 100."
                : null;
}

/// <summary>One measured value of a target.</summary>
public sealed record MeasuredPoint(DateOnly On, decimal Value);

/// <summary>
/// A target's progress: the value it aims at (<see cref="TargetValue"/>; to maintain, the level and its band), the
/// latest measurement, the value the trajectory expects on that day, the progress ratio and the status.
/// </summary>
public sealed record TargetProgressResult(
    ProgressStatus Status, decimal TargetValue, decimal? BandLow, decimal? BandHigh, MeasuredPoint? Latest, decimal? ExpectedAtLatest, decimal? Ratio)
{
    public LocalizedText StatusLabel => TargetProgress.Label(Status);
}

/// <summary>
/// Progress of a target, pure. The expected trajectory runs linearly from the baseline (date, value) to the target value
/// at the deadline, and stays there after it. The target value reads the target as its sentence does
/// (<see cref="TargetSentence"/>): increase or reduce by an absolute quantity or by a percentage of the baseline; to
/// maintain, the baseline (no quantity) or the level given (absolute quantity), within a band — a percentage quantity,
/// else <see cref="ProgressThresholds.MaintainTolerancePercent"/> of the level.
/// <para>
/// The status looks at the latest measurement dated on or after the baseline date (M on day d). To increase or
/// reduce, ratio = (M − baseline) ÷ (expected(d) − baseline): the share of the change expected by d that was measured;
/// nothing expected yet (d on the baseline date) counts as on track. To maintain, ratio = 1 inside the band, else
/// half-band ÷ |M − level| (twice as far out as the band allows is 0.5). Then ratio ≥ AtRiskBelow: on track;
/// ≥ OffTrackBelow: at risk; below: off track. No measurement: no data.
/// </para>
/// </summary>
public static class TargetProgress
{
    public static TargetProgressResult Evaluate(TargetDetails target, IEnumerable<MeasuredPoint> measurements, ProgressThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(measurements);
        ArgumentNullException.ThrowIfNull(thresholds);
        var baseline = target.Baseline.Value;
        var (targetValue, band) = Aim(target, thresholds);
        decimal? low = band is { } b1 ? targetValue - b1 : null;
        decimal? high = band is { } b2 ? targetValue + b2 : null;

        MeasuredPoint? latest = null;
        foreach (var point in measurements)
        {
            if (point.On >= target.Baseline.Date && (latest is null || point.On >= latest.On))
                latest = point;
        }
        if (latest is null)
            return new TargetProgressResult(ProgressStatus.NoData, targetValue, low, high, null, null, null);

        var expected = ExpectedAt(target, targetValue, latest.On);
        decimal? ratio;
        if (band is { } halfBand)
        {
            var deviation = Math.Abs(latest.Value - targetValue);
            ratio = deviation <= halfBand ? 1m : halfBand / deviation;
        }
        else
        {
            var expectedChange = expected - baseline;
            ratio = expectedChange == 0 ? null : (latest.Value - baseline) / expectedChange;
        }
        var status = ratio is not { } r ? ProgressStatus.OnTrack
            : r >= thresholds.AtRiskBelow ? ProgressStatus.OnTrack
            : r >= thresholds.OffTrackBelow ? ProgressStatus.AtRisk
            : ProgressStatus.OffTrack;
        return new TargetProgressResult(status, targetValue, low, high, latest, expected, ratio is { } value ? Math.Round(value, 4) : null);
    }

    /// <summary>The value a target aims at and, to maintain, the half-width of its band (null to increase or reduce).</summary>
    public static (decimal Value, decimal? HalfBand) Aim(TargetDetails target, ProgressThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(thresholds);
        var baseline = target.Baseline.Value;
        var share = target.Quantity is { } q && target.QuantityIsPercent ? Math.Abs(baseline) * q / 100m : target.Quantity ?? 0m;
        return target.Action switch
        {
            TargetActions.Increase => (baseline + share, null),
            TargetActions.Reduce => (baseline - share, null),
            _ when target.Quantity is null => (baseline, Math.Abs(baseline) * thresholds.MaintainTolerancePercent / 100m),
            _ when target.QuantityIsPercent => (baseline, share),
            _ => (target.Quantity!.Value, Math.Abs(target.Quantity!.Value) * thresholds.MaintainTolerancePercent / 100m),
        };
    }

    /// <summary>The trajectory's value on <paramref name="day"/>: linear from the baseline to the target value at the deadline, flat outside.</summary>
    public static decimal ExpectedAt(TargetDetails target, decimal targetValue, DateOnly day)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (target.Action == TargetActions.Maintain)
            return targetValue;
        var start = target.Baseline.Date.DayNumber;
        var span = target.Deadline.DayNumber - start;
        if (span <= 0 || day.DayNumber >= target.Deadline.DayNumber)
            return targetValue;
        if (day.DayNumber <= start)
            return target.Baseline.Value;
        var elapsed = (decimal)(day.DayNumber - start) / span;
        return target.Baseline.Value + (targetValue - target.Baseline.Value) * elapsed;
    }

    public static string Code(ProgressStatus status) => status switch
    {
        ProgressStatus.OnTrack => "onTrack",
        ProgressStatus.AtRisk => "atRisk",
        ProgressStatus.OffTrack => "offTrack",
        _ => "noData",
    };

    public static LocalizedText Label(ProgressStatus status) => status switch
    {
        ProgressStatus.OnTrack => new("On track", "进展正常"),
        ProgressStatus.AtRisk => new("At risk", "有风险"),
        ProgressStatus.OffTrack => new("Off track", "偏离目标"),
        _ => new("No data", "无数据"),
    };
}
