namespace RestorationWorkflow.Projects.Targets;

/// <summary>
/// One SMART restoration target of a project's plan (C3): what is measured (a catalogue indicator or a custom one,
/// with its unit), from which baseline, what is to happen to it (reduce, increase, maintain) by how much and by
/// when, how often it is monitored and where. Targets change only through the project command path; each write
/// checks every rule (<see cref="TargetRules"/>), so a stored target was complete when it was saved.
/// </summary>
public sealed class RestorationTarget
{
    private RestorationTarget()
    {
    }

    public Guid Id { get; private set; }

    public Guid ProjectId { get; private set; }

    /// <summary>A code of <see cref="TargetKinds"/>.</summary>
    public string Kind { get; private set; } = "";

    /// <summary>A code of <see cref="IndicatorCatalogue"/>, or <see cref="IndicatorCatalogue.Custom"/>.</summary>
    public string Indicator { get; private set; } = "";

    /// <summary>The label of a custom indicator (null for a catalogue one).</summary>
    public string? CustomIndicator { get; private set; }

    public string Unit { get; private set; } = "";

    public decimal BaselineValue { get; private set; }

    public DateOnly BaselineDate { get; private set; }

    public string BaselineSource { get; private set; } = "";

    /// <summary>A code of <see cref="TargetActions"/>.</summary>
    public string Action { get; private set; } = "";

    /// <summary>How much (absolute in <see cref="Unit"/>, or a percentage of the baseline); may be null to maintain the baseline.</summary>
    public decimal? Quantity { get; private set; }

    public bool QuantityIsPercent { get; private set; }

    public DateOnly Deadline { get; private set; }

    public int MonitoringFrequencyMonths { get; private set; }

    /// <summary>The sites of the project the target applies to (none: the whole project), comma-separated ids.</summary>
    public string SiteIdList { get; private set; } = "";

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>
    /// The day of the target's latest measurement (the highest id breaks a tie on a day), null without measurements;
    /// kept by every measurement command in its own transaction (<see cref="SetLatest"/>), so that the portfolio reads
    /// each target's status from this row alone (decision 0037).
    /// </summary>
    public DateOnly? LatestMeasuredOn { get; private set; }

    /// <summary>The id of the latest measurement (see <see cref="LatestMeasuredOn"/>).</summary>
    public Guid? LatestMeasurementId { get; private set; }

    /// <summary>The value of the latest measurement (see <see cref="LatestMeasuredOn"/>).</summary>
    public decimal? LatestValue { get; private set; }

    /// <summary>
    /// The status of <see cref="TargetProgress"/> on the latest measurement (no data before the baseline date), as the
    /// rule <see cref="ProgressRule"/> decided it: kept on the row so that the portfolio counts targets by status in SQL
    /// (decision 0044). Set before every save of the target (<see cref="KeepProgress"/>, called by the save interceptor),
    /// recomputed at start-up for rows decided under other thresholds. Null until first decided.
    /// </summary>
    public ProgressStatus? Progress { get; private set; }

    /// <summary>The thresholds <see cref="Progress"/> was decided with (<see cref="ProgressThresholds.Key"/>), null until then.</summary>
    public string? ProgressRule { get; private set; }

    /// <summary>Decides <see cref="Progress"/> by the status rule with <paramref name="thresholds"/> from the row's own fields.</summary>
    public void KeepProgress(ProgressThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(thresholds);
        MeasuredPoint[] latest = LatestMeasuredOn is { } on && LatestValue is { } value ? [new MeasuredPoint(on, value)] : [];
        Progress = TargetProgress.Evaluate(Details, latest, thresholds).Status;
        ProgressRule = thresholds.Key;
    }

    public IReadOnlyList<Guid> SiteIds =>
        [.. SiteIdList.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(s => Guid.Parse(s, System.Globalization.CultureInfo.InvariantCulture))];

    public TargetDetails Details => new(Kind, Indicator, CustomIndicator, Unit, new TargetBaseline(BaselineValue, BaselineDate, BaselineSource), Action,
        Quantity, QuantityIsPercent, Deadline, MonitoringFrequencyMonths, SiteIds);

    public static RestorationTarget Create(Guid projectId, TargetDetails details, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(details);
        var target = new RestorationTarget { Id = Guid.CreateVersion7(now), ProjectId = projectId, CreatedAt = now };
        target.Update(details, now);
        return target;
    }

    /// <summary>Sets the latest measurement (or none). Changes nothing else: the target's own fields and <see cref="UpdatedAt"/> stay.</summary>
    public void SetLatest(DateOnly? measuredOn, Guid? measurementId, decimal? value)
    {
        if (measuredOn is null != measurementId is null || measuredOn is null != value is null)
            throw new ArgumentException("The latest measurement is a day, an id and a value, or none of them.");
        LatestMeasuredOn = measuredOn;
        LatestMeasurementId = measurementId;
        LatestValue = value;
    }

    public void Update(TargetDetails details, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(details);
        Kind = details.Kind;
        Indicator = details.Indicator;
        CustomIndicator = details.CustomIndicator;
        Unit = details.Unit;
        BaselineValue = details.Baseline.Value;
        BaselineDate = details.Baseline.Date;
        BaselineSource = details.Baseline.Source;
        Action = details.Action;
        Quantity = details.Quantity;
        QuantityIsPercent = details.QuantityIsPercent;
        Deadline = details.Deadline;
        MonitoringFrequencyMonths = details.MonitoringFrequencyMonths;
        SiteIdList = string.Join(',', details.SiteIds.Select(s => s.ToString("D")));
        UpdatedAt = now;
    }
}

/// <summary>A target's baseline: the value measured, when, and where it comes from.</summary>
public sealed record TargetBaseline(decimal Value, DateOnly Date, string Source);

/// <summary>What a valid target holds.</summary>
public sealed record TargetDetails(
    string Kind, string Indicator, string? CustomIndicator, string Unit, TargetBaseline Baseline, string Action,
    decimal? Quantity, bool QuantityIsPercent, DateOnly Deadline, int MonitoringFrequencyMonths, IReadOnlyList<Guid> SiteIds)
{
    /// <summary>The indicator's label: the catalogue's, or the custom label in both languages.</summary>
    public Workflows.LocalizedText IndicatorLabel =>
        IndicatorCatalogue.Find(Indicator)?.Label ?? new Workflows.LocalizedText(CustomIndicator ?? Indicator, CustomIndicator ?? Indicator);

    public Workflows.LocalizedText Sentence => TargetSentence.For(this);
}
