using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Projects;

/// <summary>One STAPER step (A1…D3): the stable code used in data, definitions and reports.</summary>
public sealed record StaperStep(string Code, string Group, LocalizedText Label);

/// <summary>
/// The catalogue of STAPER steps and groups (../shared/domain/staper.md). Chinese labels are taken
/// from the original text of recommendation XX/12 (the seed), shortened where the sentence is long.
/// </summary>
public static class StaperSteps
{
    public static readonly IReadOnlyList<(string Group, LocalizedText Label)> Groups =
    [
        ("A", new("Assess restoration opportunities", "生态系统恢复机会的评估")),
        ("B", new("Improve the institutional enabling environment", "改善生态系统恢复的体制性有利环境")),
        ("C", new("Plan and implement restoration", "规划和实施生态系统的恢复活动")),
        ("D", new("Monitor, evaluate, feed back and disseminate", "监测、评价、反馈和传播结果")),
    ];

    public static readonly IReadOnlyList<StaperStep> All =
    [
        new("A1", "A", new("Extent, type and drivers of degradation", "已退化生态系统的范围、类型、程度和地点以及退化的驱动因素")),
        new("A2", "A", new("Priority areas whose restoration contributes most to national targets", "确认并优先关注其恢复将为实现国家一级目标做出最大贡献的地理地区")),
        new("A3", "A", new("Participation of IPLC and stakeholders: prior and informed consent, gender balance", "土著人民和地方社区及相关利益攸关方的事先和知情同意以及充分和有效的参与，考虑到性别平衡")),
        new("A4", "A", new("Potential costs and multiple benefits", "生态系统恢复的潜在成本和多重惠益")),
        new("A5", "A", new("Institutional, policy and legal frameworks; resources and gaps", "相关体制、政策和法律框架，财政和技术资源与差距")),
        new("A6", "A", new("Drivers to reduce or remove; baselines", "减少或消除退化的驱动因素；确定基线")),
        new("B1", "B", new("Legal, policy and financial frameworks", "有关生态系统恢复的法律、政策和财政框架")),
        new("B2", "B", new("Land tenure and recognition of IPLC rights", "土地保有权及土著人民和地方社区的权利")),
        new("B3", "B", new("Land and marine spatial planning and zoning", "陆地和海洋空间规划进程和分区活动")),
        new("B4", "B", new("Safeguards against displacement, habitat loss and degradation, and risks to biodiversity and to IPLC", "减少移位、生境丧失和退化的风险以及生物多样性及土著人民和地方社区面临的其他风险的保障措施")),
        new("B5", "B", new("Restoration targets, policies and strategies", "生态系统恢复目标、政策和战略")),
        new("B6", "B", new("Accounting for ecosystems and their services", "生态系统及其服务价值的核算方法")),
        new("B7", "B", new("Economic and financial incentives; remove, phase out or reform harmful incentives", "推广经济和财政奖励并消除、淘汰或改革有害生物多样性的奖励")),
        new("B8", "B", new("Resource mobilisation strategy", "资源调动战略")),
        new("B9", "B", new("Capacity building, training, technology transfer", "能力建设、培训和技术转让")),
        new("C1", "C", new("Choose the most appropriate measures", "查明最适当的生态系统恢复措施")),
        new("C2", "C", new("Fit into landscape and seascape planning; effects on adjacent land and water (EIA, SEA)", "将恢复纳入陆地和海洋景观规划，通过环境影响评估和战略环境评估考虑对毗邻陆地和水域的影响")),
        new("C3", "C", new("Restoration plan with measurable goals", "有明确且可衡量目标和指标的生态系统恢复计划")),
        new("C4", "C", new("Tasks, schedule, budget and review protocol", "明确的实施任务、时间表和预算，以及按照特定间隔审查项目成功情况的议定书")),
        new("C5", "C", new("Implement the measures of the plan", "执行恢复计划中阐述的措施")),
        new("D1", "D", new("Evaluate the efficiency and impact of the restoration plan", "评估执行生态系统恢复计划的效率和影响")),
        new("D2", "D", new("Adaptive management", "通过适应性管理调整计划、预期、程序和监测")),
        new("D3", "D", new("Share lessons learned", "分享吸取的教训")),
    ];

    private static readonly Dictionary<string, StaperStep> ByCode = All.ToDictionary(s => s.Code, StringComparer.Ordinal);

    public static bool IsKnown(string code) => ByCode.ContainsKey(code);

    public static StaperStep Get(string code) =>
        ByCode.TryGetValue(code, out var step) ? step : throw new KeyNotFoundException($"Unknown STAPER step '{code}'.");

    public static StaperStep? Find(string code) => ByCode.GetValueOrDefault(code);

    public static LocalizedText GroupLabel(string group) =>
        Groups.FirstOrDefault(g => g.Group == group).Label ?? new LocalizedText(group, group);
}
