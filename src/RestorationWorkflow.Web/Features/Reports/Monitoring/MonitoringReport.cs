using System.Globalization;
using RestorationWorkflow.Projects.Targets;
using RestorationWorkflow.Reminders;
using RestorationWorkflow.Web.Features.Measurements;
using RestorationWorkflow.Web.Reporting;
using RestorationWorkflow.Workflows;
using SkiaSharp;

namespace RestorationWorkflow.Web.Features.Reports.Monitoring;

/// <summary>
/// The monitoring report: a summary of the targets by status, then each target — its sentence, baseline, target value
/// and deadline, last measurement, status with the rule's figures, last review, a chart of the measured values against
/// the expected trajectory, and its measurements — then the overdue and upcoming reviews and deadlines, in English or
/// Chinese. Pure: the same input gives the same pages, so the job calls it with what <see cref="MonitoringReportSource"/>
/// loaded.
/// </summary>
public sealed class MonitoringReport(ReportFont? font = null)
{
    private static readonly SKColor Amber = new(0x9a, 0x5b, 0x06);

    /// <summary>The PDF's bytes.</summary>
    public byte[] Render(MonitoringReportInput input)
    {
        using var buffer = new MemoryStream();
        RenderCounting(input, buffer);
        return buffer.ToArray();
    }

    /// <summary>Writes the PDF to <paramref name="output"/> and answers its number of pages.</summary>
    public int RenderCounting(MonitoringReportInput input, Stream output)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        var culture = input.Language.StartsWith("zh", StringComparison.OrdinalIgnoreCase) ? new CultureInfo("zh-Hans") : new CultureInfo("en");
        string T(LocalizedText text) => text.For(culture);
        string F(LocalizedText text, params object?[] args) => string.Format(culture, text.For(culture), args);
        var subject = string.IsNullOrEmpty(input.Project.Code) ? input.Project.Name : $"{input.Project.Code} · {input.Project.Name}";
        var info = new ReportInfo
        {
            Title = $"{T(Words.Title)} — {subject}",
            Subject = subject,
            Kind = T(Words.Title),
            Author = input.RequestedBy,
            GeneratedAt = input.GeneratedAt,
            DataSha256 = ReportInfo.HashOf(input),
            Language = culture.Name,
        };
        using var document = new ReportDocument(info, font);
        document.Title(T(Words.Title))
            .Paragraph(F(Words.Intro, Percent(input.Thresholds.AtRiskBelow, culture), Percent(input.Thresholds.OffTrackBelow, culture)), TextStyle.Caption)
            .KeyValues(
            [
                new(T(Words.Project), subject),
                new(T(Words.State), input.Project.State),
                new(T(Words.Workflow), input.Project.Workflow),
                new(T(Words.AsOf), Day(input.Today)),
                new(T(Words.RequestedBy), input.RequestedBy),
            ]);

        Summary(document, input, culture);
        var number = 0;
        foreach (var target in input.Targets)
            Target(document, target, ++number, input.Thresholds, culture);
        Due(document, input, culture);

        document.WriteTo(output);
        return document.PageCount;
    }

    private static void Summary(ReportDocument document, MonitoringReportInput input, CultureInfo culture)
    {
        string T(LocalizedText text) => text.For(culture);
        document.Heading(T(Words.Summary));
        if (input.Targets.Count == 0)
        {
            document.Paragraph(T(Words.NoTargets));
            return;
        }
        int Count(ProgressStatus status) => input.Targets.Count(t => t.Status == status);
        document.KeyValues(
        [
            new(T(Words.Targets), input.Targets.Count.ToString(culture)),
            .. new[] { ProgressStatus.OnTrack, ProgressStatus.AtRisk, ProgressStatus.OffTrack, ProgressStatus.NoData }
                .Select(s => new KeyValuePair<string, string>(StatusWord(s, culture), Count(s).ToString(culture))),
        ]);
        var table = new ReportTable(
            new ReportColumn("#", 0.35f, ColumnAlign.Right),
            new ReportColumn(T(Words.Target), 3.2f),
            new ReportColumn(T(Words.Status), 1.1f),
            new ReportColumn(T(Words.LastMeasured), 1.6f),
            new ReportColumn(T(Words.Deadline), 1f));
        var n = 0;
        foreach (var t in input.Targets)
        {
            table.AddRow((++n).ToString(culture), t.Sentence, StatusWord(t.Status, culture),
                t.Latest is { } latest ? $"{Amount(latest.Value, t.Unit, culture)}\n{Day(latest.On)}" : T(Words.NoMeasurementShort), Day(t.Deadline));
        }
        document.Table(table);
    }

    private static void Target(ReportDocument document, MonitoringReportTarget target, int number, MonitoringReportThresholds thresholds, CultureInfo culture)
    {
        string T(LocalizedText text) => text.For(culture);
        string F(LocalizedText text, params object?[] args) => string.Format(culture, text.For(culture), args);
        document.PageBreak()
            .Heading(F(Words.TargetHeading, number, target.Indicator))
            .Paragraph(target.Sentence)
            .Paragraph(StatusWord(target.Status, culture), new TextStyle(12, StatusColor(target.Status), LineHeight: 1.3f));

        var aim = target.Maintain && target.BandLow is { } low && target.BandHigh is { } high
            ? F(Words.AimMaintain, Amount(target.TargetValue, target.Unit, culture), Number(low), Amount(high, target.Unit, culture), Day(target.Deadline))
            : F(Words.Aim, Amount(target.TargetValue, target.Unit, culture), Day(target.Deadline));
        var baseline = string.IsNullOrWhiteSpace(target.BaselineSource)
            ? F(Words.BaselineValue, Amount(target.BaselineValue, target.Unit, culture), Day(target.BaselineDate))
            : F(Words.BaselineWithSource, Amount(target.BaselineValue, target.Unit, culture), Day(target.BaselineDate), target.BaselineSource);
        document.KeyValues(
        [
            new(T(Words.Unit), target.Unit),
            new(T(Words.Baseline), baseline),
            new(T(Words.TargetValue), aim),
            new(T(Words.LastMeasured), target.Latest is { } latest
                ? F(Words.MeasuredOn, Amount(latest.Value, target.Unit, culture), Day(latest.On))
                : T(Words.NoMeasurementSinceBaseline)),
            new(T(Words.Status), StatusWord(target.Status, culture)),
            new(T(Words.Rule), Rule(target, thresholds, culture)),
            new(T(Words.LastReview), target.LastReview is { } review ? Review(review, culture) : T(Words.NotReviewed)),
        ]);

        var labels = new ProgressChartLabels(
            T(Words.Measured),
            T(Words.Expected),
            F(Words.BaselineLine, Amount(target.BaselineValue, target.Unit, culture)),
            F(Words.TargetLine, Amount(target.TargetValue, target.Unit, culture)),
            T(Words.Band),
            T(Words.Date),
            F(Words.ValueIn, target.Unit));
        var data = new ProgressChartData(target.BaselineDate, target.BaselineValue, target.Deadline, target.TargetValue, target.BandLow, target.BandHigh,
            [.. target.Measurements.Select(m => new MeasuredPoint(m.On, m.Value))]);
        document.Chart(ProgressChart.Build(data, labels), F(Words.ChartCaption, target.Indicator, target.Unit), 250);

        document.Heading(F(Words.MeasurementsOf, target.Indicator));
        if (target.Measurements.Count == 0)
        {
            document.Paragraph(T(Words.NoMeasurements));
            return;
        }
        var table = new ReportTable(
            new ReportColumn(T(Words.Date), 1f),
            new ReportColumn(F(Words.ValueIn, target.Unit), 1.1f, ColumnAlign.Right),
            new ReportColumn(T(Words.Method), 2.2f),
            new ReportColumn(T(Words.MeasuredBy), 1.7f));
        foreach (var m in target.Measurements)
            table.AddRow(Day(m.On), Number(m.Value), m.Method, m.MeasuredBy);
        document.Table(table);
    }

    /// <summary>The status rule's figures for this target, in words.</summary>
    private static string Rule(MonitoringReportTarget target, MonitoringReportThresholds thresholds, CultureInfo culture)
    {
        string F(LocalizedText text, params object?[] args) => string.Format(culture, text.For(culture), args);
        var limits = F(Words.Limits, Percent(thresholds.AtRiskBelow, culture), Percent(thresholds.OffTrackBelow, culture));
        if (target.Latest is not { } latest)
            return F(Words.RuleNoData, Day(target.BaselineDate));
        if (target.Maintain && target.BandLow is { } low && target.BandHigh is { } high)
        {
            return target.Ratio is >= 1m
                ? F(Words.RuleInsideBand, Amount(latest.Value, target.Unit, culture), Number(low), Amount(high, target.Unit, culture)) + " " + limits
                : F(Words.RuleOutsideBand, Amount(latest.Value, target.Unit, culture), Number(low), Amount(high, target.Unit, culture), Percent(target.Ratio ?? 0, culture)) + " " + limits;
        }
        if (target.Ratio is not { } ratio || target.ExpectedAtLatest is not { } expected)
            return F(Words.RuleBaselineDay, Day(latest.On));
        return F(Words.RuleChange, Day(latest.On), Amount(expected, target.Unit, culture), Signed(expected - target.BaselineValue),
            Amount(latest.Value, target.Unit, culture), Signed(latest.Value - target.BaselineValue), Percent(ratio, culture)) + " " + limits;
    }

    private static void Due(ReportDocument document, MonitoringReportInput input, CultureInfo culture)
    {
        string T(LocalizedText text) => text.For(culture);
        // A section of its own, after the targets' pages.
        if (input.Targets.Count > 0)
            document.PageBreak();
        document.Heading(T(Words.Schedule))
            .Paragraph(T(Words.ScheduleIntro), TextStyle.Caption)
            .KeyValues([new(T(Words.LastPlanReview), input.LastPlanReview is { } plan ? Review(plan, culture) : T(Words.NotReviewed))]);

        var overdue = input.Due.Where(d => d.DaysOverdue > 0).OrderByDescending(d => d.DaysOverdue).ThenBy(d => d.Title, StringComparer.Ordinal).ToList();
        document.Heading(T(Words.Overdue));
        if (overdue.Count == 0)
        {
            document.Paragraph(T(Words.NothingOverdue));
        }
        else
        {
            var table = DueTable(culture, T(Words.DaysOverdue));
            foreach (var d in overdue)
                table.AddRow(d.KindLabel, d.Title, Day(d.DueOn), d.DaysOverdue.ToString(culture));
            document.Table(table);
        }

        var upcoming = input.Due.Where(d => d.DaysOverdue == 0).OrderBy(d => d.DueOn).ThenBy(d => d.Title, StringComparer.Ordinal).ToList();
        document.Heading(T(Words.Upcoming));
        if (upcoming.Count == 0)
        {
            document.Paragraph(T(Words.NothingDue));
        }
        else
        {
            var table = DueTable(culture, T(Words.DaysLeft));
            foreach (var d in upcoming)
                table.AddRow(d.KindLabel, d.Title, Day(d.DueOn), (d.DueOn.DayNumber - input.Today.DayNumber).ToString(culture));
            document.Table(table);
        }
    }

    private static ReportTable DueTable(CultureInfo culture, string days) => new(
        new ReportColumn(Words.Kind.For(culture), 1.3f),
        new ReportColumn(Words.What.For(culture), 3.4f),
        new ReportColumn(Words.DueOn.For(culture), 1f),
        new ReportColumn(days, 0.9f, ColumnAlign.Right));

    private static string Review(MonitoringReportReview review, CultureInfo culture)
    {
        var line = string.Format(culture, Words.ReviewLine.For(culture), Day(review.On), review.By);
        return string.IsNullOrWhiteSpace(review.Summary) ? line : $"{line}\n{review.Summary}";
    }

    public static string StatusWord(ProgressStatus status, CultureInfo culture) => TargetProgress.Label(status).For(culture);

    private static SKColor StatusColor(ProgressStatus status) => status switch
    {
        ProgressStatus.OnTrack => TextStyle.Accent,
        ProgressStatus.AtRisk => Amber,
        ProgressStatus.OffTrack => TextStyle.Danger,
        _ => TextStyle.Muted,
    };

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Number(decimal value) => TargetSentence.Number(Math.Round(value, 2));

    private static string Signed(decimal value) => (value >= 0 ? "+" : "−") + Number(Math.Abs(value));

    /// <summary>"40 t/ha"; a percentage as each language writes it ("12 %", "12%"), as in the target sentences.</summary>
    private static string Amount(decimal value, string unit, CultureInfo culture) => unit == "%" ? PercentSign(Number(value), culture) : $"{Number(value)} {unit}";

    private static string Percent(decimal ratio, CultureInfo culture) => PercentSign((ratio * 100).ToString("0", CultureInfo.InvariantCulture), culture);

    private static string PercentSign(string number, CultureInfo culture) => culture.Name.StartsWith("zh", StringComparison.Ordinal) ? number + "%" : number + " %";

    private static class Words
    {
        public static readonly LocalizedText Title = new("Monitoring report", "监测报告");
        public static readonly LocalizedText Intro = new(
            "Each SMART target of the project with its baseline, the value it aims at, the values measured and where it stands. The status compares the latest measurement with the change the expected trajectory (a straight line from the baseline to the target value at the deadline) calls for on that day: on track at {0} of it or more, at risk at {1} or more, off track below. Dates are UTC days.",
            "列出项目的每个 SMART 目标：基线、目标值、实测值及当前进展。状态将最新测量值与预期轨迹（从基线到截止日期目标值的直线）在该日应达到的变化相比较：达到 {0} 及以上为进展正常，{1} 及以上为有风险，低于此为偏离目标。日期均为 UTC 日期。");
        public static readonly LocalizedText Project = new("Project", "项目");
        public static readonly LocalizedText State = new("Current state", "当前状态");
        public static readonly LocalizedText Workflow = new("Workflow", "工作流");
        public static readonly LocalizedText AsOf = new("Status as of", "状态日期");
        public static readonly LocalizedText RequestedBy = new("Requested by", "申请人");
        public static readonly LocalizedText Summary = new("Summary", "概要");
        public static readonly LocalizedText NoTargets = new("No SMART targets are recorded for this project, so there is nothing to monitor yet.", "此项目尚未记录 SMART 目标，暂无可监测的内容。");
        public static readonly LocalizedText Targets = new("Targets", "目标数");
        public static readonly LocalizedText Target = new("Target", "目标");
        public static readonly LocalizedText Status = new("Status", "状态");
        public static readonly LocalizedText LastMeasured = new("Last measured", "最近测量");
        public static readonly LocalizedText Deadline = new("Deadline", "截止日期");
        public static readonly LocalizedText NoMeasurementShort = new("none yet", "尚无");
        public static readonly LocalizedText TargetHeading = new("Target {0}: {1}", "目标 {0}：{1}");
        public static readonly LocalizedText Unit = new("Unit", "单位");
        public static readonly LocalizedText Baseline = new("Baseline", "基线");
        public static readonly LocalizedText BaselineValue = new("{0} on {1}", "{0}（{1}）");
        public static readonly LocalizedText BaselineWithSource = new("{0} on {1} (source: {2})", "{0}（{1}；来源：{2}）");
        public static readonly LocalizedText TargetValue = new("Target value", "目标值");
        public static readonly LocalizedText Aim = new("{0} by {1}", "{0}（截止 {1}）");
        public static readonly LocalizedText AimMaintain = new("{0}, kept within {1}–{2} until {3}", "{0}，保持在 {1}–{2} 之间，直至 {3}");
        public static readonly LocalizedText MeasuredOn = new("{0} on {1}", "{0}（{1}）");
        public static readonly LocalizedText NoMeasurementSinceBaseline = new("No measurement since the baseline", "基线之后尚无测量");
        public static readonly LocalizedText Rule = new("Progress rule", "进展规则");
        public static readonly LocalizedText Limits = new("Thresholds: on track from {0}, at risk from {1}.", "阈值：{0} 起为进展正常，{1} 起为有风险。");
        public static readonly LocalizedText RuleNoData = new("No data: nothing was measured on or after the baseline date ({0}).", "无数据：基线日期（{0}）当天及之后没有测量。");
        public static readonly LocalizedText RuleBaselineDay = new("Measured on the baseline day ({0}): no change is expected yet, so on track.", "在基线日期（{0}）测量：尚不要求有变化，因此进展正常。");
        public static readonly LocalizedText RuleChange = new(
            "Expected on {0}: {1} ({2} from the baseline). Measured: {3} ({4}), {5} of the expected change.",
            "{0} 的预期值：{1}（较基线 {2}）。实测值：{3}（{4}），达到预期变化的 {5}。");
        public static readonly LocalizedText RuleInsideBand = new("Measured {0}, inside the band {1}–{2}.", "实测值 {0}，在 {1}–{2} 区间内。");
        public static readonly LocalizedText RuleOutsideBand = new(
            "Measured {0}, outside the band {1}–{2}: half the band's width is {3} of the distance to the level.",
            "实测值 {0}，超出 {1}–{2} 区间：区间半宽为与目标水平差距的 {3}。");
        public static readonly LocalizedText LastReview = new("Last review", "最近审查");
        public static readonly LocalizedText NotReviewed = new("No review recorded yet", "尚无审查记录");
        public static readonly LocalizedText ReviewLine = new("{0}, recorded by {1}", "{0}，记录人：{1}");
        public static readonly LocalizedText Measured = new("Measured", "实测值");
        public static readonly LocalizedText Expected = new("Expected trajectory", "预期轨迹");
        public static readonly LocalizedText BaselineLine = new("Baseline ({0})", "基线（{0}）");
        public static readonly LocalizedText TargetLine = new("Target ({0})", "目标值（{0}）");
        public static readonly LocalizedText Band = new("Band to keep within", "保持区间");
        public static readonly LocalizedText Date = new("Date", "日期");
        public static readonly LocalizedText ChartCaption = new(
            "{0} ({1}): measured values against the expected trajectory from the baseline to the target value by the deadline.",
            "{0}（{1}）：实测值与从基线到截止日期目标值的预期轨迹对比。");
        public static readonly LocalizedText MeasurementsOf = new("Measurements: {0}", "测量记录：{0}");
        public static readonly LocalizedText NoMeasurements = new("No measurements are recorded for this target.", "此目标尚未记录任何测量。");
        public static readonly LocalizedText ValueIn = new("Value ({0})", "数值（{0}）");
        public static readonly LocalizedText Method = new("Method", "方法");
        public static readonly LocalizedText MeasuredBy = new("Measured by", "测量人");
        public static readonly LocalizedText Schedule = new("Reviews and deadlines", "审查与截止日期");
        public static readonly LocalizedText ScheduleIntro = new(
            "The monitoring schedule: each target's next review, its deadline and the plan's next review, as the reminders use them.",
            "监测日程：每个目标的下次审查、截止日期以及计划的下次审查，与提醒所用的一致。");
        public static readonly LocalizedText LastPlanReview = new("Last review of the plan", "最近一次计划审查");
        public static readonly LocalizedText Overdue = new("Overdue", "已逾期");
        public static readonly LocalizedText NothingOverdue = new("Nothing is overdue.", "没有逾期事项。");
        public static readonly LocalizedText Upcoming = new("Upcoming", "即将到期");
        public static readonly LocalizedText NothingDue = new("Nothing is due: no review or deadline is scheduled.", "没有待办事项：尚未安排审查或截止日期。");
        public static readonly LocalizedText Kind = new("Kind", "类型");
        public static readonly LocalizedText What = new("What", "事项");
        public static readonly LocalizedText DueOn = new("Due on", "到期日");
        public static readonly LocalizedText DaysOverdue = new("Days overdue", "逾期天数");
        public static readonly LocalizedText DaysLeft = new("Days left", "剩余天数");
    }
}
