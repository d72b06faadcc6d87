using System.Globalization;
using System.Security;
using RestorationWorkflow.Projects.Targets;
using ScottPlot;

namespace RestorationWorkflow.Web.Features.Measurements;

/// <summary>
/// A target's progress drawn by the app with ScottPlot as SVG (no CDN, no JavaScript): the baseline (a square), the
/// expected trajectory to the deadline (dashed), the band of a target to maintain, the target at the deadline (a
/// diamond) and the measurements (dots joined by a line). The chart carries numbers and dates only: the repository
/// ships no CJK font, so its labels in English and Chinese are the page's HTML around it. A <c>title</c> and a
/// <c>desc</c> list the points for screen readers (and tests).
/// </summary>
public static class ProgressChart
{
    public const int Width = 640;
    public const int Height = 300;

    private static readonly Color Expected = Color.FromHex("#6b7280");
    private static readonly Color Measured = Color.FromHex("#1d4ed8");
    private static readonly Color Goal = Color.FromHex("#15803d");

    public static string Svg(TargetDetails target, IReadOnlyList<MeasuredPoint> points, TargetProgressResult progress)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(progress);
        var plot = Build(ProgressChartData.Of(target, points, progress));
        plot.Font.Set(Fonts.Sans);
        var svg = plot.GetSvgXml(Width, Height);
        return Describe(svg, target, points, progress);
    }

    /// <summary>
    /// The plot of a target's progress, shared by the measurements page (SVG, <paramref name="labels"/> null: numbers and
    /// dates only) and the monitoring report (PDF, with <paramref name="labels"/>: the baseline and the target value as
    /// reference lines, a legend below the data and the axes named, in the report's language).
    /// </summary>
    public static Plot Build(ProgressChartData data, ProgressChartLabels? labels = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        var plot = new Plot();
        var start = X(data.BaselineDate);
        var end = X(data.Deadline);

        if (data.BandLow is { } low && data.BandHigh is { } high && high > low)
        {
            // A band of values: ScottPlot's vertical span (its horizontal span is a band of dates).
            var band = plot.Add.VerticalSpan((double)low, (double)high);
            band.FillStyle.Color = Goal.WithAlpha(0.16);
            band.LineStyle.Width = 0;
            band.LegendText = labels?.Band ?? "";
        }
        if (labels is not null)
        {
            var baselineLine = plot.Add.HorizontalLine((double)data.BaselineValue, 1, Expected, LinePattern.Dotted);
            baselineLine.LegendText = labels.Baseline;
            var targetLine = plot.Add.HorizontalLine((double)data.TargetValue, 1.2f, Goal, LinePattern.Dotted);
            targetLine.LegendText = labels.Target;
        }
        var trajectory = plot.Add.Scatter(new[] { start, end }, new[] { (double)data.BaselineValue, (double)data.TargetValue });
        trajectory.Color = Expected;
        trajectory.LineWidth = 2;
        trajectory.LinePattern = LinePattern.Dashed;
        trajectory.MarkerSize = 0;
        trajectory.LegendText = labels?.Expected ?? "";

        plot.Add.Marker(start, (double)data.BaselineValue, MarkerShape.FilledSquare, 10, Expected);
        plot.Add.Marker(end, (double)data.TargetValue, MarkerShape.FilledDiamond, 14, Goal);

        if (data.Points.Count > 0)
        {
            var measured = plot.Add.Scatter(data.Points.Select(p => X(p.On)).ToArray(), data.Points.Select(p => (double)p.Value).ToArray());
            measured.Color = Measured;
            measured.LineWidth = 1.5f;
            measured.MarkerSize = 8;
            measured.MarkerShape = MarkerShape.FilledCircle;
            measured.LegendText = labels?.Measured ?? "";
        }

        var dates = plot.Axes.DateTimeTicksBottom();
        // Limits by hand, from the data alone: the dates span the baseline, the deadline and every point.
        var first = Math.Min(start, data.Points.Count > 0 ? data.Points.Min(p => X(p.On)) : start);
        var last = Math.Max(end, data.Points.Count > 0 ? data.Points.Max(p => X(p.On)) : end);
        var pad = Math.Max((last - first) * 0.06, 15);
        plot.Axes.SetLimitsX(first - pad, last + pad);
        // The values span the baseline, the target, the band and every point (automatic limits leave the band out).
        decimal[] values = [data.BaselineValue, data.TargetValue, .. data.Points.Select(p => p.Value), .. new[] { data.BandLow, data.BandHigh }.OfType<decimal>()];
        var (bottom, top) = ((double)values.Min(), (double)values.Max());
        var room = top > bottom ? (top - bottom) * 0.12 : Math.Max(Math.Abs(top) * 0.1, 1);
        plot.Axes.SetLimitsY(bottom - room, top + room);
        plot.Grid.MajorLineColor = Color.FromHex("#e5e7eb");
        if (labels is not null)
        {
            // Dates as the report writes them, whatever the thread's culture.
            if (dates.TickGenerator is ScottPlot.TickGenerators.DateTimeAutomatic automatic)
                automatic.LabelFormatter = day => day.ToString(day is { Month: 1, Day: 1 } ? "yyyy" : day.Day == 1 ? "yyyy-MM" : "yyyy-MM-dd", CultureInfo.InvariantCulture);
            // Sizes in points on a printed page: the text of the axes and legend as small as the report's tables.
            plot.Axes.Bottom.TickLabelStyle.FontSize = 8.5f;
            plot.Axes.Left.TickLabelStyle.FontSize = 8.5f;
            plot.XLabel(labels.DateAxis, 9);
            plot.YLabel(labels.ValueAxis, 9);
            plot.ShowLegend(Edge.Bottom);
            plot.Legend.Orientation = Orientation.Horizontal;
            plot.Legend.FontSize = 8.5f;
            plot.Legend.ShadowColor = Colors.Transparent;
            plot.Legend.OutlineColor = Color.FromHex("#d8e0db");
        }
        return plot;
    }

    /// <summary>Adds <c>role="img"</c>, a <c>title</c> and a <c>desc</c> (numbers and dates only) after the opening <c>svg</c> tag.</summary>
    private static string Describe(string svg, TargetDetails target, IReadOnlyList<MeasuredPoint> points, TargetProgressResult progress)
    {
        var open = svg.IndexOf("<svg", StringComparison.Ordinal);
        var close = open < 0 ? -1 : svg.IndexOf('>', open);
        if (close < 0)
            return svg;
        var title = $"{target.Baseline.Date:yyyy-MM-dd} {N(target.Baseline.Value)} → {target.Deadline:yyyy-MM-dd} {N(progress.TargetValue)} {target.Unit}";
        var desc = string.Join("; ", points.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.On:yyyy-MM-dd} {N(p.Value)}")));
        var head = svg[..close].Contains("role=", StringComparison.Ordinal) ? svg[..close] : svg[..close] + " role=\"img\"";
        return string.Concat(head, ">", "<title>", SecurityElement.Escape(title), "</title><desc>", SecurityElement.Escape(desc), "</desc>", svg[(close + 1)..]);
    }

    private static string N(decimal value) => TargetSentence.Number(value);

    private static double X(DateOnly day) => day.ToDateTime(TimeOnly.MinValue).ToOADate();
}

/// <summary>What a progress chart draws: the baseline, the target value at the deadline, a maintain band, the measured points.</summary>
public sealed record ProgressChartData(
    DateOnly BaselineDate, decimal BaselineValue, DateOnly Deadline, decimal TargetValue, decimal? BandLow, decimal? BandHigh, IReadOnlyList<MeasuredPoint> Points)
{
    public static ProgressChartData Of(TargetDetails target, IReadOnlyList<MeasuredPoint> points, TargetProgressResult progress)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(progress);
        return new(target.Baseline.Date, target.Baseline.Value, target.Deadline, progress.TargetValue, progress.BandLow, progress.BandHigh, points);
    }
}

/// <summary>The words of a labelled progress chart: legend entries and axis titles.</summary>
public sealed record ProgressChartLabels(string Measured, string Expected, string Baseline, string Target, string Band, string DateAxis, string ValueAxis);
