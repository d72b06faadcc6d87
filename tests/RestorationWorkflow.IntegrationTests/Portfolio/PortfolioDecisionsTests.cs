using System.Net;
using System.Text.Json;
using RestorationWorkflow.IntegrationTests.Infrastructure;

namespace RestorationWorkflow.IntegrationTests.Portfolio;

/// <summary>
/// The dashboard's recent decisions: an adaptive-management decision (D2) is listed once, as the decision taken (not again
/// as the transition it fired), beside a loop back fired by hand, newest first.
/// </summary>
public sealed class PortfolioDecisionsTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task AnAdaptiveDecisionIsListedOnceAsTheDecision_AndALoopFiredByHandAsItsTransition()
    {
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        using var auditor = await app.ClientForAsync(DemoUsers.Auditor);

        // A loop back fired by hand: Implementation → Planning (AdaptPlan).
        var (byHand, _, _, handVersion) = await pm.MonitoredProjectAsync(app, "Implementation");
        await pm.FireAsync(byHand, "AdaptPlan", handVersion, "Costs doubled; the plan is revised.");

        // Then a D2 decision: revise the plan, from Evaluation.
        var (decided, version, _) = await pm.EvaluatedProjectAsync(app);
        await (await pm.DecideRawAsync(decided, "revisePlan", version)).ExpectAsync(HttpStatusCode.Created);

        var portfolio = await (await auditor.GetAsync("/api/portfolio")).ExpectAsync(HttpStatusCode.OK);
        var recent = portfolio.GetProperty("recentDecisions").EnumerateArray().ToList();
        var mine = recent.Where(d => d.Str("projectId") == decided.ToString() || d.Str("projectId") == byHand.ToString()).ToList();
        Assert.Equal(2, mine.Count);

        var decision = mine[0];
        Assert.Equal(decided.ToString(), decision.Str("projectId"));
        Assert.Equal("adaptive", decision.Str("kind"));
        Assert.Equal("revisePlan", decision.Str("decision"));
        Assert.Equal("Evaluation", decision.Str("fromState"));
        Assert.Equal("Planning", decision.Str("toState"));
        Assert.Equal("Revise the plan", decision.GetProperty("label").Str("en"));

        var loop = mine[1];
        Assert.Equal(byHand.ToString(), loop.Str("projectId"));
        Assert.Equal("feedback", loop.Str("kind"));
        Assert.Equal("AdaptPlan", loop.Str("decision"));
        Assert.True(decision.GetProperty("at").GetDateTimeOffset() >= loop.GetProperty("at").GetDateTimeOffset());
    }
}
