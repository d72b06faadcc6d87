using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Projects;

/// <summary>The ecosystem types of the plan's scope (paragraph 5 of the annex), with their Chinese names from it.</summary>
public static class EcosystemTypes
{
    public static readonly IReadOnlyList<(string Code, LocalizedText Label)> All =
    [
        ("forest", new("Forest", "森林")),
        ("grassland", new("Grassland", "草地")),
        ("cropland", new("Cropland", "耕地")),
        ("wetland", new("Wetland", "湿地")),
        ("savanna", new("Savanna", "草原")),
        ("otherTerrestrial", new("Other terrestrial", "其他陆地生态系统")),
        ("inlandWater", new("Inland water", "内陆水域生态系统")),
        ("marineCoastal", new("Marine and coastal", "海洋和沿海生态系统")),
        // Paragraph 5 of the decision itself: "将礁和沿海生态系统的恢复纳入行动计划".
        ("reefs", new("Reefs", "礁")),
        ("urban", new("Urban", "城市环境")),
    ];

    public static bool IsKnown(string code) => All.Any(t => t.Code == code);

    public static LocalizedText Label(string code) => All.FirstOrDefault(t => t.Code == code).Label ?? new LocalizedText(code, code);
}
