using System.Globalization;
using RestorationWorkflow.Web.Features.Portfolio;
using RestorationWorkflow.Web.Reporting;
using RestorationWorkflow.Workflows;
using ScottPlot;

namespace RestorationWorkflow.Web.Features.Reports.Portfolio;

/// <summary>
/// The portfolio report (issue 20, report 4): the scope and its totals; hectares by ecosystem type × step group with the
/// part under restoration (GBF Target 2, indicator 2.2) as a table with row and column totals and as stacked bars;
/// projects per state, targets by status (tables and bars); overdue items by kind and the oldest ones; projects per
/// country; recent decisions — in English or Chinese, each empty section saying so. Pure: the same input gives the same
/// pages, so a job can call it with what <see cref="PortfolioReportSource"/> loaded.
/// </summary>
public sealed class PortfolioReport(ReportFont? font = null)
{
    /// <summary>The PDF's bytes.</summary>
    public byte[] Render(PortfolioReportInput input)
    {
        using var buffer = new MemoryStream();
        RenderCounting(input, buffer);
        return buffer.ToArray();
    }

    /// <summary>Writes the PDF to <paramref name="output"/> and answers its number of pages.</summary>
    public int RenderCounting(PortfolioReportInput input, Stream output)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        var culture = input.Language.StartsWith("zh", StringComparison.OrdinalIgnoreCase) ? new CultureInfo("zh-Hans") : new CultureInfo("en");
        string T(LocalizedText text) => text.For(culture);
        string F(LocalizedText text, params object?[] args) => string.Format(culture, text.For(culture), args);
        string Ha(decimal value) => PortfolioReader.Ha(value, culture);
        string N(int value) => value.ToString("N0", culture);
        var scope = input.AllProjects ? T(Words.ScopeAll) : F(Words.ScopeMine, input.RequestedBy);
        var info = new ReportInfo
        {
            Title = T(Words.Title),
            Subject = scope,
            Kind = T(Words.Title),
            Author = input.RequestedBy,
            GeneratedAt = input.GeneratedAt,
            DataSha256 = ReportInfo.HashOf(input),
            Language = culture.Name,
        };
        using var document = new ReportDocument(info, font);
        document.Title(T(Words.Title))
            .Paragraph(T(Words.Intro), TextStyle.Caption)
            .KeyValues(
            [
                new(T(Words.Scope), scope),
                new(T(Words.Filters), T(Words.NoFilters)),
                new(T(Words.RequestedBy), input.RequestedBy),
                new(T(Words.Projects), N(input.Projects)),
                new(T(Words.UnderRestoration), $"{Ha(input.HectaresUnderRestoration)} ha"),
                new(T(Words.AllSites), $"{Ha(input.HectaresTotal)} ha"),
                new(T(Words.Countries), input.Countries.Count == 0 ? "—" : string.Join(T(Words.ListSeparator), input.Countries.Select(c => $"{c.Country} ({N(c.Projects)})"))),
            ]);

        // GBF Target 2, indicator 2.2: hectares by ecosystem type × step group.
        document.Heading(T(Words.HectaresHeading))
            .Paragraph(F(Words.UnderRestorationRule, string.Join(T(Words.ListSeparator), input.UnderRestorationStates)), TextStyle.Caption);
        if (input.Hectares.Count == 0)
        {
            document.Paragraph(T(Words.NoSites));
        }
        else
        {
            var columns = PortfolioReportSource.GroupColumns;
            var table = new ReportTable(
            [
                new ReportColumn(T(Words.Ecosystem), 2.1f),
                .. columns.Select(g => new ReportColumn(GroupHeader(g), 1.05f, ColumnAlign.Right)),
                new ReportColumn(T(Words.Total), 1.2f, ColumnAlign.Right),
                new ReportColumn(T(Words.UnderRestorationShort), 1.3f, ColumnAlign.Right),
            ]);
            foreach (var row in input.Hectares)
                table.AddRow([row.Label, .. columns.Select(g => Cell(row.ByGroup.GetValueOrDefault(g))), Ha(row.Total), Ha(row.UnderRestoration)]);
            table.AddRow([T(Words.Total), .. columns.Select(g => Cell(input.Hectares.Sum(r => r.ByGroup.GetValueOrDefault(g)))),
                Ha(input.HectaresTotal), Ha(input.HectaresUnderRestoration)]);
            document.Table(table)
                .Paragraph(string.Join("  ·  ", [.. input.Groups.Select(g => $"{g.Code}: {g.Label}"), $"—: {T(Words.NoGroup)}"]), TextStyle.Caption)
                .Chart(HectaresChart(input, T), T(Words.HectaresCaption), ChartHeight(input.Hectares.Count));
        }

        document.Heading(T(Words.StatesHeading));
        if (input.States.Count == 0)
        {
            document.Paragraph(T(Words.NoProjects));
        }
        else
        {
            var table = new ReportTable(
                new ReportColumn(T(Words.State), 4f),
                new ReportColumn(T(Words.Group), 1f),
                new ReportColumn(T(Words.Projects), 1.2f, ColumnAlign.Right));
            foreach (var s in input.States)
                table.AddRow(s.Label, GroupHeader(s.Group), N(s.Projects));
            table.AddRow(T(Words.Total), "", N(input.States.Sum(s => s.Projects)));
            document.Table(table).Chart(StatesChart(input), T(Words.StatesCaption), ChartHeight(input.States.Count));
        }

        document.Heading(T(Words.TargetsHeading))
            .Paragraph(T(Words.TargetsRule), TextStyle.Caption);
        if (input.Targets.All(t => t.Targets == 0))
        {
            document.Paragraph(T(Words.NoTargets));
        }
        else
        {
            var table = new ReportTable(
                new ReportColumn(T(Words.Status), 3f),
                new ReportColumn(T(Words.Targets), 1.2f, ColumnAlign.Right),
                new ReportColumn(T(Words.Projects), 1.2f, ColumnAlign.Right));
            foreach (var s in input.Targets)
                table.AddRow(s.Label, N(s.Targets), N(s.Projects));
            table.AddRow(T(Words.Total), N(input.Targets.Sum(t => t.Targets)), "");
            document.Table(table).Chart(TargetsChart(input), T(Words.TargetsCaption), ChartHeight(input.Targets.Count));
        }

        document.Heading(T(Words.OverdueHeading));
        if (input.Overdue.All(o => o.Items == 0))
        {
            document.Paragraph(T(Words.NothingOverdue));
        }
        else
        {
            var table = new ReportTable(
                new ReportColumn(T(Words.Kind), 3f),
                new ReportColumn(T(Words.Items), 1.2f, ColumnAlign.Right),
                new ReportColumn(T(Words.Projects), 1.2f, ColumnAlign.Right));
            foreach (var o in input.Overdue)
                table.AddRow(o.Label, N(o.Items), N(o.Projects));
            table.AddRow(T(Words.Total), N(input.Overdue.Sum(o => o.Items)), "");
            document.Table(table).Paragraph(T(Words.OldestHeading), TextStyle.Label);
            var oldest = new ReportTable(
                new ReportColumn(T(Words.Project), 2.2f),
                new ReportColumn(T(Words.Kind), 1.5f),
                new ReportColumn(T(Words.What), 2.8f),
                new ReportColumn(T(Words.DueOn), 1.2f),
                new ReportColumn(T(Words.DaysOverdue), 1.1f, ColumnAlign.Right));
            foreach (var o in input.OldestOverdue)
                oldest.AddRow(Subject(o.ProjectCode, o.ProjectName), o.Kind, o.Title, o.DueOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), N(o.DaysOverdue));
            document.Table(oldest);
        }

        document.Heading(T(Words.DecisionsHeading))
            .Paragraph(T(Words.DecisionsRule), TextStyle.Caption);
        if (input.Decisions.Count == 0)
        {
            document.Paragraph(T(Words.NoDecisions));
        }
        else
        {
            var table = new ReportTable(
                new ReportColumn(T(Words.When), 1.5f),
                new ReportColumn(T(Words.Project), 2.2f),
                new ReportColumn(T(Words.Decision), 2f),
                new ReportColumn(T(Words.StateChange), 2.8f));
            foreach (var d in input.Decisions)
            {
                table.AddRow(d.At.ToUniversalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), Subject(d.ProjectCode, d.ProjectName), d.Decision,
                    (d.FromState, d.ToState) switch { (null, null) => "", ({ } a, { } b) => $"{a} → {b}", (var a, var b) => a ?? b });
            }
            document.Table(table);
        }

        document.WriteTo(output);
        return document.PageCount;

        string Cell(decimal value) => value == 0 ? "—" : Ha(value);
    }

    /// <summary>The column or badge of a step group: its letter, or a dash outside the four groups.</summary>
    private static string GroupHeader(string group) => group == "none" ? "—" : group;

    private static string Subject(string code, string name) => string.IsNullOrEmpty(code) ? name : $"{code} · {name}";

    /// <summary>Room for the axis and legend, then a bar's height per row.</summary>
    private static float ChartHeight(int rows) => Math.Clamp(70 + (rows * 26), 130, 330);

    /// <summary>Hectares per ecosystem type (one bar each, named), stacked by step group in the dashboard's colours.</summary>
    private static Plot HectaresChart(PortfolioReportInput input, Func<LocalizedText, string> t)
    {
        var plot = NewPlot();
        var rows = input.Hectares;
        var bars = new List<Bar>();
        for (var i = 0; i < rows.Count; i++)
        {
            var position = rows.Count - i;
            double start = 0;
            foreach (var group in PortfolioReportSource.GroupColumns)
            {
                var value = (double)rows[i].ByGroup.GetValueOrDefault(group);
                if (value <= 0)
                    continue;
                bars.Add(new Bar { Position = position, ValueBase = start, Value = start + value, FillColor = Color.FromHex(PortfolioCharts.GroupColours[group]), LineWidth = 0 });
                start += value;
            }
        }
        if (bars.Count > 0)
            plot.Add.Bars(bars).Horizontal = true;
        plot.Axes.Left.SetTicks([.. Enumerable.Range(0, rows.Count).Select(i => (double)(rows.Count - i))], [.. rows.Select(r => r.Label)]);
        foreach (var group in PortfolioReportSource.GroupColumns)
        {
            if (rows.Any(r => r.ByGroup.GetValueOrDefault(group) > 0))
            {
                var label = group == "none" ? "—" : group;
                plot.Legend.ManualItems.Add(new LegendItem { LabelText = label, FillColor = Color.FromHex(PortfolioCharts.GroupColours[group]) });
            }
        }
        if (plot.Legend.ManualItems.Count > 0)
            plot.ShowLegend(Edge.Right);
        plot.Axes.Bottom.Label.Text = t(Words.Hectares);
        plot.Axes.Bottom.Label.FontSize = 11;
        plot.Axes.SetLimits(0, Math.Max(1, (double)rows.Max(r => r.Total)) * 1.08, 0.4, rows.Count + 0.6);
        return plot;
    }

    /// <summary>Projects per state, in the workflow's order, coloured by step group.</summary>
    private static Plot StatesChart(PortfolioReportInput input)
    {
        var plot = NewPlot();
        var rows = input.States;
        var bars = rows.Select((s, i) => new Bar
        {
            Position = rows.Count - i, Value = s.Projects, LineWidth = 0, Label = s.Projects.ToString(CultureInfo.InvariantCulture),
            FillColor = Color.FromHex(PortfolioCharts.GroupColours.GetValueOrDefault(s.Group, "#bbbbbb")),
        }).ToList();
        var plottable = plot.Add.Bars(bars);
        plottable.Horizontal = true;
        plottable.ValueLabelStyle.FontSize = 11;
        plot.Axes.Left.SetTicks([.. Enumerable.Range(0, rows.Count).Select(i => (double)(rows.Count - i))], [.. rows.Select(r => Short(r.Label))]);
        IntegerTicks(plot, rows.Count == 0 ? 0 : rows.Max(r => r.Projects), rows.Count);
        return plot;
    }

    /// <summary>Targets per status: on track, at risk, off track, no data, in the dashboard's colours.</summary>
    private static Plot TargetsChart(PortfolioReportInput input)
    {
        var plot = NewPlot();
        var rows = input.Targets;
        var bars = rows.Select((s, i) => new Bar
        {
            Position = rows.Count - i, Value = s.Targets, LineWidth = 0, Label = s.Targets.ToString(CultureInfo.InvariantCulture),
            FillColor = Color.FromHex(PortfolioCharts.StatusColours.GetValueOrDefault(s.Status, "#9ca3af")),
        }).ToList();
        var plottable = plot.Add.Bars(bars);
        plottable.Horizontal = true;
        plottable.ValueLabelStyle.FontSize = 11;
        plot.Axes.Left.SetTicks([.. Enumerable.Range(0, rows.Count).Select(i => (double)(rows.Count - i))], [.. rows.Select(r => r.Label)]);
        IntegerTicks(plot, rows.Count == 0 ? 0 : rows.Max(r => r.Targets), rows.Count);
        return plot;
    }

    /// <summary>
    /// Whole-number ticks on the value axis (counts have no fractions), and limits that leave room for the value label
    /// at the end of the longest bar.
    /// </summary>
    private static void IntegerTicks(Plot plot, int max, int rows)
    {
        max = Math.Max(max, 1);
        var step = Math.Max(1, (int)Math.Ceiling(max / 6d));
        var ticks = Enumerable.Range(0, (max / step) + 1).Select(i => (double)(i * step)).ToArray();
        plot.Axes.Bottom.SetTicks(ticks, [.. ticks.Select(v => v.ToString(CultureInfo.InvariantCulture))]);
        plot.Axes.SetLimits(0, max * 1.15, 0.4, rows + 0.6);
    }

    /// <summary>A state's name cut for an axis (the table beside the chart has it whole).</summary>
    private static string Short(string label) => label.Length <= 28 ? label : string.Concat(label.AsSpan(0, 27), "…");

    private static Plot NewPlot()
    {
        var plot = new Plot();
        plot.Grid.MajorLineColor = Color.FromHex("#e5e7eb");
        // The legend's text in the report font too, never a system font picked per label.
        plot.Legend.SetBestFontOnEachRender = false;
        plot.Legend.FontName = ReportFont.FamilyName;
        plot.Legend.FontSize = 10;
        plot.Axes.Left.TickLabelStyle.FontSize = 10;
        plot.Axes.Bottom.TickLabelStyle.FontSize = 10;
        return plot;
    }

    private static class Words
    {
        public static readonly LocalizedText Title = new("Portfolio report", "项目组合报告");
        public static readonly LocalizedText Intro = new(
            "The figures of the portfolio dashboard when the report was made: hectares by ecosystem type and step (GBF Target 2, indicator 2.2), projects per state, targets by status, overdue items and recent decisions. Times are UTC.",
            "生成报告时项目组合仪表板的数据：按生态系统类型和步骤统计的公顷数（《昆明-蒙特利尔全球生物多样性框架》目标 2，指标 2.2）、各状态的项目数、按状态统计的目标、逾期事项和近期决定。时间均为 UTC。");
        public static readonly LocalizedText Scope = new("Scope", "范围");
        public static readonly LocalizedText ScopeAll = new("All projects", "全部项目");
        public static readonly LocalizedText ScopeMine = new("The projects on whose team {0} is", "{0}所在团队的项目");
        public static readonly LocalizedText Filters = new("Filters", "筛选条件");
        public static readonly LocalizedText NoFilters = new("None: every project in the scope", "无：范围内的全部项目");
        public static readonly LocalizedText RequestedBy = new("Requested by", "申请人");
        public static readonly LocalizedText Projects = new("Projects", "项目");
        public static readonly LocalizedText UnderRestoration = new("Hectares under restoration", "正在恢复的公顷数");
        public static readonly LocalizedText UnderRestorationShort = new("Under restoration", "正在恢复");
        public static readonly LocalizedText AllSites = new("Hectares of all sites", "全部地块的公顷数");
        public static readonly LocalizedText Countries = new("Projects per country", "各国项目数");
        public static readonly LocalizedText ListSeparator = new(", ", "、");
        public static readonly LocalizedText HectaresHeading = new("Hectares by ecosystem type and step", "按生态系统类型和步骤统计的公顷数");
        public static readonly LocalizedText UnderRestorationRule = new(
            "Each site counts once, with its computed area, under its own ecosystem type and the step group of its project's state. Under restoration (GBF Target 2, indicator 2.2) counts the sites of projects from the plan's approval to the evaluation sign-off ({0}); earlier states are planned, closed projects are restored, suspended and cancelled ones have stopped.",
            "每个地块按其计算面积计一次，归入其自身的生态系统类型及其项目所处状态的步骤组。正在恢复（全球生物多样性框架目标 2，指标 2.2）统计从恢复计划获批到评估结果审定期间的项目地块（{0}）；此前的状态属于规划中，已结束的项目视为已恢复，已暂停和已取消的项目已停止。");
        public static readonly LocalizedText NoSites = new("No sites recorded.", "尚未记录地块。");
        public static readonly LocalizedText Ecosystem = new("Ecosystem type", "生态系统类型");
        public static readonly LocalizedText Total = new("Total", "合计");
        public static readonly LocalizedText NoGroup = new("a state outside the four groups (draft, closed, suspended, cancelled)", "不属于四组活动的状态（草稿、已结束、已暂停、已取消）");
        public static readonly LocalizedText Hectares = new("Hectares", "公顷");
        public static readonly LocalizedText HectaresCaption = new(
            "Hectares of all sites per ecosystem type, stacked by step group (A–D; —: outside the groups).",
            "各生态系统类型全部地块的公顷数，按步骤组堆叠（A–D；—：不属于四组）。");
        public static readonly LocalizedText StatesHeading = new("Projects per state", "各状态的项目数");
        public static readonly LocalizedText NoProjects = new("No projects in the scope.", "范围内没有项目。");
        public static readonly LocalizedText State = new("State", "状态");
        public static readonly LocalizedText Group = new("Step group", "步骤组");
        public static readonly LocalizedText StatesCaption = new("Projects per state, in the workflow's order, coloured by step group.", "各状态的项目数，按工作流顺序排列，颜色表示步骤组。");
        public static readonly LocalizedText TargetsHeading = new("Targets by status", "按状态统计的目标");
        public static readonly LocalizedText TargetsRule = new(
            "The status rule of the project page: the latest measurement against the expected trajectory.",
            "与项目页面相同的状态规则：最新监测值对照预期轨迹。");
        public static readonly LocalizedText NoTargets = new("No targets set.", "尚未设定目标。");
        public static readonly LocalizedText Status = new("Status", "状态");
        public static readonly LocalizedText Targets = new("Targets", "目标");
        public static readonly LocalizedText TargetsCaption = new("Targets per status.", "各状态的目标数。");
        public static readonly LocalizedText OverdueHeading = new("Overdue reviews and approvals", "逾期的审查和批准");
        public static readonly LocalizedText NothingOverdue = new("Nothing is overdue.", "没有逾期事项。");
        public static readonly LocalizedText Kind = new("Kind", "类型");
        public static readonly LocalizedText Items = new("Items", "事项");
        public static readonly LocalizedText OldestHeading = new("Most overdue", "逾期最久");
        public static readonly LocalizedText Project = new("Project", "项目");
        public static readonly LocalizedText What = new("What", "事项");
        public static readonly LocalizedText DueOn = new("Due on", "到期日");
        public static readonly LocalizedText DaysOverdue = new("Days overdue", "逾期天数");
        public static readonly LocalizedText DecisionsHeading = new("Recent decisions", "近期决定");
        public static readonly LocalizedText DecisionsRule = new(
            "Adaptive-management decisions, approvals and feedback loops, newest first.", "适应性管理决定、审批和反馈循环，最新的在前。");
        public static readonly LocalizedText NoDecisions = new("No decisions recorded yet.", "尚无决定。");
        public static readonly LocalizedText When = new("When (UTC)", "时间（UTC）");
        public static readonly LocalizedText Decision = new("Decision", "决定");
        public static readonly LocalizedText StateChange = new("State", "状态");
    }
}
