using System.Globalization;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Projects.Targets;

/// <summary>A target as the API or the page sends it: every part may be missing or wrong.</summary>
public sealed record TargetInput(
    string? Kind, string? Indicator, string? CustomIndicator, string? Unit, TargetBaselineInput? Baseline, string? Action,
    decimal? Quantity, bool? QuantityIsPercent, DateOnly? Deadline, int? MonitoringFrequencyMonths, IReadOnlyList<Guid>? SiteIds)
{
    /// <summary>A stored target as input, to check it again against the project as it is now.</summary>
    public static TargetInput From(TargetDetails details)
    {
        ArgumentNullException.ThrowIfNull(details);
        return new(details.Kind, details.Indicator, details.CustomIndicator, details.Unit,
            new TargetBaselineInput(details.Baseline.Value, details.Baseline.Date, details.Baseline.Source), details.Action,
            details.Quantity, details.QuantityIsPercent, details.Deadline, details.MonitoringFrequencyMonths, details.SiteIds);
    }
}

/// <summary>The baseline part of <see cref="TargetInput"/>.</summary>
public sealed record TargetBaselineInput(decimal? Value, DateOnly? Date, string? Source);

/// <summary>
/// What the rules need from the project: its start date and planned lifespan (the deadline must fall within them),
/// its sites, and the baseline source its A6 form records (used when a target gives none).
/// </summary>
public sealed record TargetProjectFacts(DateOnly? StartDate, int? LifespanYears, IReadOnlySet<Guid> SiteIds, string? A6BaselineSource = null);

/// <summary>
/// The rules a SMART target must meet, each named by the field it concerns (<c>baseline.value</c>,
/// <c>siteIds[1]</c>) with a message in both languages. A target is complete when every rule holds; the
/// <c>planHasSmartTargets</c> guard checks stored targets again, since the project's lifespan and sites may change.
/// </summary>
public static class TargetRules
{
    public const int MaxTextLength = 200;
    public const int MaxSourceLength = 1000;
    public const int MaxUnitLength = 40;
    public const int MaxSites = 100;
    public const int MaxMonitoringMonths = 120;
    public const decimal MaxMagnitude = 1_000_000_000_000m;

    /// <summary>Every rule: the request's own, then those that need the project. Empty when the target is complete.</summary>
    public static Dictionary<string, LocalizedText> Check(TargetInput input, TargetProjectFacts project)
    {
        var errors = CheckRequest(input);
        foreach (var (field, message) in CheckAgainstProject(input, project))
            errors.TryAdd(field, message);
        return errors;
    }

    /// <summary>The rules that need nothing but the request.</summary>
    public static Dictionary<string, LocalizedText> CheckRequest(TargetInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var errors = new Dictionary<string, LocalizedText>(StringComparer.Ordinal);
        void Add(string field, string en, string zh) => errors.TryAdd(field, new LocalizedText(en, zh));
        var kinds = string.Join(", ", TargetKinds.All.Select(k => k.Code));

        if (string.IsNullOrWhiteSpace(input.Kind))
            Add("kind", $"The kind is required: {kinds}.", $"类别为必填项：{kinds}。");
        else if (!TargetKinds.IsKnown(input.Kind))
            Add("kind", $"'{input.Kind}' is not a kind of target; allowed: {kinds}.", $"“{input.Kind}”不是目标类别；可用：{kinds}。");

        var indicator = IndicatorCatalogue.Find(input.Indicator);
        var isCustom = input.Indicator == IndicatorCatalogue.Custom;
        if (string.IsNullOrWhiteSpace(input.Indicator))
            Add("indicator", $"The indicator is required: a code of the catalogue (GET /api/indicators) or '{IndicatorCatalogue.Custom}' with customIndicator and unit.",
                $"指标为必填项：指标目录中的代码（GET /api/indicators），或“{IndicatorCatalogue.Custom}”并填写自定义指标和单位。");
        else if (indicator is null && !isCustom)
            Add("indicator", $"'{input.Indicator}' is not in the indicator catalogue (GET /api/indicators); for another indicator use '{IndicatorCatalogue.Custom}' with customIndicator and unit.",
                $"“{input.Indicator}”不在指标目录中（GET /api/indicators）；其他指标请用“{IndicatorCatalogue.Custom}”并填写自定义指标和单位。");
        if (isCustom)
        {
            if (string.IsNullOrWhiteSpace(input.CustomIndicator))
                Add("customIndicator", "A custom indicator needs its name (customIndicator).", "自定义指标需要填写名称。");
            else if (input.CustomIndicator.Trim().Length > MaxTextLength)
                Add("customIndicator", $"The custom indicator's name may have at most {MaxTextLength} characters.", $"自定义指标名称最多 {MaxTextLength} 个字符。");
            if (string.IsNullOrWhiteSpace(input.Unit))
                Add("unit", "A custom indicator needs its unit.", "自定义指标需要填写单位。");
        }
        else if (!string.IsNullOrWhiteSpace(input.CustomIndicator) && indicator is not null)
        {
            Add("customIndicator", $"customIndicator is only for indicator '{IndicatorCatalogue.Custom}'; '{indicator.Code}' is in the catalogue.",
                $"只有“{IndicatorCatalogue.Custom}”指标才填写自定义指标名称；“{indicator.Code}”已在指标目录中。");
        }
        if (input.Unit is { } unit && unit.Trim().Length > MaxUnitLength)
            Add("unit", $"The unit may have at most {MaxUnitLength} characters.", $"单位最多 {MaxUnitLength} 个字符。");
        if (indicator is not null && TargetKinds.IsKnown(input.Kind) && indicator.Kind != input.Kind)
        {
            var expected = TargetKinds.Label(indicator.Kind);
            Add("kind", $"'{indicator.Code}' measures {expected.En.ToLowerInvariant()} outcomes; the target's kind must be {indicator.Kind}.",
                $"“{indicator.Code}”衡量的是{expected.ZhHans}成果；目标类别必须为 {indicator.Kind}。");
        }

        if (input.Baseline is null)
        {
            Add("baseline", "A baseline is required: its value, date and source.", "基线为必填项：数值、日期和来源。");
        }
        else
        {
            if (input.Baseline.Value is null)
                Add("baseline.value", "The baseline value is required.", "基线数值为必填项。");
            else if (Math.Abs(input.Baseline.Value.Value) > MaxMagnitude)
                Add("baseline.value", "The baseline value must be between -1,000,000,000,000 and 1,000,000,000,000.", "基线数值必须介于 -1,000,000,000,000 和 1,000,000,000,000 之间。");
            if (input.Baseline.Date is null)
                Add("baseline.date", "The baseline date is required (when the baseline was measured).", "基线日期为必填项（基线的测定日期）。");
            if (input.Baseline.Source is { } source && source.Trim().Length > MaxSourceLength)
                Add("baseline.source", $"The baseline source may have at most {MaxSourceLength} characters.", $"基线来源最多 {MaxSourceLength} 个字符。");
        }

        var actions = string.Join(", ", TargetActions.All.Select(a => a.Code));
        if (string.IsNullOrWhiteSpace(input.Action))
            Add("action", $"The action is required: {actions}.", $"行动为必填项：{actions}。");
        else if (!TargetActions.IsKnown(input.Action))
            Add("action", $"'{input.Action}' is not an action; allowed: {actions}.", $"“{input.Action}”不是有效的行动；可用：{actions}。");

        var percent = input.QuantityIsPercent == true;
        if (input.Action is TargetActions.Reduce or TargetActions.Increase)
        {
            if (input.Quantity is null)
                Add("quantity", $"The quantity is required to {input.Action}, and greater than 0.", "减轻或增加时数量为必填项，且必须大于 0。");
            else if (input.Quantity <= 0)
                Add("quantity", $"The quantity to {input.Action} must be greater than 0.", "减轻或增加的数量必须大于 0。");
            else if (input.Quantity > MaxMagnitude)
                Add("quantity", "The quantity may be at most 1,000,000,000,000.", "数量不能超过 1,000,000,000,000。");
            else if (input.Action == TargetActions.Reduce && percent && input.Quantity > 100)
                Add("quantity", "A percentage reduction is at most 100 %.", "按百分比减轻时不能超过 100%。");
            else if (input.Action == TargetActions.Reduce && !percent && input.Baseline?.Value is >= 0 and var baseline && input.Quantity > baseline)
                Add("quantity", $"An absolute reduction is at most the baseline value ({TargetSentence.Number(baseline)}).",
                    $"按绝对值减轻时不能超过基线数值（{TargetSentence.Number(baseline)}）。");
        }
        else if (input.Action == TargetActions.Maintain && input.Quantity is { } kept)
        {
            if (kept < 0)
                Add("quantity", "The quantity to maintain may not be negative (leave it out to maintain the baseline).", "维持的数量不能为负数（不填写则维持基线水平）。");
            else if (kept > MaxMagnitude)
                Add("quantity", "The quantity may be at most 1,000,000,000,000.", "数量不能超过 1,000,000,000,000。");
        }

        if (input.Deadline is null)
            Add("deadline", "The deadline is required.", "时限为必填项。");
        else if (input.Baseline?.Date is { } measured && input.Deadline <= measured)
            Add("deadline", $"The deadline must come after the baseline date ({Date(measured)}).", $"时限必须晚于基线日期（{Date(measured)}）。");

        if (input.MonitoringFrequencyMonths is null)
            Add("monitoringFrequencyMonths", $"The monitoring frequency is required, in months (1–{MaxMonitoringMonths}).", $"监测频率为必填项，以月计（1–{MaxMonitoringMonths}）。");
        else if (input.MonitoringFrequencyMonths is < 1 or > MaxMonitoringMonths)
            Add("monitoringFrequencyMonths", $"The monitoring frequency must be 1–{MaxMonitoringMonths} months.", $"监测频率必须为 1–{MaxMonitoringMonths} 个月。");

        if (input.SiteIds is { } sites)
        {
            if (sites.Count > MaxSites)
                Add("siteIds", $"A target may name at most {MaxSites} sites.", $"一个目标最多可关联 {MaxSites} 个地块。");
            var seen = new HashSet<Guid>();
            for (var i = 0; i < sites.Count; i++)
            {
                if (!seen.Add(sites[i]))
                    Add($"siteIds[{i}]", $"Site {sites[i]} is named twice.", $"地块 {sites[i]} 重复。");
            }
        }
        return errors;
    }

    /// <summary>The rules that need the project: the baseline's source (A6's by default), the deadline within the lifespan, the project's own sites.</summary>
    public static Dictionary<string, LocalizedText> CheckAgainstProject(TargetInput input, TargetProjectFacts project)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(project);
        var errors = new Dictionary<string, LocalizedText>(StringComparer.Ordinal);
        void Add(string field, string en, string zh) => errors.TryAdd(field, new LocalizedText(en, zh));

        if (input.Baseline is not null && string.IsNullOrWhiteSpace(input.Baseline.Source) && string.IsNullOrWhiteSpace(project.A6BaselineSource))
            Add("baseline.source", "The baseline source is required (the project's A6 form records none to use instead).",
                "基线来源为必填项（项目的 A6 表单中没有可代用的基线来源）。");

        if (input.Deadline is { } deadline)
        {
            if (project.StartDate is not { } start || project.LifespanYears is not { } years)
            {
                Add("deadline", "The deadline cannot be checked: the project has no start date and planned lifespan in its registry; set them first.",
                    "无法核对时限：项目登记信息中没有开始日期和计划期限；请先填写。");
            }
            else
            {
                var end = start.AddYears(years);
                if (deadline <= start || deadline > end)
                    Add("deadline", $"The deadline must fall within the project's lifespan, after {Date(start)} and at the latest {Date(end)} ({years} years from the start).",
                        $"时限必须在项目期限内：晚于 {Date(start)}，且不晚于 {Date(end)}（自开始起 {years} 年）。");
            }
        }

        if (input.SiteIds is { } sites)
        {
            for (var i = 0; i < sites.Count; i++)
            {
                if (!project.SiteIds.Contains(sites[i]))
                    Add($"siteIds[{i}]", $"The project has no site {sites[i]}.", $"项目没有地块 {sites[i]}。");
            }
        }
        return errors;
    }

    /// <summary>The stored form of a target that passed <see cref="Check"/>: trimmed text, the catalogue's unit by default, A6's source by default.</summary>
    public static TargetDetails Normalize(TargetInput input, TargetProjectFacts project)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(project);
        var indicator = IndicatorCatalogue.Find(input.Indicator);
        var unit = string.IsNullOrWhiteSpace(input.Unit) ? indicator!.Unit : input.Unit.Trim();
        var source = string.IsNullOrWhiteSpace(input.Baseline!.Source) ? project.A6BaselineSource!.Trim() : input.Baseline.Source.Trim();
        if (source.Length > MaxSourceLength)
            source = source[..MaxSourceLength];
        return new TargetDetails(input.Kind!, input.Indicator!, indicator is null ? input.CustomIndicator!.Trim() : null, unit,
            new TargetBaseline(input.Baseline.Value!.Value, input.Baseline.Date!.Value, source), input.Action!,
            input.Quantity, input.QuantityIsPercent == true, input.Deadline!.Value, input.MonitoringFrequencyMonths!.Value, input.SiteIds ?? []);
    }

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
