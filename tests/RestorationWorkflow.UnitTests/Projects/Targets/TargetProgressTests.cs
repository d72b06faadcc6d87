using RestorationWorkflow.Projects.Targets;
using RestorationWorkflow.UnitTests.TestSupport;

namespace RestorationWorkflow.UnitTests.Projects.Targets;

/// <summary>
/// The status rule of decision 0031 at its thresholds: progress ratio = measured change ÷ expected change on the latest
/// measurement's day (linear from the baseline to the target at the deadline); at risk below 0.8, off track below 0.5.
/// </summary>
public sealed class TargetProgressTests
{
    private static readonly DateOnly BaselineDate = new(2026, 1, 1);

    /// <summary>200 days from the baseline date: day 100 is half way.</summary>
    private static readonly DateOnly Deadline = BaselineDate.AddDays(200);

    private static readonly DateOnly HalfWay = BaselineDate.AddDays(100);

    private static readonly ProgressThresholds Defaults = new();

    private static TargetDetails Target(string action, decimal? quantity, bool percent = false, decimal baseline = 40m) =>
        new(TargetKinds.Environmental, "vegetationBiomass", null, "t/ha", new TargetBaseline(baseline, BaselineDate, "Plot survey"), action,
            quantity, percent, Deadline, 12, []);

    private static TargetProgressResult At(TargetDetails target, decimal value, DateOnly? on = null, ProgressThresholds? thresholds = null) =>
        TargetProgress.Evaluate(target, [new MeasuredPoint(on ?? HalfWay, value)], thresholds ?? Defaults);

    [Theory]
    // Increase 40 → 140 by the deadline: half way 50 of change is expected (90).
    [InlineData("90", ProgressStatus.OnTrack, "1")]
    [InlineData("80", ProgressStatus.OnTrack, "0.8")]        // exactly AtRiskBelow: on track
    [InlineData("79.99", ProgressStatus.AtRisk, "0.7998")]   // just below
    [InlineData("65", ProgressStatus.AtRisk, "0.5")]         // exactly OffTrackBelow: at risk
    [InlineData("64.99", ProgressStatus.OffTrack, "0.4998")] // just below
    [InlineData("30", ProgressStatus.OffTrack, "-0.2")]      // the wrong way
    public void Increase_at_the_thresholds(string measured, ProgressStatus status, string ratio)
    {
        var result = At(Target(TargetActions.Increase, 100m), Dec(measured));

        Assert.Equal(status, result.Status);
        Assert.Equal(Dec(ratio), result.Ratio);
        Assert.Equal(140m, result.TargetValue);
        Assert.Equal(90m, result.ExpectedAtLatest);
    }

    [Theory]
    // Reduce 40 by 50 % → 20: half way a change of −10 is expected.
    [InlineData("30", ProgressStatus.OnTrack)]
    [InlineData("32", ProgressStatus.OnTrack)]     // 0.8
    [InlineData("32.01", ProgressStatus.AtRisk)]
    [InlineData("35", ProgressStatus.AtRisk)]      // 0.5
    [InlineData("35.01", ProgressStatus.OffTrack)]
    public void Reduce_by_a_percentage_at_the_thresholds(string measured, ProgressStatus status)
    {
        var result = At(Target(TargetActions.Reduce, 50m, percent: true), Dec(measured));

        Assert.Equal(20m, result.TargetValue);
        Assert.Equal(status, result.Status);
    }

    [Theory]
    // Maintain within 10 % of 40: the band is 36–44 (half-band 4); ratio = 4 ÷ deviation outside it.
    [InlineData("44", ProgressStatus.OnTrack, "1")]
    [InlineData("45", ProgressStatus.OnTrack, "0.8")]    // 5 off: 4/5
    [InlineData("45.1", ProgressStatus.AtRisk, "0.7843")]
    [InlineData("32", ProgressStatus.AtRisk, "0.5")]     // 8 off: 4/8
    [InlineData("31.9", ProgressStatus.OffTrack, "0.4938")]
    public void Maintain_within_a_band_at_the_thresholds(string measured, ProgressStatus status, string ratio)
    {
        var result = At(Target(TargetActions.Maintain, 10m, percent: true), Dec(measured));

        Assert.Equal((36m, 44m), (result.BandLow, result.BandHigh));
        Assert.Equal(status, result.Status);
        Assert.Equal(Dec(ratio), result.Ratio);
    }

    [Fact]
    public void Maintain_without_a_band_uses_the_configured_tolerance()
    {
        var target = Target(TargetActions.Maintain, null);

        Assert.Equal(ProgressStatus.OnTrack, At(target, 42m).Status); // 5 % of 40 = 2
        Assert.Equal(ProgressStatus.AtRisk, At(target, 43m).Status);   // 2/3
        Assert.Equal(ProgressStatus.OnTrack, At(target, 43m, thresholds: Defaults with { MaintainTolerancePercent = 10m }).Status);
        // An absolute level keeps that level, with the tolerance around it.
        Assert.Equal((45m, 42.75m, 47.25m), (At(Target(TargetActions.Maintain, 45m), 45m).TargetValue, At(Target(TargetActions.Maintain, 45m), 45m).BandLow!.Value,
            At(Target(TargetActions.Maintain, 45m), 45m).BandHigh!.Value));
    }

    [Fact]
    public void Thresholds_come_from_configuration()
    {
        var target = Target(TargetActions.Increase, 100m);
        var strict = Defaults with { AtRiskBelow = 0.95m, OffTrackBelow = 0.9m };

        Assert.Equal(ProgressStatus.OnTrack, At(target, 80m).Status);
        Assert.Equal(ProgressStatus.OffTrack, At(target, 80m, thresholds: strict).Status);
        Assert.Equal(ProgressStatus.AtRisk, At(target, 87m, thresholds: strict).Status);
        Assert.NotNull((Defaults with { OffTrackBelow = 0.9m }).Problem());
    }

    [Fact]
    public void The_latest_measurement_counts_and_after_the_deadline_the_whole_change_is_expected()
    {
        var target = Target(TargetActions.Increase, 100m);
        var points = new[] { new MeasuredPoint(Deadline.AddDays(30), 125m), new MeasuredPoint(HalfWay, 90m) };

        var result = TargetProgress.Evaluate(target, points, Defaults);

        Assert.Equal(Deadline.AddDays(30), result.Latest!.On);
        Assert.Equal(140m, result.ExpectedAtLatest);
        Assert.Equal(0.85m, result.Ratio);
        Assert.Equal(ProgressStatus.OnTrack, result.Status);
    }

    [Fact]
    public void No_measurement_since_the_baseline_is_no_data_and_the_baseline_day_is_on_track()
    {
        var target = Target(TargetActions.Increase, 100m);

        Assert.Equal(ProgressStatus.NoData, TargetProgress.Evaluate(target, [], Defaults).Status);
        Assert.Equal(ProgressStatus.NoData, At(target, 90m, BaselineDate.AddDays(-1)).Status);
        var onBaselineDay = At(target, 40m, BaselineDate);
        Assert.Equal(ProgressStatus.OnTrack, onBaselineDay.Status);
        Assert.Null(onBaselineDay.Ratio);
    }

    [Fact]
    public void Measurements_are_accepted_from_planning_on_and_after_closure_but_not_when_cancelled_or_suspended()
    {
        foreach (var definition in new[] { TestWorkflows.StaperV2, TestWorkflows.StaperV3 })
        {
            var accepted = MeasurementStates.Of(definition).Select(s => s.Code).ToList();
            Assert.Contains("Planning", accepted);
            Assert.Contains("Monitoring", accepted);
            Assert.Contains("Closed", accepted);
            Assert.DoesNotContain("Cancelled", accepted);
            Assert.DoesNotContain("Suspended", accepted);
            Assert.DoesNotContain("Assessment", accepted);
            Assert.DoesNotContain("Draft", accepted);
        }
        Assert.Contains("EvaluationReview", MeasurementStates.Of(TestWorkflows.StaperV3).Select(s => s.Code));
        // v1 has no monitoring state: its projects are migrated first.
        Assert.Empty(MeasurementStates.Of(TestWorkflows.Staper));
    }

    [Fact]
    public void A_unit_other_than_the_targets_is_refused_under_unit_in_both_languages()
    {
        var today = new DateOnly(2027, 1, 1);
        var input = new MeasurementInput(new DateOnly(2026, 6, 1), 12m, "kg/ha", "Plot survey", "A. Wanjiru", null, null);

        var problems = MeasurementRules.Check(input, "t/ha", today);

        Assert.Equal(["unit"], problems.Keys);
        Assert.Contains("t/ha", problems["unit"].En, StringComparison.Ordinal);
        Assert.Contains("吨/公顷", problems["unit"].ZhHans, StringComparison.Ordinal);
        Assert.Empty(MeasurementRules.Check(input with { Unit = "t/ha" }, "t/ha", today));
        Assert.Equal(["measuredOn"], MeasurementRules.Check(input with { Unit = "t/ha", MeasuredOn = today.AddDays(1) }, "t/ha", today).Keys);
    }

    private static decimal Dec(string text) => decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
}
