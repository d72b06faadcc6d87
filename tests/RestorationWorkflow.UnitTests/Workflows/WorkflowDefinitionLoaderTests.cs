using System.Text.Json.Nodes;
using RestorationWorkflow.Workflows;
using RestorationWorkflow.Workflows.Guards;
using static RestorationWorkflow.UnitTests.TestSupport.TestWorkflows;

namespace RestorationWorkflow.UnitTests.Workflows;

public sealed class WorkflowDefinitionLoaderTests
{
    [Fact]
    public void EveryFileInTheWorkflowsFolderValidatesAndStaperV1ToV3AreInTheCatalogWithV3Latest()
    {
        var catalog = WorkflowDefinitionLoader.LoadCatalog(Folder, GuardRegistry.Default);

        var files = Directory.GetFiles(Folder, "*.json");
        Assert.NotEmpty(files);
        Assert.Equal(files.Length, catalog.All.Count);
        var staper = catalog.Find(StaperId, 1);
        Assert.NotNull(staper);
        Assert.Equal("Draft", staper.InitialState);
        Assert.Equal(StaperFile, staper.SourceFile);
        Assert.NotNull(catalog.Find(StaperId, 2));
        Assert.Same(catalog.Find(StaperId, 3), catalog.Latest(StaperId));
        Assert.Equal([1, 2, 3], catalog.Versions(StaperId).Select(d => d.Version));
    }

    [Fact]
    public void StaperV1HasEveryStateOfThePlan()
    {
        string[] expected =
        [
            "Draft", "Assessment", "ConsentReview", "EnablingEnvironment", "Planning", "PlanReview",
            "Implementation", "Monitoring", "Evaluation", "Closed", "Suspended", "Cancelled",
        ];
        Assert.Equal(expected, Staper.States.Select(s => s.Code));
        Assert.Equal(["A1", "A2", "A3", "A4", "A5", "A6"], Staper.GetState("Assessment").Steps);
        Assert.Equal(9, Staper.GetState("EnablingEnvironment").Steps.Count);
        Assert.Equal(["D1", "D2", "D3"], Staper.GetState("Evaluation").Steps);
    }

    [Fact]
    public void EveryStateTransitionAndGateOfStaperHasAChineseLabel()
    {
        var labels = Staper.States.Select(s => s.Label)
            .Concat(Staper.Transitions.Select(t => t.Label))
            .Concat(Staper.Gates.Select(g => g.Label))
            .Append(Staper.Title);
        Assert.All(labels, label =>
        {
            Assert.False(string.IsNullOrWhiteSpace(label.En));
            Assert.Contains(label.ZhHans, c => c >= '\u4e00' && c <= '\u9fff');
        });
    }

    [Fact]
    public void BenchmarkedTransitionsKeepTheirMinimalGuards()
    {
        var next = Staper.FindTransition("Evaluation", "NextMonitoringCycle")!;
        Assert.Equal("Monitoring", next.To);
        Assert.False(next.RequiresComment);
        Assert.Equal(["roleMember"], next.Guards.Select(g => g.Type));

        var evaluate = Staper.TransitionsFrom("Monitoring").Single(t => t.To == "Evaluation");
        Assert.False(evaluate.RequiresComment);
        Assert.Equal(["checklistComplete", "roleMember"], evaluate.Guards.Select(g => g.Type));
        Assert.Equal(["D1"], evaluate.Guards[0].GetStrings("steps"));
    }

    [Fact]
    public void CatalogFindsEveryVersionAndLatestIsTheHighest()
    {
        var v2 = StaperJson();
        v2["version"] = 2;
        var catalog = Loader.LoadFromJson(new Dictionary<string, string>
        {
            ["staper-restoration.v1.json"] = StaperJson().ToJsonString(),
            ["staper-restoration.v2.json"] = v2.ToJsonString(),
        });

        Assert.Equal(2, catalog.Latest(StaperId)!.Version);
        Assert.Equal(1, catalog.Find(StaperId, 1)!.Version);
        Assert.Null(catalog.Find(StaperId, 3));
        Assert.Null(catalog.Latest("unknown"));
        Assert.Equal([1, 2], catalog.Versions(StaperId).Select(d => d.Version));
        Assert.Throws<KeyNotFoundException>(() => catalog.Get(StaperId, 3));
    }

    [Fact]
    public void LoadFromJsonThrowsOneExceptionListingEveryProblemOnePerLine()
    {
        var json = StaperJson();
        Transition(json, "SubmitPlan")["to"] = "Nowhere";
        Transition(json, "ApprovePlan")["gate"] = "budget";
        var submitPlan = TransitionIndex(json, "SubmitPlan");
        var approvePlan = TransitionIndex(json, "ApprovePlan");

        var ex = Assert.Throws<WorkflowDefinitionException>(() => Loader.LoadFromJson(json.ToJsonString(), BadFile));

        var lines = ex.Message.Split('\n');
        Assert.Equal($"Workflow definition {BadFile} is invalid:", lines[0]);
        Assert.Contains($"{BadFile}: $.transitions[{submitPlan}].to: Unknown state 'Nowhere'.", lines);
        Assert.Contains(lines, l => l.StartsWith($"{BadFile}: $.transitions[{approvePlan}].gate: Unknown gate 'budget'", StringComparison.Ordinal));
        Assert.Equal(ex.Problems.Count, lines.Length - 1);
    }

    [Fact]
    public void LoadFolderCollectsTheProblemsOfEveryFileBeforeThrowing()
    {
        using var folder = new TempFolder();
        var first = StaperJson();
        first["initialState"] = "Nowhere";
        var second = StaperJson();
        second["id"] = "other-workflow";
        Transition(second, "Cancel")["roles"] = new JsonArray("Boss");
        folder.Write("a.json", first.ToJsonString());
        folder.Write("b.json", second.ToJsonString());

        var ex = Assert.Throws<WorkflowDefinitionException>(() => WorkflowDefinitionLoader.LoadCatalog(folder.Path, GuardRegistry.Default));

        Assert.StartsWith($"Workflow definitions in {folder.Path} are invalid:\n", ex.Message, StringComparison.Ordinal);
        Assert.Contains(ex.Problems, p => p.File == "a.json" && p.JsonPath == "$.initialState");
        Assert.Contains(ex.Problems, p => p.File == "b.json" && p.JsonPath.EndsWith(".roles[0]", StringComparison.Ordinal));
    }

    [Fact]
    public void TwoFilesWithTheSameIdAndVersionAreRejected()
    {
        using var folder = new TempFolder();
        folder.Write("a.json", StaperJson().ToJsonString());
        folder.Write("b.json", StaperJson().ToJsonString());

        var ex = Assert.Throws<WorkflowDefinitionException>(() => WorkflowDefinitionLoader.LoadCatalog(folder.Path, GuardRegistry.Default));

        var problem = Assert.Single(ex.Problems);
        Assert.Equal("b.json", problem.File);
        Assert.Equal("$.version", problem.JsonPath);
        Assert.Contains("staper-restoration@1 is already defined in a.json", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingSchemaIsAClearError()
    {
        using var folder = new TempFolder(withSchema: false);
        folder.Write("a.json", StaperJson().ToJsonString());

        var ex = Assert.Throws<WorkflowDefinitionException>(() => WorkflowDefinitionLoader.LoadCatalog(folder.Path, GuardRegistry.Default));

        var problem = Assert.Single(ex.Problems);
        Assert.Equal(WorkflowDefinitionLoader.SchemaPath, problem.File);
        Assert.Contains("schema for workflow definitions is missing", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AFolderWithoutDefinitionsIsAnError()
    {
        using var folder = new TempFolder();

        var ex = Assert.Throws<WorkflowDefinitionException>(() => WorkflowDefinitionLoader.LoadCatalog(folder.Path, GuardRegistry.Default));

        Assert.Contains("no workflow definition", Assert.Single(ex.Problems).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MalformedJsonIsReportedWithTheFileName()
    {
        var ex = Assert.Throws<WorkflowDefinitionException>(() => Loader.LoadFromJson("{\"id\": ", BadFile));

        var problem = Assert.Single(ex.Problems);
        Assert.Equal(BadFile, problem.File);
        Assert.Contains("not valid JSON", problem.Message, StringComparison.Ordinal);
    }

    // ---- schema violations: the problem carries the instance path ----

    [Fact]
    public void SchemaViolationVersionBelowOneGivesTheInstancePath()
    {
        var json = StaperJson();
        json["version"] = 0;
        AssertProblem(Problems(json), "$.version", "at least 1");
    }

    [Fact]
    public void SchemaViolationUnknownStateKindListsTheAllowedValues()
    {
        var json = StaperJson();
        json.Array("states")[2]!["kind"] = "paused";
        AssertProblem(Problems(json), "$.states[2].kind", "\"paused\" is not allowed here; use one of \"active\", \"review\", \"suspended\", \"terminal\"");
    }

    [Fact]
    public void SchemaViolationUnknownPropertyNamesTheProperty()
    {
        var json = StaperJson();
        json.Array("transitions")[0]!["colour"] = "green";
        AssertProblem(Problems(json), "$.transitions[0].colour", "Unknown property 'colour'");
    }

    [Fact]
    public void SchemaViolationMissingChineseLabelPointsAtTheLabel()
    {
        var json = StaperJson();
        json.Array("transitions")[4]!["label"]!.AsObject().Remove("zh-Hans");
        AssertProblem(Problems(json), "$.transitions[4].label", "zh-Hans");
    }

    [Fact]
    public void SchemaViolationStepCodeNotMatchingThePatternGivesTheItemPath()
    {
        var json = StaperJson();
        json.Array("states")[1]!["steps"]![0] = "E1";
        AssertProblem(Problems(json), "$.states[1].steps[0]", "\"E1\"");
    }

    [Fact]
    public void SchemaViolationEmptyFromListIsRejected()
    {
        var json = StaperJson();
        var cancel = TransitionIndex(json, "Cancel");
        json.Array("transitions")[cancel]!["from"] = new JsonArray();
        AssertProblem(Problems(json), $"$.transitions[{cancel}].from", "minItems");
    }

    [Fact]
    public void SchemaViolationUnknownRoleListsTheRoles()
    {
        var json = StaperJson();
        var index = TransitionIndex(json, "ApprovePlan");
        json.Array("transitions")[index]!["roles"] = new JsonArray("Boss");
        AssertProblem(Problems(json), $"$.transitions[{index}].roles[0]", "use one of \"ProjectManager\", \"Approver\", \"Auditor\", \"Administrator\"");
    }

    // ---- strict deserialization (schema relaxed so only System.Text.Json decides) ----

    [Fact]
    public void DeserializationRejectsUnknownPropertiesEvenWhenTheSchemaAllowsThem()
    {
        var json = StaperJson();
        json["colour"] = "green";
        var problem = Assert.Single(Problems(json, PermissiveLoader()));
        Assert.Contains("colour", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DeserializationRejectsMissingRequiredPropertiesEvenWhenTheSchemaAllowsThem()
    {
        var json = StaperJson();
        json.Array("transitions")[0]!.AsObject().Remove("label");
        var problem = Assert.Single(Problems(json, PermissiveLoader()));
        Assert.StartsWith("$.transitions[0]", problem.JsonPath, StringComparison.Ordinal);
        Assert.Contains("label", problem.Message, StringComparison.Ordinal);
    }

    // ---- semantic checks ----

    [Fact]
    public void UnknownStateInToIsReported()
    {
        var json = StaperJson();
        var index = TransitionIndex(json, "SubmitPlan");
        json.Array("transitions")[index]!["to"] = "Nowhere";
        AssertProblem(Problems(json), $"$.transitions[{index}].to", "Unknown state 'Nowhere'");
    }

    [Fact]
    public void UnknownStateInASingleFromIsReportedAtFrom()
    {
        var json = StaperJson();
        var index = TransitionIndex(json, "SubmitPlan");
        json.Array("transitions")[index]!["from"] = "Nowhere";
        AssertProblem(Problems(json), $"$.transitions[{index}].from", "Unknown state 'Nowhere'");
    }

    [Fact]
    public void UnknownStateInAFromListIsReportedAtItsItem()
    {
        var json = StaperJson();
        var index = TransitionIndex(json, "Cancel");
        json.Array("transitions")[index]!["from"]!.AsArray().Add("Nowhere");
        var item = json.Array("transitions")[index]!["from"]!.AsArray().Count - 1;
        AssertProblem(Problems(json), $"$.transitions[{index}].from[{item}]", "Unknown state 'Nowhere'");
    }

    [Fact]
    public void UnknownInitialStateIsReported()
    {
        var json = StaperJson();
        json["initialState"] = "Nowhere";
        AssertProblem(Problems(json), "$.initialState", "Unknown state 'Nowhere'");
    }

    [Fact]
    public void UnknownGuardTypeIsReportedAtItsType()
    {
        var json = StaperJson();
        var index = TransitionIndex(json, "StartPlanning");
        json.Array("transitions")[index]!["guards"]![0] = new JsonObject { ["type"] = "moonPhase" };
        AssertProblem(Problems(json), $"$.transitions[{index}].guards[0].type", "Unknown guard type 'moonPhase'");
    }

    [Fact]
    public void GuardParameterProblemIsReportedAtTheParameter()
    {
        var json = StaperJson();
        var index = TransitionIndex(json, "SubmitPlan");
        json.Array("transitions")[index]!["guards"]![0]!["steps"] = new JsonArray("C1", "Z9");
        AssertProblem(Problems(json), $"$.transitions[{index}].guards[0].steps[1]", "'Z9' is not a STAPER step code");
    }

    [Fact]
    public void MissingGuardParameterIsReportedAtTheParameterName()
    {
        var json = StaperJson();
        var index = TransitionIndex(json, "SubmitPlan");
        json.Array("transitions")[index]!["guards"]![0]!.AsObject().Remove("steps");
        AssertProblem(Problems(json), $"$.transitions[{index}].guards[0].steps", "non-empty list");
    }

    [Fact]
    public void UnknownRoleIsReportedByTheSemanticCheckWhenTheSchemaDoesNotCatchIt()
    {
        var json = StaperJson();
        var index = TransitionIndex(json, "ApprovePlan");
        json.Array("transitions")[index]!["roles"] = new JsonArray("Approver", "Boss");
        AssertProblem(Problems(json, PermissiveLoader()), $"$.transitions[{index}].roles[1]", "Unknown role 'Boss'");
    }

    [Fact]
    public void UnknownApproverRoleOfAGateIsReportedByTheSemanticCheck()
    {
        var json = StaperJson();
        json.Array("gates")[1]!["approverRoles"] = new JsonArray("Boss");
        AssertProblem(Problems(json, PermissiveLoader()), "$.gates[1].approverRoles[0]", "Unknown role 'Boss'");
    }

    [Fact]
    public void TwoTransitionsWithTheSameTriggerFromOneStateAreReported()
    {
        var json = StaperJson();
        json.Array("transitions").Add(NewTransition("Planning", "SubmitPlan", "Assessment"));
        var added = json.Array("transitions").Count - 1;
        var original = TransitionIndex(json, "SubmitPlan");
        var problem = AssertProblem(Problems(json), $"$.transitions[{added}].trigger", "Trigger 'SubmitPlan' already leaves state 'Planning'");
        Assert.Contains($"$.transitions[{original}]", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AStateThatCannotBeReachedIsReported()
    {
        var json = StaperJson();
        json.Array("states").Add(NewState("Orphan"));
        json.Array("transitions").Add(NewTransition("Orphan", "Leave", "Cancelled"));
        var orphan = json.Array("states").Count - 1;
        AssertProblem(Problems(json), $"$.states[{orphan}]", "State 'Orphan' cannot be reached from the initial state 'Draft'");
    }

    [Fact]
    public void ReachabilityIgnoresResumeIntoAStateOnlyReachableThroughItself()
    {
        // Orphan can be suspended, but nothing leads to Orphan: resuming cannot reach it either.
        var json = StaperJson();
        json.Array("states").Add(NewState("Orphan"));
        var suspend = TransitionIndex(json, "WithdrawConsent");
        json.Array("transitions")[suspend]!["from"]!.AsArray().Add("Orphan");
        var orphan = json.Array("states").Count - 1;
        AssertProblem(Problems(json), $"$.states[{orphan}]", "cannot be reached");
    }

    [Fact]
    public void ANonTerminalStateWithoutExitIsReported()
    {
        var json = StaperJson();
        json.Array("states").Add(NewState("DeadEnd"));
        json.Array("transitions").Add(NewTransition("Draft", "GoToDeadEnd", "DeadEnd"));
        var deadEnd = json.Array("states").Count - 1;
        var problems = Problems(json);
        AssertProblem(problems, $"$.states[{deadEnd}]", "State 'DeadEnd' is not terminal but no transition leaves it");
        Assert.DoesNotContain(problems, p => p.Message.Contains("cannot be reached", StringComparison.Ordinal));
    }

    [Fact]
    public void AGateNoTransitionUsesIsReported()
    {
        var json = StaperJson();
        json.Array("gates").Add(new JsonObject
        {
            ["id"] = "budget",
            ["label"] = Label("Budget"),
            ["approverRoles"] = new JsonArray("Approver"),
            ["quorum"] = 1,
            ["separationOfDuties"] = true,
        });
        AssertProblem(Problems(json), "$.gates[2].id", "Gate 'budget' is not used by any transition");
    }

    [Fact]
    public void ATransitionNamingAnUnknownGateIsReported()
    {
        var json = StaperJson();
        var index = TransitionIndex(json, "ApprovePlan");
        json.Array("transitions")[index]!["gate"] = "budget";
        AssertProblem(Problems(json), $"$.transitions[{index}].gate", "Unknown gate 'budget'");
    }

    [Fact]
    public void ATransitionWithoutToAndWithoutToPreviousStateIsReported()
    {
        var json = StaperJson();
        var index = TransitionIndex(json, "StartMonitoring");
        json.Array("transitions")[index]!.AsObject().Remove("to");
        AssertProblem(Problems(json), $"$.transitions[{index}]", "has no target");
    }

    [Fact]
    public void ATransitionWithBothToAndToPreviousStateIsReported()
    {
        var json = StaperJson();
        var index = TransitionIndex(json, "Resume");
        json.Array("transitions")[index]!["to"] = "Draft";
        AssertProblem(Problems(json), $"$.transitions[{index}].to", "not both");
    }

    [Fact]
    public void ToPreviousStateFromAStateThatIsNotSuspendedIsReported()
    {
        var json = StaperJson();
        var index = TransitionIndex(json, "Resume");
        json.Array("transitions")[index]!["from"] = "Monitoring";
        AssertProblem(Problems(json), $"$.transitions[{index}].toPreviousState", "'Monitoring' is not suspended");
    }

    [Fact]
    public void DuplicateStateCodesAreReported()
    {
        var json = StaperJson();
        json.Array("states").Add(NewState("Closed", "terminal"));
        var duplicate = json.Array("states").Count - 1;
        AssertProblem(Problems(json), $"$.states[{duplicate}].code", "State 'Closed' is defined twice");
    }

    [Fact]
    public void UnknownStaperStepCodeInAStateIsReported()
    {
        var json = StaperJson();
        var assessment = StateIndex(json, "Assessment");
        json.Array("states")[assessment]!["steps"]!.AsArray().Add("A7");
        AssertProblem(Problems(json), $"$.states[{assessment}].steps[6]", "'A7' is not a STAPER step code");
    }

    [Fact]
    public void ATransitionLeavingATerminalStateIsReported()
    {
        var json = StaperJson();
        json.Array("transitions").Add(NewTransition("Closed", "Reopen", "Evaluation"));
        var added = json.Array("transitions").Count - 1;
        AssertProblem(Problems(json), $"$.transitions[{added}].from", "State 'Closed' is terminal");
    }

    // ---- approval gates named by review states (v3, decision 0026) ----

    [Fact]
    public void StaperV3WithItsGatedReviewStatesLoadsWithoutProblems()
    {
        var validation = Loader.Validate(StaperV3Json().ToJsonString(), "staper-restoration.v3.json");

        Assert.True(validation.IsValid, string.Join('\n', validation.Problems));
    }

    [Fact]
    public void AStateNamingAnUnknownGateIsReportedAtItsGate()
    {
        var json = StaperV3Json();
        var planReview = StateIndex(json, "PlanReview");
        json.Array("states")[planReview]!["gate"] = "budget";

        AssertProblem(Problems(json), $"$.states[{planReview}].gate", "Unknown gate 'budget'; defined gates are consent, plan, evaluation");
    }

    [Fact]
    public void AGateOnAStateThatIsNotAReviewStateIsReported()
    {
        var json = StaperV3Json();
        var planning = StateIndex(json, "Planning");
        json.Array("states")[planning]!["gate"] = "plan";

        AssertProblem(Problems(json), $"$.states[{planning}].gate", "State 'Planning' is active: only a review state may name a gate");
    }

    [Fact]
    public void AGateNamedByTwoStatesIsReportedAtTheSecond()
    {
        var json = StaperV3Json();
        var evaluationReview = StateIndex(json, "EvaluationReview");
        json.Array("states")[evaluationReview]!["gate"] = "plan";

        AssertProblem(Problems(json), $"$.states[{evaluationReview}].gate",
            $"Gate 'plan' is already decided in state 'PlanReview' ($.states[{StateIndex(json, "PlanReview")}]); a gate may be named by one state only");
    }

    [Fact]
    public void AGatedStateWithoutAnApproveTransitionIsReported()
    {
        var json = StaperV3Json();
        var close = Transition(json, "CloseProject");
        close["kind"] = "advance";
        close.Remove("gate");

        var problem = Assert.Single(Problems(json));
        AssertProblem([problem], $"$.states[{StateIndex(json, "EvaluationReview")}].gate",
            "State 'EvaluationReview' decides gate 'evaluation' but no approve transition leaves it");
    }

    [Fact]
    public void ASecondApproveTransitionLeavingAGatedStateIsReported()
    {
        var json = StaperV3Json();
        var extra = NewTransition("EvaluationReview", "CloseQuickly", "Closed");
        extra["roles"] = new JsonArray("Approver");
        extra["kind"] = "approve";
        extra["gate"] = "evaluation";
        json.Array("transitions").Add(extra);
        var added = json.Array("transitions").Count - 1;

        var problem = AssertProblem(Problems(json), $"$.transitions[{added}].kind", "A second approve transition leaves state 'EvaluationReview'");
        Assert.Contains($"$.transitions[{TransitionIndex(json, "CloseProject")}]", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AGatedStateWithoutARejectTransitionIsReported()
    {
        var json = StaperV3Json();
        var reject = Transition(json, "RejectEvaluation");
        reject["kind"] = "feedback";
        reject.Remove("gate");

        var problem = Assert.Single(Problems(json));
        AssertProblem([problem], $"$.states[{StateIndex(json, "EvaluationReview")}].gate",
            "State 'EvaluationReview' decides gate 'evaluation' but no reject transition leaves it");
    }

    [Theory]
    [InlineData("ApprovePlan")]
    [InlineData("RejectPlan")]
    public void AnApproveOrRejectTransitionOfAGatedStateWithoutTheGateIsReported(string trigger)
    {
        var json = StaperV3Json();
        Transition(json, trigger).Remove("gate");

        AssertProblem(Problems(json), $"$.transitions[{TransitionIndex(json, trigger)}]",
            $"'{trigger}' is the {(trigger.StartsWith("Approve", StringComparison.Ordinal) ? "approve" : "reject")} transition of state 'PlanReview', which decides gate 'plan': add \"gate\": \"plan\"");
    }

    [Fact]
    public void ATransitionLeavingAGatedStateNamingAnotherGateIsReported()
    {
        var json = StaperV3Json();
        Transition(json, "RejectPlan")["gate"] = "consent";

        var problem = Assert.Single(Problems(json));
        AssertProblem([problem], $"$.transitions[{TransitionIndex(json, "RejectPlan")}].gate",
            "'RejectPlan' leaves state 'PlanReview', whose gate is 'plan', but names gate 'consent'");
    }

    [Fact]
    public void AnotherTransitionLeavingAGatedStateMayNotCarryAGate()
    {
        var json = StaperV3Json();
        var back = NewTransition("PlanReview", "WithdrawPlan", "Planning");
        back["kind"] = "feedback";
        back["gate"] = "plan";
        json.Array("transitions").Add(back);
        var added = json.Array("transitions").Count - 1;

        var problem = Assert.Single(Problems(json));
        AssertProblem([problem], $"$.transitions[{added}].gate",
            "'WithdrawPlan' is a feedback transition leaving state 'PlanReview', which decides gate 'plan'; only its approve and reject transitions may carry a gate");
    }

    [Fact]
    public void AGateDecidedInAStateCarriedByATransitionFromAnotherStateIsReported()
    {
        var json = StaperV3Json();
        Transition(json, "SubmitPlan")["gate"] = "plan";

        var problem = Assert.Single(Problems(json));
        AssertProblem([problem], $"$.transitions[{TransitionIndex(json, "SubmitPlan")}].gate",
            "Gate 'plan' is decided in state 'PlanReview', but 'SubmitPlan' carries it from 'Planning'");
    }

    [Fact]
    public void GatesOnTransitionsOfUngatedReviewStatesStayValid()
    {
        // v1 and v2 name gates on their approve and reject transitions only: their review states are decided by one approver firing them.
        Assert.All(new[] { Staper, StaperV2 }, d => Assert.All(d.States, s => Assert.Null(s.Gate)));
        Assert.Contains(StaperV2.Transitions, t => t.Gate is not null);
    }

    [Fact]
    public void ACoveredSectionOutsideTheSchemaEnumIsReportedAtItsItem()
    {
        var json = StaperV3Json();
        json.Array("gates")[1]!["covers"]!.AsArray().Add("budget");
        var item = json.Array("gates")[1]!["covers"]!.AsArray().Count - 1;

        AssertProblem(Problems(json), $"$.gates[1].covers[{item}]", "\"budget\" is not allowed here; use one of \"registry\", \"team\"");
    }

    [Fact]
    public void AnUnknownCoveredSectionIsReportedByTheSemanticCheckWhenTheSchemaDoesNotCatchIt()
    {
        var schema = JsonNode.Parse(File.ReadAllText(SchemaFile))!.AsObject();
        schema["$defs"]!["approvalSection"] = new JsonObject { ["type"] = "string" };
        var loader = new WorkflowDefinitionLoader(schema.ToJsonString(), GuardRegistry.Default);
        var json = StaperV3Json();
        json.Array("gates")[2]!["covers"]![0] = "budget";

        var problem = Assert.Single(Problems(json, loader));
        AssertProblem([problem], "$.gates[2].covers[0]", "Unknown section 'budget'; sections are registry, team, checklist");
    }

    [Fact]
    public void TheSchemaEnumeratesExactlyTheApprovalSections()
    {
        var schema = JsonNode.Parse(File.ReadAllText(SchemaFile))!;
        var sections = schema["$defs"]!["approvalSection"]!["enum"]!.AsArray().Select(n => (string)n!);
        Assert.Equal("#/$defs/approvalSection", (string?)schema["$defs"]!["gate"]!["properties"]!["covers"]!["items"]!["$ref"]);

        Assert.Equal(ApprovalSections.All, sections);
    }

    [Theory]
    [InlineData(0, "at least 1")]
    [InlineData(21, "20")]
    public void AQuorumOutsideOneToTwentyIsASchemaViolation(int quorum, string phrase)
    {
        var json = StaperV3Json();
        json.Array("gates")[1]!["quorum"] = quorum;

        AssertProblem(Problems(json), "$.gates[1].quorum", phrase);
    }

    [Fact]
    public void DueDaysOutsideOneToAYearIsASchemaViolation()
    {
        var json = StaperV3Json();
        json.Array("gates")[0]!["dueDays"] = 0;

        AssertProblem(Problems(json), "$.gates[0].dueDays", "at least 1");
    }

    /// <summary>The real schema with every enum and pattern on roles dropped, so the semantic role check is reached.</summary>
    private static WorkflowDefinitionLoader PermissiveLoader()
    {
        var schema = JsonNode.Parse(File.ReadAllText(SchemaFile))!.AsObject();
        schema["$defs"]!["role"] = new JsonObject { ["type"] = "string" };
        schema["additionalProperties"] = true;
        schema["$defs"]!["transition"]!["additionalProperties"] = true;
        schema["$defs"]!["transition"]!["required"] = new JsonArray("from", "trigger", "roles");
        return new WorkflowDefinitionLoader(schema.ToJsonString(), GuardRegistry.Default);
    }

    /// <summary>A temporary definitions folder, with a copy of the real schema unless told otherwise.</summary>
    private sealed class TempFolder : IDisposable
    {
        public TempFolder(bool withSchema = true)
        {
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "workflows-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(Path);
            if (withSchema)
            {
                Directory.CreateDirectory(System.IO.Path.Combine(Path, "schema"));
                File.Copy(SchemaFile, System.IO.Path.Combine(Path, "schema", "workflow-definition.schema.json"));
            }
        }

        public string Path { get; }

        public void Write(string name, string content) => File.WriteAllText(System.IO.Path.Combine(Path, name), content);

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
