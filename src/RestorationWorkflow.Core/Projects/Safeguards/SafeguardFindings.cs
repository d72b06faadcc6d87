using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Projects.Safeguards;

/// <summary>Whether a finding stops the plan going to review (blocking) or is shown to the team and the reviewer (warning).</summary>
public enum FindingSeverity
{
    Blocking,
    Warning,
}

/// <summary>Where a finding stands: nothing recorded, a justification recorded, or that justification acknowledged by an approver.</summary>
public enum FindingStatus
{
    Open,
    Justified,
    Acknowledged,
}

/// <summary>
/// A finding the app derives from a project's data against a safeguard of Appendix I. Its <see cref="Id"/> is stable
/// (<c>grassland-planting</c>, <c>non-native:{speciesId}</c>…) so an acknowledgement can name it.
/// </summary>
public sealed record SafeguardFinding(
    string Id, int Safeguard, FindingSeverity Severity, FindingStatus Status, bool NeedsAcknowledgement, LocalizedText Message,
    SafeguardAcknowledgement? Acknowledgement = null)
{
    /// <summary>Settled: acknowledged, or justified where no acknowledgement is needed.</summary>
    public bool Cleared => Status == FindingStatus.Acknowledged || (Status == FindingStatus.Justified && !NeedsAcknowledgement);

    /// <summary>What the <c>safeguardsCleared</c> guard refuses: a blocking finding not cleared.</summary>
    public bool Blocks => Severity == FindingSeverity.Blocking && !Cleared;
}

/// <summary>A site as the rules see it.</summary>
public sealed record SafeguardSite(Guid Id, string Name, string EcosystemType);

/// <summary>Everything the findings are derived from, loaded fresh each time.</summary>
public sealed record SafeguardFacts(
    IReadOnlyList<string> ProjectEcosystemTypes,
    bool NaturallyLowTreeCover,
    IReadOnlyList<SafeguardSite> Sites,
    SafeguardReview? Review,
    IReadOnlyList<SafeguardAnswer> Answers,
    IReadOnlyList<PlannedSpecies> Species,
    IReadOnlyList<SafeguardAcknowledgement> Acknowledgements);

/// <summary>
/// The rules the app checks itself against Appendix I (decision 0025). Findings are never stored: they are derived
/// from the current data each time, so a change to a site, the registry or a species shows at once.
/// </summary>
public static class SafeguardRules
{
    public const string GrasslandPlanting = "grassland-planting";
    public const string PlantingQuestion = "planting-question";
    public const string NaturalRegeneration = "natural-regeneration";
    public const string Connectivity = "connectivity";
    public const string Disturbance = "disturbance";
    public const string NonNativePrefix = "non-native:";
    public const string LocalProvenancePrefix = "local-provenance:";

    /// <summary>Ecosystem types where afforestation is to be avoided (safeguard 2), besides a naturally low tree cover.</summary>
    public static readonly IReadOnlySet<string> OpenEcosystemTypes = new HashSet<string>(StringComparer.Ordinal) { "grassland", "savanna" };

    /// <summary>The findings that need an approver's acknowledgement once justified.</summary>
    public static bool NeedsAcknowledgement(string findingId) => findingId == GrasslandPlanting;

    public static IReadOnlyList<SafeguardFinding> Findings(SafeguardFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var findings = new List<SafeguardFinding>();
        var answers = facts.Answers.ToDictionary(a => a.Number);
        var plans = facts.Review?.PlansPlantingOrAfforestation;
        var open = OpenLand(facts);

        if (open.En.Count > 0 && plans is null)
        {
            findings.Add(new(PlantingQuestion, AppendixI.Grasslands, FindingSeverity.Blocking, FindingStatus.Open, false, new(
                $"Say in the safeguard review whether the plan plants trees or afforests: {string.Join("; ", open.En)}.",
                $"请在保障措施审查中说明计划是否植树或造林：{string.Join("；", open.Zh)}。")));
        }
        if (open.En.Count > 0 && plans == true)
        {
            var justification = facts.Review!.PlantingJustification;
            var hash = SafeguardReview.HashOf(justification);
            var acknowledgement = facts.Acknowledgements.Where(a => a.FindingId == GrasslandPlanting).OrderBy(a => a.At).LastOrDefault();
            var valid = hash is not null && acknowledgement is not null && acknowledgement.JustificationSha256 == hash;
            var status = hash is null ? FindingStatus.Open : valid ? FindingStatus.Acknowledged : FindingStatus.Justified;
            findings.Add(new(GrasslandPlanting, AppendixI.Grasslands, FindingSeverity.Blocking, status, true, new(
                $"The plan plants trees or afforests where afforestation is to be avoided: {string.Join("; ", open.En)}. It needs a recorded justification, acknowledged by an approver.",
                $"计划在应避免植树造林的地方植树或造林：{string.Join("；", open.Zh)}。需要记录理由，并由审批人确认。"),
                valid ? acknowledgement : null));
        }

        var plantsOrReintroduces = plans == true || facts.Species.Count > 0;
        if (!SafeguardAnswers.Settles(answers.GetValueOrDefault(AppendixI.NaturalRegeneration)?.Answer))
        {
            findings.Add(new(NaturalRegeneration, AppendixI.NaturalRegeneration,
                plantsOrReintroduces ? FindingSeverity.Blocking : FindingSeverity.Warning, FindingStatus.Open, false,
                plantsOrReintroduces
                    ? new("The plan plants or reintroduces species but does not say whether natural regeneration was considered (safeguard 6): answer it in the safeguard review.",
                        "计划种植或再引进物种，但未说明是否考虑了自然再生（保障措施 6）：请在保障措施审查中作答。")
                    : new("Say whether natural regeneration was considered (safeguard 6) in the safeguard review.",
                        "请在保障措施审查中说明是否考虑了自然再生（保障措施 6）。")));
        }
        if (!SafeguardAnswers.Settles(answers.GetValueOrDefault(AppendixI.Connectivity)?.Answer))
        {
            findings.Add(new(Connectivity, AppendixI.Connectivity, FindingSeverity.Warning, FindingStatus.Open, false, new(
                "Say how the sites connect with protected areas and other refuges for species (safeguard 8) in the safeguard review.",
                "请在保障措施审查中说明各地块如何与保护区及其他物种避难所相链接（保障措施 8）。")));
        }
        if (!SafeguardAnswers.Settles(answers.GetValueOrDefault(AppendixI.DisturbanceRegimes)?.Answer))
        {
            findings.Add(new(Disturbance, AppendixI.DisturbanceRegimes, FindingSeverity.Warning, FindingStatus.Open, false, new(
                "Say how natural and traditional disturbance regimes such as fire or grazing are part of the restoration (safeguard 3) in the safeguard review.",
                "请在保障措施审查中说明焚烧或放牧等自然和传统的干扰机制如何成为恢复活动的一部分（保障措施 3）。")));
        }

        foreach (var species in facts.Species.OrderBy(s => s.CreatedAt))
        {
            if (!species.Native)
            {
                var justified = !string.IsNullOrWhiteSpace(species.PrecautionaryJustification);
                findings.Add(new(NonNativePrefix + species.Id, AppendixI.AlienSpecies, FindingSeverity.Blocking,
                    justified ? FindingStatus.Justified : FindingStatus.Open, false, justified
                        ? new($"'{species.ScientificName}' is not native; its precautionary justification is recorded.",
                            $"“{species.ScientificName}”不是本地物种；已记录其谨慎办法理由。")
                        : new($"'{species.ScientificName}' is not native: record a precautionary justification (precautionaryJustification) or plant a native species instead.",
                            $"“{species.ScientificName}”不是本地物种：请记录谨慎办法理由（precautionaryJustification），或改用本地物种。")));
            }
            if (species.Provenance != SpeciesProvenances.Local)
            {
                var label = SpeciesProvenances.Label(species.Provenance);
                findings.Add(new(LocalProvenancePrefix + species.Id, AppendixI.LocallyAdaptedNatives, FindingSeverity.Warning, FindingStatus.Open, false, new(
                    $"The stock of '{species.ScientificName}' is of {label.En.ToLowerInvariant()} provenance, not local: safeguard 7 asks for locally adapted stock.",
                    $"“{species.ScientificName}”的种源为{label.ZhHans}，而非本地：保障措施 7 要求使用本地场地适应的种源。")));
            }
        }
        return findings;
    }

    /// <summary>Where afforestation is to be avoided: the project's own types and tree cover, and each such site.</summary>
    private static (List<string> En, List<string> Zh) OpenLand(SafeguardFacts facts)
    {
        var en = new List<string>();
        var zh = new List<string>();
        var types = facts.ProjectEcosystemTypes.Where(OpenEcosystemTypes.Contains).Select(EcosystemTypes.Label).ToList();
        if (types.Count > 0)
        {
            en.Add($"the project is {string.Join(" and ", types.Select(t => t.En.ToLowerInvariant()))}");
            zh.Add($"项目的生态系统类型为{string.Join("和", types.Select(t => t.ZhHans))}");
        }
        if (facts.NaturallyLowTreeCover)
        {
            en.Add("the project is naturally low in tree cover");
            zh.Add("项目区天然林木覆盖率低");
        }
        foreach (var site in facts.Sites.Where(s => OpenEcosystemTypes.Contains(s.EcosystemType)))
        {
            var label = EcosystemTypes.Label(site.EcosystemType);
            en.Add($"site '{site.Name}' is {label.En.ToLowerInvariant()}");
            zh.Add($"地块“{site.Name}”为{label.ZhHans}");
        }
        return (en, zh);
    }
}
