using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Projects.Targets;

/// <summary>The two kinds of restoration target the seed names (C3: "生态和社会经济目标").</summary>
public static class TargetKinds
{
    public const string Environmental = "environmental";
    public const string SocioEconomic = "socioEconomic";

    public static readonly IReadOnlyList<(string Code, LocalizedText Label)> All =
    [
        (Environmental, new("Environmental", "环境")),
        (SocioEconomic, new("Socio-economic", "社会经济")),
    ];

    public static bool IsKnown(string? code) => code is Environmental or SocioEconomic;

    public static LocalizedText Label(string code) => All.FirstOrDefault(k => k.Code == code).Label ?? new LocalizedText(code, code);
}

/// <summary>What a target does to its indicator: the seed's "减轻、增加、维持".</summary>
public static class TargetActions
{
    public const string Reduce = "reduce";
    public const string Increase = "increase";
    public const string Maintain = "maintain";

    public static readonly IReadOnlyList<(string Code, LocalizedText Label)> All =
    [
        (Increase, new("Increase", "增加")),
        (Reduce, new("Reduce", "减轻")),
        (Maintain, new("Maintain", "维持")),
    ];

    public static bool IsKnown(string? code) => code is Reduce or Increase or Maintain;

    public static LocalizedText Label(string code) => All.FirstOrDefault(a => a.Code == code).Label ?? new LocalizedText(code, code);
}

/// <summary>One indicator of the catalogue the app ships: a stable code, its kind, its default unit and its label.</summary>
public sealed record Indicator(string Code, string Kind, string Unit, LocalizedText Label);

/// <summary>
/// The indicators a target may measure without inventing one (C3: "植被的生物量、工作"; A4's co-benefits: water,
/// carbon capture and storage, jobs and livelihoods). A target may instead name a custom indicator with its unit.
/// </summary>
public static class IndicatorCatalogue
{
    /// <summary>The <c>indicator</c> value of a target whose indicator is not in the catalogue (its label is <c>customIndicator</c>).</summary>
    public const string Custom = "custom";

    public static readonly IReadOnlyList<Indicator> All =
    [
        new("treeCover", TargetKinds.Environmental, "%", new("Tree cover", "树木覆盖率")),
        new("vegetationBiomass", TargetKinds.Environmental, "t/ha", new("Vegetation biomass", "植被生物量")),
        new("nativeSpeciesRichness", TargetKinds.Environmental, "species", new("Native species richness", "本地物种丰富度")),
        new("soilOrganicCarbon", TargetKinds.Environmental, "t C/ha", new("Soil organic carbon", "土壤有机碳")),
        new("areaRestored", TargetKinds.Environmental, "ha", new("Area restored", "已恢复面积")),
        new("carbonCapturedAndStored", TargetKinds.Environmental, "t CO2e", new("Carbon captured and stored", "碳捕获和封存量")),
        new("soilLoss", TargetKinds.Environmental, "t/ha/yr", new("Soil loss by erosion", "土壤侵蚀流失量")),
        new("waterQualityIndex", TargetKinds.Environmental, "points", new("Water quality index", "水质指数")),
        new("waterTableDepth", TargetKinds.Environmental, "cm", new("Water table depth", "地下水位埋深")),
        new("invasiveAlienSpeciesCover", TargetKinds.Environmental, "%", new("Invasive alien species cover", "外来侵入物种覆盖率")),
        new("jobsCreated", TargetKinds.SocioEconomic, "jobs", new("Jobs created", "创造的就业岗位")),
        new("householdsBenefiting", TargetKinds.SocioEconomic, "households", new("Households benefiting", "受益家庭")),
        new("incomeFromRestoration", TargetKinds.SocioEconomic, "USD", new("Income from restoration", "来自恢复活动的收入")),
        new("peopleTrained", TargetKinds.SocioEconomic, "people", new("People trained", "接受培训的人员")),
        new("womenParticipating", TargetKinds.SocioEconomic, "people", new("Women participating", "参与的妇女")),
    ];

    public static Indicator? Find(string? code) => All.FirstOrDefault(i => i.Code == code);
}

/// <summary>How the catalogue's units read in each language; any other unit (a custom one) reads as written.</summary>
public static class TargetUnits
{
    private static readonly Dictionary<string, LocalizedText> Labels = new(StringComparer.Ordinal)
    {
        ["%"] = new("%", "%"),
        ["t/ha"] = new("t/ha", "吨/公顷"),
        ["species"] = new("species", "种"),
        ["t C/ha"] = new("t C/ha", "吨碳/公顷"),
        ["ha"] = new("ha", "公顷"),
        ["t CO2e"] = new("t CO2e", "吨二氧化碳当量"),
        ["t/ha/yr"] = new("t/ha/yr", "吨/公顷/年"),
        ["points"] = new("points", "分"),
        ["cm"] = new("cm", "厘米"),
        ["jobs"] = new("jobs", "个"),
        ["households"] = new("households", "户"),
        ["USD"] = new("USD", "美元"),
        ["people"] = new("people", "人"),
    };

    public static LocalizedText Label(string unit) => Labels.TryGetValue(unit, out var label) ? label : new LocalizedText(unit, unit);
}
