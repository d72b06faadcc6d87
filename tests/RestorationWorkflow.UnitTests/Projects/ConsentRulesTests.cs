using System.Text.Json;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Workflows;
using RestorationWorkflow.Workflows.Guards;

namespace RestorationWorkflow.UnitTests.Projects;

/// <summary>The consent rule of <c>consentGranted</c>: the latest record per IPLC stakeholder and scope decides.</summary>
public sealed class ConsentRulesTests
{
    private static readonly ConsentStakeholder Ogiek = new(Guid.NewGuid(), "Ogiek");
    private static readonly ConsentStakeholder Maasai = new(Guid.NewGuid(), "Maasai");
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);
    private static readonly DateTimeOffset T0 = new(2026, 4, 1, 0, 0, 0, TimeSpan.Zero);

    private static ConsentFact Fact(ConsentStakeholder s, string outcome, int day, params string[] scopes) =>
        new(s.Id, scopes, outcome, new DateOnly(2026, 4, day), T0.AddDays(day));

    [Fact]
    public void NoIplcStakeholder_NothingIsMissing() =>
        Assert.Empty(ConsentRules.Missing([], [], ConsentScopes.Plan));

    [Fact]
    public void EachIplcStakeholderNeedsGrantedOrConditionalConsentForTheScope()
    {
        var facts = new[] { Fact(Ogiek, "granted", 1, "assessment", "plan"), Fact(Maasai, "conditional", 2, "assessment") };
        Assert.Empty(ConsentRules.Missing([Ogiek, Maasai], facts, ConsentScopes.Assessment));
        Assert.Equal([Maasai], ConsentRules.Missing([Ogiek, Maasai], facts, ConsentScopes.Plan));
        Assert.Equal([Ogiek, Maasai], ConsentRules.Missing([Ogiek, Maasai], facts, ConsentScopes.Implementation));
    }

    [Fact]
    public void TheLatestRecordDecides_AWithdrawalUntilConsentIsGivenAgainAfterIt()
    {
        var withdrawn = new ConsentFact(Ogiek.Id, ["plan"], "withdrawn", new DateOnly(2026, 5, 10), T0.AddDays(40));
        Assert.False(ConsentRules.Permits([Fact(Ogiek, "granted", 1, "plan"), withdrawn], Ogiek.Id, "plan"));
        Assert.False(ConsentRules.Permits([Fact(Ogiek, "granted", 1, "plan"), withdrawn, Fact(Ogiek, "granted", 9, "plan")], Ogiek.Id, "plan"));
        var again = new ConsentFact(Ogiek.Id, ["plan"], "granted", new DateOnly(2026, 6, 1), T0.AddDays(60));
        Assert.True(ConsentRules.Permits([Fact(Ogiek, "granted", 1, "plan"), withdrawn, again], Ogiek.Id, "plan"));
        Assert.False(ConsentRules.Permits([Fact(Ogiek, "granted", 1, "plan"), Fact(Ogiek, "withheld", 2, "plan")], Ogiek.Id, "plan"));
    }

    [Fact]
    public void OnTheSameDate_TheRecordRecordedLaterDecides_WhateverTheOrderGiven()
    {
        var date = new DateOnly(2026, 4, 5);
        var granted = new ConsentFact(Ogiek.Id, ["plan"], "granted", date, T0);
        var withheld = new ConsentFact(Ogiek.Id, ["plan"], "withheld", date, T0.AddHours(1));
        Assert.False(ConsentRules.Permits([granted, withheld], Ogiek.Id, "plan"));
        Assert.False(ConsentRules.Permits([withheld, granted], Ogiek.Id, "plan"));
        var grantedLater = granted with { RecordedAt = T0.AddHours(2) };
        Assert.True(ConsentRules.Permits([grantedLater, withheld], Ogiek.Id, "plan"));
        Assert.True(ConsentRules.Permits([withheld, grantedLater], Ogiek.Id, "plan"));
    }

    [Fact]
    public void AnotherStakeholdersConsent_OrConsentForAnotherScope_DoesNotCount()
    {
        var facts = new[] { Fact(Maasai, "granted", 1, "plan"), Fact(Ogiek, "granted", 1, "assessment") };
        Assert.False(ConsentRules.Permits(facts, Ogiek.Id, "plan"));
        Assert.Equal([Ogiek], ConsentRules.Missing([Ogiek, Maasai], facts, ConsentScopes.Plan));
    }

    [Theory]
    [InlineData("Assessment", "assessment")]
    [InlineData("ConsentReview", "assessment")]
    [InlineData("EnablingEnvironment", "plan")]
    [InlineData("PlanReview", "plan")]
    [InlineData("Monitoring", "implementation")]
    [InlineData("Draft", null)]
    public void CurrentScope_FollowsTheState(string state, string? scope) => Assert.Equal(scope, ConsentScopes.OfState(state));

    [Theory]
    [InlineData("""{"type":"consentGranted","scope":"plan"}""", 0)]
    [InlineData("""{"type":"consentGranted","scope":"current"}""", 0)]
    [InlineData("""{"type":"consentGranted","scope":"harvest"}""", 1)]
    [InlineData("""{"type":"consentGranted"}""", 1)]
    public void ConsentGranted_ChecksItsScope(string json, int problems) =>
        Assert.Equal(problems, new ConsentGrantedGuard().ValidateParameters(JsonSerializer.Deserialize<GuardDefinition>(json, Web)!).Count());

    [Theory]
    [InlineData("""{"type":"participationRecorded","steps":["A2","A3"]}""", 0)]
    [InlineData("""{"type":"participationRecorded","steps":[]}""", 1)]
    [InlineData("""{"type":"participationRecorded","steps":["Z1"]}""", 1)]
    public void ParticipationRecorded_ChecksItsSteps(string json, int problems) =>
        Assert.Equal(problems, new ParticipationRecordedGuard().ValidateParameters(JsonSerializer.Deserialize<GuardDefinition>(json, Web)!).Count());
}
