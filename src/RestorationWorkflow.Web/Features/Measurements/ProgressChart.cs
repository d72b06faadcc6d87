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
        var plot = new Plot();
        plot.Font.Set(Fonts.Sans);
        var baseline = target.Baseline;
        var start = X(baseline.Date);
        var end = X(target.Deadline);

        if (progress.BandLow is { } low && progress.BandHigh is { } high && high > low)
        {
            var band = plot.Add.HorizontalSpan((double)low, (double)high);
            band.FillStyle.Color = Goal.WithAlpha(0.12);
            band.LineStyle.Width = 0;
        }
        var trajectory = plot.Add.Scatter(new[] { start, end }, new[] { (double)baseline.Value, (double)progress.TargetValue });
        trajectory.Color = Expected;
        trajectory.LineWidth = 2;
        trajectory.LinePattern = LinePattern.Dashed;
        trajectory.MarkerSize = 0;

        plot.Add.Marker(start, (double)baseline.Value, MarkerShape.FilledSquare, 10, Expected);
        plot.Add.Marker(end, (double)progress.TargetValue, MarkerShape.FilledDiamond, 14, Goal);

        if (points.Count > 0)
        {
            var measured = plot.Add.Scatter(points.Select(p => X(p.On)).ToArray(), points.Select(p => (double)p.Value).ToArray());
            measured.Color = Measured;
            measured.LineWidth = 1.5f;
            measured.MarkerSize = 8;
            measured.MarkerShape = MarkerShape.FilledCircle;
        }

        plot.Axes.DateTimeTicksBottom();
        plot.Axes.Margins(0.06, 0.15);
        plot.Grid.MajorLineColor = Color.FromHex("#e5e7eb");
        var svg = plot.GetSvgXml(Width, Height);
        return Describe(svg, target, points, progress);
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
