using System.Globalization;
using System.Text.Json.Nodes;
using RestorationWorkflow.UnitTests.TestSupport;
using RestorationWorkflow.Workflows;
using static RestorationWorkflow.UnitTests.TestSupport.TestWorkflows;

namespace RestorationWorkflow.UnitTests.Workflows;

public sealed class MermaidDiagramTests
{
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en");
    private static readonly CultureInfo Chinese = CultureInfo.GetCultureInfo("zh-Hans");

    [Fact]
    public void RenderDrawsEveryStateAndHighlightsTheCurrentOne()
    {
        var text = MermaidDiagram.Render(Staper, "Planning", English);
        var lines = text.Split('\n');

        Assert.Equal("stateDiagram-v2", lines[0]);
        Assert.Contains("    classDef current fill:#f6c343,stroke:#8a6d00,stroke-width:3px", lines);
        Assert.Contains("    class Planning current", lines);
        Assert.Single(lines, l => l.TrimStart().StartsWith("class ", StringComparison.Ordinal));
        foreach (var state in Staper.States)
            Assert.Contains($"    state \"{MermaidDiagram.Escape(state.Label.En)}\" as {state.Code}", lines);
    }

    [Fact]
    public void RenderDrawsStartTransitionsAndEnds()
    {
        var lines = MermaidDiagram.Render(Staper, culture: English).Split('\n');

        Assert.Contains("    [*] --> Draft", lines);
        Assert.Contains("    Draft --> Assessment : Start assessment", lines);
        Assert.Contains("    Evaluation --> Monitoring : Next monitoring cycle", lines);
        Assert.Contains("    Evaluation --> Assessment : Adaptive management#58; reassess", lines);
        Assert.Contains("    Closed --> [*]", lines);
        Assert.Contains("    Cancelled --> [*]", lines);
        Assert.DoesNotContain(lines, l => l.Contains("current", StringComparison.Ordinal));
    }

    [Fact]
    public void ResumeIsDrawnFromSuspendedBackToEveryStateThatCanBeSuspended()
    {
        var lines = MermaidDiagram.Render(Staper, culture: English).Split('\n');

        var suspendable = Staper.Transitions.Single(t => t.Trigger == "WithdrawConsent").From;
        Assert.Equal(8, suspendable.Count);
        foreach (var state in suspendable)
            Assert.Contains($"    Suspended --> {state} : Resume (consent granted again)", lines);
        Assert.Equal(suspendable.Count, lines.Count(l => l.StartsWith("    Suspended --> ", StringComparison.Ordinal) && l.Contains("Resume", StringComparison.Ordinal)));
    }

    [Fact]
    public void RenderUsesChineseLabelsForAChineseCulture()
    {
        var text = MermaidDiagram.Render(Staper, "Monitoring", Chinese);

        Assert.Contains("state \"监测\" as Monitoring", text, StringComparison.Ordinal);
        Assert.Contains("Draft --> Assessment : 开始评估", text, StringComparison.Ordinal);
    }

    /// <summary>
    /// The shipped definition renders exactly as the checked-in diagram (Workflows/Expected). A change to the
    /// renderer or to staper-restoration.v1.json shows up here as a line to review; refresh with UPDATE_EXPECTED=1.
    /// </summary>
    [Theory]
    [InlineData("staper-restoration.v1.en.mmd", "en", null, false)]
    [InlineData("staper-restoration.v1.zh-Hans.mmd", "zh-Hans", null, false)]
    [InlineData("staper-restoration.v1.en.compact-Planning.mmd", "en", "Planning", true)]
    public void Render_OfTheShippedDefinition_MatchesTheExpectedFile(string file, string culture, string? currentState, bool compact)
    {
        var text = MermaidDiagram.Render(Staper, currentState, CultureInfo.GetCultureInfo(culture), compact);

        ExpectedFile.AssertMatches(text, $"Workflows/Expected/{file}");
    }

    /// <summary>The same for v2, the version new projects start on (decision 0022).</summary>
    [Theory]
    [InlineData("staper-restoration.v2.en.mmd", "en", null, false)]
    [InlineData("staper-restoration.v2.zh-Hans.mmd", "zh-Hans", null, false)]
    [InlineData("staper-restoration.v2.en.compact-Implementation.mmd", "en", "Implementation", true)]
    public void Render_OfV2_MatchesTheExpectedFile(string file, string culture, string? currentState, bool compact)
    {
        var text = MermaidDiagram.Render(StaperV2, currentState, CultureInfo.GetCultureInfo(culture), compact);

        ExpectedFile.AssertMatches(text, $"Workflows/Expected/{file}");
    }

    /// <summary>The same for v3, with its gated review states (decision 0026).</summary>
    [Theory]
    [InlineData("staper-restoration.v3.en.mmd", "en", null, false)]
    [InlineData("staper-restoration.v3.zh-Hans.mmd", "zh-Hans", null, false)]
    [InlineData("staper-restoration.v3.en.compact-EvaluationReview.mmd", "en", "EvaluationReview", true)]
    public void Render_OfV3_MatchesTheExpectedFile(string file, string culture, string? currentState, bool compact)
    {
        var text = MermaidDiagram.Render(StaperV3, currentState, CultureInfo.GetCultureInfo(culture), compact);

        ExpectedFile.AssertMatches(text, $"Workflows/Expected/{file}");
    }

    [Fact]
    public void AGatedReviewStateShowsHowManyApproversSignItOff()
    {
        var english = MermaidDiagram.Render(StaperV3, culture: English).Split('\n');
        var chinese = MermaidDiagram.Render(StaperV3, culture: Chinese).Split('\n');

        Assert.Contains("    state \"Restoration plan review · 2 approvers\" as PlanReview", english);
        Assert.Contains("    state \"Verify consent record · 1 approver\" as ConsentReview", english);
        Assert.Contains("    state \"Evaluation sign-off · 1 approver\" as EvaluationReview", english);
        Assert.Contains("    state \"恢复计划审查 · 2 名审批人\" as PlanReview", chinese);
        Assert.Contains("    EvaluationReview --> Closed : Sign off the evaluation and close the project", english);
        Assert.Contains("    EvaluationReview --> Evaluation : Return the evaluation for revision", english);
        // Ungated states and the ungated review states of v2 keep their plain labels.
        Assert.Contains("    state \"Planning, with the enabling environment\" as Planning", english);
        Assert.Contains($"    state \"{MermaidDiagram.Escape(StaperV2.GetState("PlanReview").Label.En)}\" as PlanReview",
            MermaidDiagram.Render(StaperV2, culture: English).Split('\n'));
    }

    [Fact]
    public void LabelsAreEscapedSoMermaidDoesNotChokeOnThem()
    {
        var json = StaperJson();
        json.Array("states")[0]!["label"] = new JsonObject { ["en"] = "Draft: \"new\"; #1", ["zh-Hans"] = "草稿" };
        Transition(json, "StartAssessment")["label"] = new JsonObject { ["en"] = "Go: now; #2 \"fast\"", ["zh-Hans"] = "开始" };
        var definition = Loader.LoadFromJson(json.ToJsonString(), "escaped.json");

        var lines = MermaidDiagram.Render(definition, culture: English).Split('\n');

        Assert.Contains("    state \"Draft#58; #34;new#34;#59; #35;1\" as Draft", lines);
        Assert.Contains("    Draft --> Assessment : Go#58; now#59; #35;2 #34;fast#34;", lines);
    }

    [Fact]
    public void AnUnknownCurrentStateIsRejected()
    {
        Assert.Throws<ArgumentException>(() => MermaidDiagram.Render(Staper, "Nowhere", English));
    }

    [Fact]
    public void CompactRender_DrawsManyStateTransitionsOnlyFromTheCurrentState_AndNamesThemInANote()
    {
        var full = MermaidDiagram.Render(Staper, "Planning", English).Split('\n');
        var compact = MermaidDiagram.Render(Staper, "Planning", English, compact: true).Split('\n');

        Assert.Contains(full, l => l.StartsWith("    Assessment --> Cancelled", StringComparison.Ordinal));
        Assert.DoesNotContain(compact, l => l.StartsWith("    Assessment --> Cancelled", StringComparison.Ordinal));
        Assert.Contains(compact, l => l.StartsWith("    Planning --> Cancelled", StringComparison.Ordinal));
        Assert.Contains(compact, l => l.StartsWith("    Planning --> Suspended", StringComparison.Ordinal));
        Assert.Contains("    note right of Cancelled", compact);
        Assert.Contains("    note right of Suspended", compact);
        // Ordinary transitions are all still drawn.
        Assert.Contains(compact, l => l.StartsWith("    Evaluation --> Assessment", StringComparison.Ordinal));
        Assert.True(compact.Length < full.Length);
    }
}
