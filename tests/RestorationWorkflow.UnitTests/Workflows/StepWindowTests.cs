using System.Text.Json.Nodes;
using RestorationWorkflow.Workflows;
using static RestorationWorkflow.UnitTests.TestSupport.TestWorkflows;

namespace RestorationWorkflow.UnitTests.Workflows;

/// <summary>
/// A state's indicative window (Appendix II): in the schema, in the loader's semantic checks (each bad value named by
/// file and JSON path, so start-up stops saying where), and in STAPER v3, where it is advisory only.
/// </summary>
public sealed class StepWindowTests
{
    private static JsonObject Window(int from, int to) => new() { ["fromYear"] = from, ["toYear"] = to };

    [Fact]
    public void StaperV3_GivesTheSeedsWindows_YearsZeroToThreeThenThreeToSix_AndNoneToReviewsOrEnds()
    {
        var windows = StaperV3.States.ToDictionary(s => s.Code, s => s.Window is { } w ? $"{w.FromYear}-{w.ToYear}" : null, StringComparer.Ordinal);
        Assert.Equal("0-3", windows["Assessment"]);
        Assert.Equal("0-3", windows["Planning"]);
        Assert.Equal("3-6", windows["Implementation"]);
        Assert.Equal("0-6", windows["Monitoring"]);
        Assert.Equal("0-6", windows["Evaluation"]);
        foreach (var state in new[] { "Draft", "ConsentReview", "PlanReview", "EvaluationReview", "Closed", "Suspended", "Cancelled" })
            Assert.Null(windows[state]);
        var window = StaperV3.GetState("Implementation").Window!;
        Assert.Equal(new DateOnly(2029, 3, 1), window.StartsOn(new DateOnly(2026, 3, 1)));
        Assert.Equal(new DateOnly(2032, 3, 1), window.EndsOn(new DateOnly(2026, 3, 1)));
    }

    [Fact]
    public void Windows_AreAdvisory_TheyChangeNoTransitionOrGuardOfV3()
    {
        var json = StaperV3Json();
        foreach (var state in json.Array("states"))
            state!.AsObject().Remove("window");
        var without = Loader.LoadFromJson(json.ToJsonString(), "v3-without-windows.json");

        string Shape(WorkflowDefinition d) => string.Join("\n", d.Transitions.Select(t =>
            $"{string.Join(",", t.From)}>{t.Trigger}>{t.To}|{t.Kind}|{t.Gate}|{string.Join(",", t.Roles)}|{string.Join(";", t.Guards.Select(g => g.Type + string.Join(",", g.Parameters.Select(p => p.Key + "=" + JsonNode.Parse(p.Value.GetRawText())!.ToJsonString()))))}"));
        Assert.Equal(Shape(without), Shape(StaperV3));
        Assert.Equal(without.States.Select(s => (s.Code, s.Kind, s.MonitoringOpen, s.Gate)), StaperV3.States.Select(s => (s.Code, s.Kind, s.MonitoringOpen, s.Gate)));
    }

    [Fact]
    public void AWindowThatDoesNotEndAfterItStarts_IsReportedAtItsToYear()
    {
        var json = StaperV3Json();
        var index = StateIndex(json, "Implementation");
        json.Array("states")[index]!["window"] = Window(6, 3);

        var problem = AssertProblem(Problems(json), $"$.states[{index}].window.toYear", "must end after it starts: toYear 3 is not after fromYear 6");
        Assert.StartsWith($"{BadFile}: $.states[{index}].window.toYear: ", problem.ToString(), StringComparison.Ordinal);

        json.Array("states")[index]!["window"] = Window(3, 3);
        AssertProblem(Problems(json), $"$.states[{index}].window.toYear", "toYear 3 is not after fromYear 3");
    }

    [Theory]
    [InlineData("Closed")]
    [InlineData("Suspended")]
    public void AWindowOnAStateWhereNoStepIsWorked_IsReported(string code)
    {
        var json = StaperV3Json();
        var index = StateIndex(json, code);
        json.Array("states")[index]!["window"] = Window(0, 3);

        AssertProblem(Problems(json), $"$.states[{index}].window", "no step is worked there");
    }

    [Fact]
    public void OutOfRangeOrMissingOrUnknownWindowValues_AreSchemaViolationsAtTheirPath()
    {
        var json = StaperV3Json();
        var index = StateIndex(json, "Assessment");
        json.Array("states")[index]!["window"] = Window(-1, 3);
        AssertProblem(Problems(json), $"$.states[{index}].window.fromYear", "at least 0");

        json.Array("states")[index]!["window"] = Window(0, 101);
        AssertProblem(Problems(json), $"$.states[{index}].window.toYear", "100");

        json.Array("states")[index]!["window"] = new JsonObject { ["fromYear"] = 0 };
        AssertProblem(Problems(json), $"$.states[{index}].window", "toYear");

        json.Array("states")[index]!["window"] = new JsonObject { ["fromYear"] = 0, ["toYear"] = 3, ["weeks"] = 2 };
        AssertProblem(Problems(json), $"$.states[{index}].window.weeks", "Unknown property 'weeks'");

        json.Array("states")[index]!["window"] = new JsonObject { ["fromYear"] = "0", ["toYear"] = 3 };
        AssertProblem(Problems(json), $"$.states[{index}].window.fromYear", "should be \"integer\"");
    }
}
