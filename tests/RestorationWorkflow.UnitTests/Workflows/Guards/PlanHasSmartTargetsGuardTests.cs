using RestorationWorkflow.Identity;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Projects.Targets;
using RestorationWorkflow.UnitTests.TestSupport;
using RestorationWorkflow.Workflows;
using RestorationWorkflow.Workflows.Guards;

namespace RestorationWorkflow.UnitTests.Workflows.Guards;

/// <summary><c>planHasSmartTargets</c>: one complete target of each kind; the reason names what is missing in both languages.</summary>
public sealed class PlanHasSmartTargetsGuardTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly Caller Manager = new("pm-1", "Wang Fang", new HashSet<string> { AppRoles.ProjectManager });

    private static readonly TargetDetails Biomass = new(TargetKinds.Environmental, "vegetationBiomass", null, "t/ha",
        new TargetBaseline(40m, new DateOnly(2025, 6, 1), "Plot survey"), TargetActions.Increase, 50m, true, new DateOnly(2031, 6, 30), 12, []);

    private static readonly TargetDetails Jobs = new(TargetKinds.SocioEconomic, "jobsCreated", null, "jobs",
        new TargetBaseline(0m, new DateOnly(2025, 6, 1), "Labour office"), TargetActions.Increase, 40m, false, new DateOnly(2030, 12, 31), 6, []);

    private static LocalizedText? Evaluate(int? lifespanYears, params TargetDetails[] targets)
    {
        var project = Project.Create(new ProjectDetails("P", "d", "KE", ["forest"], 1), TestWorkflows.Staper, Manager.UserId, Now,
            new ProjectRegistry("KE-2026-001", "", null, false, null, new DateOnly(2026, 3, 1), lifespanYears, null, null, ""));
        var definition = TestWorkflows.Staper;
        var transition = definition.FindTransition("Planning", "SubmitPlan")!;
        var data = new GuardData();
        data.Set(TargetGuardData.Targets, new ProjectTargets(targets, new HashSet<Guid>()));
        var guard = new GuardDefinition { Type = "planHasSmartTargets" };
        return new PlanHasSmartTargetsGuard().Evaluate(new GuardContext(project, definition, transition, Manager, null, data), guard);
    }

    [Fact]
    public void One_complete_target_of_each_kind_meets_it() => Assert.Null(Evaluate(10, Biomass, Jobs));

    [Fact]
    public void Without_targets_both_kinds_are_named_in_both_languages()
    {
        var reason = Evaluate(10)!;

        Assert.Equal("Add a complete environmental target (indicator, baseline, action, quantity, deadline). "
            + "Add a complete socio-economic target (indicator, baseline, action, quantity, deadline).", reason.En);
        Assert.Equal("请添加一个完整的环境目标（指标、基线、行动、数量、时限）。请添加一个完整的社会经济目标（指标、基线、行动、数量、时限）。", reason.ZhHans);
    }

    [Fact]
    public void Only_the_missing_kind_is_named()
    {
        var reason = Evaluate(10, Biomass)!;
        Assert.Equal("Add a complete socio-economic target (indicator, baseline, action, quantity, deadline).", reason.En);
        Assert.Equal("请添加一个完整的社会经济目标（指标、基线、行动、数量、时限）。", reason.ZhHans);
        Assert.Equal("Add a complete environmental target (indicator, baseline, action, quantity, deadline).", Evaluate(10, Jobs)!.En);
    }

    [Fact]
    public void A_target_that_no_longer_fits_the_lifespan_is_not_complete_and_the_reason_says_why()
    {
        var reason = Evaluate(5, Biomass, Jobs)!;

        Assert.StartsWith("No environmental target is complete: \"Increase vegetation biomass by 50 % by 2031-06-30\" — deadline: ", reason.En, StringComparison.Ordinal);
        Assert.Contains("没有完整的环境目标", reason.ZhHans, StringComparison.Ordinal);
        Assert.DoesNotContain("socio-economic", reason.En, StringComparison.Ordinal);
    }

    [Fact]
    public void A_target_on_a_removed_site_is_not_complete()
    {
        var onSite = Biomass with { SiteIds = [Guid.NewGuid()] };

        Assert.Contains("siteIds[0]", Evaluate(10, onSite, Jobs)!.En, StringComparison.Ordinal);
        Assert.Null(Evaluate(10, onSite, Biomass, Jobs));
    }
}
