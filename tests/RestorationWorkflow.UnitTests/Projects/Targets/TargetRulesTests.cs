using RestorationWorkflow.Projects.Targets;

namespace RestorationWorkflow.UnitTests.Projects.Targets;

/// <summary>Each rule of a SMART target, named by its field, and the defaults a valid target takes.</summary>
public sealed class TargetRulesTests
{
    private static readonly Guid OwnSite = Guid.Parse("0193a000-0000-7000-8000-000000000001");

    /// <summary>A project that started on 2026-03-01 for 10 years (to 2036-03-01) with one site.</summary>
    private static readonly TargetProjectFacts Project = new(new DateOnly(2026, 3, 1), 10, new HashSet<Guid> { OwnSite });

    private static TargetInput Valid() => new(
        TargetKinds.Environmental, "vegetationBiomass", null, null, new TargetBaselineInput(40m, new DateOnly(2025, 6, 1), "Plot survey"),
        TargetActions.Increase, 50m, true, new DateOnly(2031, 6, 30), 12, [OwnSite]);

    private static void BreaksOnly(TargetInput input, string field, string? enContains = null, TargetProjectFacts? project = null)
    {
        var errors = TargetRules.Check(input, project ?? Project);
        Assert.Equal([field], errors.Keys);
        if (enContains is not null)
            Assert.Contains(enContains, errors[field].En, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(errors[field].ZhHans));
        Assert.NotEqual(errors[field].En, errors[field].ZhHans);
    }

    [Fact]
    public void A_valid_target_is_complete_and_takes_the_catalogue_unit()
    {
        Assert.Empty(TargetRules.Check(Valid(), Project));
        Assert.Equal("t/ha", TargetRules.Normalize(Valid(), Project).Unit);
    }

    [Fact]
    public void A_baseline_is_required() => BreaksOnly(Valid() with { Baseline = null }, "baseline", "baseline is required");

    [Fact]
    public void A_baseline_value_is_required() => BreaksOnly(Valid() with { Baseline = Valid().Baseline! with { Value = null } }, "baseline.value");

    [Fact]
    public void A_baseline_date_is_required() => BreaksOnly(Valid() with { Baseline = Valid().Baseline! with { Date = null } }, "baseline.date");

    [Fact]
    public void A_baseline_source_is_required_without_one_in_A6() =>
        BreaksOnly(Valid() with { Baseline = Valid().Baseline! with { Source = " " } }, "baseline.source", "A6");

    [Fact]
    public void A_missing_source_is_taken_from_A6()
    {
        var input = Valid() with { Baseline = Valid().Baseline! with { Source = null } };
        var project = Project with { A6BaselineSource = "1975 survey maps." };

        Assert.Empty(TargetRules.Check(input, project));
        Assert.Equal("1975 survey maps.", TargetRules.Normalize(input, project).Baseline.Source);
    }

    [Theory]
    [InlineData("increase", 0)]
    [InlineData("increase", -1)]
    [InlineData("reduce", 0)]
    [InlineData("reduce", -3)]
    public void The_quantity_to_reduce_or_increase_is_greater_than_zero(string action, int quantity) =>
        BreaksOnly(Valid() with { Action = action, Quantity = quantity }, "quantity", "greater than 0");

    [Fact]
    public void The_quantity_to_increase_is_required() => BreaksOnly(Valid() with { Quantity = null }, "quantity", "required");

    [Fact]
    public void A_percentage_reduction_is_at_most_100()
    {
        BreaksOnly(Valid() with { Action = TargetActions.Reduce, Quantity = 100.01m }, "quantity", "at most 100 %");
        Assert.Empty(TargetRules.Check(Valid() with { Action = TargetActions.Reduce, Quantity = 100m }, Project));
        Assert.Empty(TargetRules.Check(Valid() with { Action = TargetActions.Increase, Quantity = 250m }, Project));
    }

    [Fact]
    public void An_absolute_reduction_is_at_most_the_baseline() =>
        BreaksOnly(Valid() with { Action = TargetActions.Reduce, QuantityIsPercent = false, Quantity = 40.5m }, "quantity", "at most the baseline value (40)");

    [Fact]
    public void To_maintain_needs_no_quantity_but_refuses_a_negative_one()
    {
        Assert.Empty(TargetRules.Check(Valid() with { Action = TargetActions.Maintain, Quantity = null }, Project));
        BreaksOnly(Valid() with { Action = TargetActions.Maintain, Quantity = -1m }, "quantity");
    }

    [Theory]
    [InlineData("2036-03-02")]
    [InlineData("2026-03-01")]
    [InlineData("2026-02-01")]
    public void The_deadline_lies_within_the_projects_lifespan(string deadline) =>
        BreaksOnly(Valid() with { Deadline = DateOnly.Parse(deadline, System.Globalization.CultureInfo.InvariantCulture) }, "deadline", "within the project's lifespan");

    [Fact]
    public void The_last_day_of_the_lifespan_is_a_valid_deadline() =>
        Assert.Empty(TargetRules.Check(Valid() with { Deadline = new DateOnly(2036, 3, 1) }, Project));

    [Fact]
    public void Without_a_start_date_or_lifespan_the_deadline_cannot_be_checked_and_says_so()
    {
        BreaksOnly(Valid(), "deadline", "no start date and planned lifespan", Project with { LifespanYears = null });
        BreaksOnly(Valid(), "deadline", "no start date and planned lifespan", Project with { StartDate = null });
    }

    [Fact]
    public void The_deadline_comes_after_the_baseline_date() =>
        BreaksOnly(Valid() with { Baseline = Valid().Baseline! with { Date = new DateOnly(2031, 6, 30) } }, "deadline", "after the baseline date");

    [Fact]
    public void The_deadline_is_required() => BreaksOnly(Valid() with { Deadline = null }, "deadline", "required");

    [Fact]
    public void The_indicator_is_from_the_catalogue() => BreaksOnly(Valid() with { Indicator = "happiness" }, "indicator", "not in the indicator catalogue");

    [Fact]
    public void The_indicator_is_required() => BreaksOnly(Valid() with { Indicator = null }, "indicator", "required");

    [Fact]
    public void A_custom_indicator_needs_a_name_and_a_unit()
    {
        BreaksOnly(Valid() with { Indicator = IndicatorCatalogue.Custom, CustomIndicator = "Mangrove survival" }, "unit", "unit");
        BreaksOnly(Valid() with { Indicator = IndicatorCatalogue.Custom, Unit = "%" }, "customIndicator", "name");
        Assert.Empty(TargetRules.Check(Valid() with { Indicator = IndicatorCatalogue.Custom, CustomIndicator = "Mangrove survival", Unit = "%" }, Project));
    }

    [Fact]
    public void A_custom_name_is_refused_for_a_catalogue_indicator() =>
        BreaksOnly(Valid() with { CustomIndicator = "Biomass" }, "customIndicator", "only for indicator 'custom'");

    [Fact]
    public void The_kind_matches_the_catalogue_indicator()
    {
        BreaksOnly(Valid() with { Kind = TargetKinds.SocioEconomic }, "kind", "must be environmental");
        BreaksOnly(Valid() with { Kind = TargetKinds.Environmental, Indicator = "jobsCreated", QuantityIsPercent = false }, "kind", "must be socioEconomic");
    }

    [Fact]
    public void The_kind_is_known() => BreaksOnly(Valid() with { Kind = "spiritual" }, "kind", "not a kind");

    [Fact]
    public void The_action_is_known() => BreaksOnly(Valid() with { Action = "double" }, "action", "not an action");

    [Theory]
    [InlineData(null)]
    [InlineData(0)]
    [InlineData(121)]
    public void The_monitoring_frequency_is_1_to_120_months(int? months) =>
        BreaksOnly(Valid() with { MonitoringFrequencyMonths = months }, "monitoringFrequencyMonths", "monitoring frequency");

    [Fact]
    public void Sites_are_the_projects_own_named_once()
    {
        var stranger = Guid.NewGuid();
        BreaksOnly(Valid() with { SiteIds = [OwnSite, stranger] }, "siteIds[1]", $"no site {stranger}");
        BreaksOnly(Valid() with { SiteIds = [OwnSite, OwnSite] }, "siteIds[1]", "twice");
    }

    [Fact]
    public void Every_broken_rule_is_named_at_once()
    {
        var errors = TargetRules.Check(Valid() with { Baseline = null, Action = TargetActions.Reduce, Quantity = 120m, Deadline = new DateOnly(2040, 1, 1) }, Project);

        Assert.Equal(["baseline", "deadline", "quantity"], errors.Keys.Order(StringComparer.Ordinal));
    }
}
