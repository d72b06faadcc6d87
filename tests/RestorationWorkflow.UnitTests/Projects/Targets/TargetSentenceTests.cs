using RestorationWorkflow.Projects.Targets;

namespace RestorationWorkflow.UnitTests.Projects.Targets;

/// <summary>A target read as one sentence in English and in Chinese, for each action, percentages and absolute quantities.</summary>
public sealed class TargetSentenceTests
{
    private static TargetDetails Target(string action, decimal? quantity, bool percent, string indicator = "vegetationBiomass", string unit = "t/ha",
        string? custom = null, decimal baseline = 40m) =>
        new(TargetKinds.Environmental, indicator, custom, unit, new TargetBaseline(baseline, new DateOnly(2025, 6, 1), "Plot survey"), action,
            quantity, percent, new DateOnly(2031, 6, 30), 12, []);

    [Theory]
    [InlineData("increase", "50", true, "Increase vegetation biomass by 50 % by 2031-06-30", "到 2031-06-30 将植被生物量增加 50%")]
    [InlineData("increase", "20.5", false, "Increase vegetation biomass by 20.5 t/ha by 2031-06-30", "到 2031-06-30 将植被生物量增加 20.5 吨/公顷")]
    [InlineData("reduce", "30", true, "Reduce vegetation biomass by 30 % by 2031-06-30", "到 2031-06-30 将植被生物量减轻 30%")]
    [InlineData("reduce", "10", false, "Reduce vegetation biomass by 10 t/ha by 2031-06-30", "到 2031-06-30 将植被生物量减轻 10 吨/公顷")]
    [InlineData("maintain", null, false, "Maintain vegetation biomass at the baseline of 40 t/ha until 2031-06-30", "到 2031-06-30 将植被生物量维持在基线水平 40 吨/公顷")]
    [InlineData("maintain", "45", false, "Maintain vegetation biomass at 45 t/ha until 2031-06-30", "到 2031-06-30 将植被生物量维持在 45 吨/公顷")]
    [InlineData("maintain", "5", true, "Maintain vegetation biomass within 5 % of the baseline of 40 t/ha until 2031-06-30", "到 2031-06-30 将植被生物量维持在基线（40 吨/公顷）上下 5% 以内")]
    public void Each_action_reads_in_both_languages(string action, string? quantity, bool percent, string en, string zh)
    {
        var sentence = TargetSentence.For(Target(action, quantity is null ? null : decimal.Parse(quantity, System.Globalization.CultureInfo.InvariantCulture), percent));

        Assert.Equal(en, sentence.En);
        Assert.Equal(zh, sentence.ZhHans);
    }

    [Fact]
    public void A_percentage_indicator_reads_with_the_sign_in_both_languages()
    {
        var sentence = TargetSentence.For(Target("increase", 15, false, "treeCover", "%"));

        Assert.Equal("Increase tree cover by 15 % by 2031-06-30", sentence.En);
        Assert.Equal("到 2031-06-30 将树木覆盖率增加 15%", sentence.ZhHans);
    }

    [Fact]
    public void A_socio_economic_indicator_uses_its_counting_word_in_Chinese()
    {
        var target = Target("increase", 40, false, "jobsCreated", "jobs") with { Kind = TargetKinds.SocioEconomic };

        var sentence = TargetSentence.For(target);

        Assert.Equal("Increase jobs created by 40 jobs by 2031-06-30", sentence.En);
        Assert.Equal("到 2031-06-30 将创造的就业岗位增加 40 个", sentence.ZhHans);
    }

    [Fact]
    public void A_custom_indicator_reads_with_its_own_label_and_unit()
    {
        var sentence = TargetSentence.For(Target("reduce", 2.75m, false, IndicatorCatalogue.Custom, "mg/L", "Nitrate in the river"));

        Assert.Equal("Reduce nitrate in the river by 2.75 mg/L by 2031-06-30", sentence.En);
        Assert.Equal("到 2031-06-30 将Nitrate in the river减轻 2.75 mg/L", sentence.ZhHans);
    }

    [Fact]
    public void An_acronym_keeps_its_capitals_mid_sentence()
    {
        var sentence = TargetSentence.For(Target("increase", 10, true, IndicatorCatalogue.Custom, "index", "NDVI"));

        Assert.Equal("Increase NDVI by 10 % by 2031-06-30", sentence.En);
    }

    [Fact]
    public void The_catalogue_has_ten_or_more_indicators_of_both_kinds_each_labelled_in_both_languages()
    {
        Assert.True(IndicatorCatalogue.All.Count >= 10);
        Assert.Contains(IndicatorCatalogue.All, i => i.Kind == TargetKinds.Environmental);
        Assert.Contains(IndicatorCatalogue.All, i => i.Kind == TargetKinds.SocioEconomic);
        Assert.All(IndicatorCatalogue.All, i =>
        {
            Assert.False(string.IsNullOrWhiteSpace(i.Label.En));
            Assert.False(string.IsNullOrWhiteSpace(i.Label.ZhHans));
            Assert.NotEqual(i.Label.En, i.Label.ZhHans);
            Assert.True(TargetKinds.IsKnown(i.Kind));
        });
        Assert.Equal(IndicatorCatalogue.All.Count, IndicatorCatalogue.All.Select(i => i.Code).Distinct().Count());
    }
}
