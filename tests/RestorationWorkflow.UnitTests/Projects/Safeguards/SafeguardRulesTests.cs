using RestorationWorkflow.Identity;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Projects.Safeguards;
using RestorationWorkflow.UnitTests.TestSupport;
using RestorationWorkflow.Workflows;
using RestorationWorkflow.Workflows.Guards;

namespace RestorationWorkflow.UnitTests.Projects.Safeguards;

/// <summary>The findings derived from a project's data against Appendix I, and the <c>safeguardsCleared</c> guard reading them.</summary>
public class SafeguardRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly Guid ProjectId = Guid.CreateVersion7();
    private const string Justification = "Woodlots on former cropland only.";

    private static SafeguardReview Review(bool? plans, string? justification = null)
    {
        var review = new SafeguardReview(ProjectId);
        review.Update(plans, justification, Now);
        return review;
    }

    private static List<SafeguardAnswer> Answered(params int[] numbers) =>
        [.. numbers.Select(n => { var a = new SafeguardAnswer(ProjectId, n); a.Update(SafeguardAnswers.Addressed, "ok", Now); return a; })];

    private static SafeguardFacts Facts(
        string[]? types = null, bool lowTreeCover = false, SafeguardSite[]? sites = null, SafeguardReview? review = null,
        List<SafeguardAnswer>? answers = null, PlannedSpecies[]? species = null, SafeguardAcknowledgement[]? acks = null) =>
        new(types ?? ["forest"], lowTreeCover, sites ?? [], review, answers ?? Answered(3, 6, 8), species ?? [], acks ?? []);

    private static Dictionary<string, SafeguardFinding> Findings(SafeguardFacts facts) => SafeguardRules.Findings(facts).ToDictionary(f => f.Id);

    private static SafeguardAcknowledgement Ack(string? justification) =>
        new(ProjectId, SafeguardRules.GrasslandPlanting, SafeguardReview.HashOf(justification)!, "Checked.", "approver-1", "Li Wei", Now);

    [Theory]
    [InlineData("grassland", false, null)]
    [InlineData("savanna", false, null)]
    [InlineData("forest", true, null)]
    [InlineData("forest", false, "savanna")]
    [InlineData("forest", false, "grassland")]
    public void Planting_where_afforestation_is_to_be_avoided_is_a_blocking_finding_on_safeguard_2(string type, bool lowTreeCover, string? siteType)
    {
        SafeguardSite[] sites = siteType is null ? [] : [new(Guid.NewGuid(), "North block", siteType)];
        var finding = Findings(Facts([type], lowTreeCover, sites, Review(true)))[SafeguardRules.GrasslandPlanting];
        Assert.Equal((FindingSeverity.Blocking, FindingStatus.Open, 2, true), (finding.Severity, finding.Status, finding.Safeguard, finding.Blocks));
    }

    [Fact]
    public void No_planting_or_no_open_land_raises_no_grassland_finding()
    {
        Assert.DoesNotContain(SafeguardRules.GrasslandPlanting, Findings(Facts(["grassland"], review: Review(false))).Keys);
        Assert.DoesNotContain(SafeguardRules.GrasslandPlanting, Findings(Facts(["forest", "wetland"], sites: [new(Guid.NewGuid(), "Bog", "wetland")], review: Review(true))).Keys);
    }

    [Fact]
    public void A_justification_alone_still_blocks_an_acknowledgement_of_it_clears_and_a_changed_text_blocks_again()
    {
        var justified = Findings(Facts(["grassland"], review: Review(true, Justification)))[SafeguardRules.GrasslandPlanting];
        Assert.Equal(FindingStatus.Justified, justified.Status);
        Assert.True(justified.Blocks);

        var acknowledged = Findings(Facts(["grassland"], review: Review(true, Justification), acks: [Ack(Justification)]))[SafeguardRules.GrasslandPlanting];
        Assert.Equal(FindingStatus.Acknowledged, acknowledged.Status);
        Assert.False(acknowledged.Blocks);
        Assert.Equal("Li Wei", acknowledged.Acknowledgement!.UserName);

        var changed = Findings(Facts(["grassland"], review: Review(true, Justification + " And more."), acks: [Ack(Justification)]))[SafeguardRules.GrasslandPlanting];
        Assert.Equal(FindingStatus.Justified, changed.Status);
        Assert.Null(changed.Acknowledgement);
    }

    [Fact]
    public void Unanswered_planting_question_blocks_only_where_the_land_is_open()
    {
        Assert.True(Findings(Facts(["savanna"], review: null))[SafeguardRules.PlantingQuestion].Blocks);
        Assert.DoesNotContain(SafeguardRules.PlantingQuestion, Findings(Facts(["forest"], review: null)).Keys);
    }

    [Fact]
    public void Species_findings_non_native_blocks_until_justified_and_provenance_not_local_warns()
    {
        var alien = PlannedSpecies.Create(ProjectId, new SpeciesDetails("Grevillea robusta", null, false, "other", null), Now);
        var justifiedAlien = PlannedSpecies.Create(ProjectId, new SpeciesDetails("Casuarina equisetifolia", null, false, SpeciesProvenances.Local, "Dune stabilisation, sterile clones."), Now);
        var native = PlannedSpecies.Create(ProjectId, new SpeciesDetails("Acacia tortilis", null, true, SpeciesProvenances.Local, null), Now);
        var findings = Findings(Facts(review: Review(true), species: [alien, justifiedAlien, native]));

        Assert.True(findings[$"non-native:{alien.Id}"].Blocks);
        Assert.Equal(9, findings[$"non-native:{alien.Id}"].Safeguard);
        Assert.Equal(FindingStatus.Justified, findings[$"non-native:{justifiedAlien.Id}"].Status);
        Assert.False(findings[$"non-native:{justifiedAlien.Id}"].Blocks);
        Assert.Equal((FindingSeverity.Warning, 7), (findings[$"local-provenance:{alien.Id}"].Severity, findings[$"local-provenance:{alien.Id}"].Safeguard));
        Assert.DoesNotContain(findings.Keys, k => k.EndsWith(native.Id.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public void Natural_regeneration_blocks_when_the_plan_plants_or_lists_species_and_warns_otherwise()
    {
        Assert.Equal(FindingSeverity.Warning, Findings(Facts(review: Review(false), answers: []))[SafeguardRules.NaturalRegeneration].Severity);
        Assert.Equal(FindingSeverity.Blocking, Findings(Facts(review: Review(true), answers: []))[SafeguardRules.NaturalRegeneration].Severity);
        var species = PlannedSpecies.Create(ProjectId, new SpeciesDetails("Acacia tortilis", null, true, SpeciesProvenances.Local, null), Now);
        Assert.Equal(FindingSeverity.Blocking, Findings(Facts(review: Review(false), answers: [], species: [species]))[SafeguardRules.NaturalRegeneration].Severity);

        var none = Findings(Facts(review: Review(false), answers: []));
        Assert.Equal((FindingSeverity.Warning, 8), (none[SafeguardRules.Connectivity].Severity, none[SafeguardRules.Connectivity].Safeguard));
        Assert.Equal((FindingSeverity.Warning, 3), (none[SafeguardRules.Disturbance].Severity, none[SafeguardRules.Disturbance].Safeguard));

        var notYet = new SafeguardAnswer(ProjectId, 6);
        notYet.Update(SafeguardAnswers.NotYet, null, Now);
        Assert.Contains(SafeguardRules.NaturalRegeneration, Findings(Facts(review: Review(false), answers: [notYet])).Keys);
        var notApplicable = new SafeguardAnswer(ProjectId, 6);
        notApplicable.Update(SafeguardAnswers.NotApplicable, "No degraded land left to regenerate.", Now);
        Assert.DoesNotContain(SafeguardRules.NaturalRegeneration, Findings(Facts(review: Review(false), answers: [notApplicable])).Keys);
    }

    [Fact]
    public void AppendixI_has_nine_safeguards_each_in_both_languages()
    {
        Assert.Equal(Enumerable.Range(1, 9), AppendixI.All.Select(s => s.Number));
        Assert.All(AppendixI.All, s => Assert.False(string.IsNullOrWhiteSpace(s.Text.ZhHans) || string.IsNullOrWhiteSpace(s.Title.ZhHans) || string.IsNullOrWhiteSpace(s.Text.En)));
    }

    [Fact]
    public void Guard_lists_each_open_blocking_finding_in_both_languages_and_ignores_warnings()
    {
        var definition = TestWorkflows.Staper;
        var transition = definition.FindTransition("Planning", "SubmitPlan")!;
        var caller = new Caller("pm-1", "Wang Fang", new HashSet<string> { AppRoles.ProjectManager });
        var project = Project.Create(new ProjectDetails("P", "d", "KE", ["grassland"], 1), definition, caller.UserId, Now);
        var alien = PlannedSpecies.Create(ProjectId, new SpeciesDetails("Grevillea robusta", null, false, "other", null), Now);

        LocalizedText? Evaluate(SafeguardFacts facts)
        {
            var data = new GuardData();
            data.Set(SafeguardGuardData.Findings, SafeguardRules.Findings(facts));
            return new SafeguardsClearedGuard().Evaluate(new GuardContext(project, definition, transition, caller, null, data), new GuardDefinition { Type = "safeguardsCleared" });
        }

        var reason = Evaluate(Facts(["grassland"], review: Review(true, Justification), species: [alien]))!;
        Assert.Contains("[grassland-planting, safeguard 2:", reason.En, StringComparison.Ordinal);
        Assert.Contains($"[non-native:{alien.Id}, safeguard 9:", reason.En, StringComparison.Ordinal);
        Assert.Contains("waits for an approver's acknowledgement", reason.En, StringComparison.Ordinal);
        Assert.DoesNotContain("local-provenance", reason.En, StringComparison.Ordinal);
        Assert.Contains("【grassland-planting，保障措施 2：", reason.ZhHans, StringComparison.Ordinal);
        Assert.Contains("正等待审批人确认", reason.ZhHans, StringComparison.Ordinal);

        Assert.Null(Evaluate(Facts(["grassland"], review: Review(true, Justification), acks: [Ack(Justification)], answers: Answered(6))));
    }

    [Fact]
    public void Guard_takes_no_parameters()
    {
        var guard = new GuardDefinition { Type = "safeguardsCleared", Parameters = { ["steps"] = System.Text.Json.JsonDocument.Parse("[]").RootElement } };
        Assert.Equal(["steps"], new SafeguardsClearedGuard().ValidateParameters(guard).Select(p => p.Parameter));
    }
}
