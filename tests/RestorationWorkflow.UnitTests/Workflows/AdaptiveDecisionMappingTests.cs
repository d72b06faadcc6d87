using System.Text.Json.Nodes;
using RestorationWorkflow.Workflows;
using static RestorationWorkflow.UnitTests.TestSupport.TestWorkflows;

namespace RestorationWorkflow.UnitTests.Workflows;

/// <summary>
/// The adaptive-management decisions (D2) as data in the definition (<c>adaptiveDecision</c> on a transition): STAPER v3
/// maps each of the six to its Evaluation transition, and the loader names file and JSON path for every mistake, so
/// start-up stops saying where.
/// </summary>
public sealed class AdaptiveDecisionMappingTests
{
    [Fact]
    public void StaperV3_MapsEachDecisionToItsTransitionFromEvaluation()
    {
        var map = AdaptiveDecisions.All.ToDictionary(d => d, d => StaperV3.FindDecision("Evaluation", d)?.Trigger, StringComparer.Ordinal);
        Assert.Equal(new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["continueMonitoring"] = "NextMonitoringCycle",
            ["adjustImplementation"] = "AdaptImplementation",
            ["revisePlan"] = "RevisePlan",
            ["revisitEnablingEnvironment"] = "AdaptEnablingEnvironment",
            ["reassess"] = "AdaptAssessment",
            ["close"] = "RequestClosure",
        }, map);
        Assert.Equal(["Evaluation"], StaperV3.DecisionStates().Select(s => s.Code));
        Assert.Empty(StaperV2.DecisionStates());
    }

    [Fact]
    public void ADecisionOfTheWrongKind_IsReportedAtItsPath()
    {
        var json = StaperV3Json();
        var index = TransitionIndex(json, "NextMonitoringCycle");
        json.Array("transitions")[index]!["adaptiveDecision"] = "close";
        var close = TransitionIndex(json, "RequestClosure");
        json.Array("transitions")[close]!.AsObject().Remove("adaptiveDecision");

        var problems = Problems(json);
        AssertProblem(problems, $"$.transitions[{index}].adaptiveDecision", "which is an advance transition, but its kind is feedback");
        AssertProblem(problems, $"$.states[{StateIndex(json, "Evaluation")}]", "none for continueMonitoring");
    }

    [Fact]
    public void ADecisionOfferedTwice_OrMissing_OrUnknown_IsReported()
    {
        var json = StaperV3Json();
        var revise = TransitionIndex(json, "RevisePlan");
        json.Array("transitions")[revise]!["adaptiveDecision"] = "revisitEnablingEnvironment";
        var problems = Problems(json);
        AssertProblem(problems, $"$.transitions[{revise}].adaptiveDecision", "already offers the decision 'revisitEnablingEnvironment'");
        AssertProblem(problems, $"$.states[{StateIndex(json, "Evaluation")}]", "none for revisePlan");

        json = StaperV3Json();
        json.Array("transitions")[revise]!["adaptiveDecision"] = "giveUp";
        AssertProblem(Problems(json), $"$.transitions[{revise}].adaptiveDecision", "giveUp");
    }

    [Fact]
    public void ADecisionFromAReviewState_IsReported()
    {
        var json = StaperV3Json();
        var reject = TransitionIndex(json, "RejectEvaluation");
        json.Array("transitions")[reject]!["adaptiveDecision"] = "revisePlan";
        json.Array("transitions")[reject]!["kind"] = "feedback";
        json.Array("transitions")[reject]!.AsObject().Remove("gate");
        AssertProblem(Problems(json), $"$.transitions[{reject}].adaptiveDecision", "decisions are taken in active states");
    }
}
