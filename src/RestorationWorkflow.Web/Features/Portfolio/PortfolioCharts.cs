using System.Globalization;
using System.Security;
using RestorationWorkflow.Projects;
using ScottPlot;

namespace RestorationWorkflow.Web.Features.Portfolio;

/// <summary>
/// The dashboard's charts, drawn by the app with ScottPlot as SVG (decision 0031's way: no CDN, no script). As with the
/// progress chart the repository ships no CJK font, so a chart carries numbers and language-neutral codes only — the
/// step groups A–D and the row numbers of the table beside it — and the names are the page's HTML in both languages.
/// </summary>
public static class PortfolioCharts
{
    public const int Width = 560;
    public const int Height = 300;

    /// <summary>The colours of the step groups (the badges' in site.css; "none": Draft, Closed, Suspended, Cancelled) and of the target statuses.</summary>
    public static readonly IReadOnlyDictionary<string, string> GroupColours = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["A"] = "#2f6b4f", ["B"] = "#6b5b2f", ["C"] = "#2f4f6b", ["D"] = "#6b2f5b", ["none"] = "#bbbbbb",
    };

    public static readonly IReadOnlyDictionary<string, string> StatusColours = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["onTrack"] = "#15803d", ["atRisk"] = "#d97706", ["offTrack"] = "#b91c1c", ["noData"] = "#9ca3af",
    };

    /// <summary>The ecosystem types with hectares, in the table's order (row 1 is the top bar).</summary>
    public static IReadOnlyList<string> EcosystemRows(IReadOnlyList<HectareCell> cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        return [.. EcosystemTypes.All.Select(t => t.Code).Where(code => cells.Any(c => c.EcosystemType == code))];
    }

    /// <summary>Hectares per ecosystem type (one bar each, numbered as the table's rows), stacked by step group.</summary>
    public static string Hectares(IReadOnlyList<HectareCell> cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        var rows = EcosystemRows(cells);
        var plot = NewPlot();
        var bars = new List<Bar>();
        for (var i = 0; i < rows.Count; i++)
        {
            var position = rows.Count - i;
            double start = 0;
            foreach (var (group, colour) in GroupColours)
            {
                var value = (double)cells.Where(c => c.EcosystemType == rows[i] && c.Group == group).Sum(c => c.Hectares);
                if (value <= 0)
                    continue;
                bars.Add(new Bar { Position = position, ValueBase = start, Value = start + value, FillColor = Color.FromHex(colour), LineWidth = 0 });
                start += value;
            }
        }
        if (bars.Count > 0)
        {
            var plottable = plot.Add.Bars(bars);
            plottable.Horizontal = true;
        }
        plot.Axes.Left.SetTicks([.. Enumerable.Range(0, rows.Count).Select(i => (double)(rows.Count - i))],
            [.. Enumerable.Range(1, rows.Count).Select(i => i.ToString(CultureInfo.InvariantCulture))]);
        foreach (var (group, colour) in GroupColours)
        {
            if (cells.Any(c => c.Group == group))
                plot.Legend.ManualItems.Add(new LegendItem { LabelText = group == "none" ? "-" : group, FillColor = Color.FromHex(colour) });
        }
        plot.Legend.IsVisible = plot.Legend.ManualItems.Count > 0;
        plot.Legend.Alignment = Alignment.LowerRight;
        plot.Axes.Margins(left: 0, right: 0.1, bottom: 0.05, top: 0.05);
        plot.Axes.SetLimitsY(0.4, Math.Max(1, rows.Count) + 0.6);
        var desc = string.Join("; ", rows.Select((code, i) => string.Create(CultureInfo.InvariantCulture,
            $"{i + 1} {code} {cells.Where(c => c.EcosystemType == code).Sum(c => c.Hectares):0.##} ha")));
        return Describe(plot.GetSvgXml(Width, Math.Max(140, 60 + (rows.Count * 34))), "ha", desc);
    }

    /// <summary>Targets per status: four bars, in the order on track, at risk, off track, no data.</summary>
    public static string Targets(IReadOnlyList<StatusCount> statuses)
    {
        ArgumentNullException.ThrowIfNull(statuses);
        var plot = NewPlot();
        var bars = statuses.Select((s, i) => new Bar
        {
            Position = statuses.Count - i, Value = s.Targets, FillColor = Color.FromHex(StatusColours.GetValueOrDefault(s.Status, "#9ca3af")), LineWidth = 0,
            Label = s.Targets.ToString(CultureInfo.InvariantCulture),
        }).ToList();
        var plottable = plot.Add.Bars(bars);
        plottable.Horizontal = true;
        plottable.ValueLabelStyle.FontSize = 13;
        plot.Axes.Left.SetTicks([.. Enumerable.Range(0, statuses.Count).Select(i => (double)(statuses.Count - i))],
            [.. Enumerable.Range(1, statuses.Count).Select(i => i.ToString(CultureInfo.InvariantCulture))]);
        plot.Axes.Margins(left: 0, right: 0.15, bottom: 0.05, top: 0.05);
        var desc = string.Join("; ", statuses.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Status} {s.Targets}")));
        return Describe(plot.GetSvgXml(Width, 200), "targets", desc);
    }

    private static Plot NewPlot()
    {
        var plot = new Plot();
        plot.Font.Set(Fonts.Sans);
        plot.Grid.MajorLineColor = Color.FromHex("#e5e7eb");
        return plot;
    }

    private static string Describe(string svg, string title, string desc)
    {
        var open = svg.IndexOf("<svg", StringComparison.Ordinal);
        var close = open < 0 ? -1 : svg.IndexOf('>', open);
        if (close < 0)
            return svg;
        var head = svg[..close].Contains("role=", StringComparison.Ordinal) ? svg[..close] : svg[..close] + " role=\"img\"";
        return string.Concat(head, ">", "<title>", SecurityElement.Escape(title), "</title><desc>", SecurityElement.Escape(desc), "</desc>", svg[(close + 1)..]);
    }
}
