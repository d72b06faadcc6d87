using RestorationWorkflow.Identity;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Projects.Safeguards;
using RestorationWorkflow.Projects.Targets;
using RestorationWorkflow.UnitTests.TestSupport;
using RestorationWorkflow.Workflows;
using RestorationWorkflow.Workflows.Guards;
using static RestorationWorkflow.UnitTests.TestSupport.TestWorkflows;

namespace RestorationWorkflow.UnitTests.Workflows;

/// <summary>
/// The shipped STAPER v2 definition (decision 0022): B worked alongside C, monitoring open from planning on, D1 as
/// evaluation, the feedback loops from implementation, and the v1 → v2 state mapping checked at load.
/// </summary>
public sealed class StaperV2WorkflowTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly Caller Manager = new("pm-1", "Wang Fang", new HashSet<string> { AppRoles.ProjectManager });
    private static readonly Caller Approver = new("ap-1", "Amina Diallo", new HashSet<string> { AppRoles.Approver });
    private static readonly string[] BSteps = ["B1", "B2", "B3", "B4", "B5", "B6", "B7", "B8", "B9"];

    private static readonly (string Trigger, Caller Caller, string[] Steps, string? Comment, string To)[] ForwardPath =
    [
        ("StartAssessment", Manager, [], null, "Assessment"),
        ("SubmitAssessment", Manager, ["A1", "A2", "A3", "A4", "A5", "A6"], null, "ConsentReview"),
        ("ApproveConsent", Approver, [], null, "Planning"),
        ("SubmitPlan", Manager, [.. BSteps, "C1", "C2", "C3", "C4"], null, "PlanReview"),
        ("ApprovePlan", Approver, [], null, "Implementation"),
        ("StartMonitoring", Manager, ["C5"], null, "Monitoring"),
        ("StartEvaluation", Manager, [], null, "Evaluation"),
        ("CloseProject", Manager, ["D1", "D2", "D3"], "Evaluated with the communities; lessons shared.", "Closed"),
    ];

    private readonly WorkflowDefinition _definition = StaperV2;
    private readonly WorkflowEngine _engine = new(GuardRegistry.Default);

    [Fact]
    public void HappyPathRunsFromDraftToClosedWithoutAnEnablingEnvironmentStage()
    {
        var project = NewProject();
        var visited = new List<string>();
        foreach (var step in ForwardPath)
        {
            Settle(project, step.Steps);
            Fire(project, step.Trigger, step.Caller, step.Comment);
            visited.Add(project.State);
        }

        Assert.Equal(ForwardPath.Select(s => s.To), visited);
        Assert.Null(_definition.FindState("EnablingEnvironment"));
        Assert.DoesNotContain(_definition.Transitions, t => t.Trigger == "StartPlanning");
    }

    [Fact]
    public void SubmitPlanNeedsB1ToB9AsWellAsC1ToC4()
    {
        var project = ProjectIn("Planning");
        Settle(project, ["C1", "C2", "C3", "C4"]);

        var unmet = Assert.Single(Conditions(project, "SubmitPlan", Manager, null));

        Assert.Equal("checklistComplete", unmet.Guard);
        Assert.Contains("B1, B2, B3, B4, B5, B6, B7, B8, B9", unmet.Message.En, StringComparison.Ordinal);
        Assert.Equal([.. BSteps, "C1", "C2", "C3", "C4"], _definition.GetState("Planning").Steps);
    }

    [Fact]
    public void MonitoringIsOpenFromPlanningOn_AndD1IsEvaluatedNotMonitored()
    {
        Assert.Equal(["Planning", "PlanReview", "Implementation", "Monitoring", "Evaluation"],
            _definition.States.Where(s => s.MonitoringOpen).Select(s => s.Code));
        Assert.Empty(_definition.GetState("Monitoring").Steps);
        Assert.Equal(["D1", "D2", "D3"], _definition.GetState("Evaluation").Steps);
        Assert.DoesNotContain(_definition.FindTransition("Monitoring", "StartEvaluation")!.Guards, g => g.Type == "checklistComplete");
        Assert.Equal(["D1", "D2", "D3"], _definition.FindTransition("Evaluation", "CloseProject")!.Guards[0].GetStrings("steps"));
    }

    [Fact]
    public void TheConsentReviewVerifiesTheConsentRecord()
    {
        Assert.Equal(("Verify consent record", "核实事先和知情同意记录"),
            (_definition.GetState("ConsentReview").Label.En, _definition.GetState("ConsentReview").Label.ZhHans));
        var approve = _definition.FindTransition("ConsentReview", "ApproveConsent")!;
        Assert.Equal(("Verify consent record", "核实事先和知情同意记录"), (approve.Label.En, approve.Label.ZhHans));
        Assert.Contains("XX/12", _definition.Description!.En, StringComparison.Ordinal);
        Assert.Contains("XIII/5", _definition.Description!.En, StringComparison.Ordinal);
        Assert.Contains("XX/12", _definition.Description!.ZhHans, StringComparison.Ordinal);
        Assert.Contains("XIII/5", _definition.Description!.ZhHans, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Implementation", "SiteLevelAssessment", "Assessment")]
    [InlineData("Implementation", "ResourcesInsufficient", "Planning")]
    [InlineData("Implementation", "AdaptPlan", "Planning")]
    [InlineData("Planning", "Reassess", "Assessment")]
    [InlineData("Evaluation", "AdaptEnablingEnvironment", "Planning")]
    [InlineData("Evaluation", "RevisePlan", "Planning")]
    [InlineData("Evaluation", "AdaptAssessment", "Assessment")]
    [InlineData("Evaluation", "AdaptImplementation", "Implementation")]
    public void FeedbackLoopsLandInTheirTargetAndNeedAComment(string from, string trigger, string to)
    {
        var project = ProjectIn(from);
        Assert.Equal("feedback", _definition.FindTransition(from, trigger)!.Kind);
        Assert.Equal(WorkflowEngine.CommentRequired, Assert.Single(Conditions(project, trigger, Manager, "  ")).Guard);

        Fire(project, trigger, Manager, "Resources for the second planting season fell short.");

        Assert.Equal(to, project.State);
    }

    [Fact]
    public void TheKeptTriggerNamesAreAllThere()
    {
        string[] kept = ["SubmitAssessment", "ApproveConsent", "RejectConsent", "SubmitPlan", "ApprovePlan", "RejectPlan",
            "WithdrawConsent", "Resume", "StartMonitoring", "StartEvaluation", "CloseProject", "Cancel"];
        Assert.All(kept, trigger => Assert.Contains(_definition.Transitions, t => t.Trigger == trigger));
    }

    [Theory]
    [InlineData("EnablingEnvironment", "Planning")]
    [InlineData("Draft", "Draft")]
    [InlineData("Monitoring", "Monitoring")]
    [InlineData("Suspended", "Suspended")]
    [InlineData("Closed", "Closed")]
    public void EveryV1StateMapsIntoV2(string v1State, string v2State)
    {
        Assert.Equal(v2State, _definition.MapStateFrom(1, v1State));
        Assert.All(Staper.States, s => Assert.NotNull(_definition.MapStateFrom(1, s.Code)));
        Assert.Null(_definition.MapStateFrom(1, "Retired"));
        // The mapping is declared for version 1 only: from another version, a missing code has no place.
        Assert.Null(_definition.MapStateFrom(3, "EnablingEnvironment"));
    }

    [Fact]
    public void MovingASuspendedProjectMapsTheStateItResumesTo()
    {
        var project = Project.Create(new ProjectDetails("Loess Plateau", "Grassland.", "CN", ["grassland"], 1200m), Staper, Manager.UserId, Now);
        foreach (var (trigger, caller, steps) in new (string, Caller, string[])[]
                 { ("StartAssessment", Manager, []), ("SubmitAssessment", Manager, ["A1", "A2", "A3", "A4", "A5", "A6"]), ("ApproveConsent", Approver, []), ("WithdrawConsent", Manager, []) })
        {
            Settle(project, steps);
            project.Fire(Staper, trigger, caller.UserId);
        }
        Assert.Equal(("Suspended", "EnablingEnvironment"), (project.State, project.StateBeforeSuspension));

        project.MoveToWorkflowVersion(_definition);

        Assert.Equal((2, "Suspended", "Planning"), (project.WorkflowVersion, project.State, project.StateBeforeSuspension));
        project.Fire(_definition, "Resume", Manager.UserId);
        Assert.Equal("Planning", project.State);
    }

    [Fact]
    public void AMappingToAnUnknownStateIsReportedAtItsPath()
    {
        var json = StaperV2Json();
        json["migrateFrom"]!["states"]!["EnablingEnvironment"] = "Enabling";

        AssertProblem(Problems(json), "$.migrateFrom.states.EnablingEnvironment", "Unknown state 'Enabling'");
    }

    [Fact]
    public void AMappingFromTheSameOrALaterVersionIsReported()
    {
        var json = StaperV2Json();
        json["migrateFrom"]!["version"] = 2;

        AssertProblem(Problems(json), "$.migrateFrom.version", "earlier version");
    }

    [Fact]
    public void MonitoringOpenOnATerminalStateIsReported()
    {
        var json = StaperV2Json();
        json.Array("states")[StateIndex(json, "Closed")]!["monitoringOpen"] = true;

        AssertProblem(Problems(json), $"$.states[{StateIndex(json, "Closed")}].monitoringOpen", "cannot be open");
    }

    [Fact]
    public void AV1StateLeftUnmapped_StopsTheLoadNamingFileAndPath()
    {
        var json = StaperV2Json();
        json["migrateFrom"]!["states"]!.AsObject().Remove("EnablingEnvironment");

        var ex = Assert.Throws<WorkflowDefinitionException>(() => Loader.LoadFromJson(new Dictionary<string, string>
        {
            ["staper-restoration.v1.json"] = StaperJson().ToJsonString(),
            ["staper-restoration.v2.json"] = json.ToJsonString(),
        }));

        var problem = Assert.Single(ex.Problems);
        Assert.Equal(("staper-restoration.v2.json", "$.migrateFrom.states"), (problem.File, problem.JsonPath));
        Assert.Contains("State 'EnablingEnvironment' of staper-restoration@1 has no state in staper-restoration@2", problem.Message, StringComparison.Ordinal);
        Assert.Contains("staper-restoration.v2.json: $.migrateFrom.states: State 'EnablingEnvironment'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMappedStateTheSourceDoesNotHave_StopsTheLoad()
    {
        var json = StaperV2Json();
        json["migrateFrom"]!["states"]!["Enabling"] = "Planning";

        var ex = Assert.Throws<WorkflowDefinitionException>(() => Loader.LoadFromJson(new Dictionary<string, string>
        {
            ["staper-restoration.v1.json"] = StaperJson().ToJsonString(),
            ["staper-restoration.v2.json"] = json.ToJsonString(),
        }));

        var problem = Assert.Single(ex.Problems);
        Assert.Equal("$.migrateFrom.states.Enabling", problem.JsonPath);
        Assert.Contains("'Enabling' is not a state of staper-restoration@1", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutTheSourceVersionLoaded_TheMappingNeedsOnlyItsTargets()
    {
        var catalog = Loader.LoadFromJson(new Dictionary<string, string> { ["staper-restoration.v2.json"] = StaperV2Json().ToJsonString() });

        Assert.Equal(2, catalog.Latest(StaperId)!.Version);
    }

    private Project NewProject() => Project.Create(
        new ProjectDetails("Loess Plateau grassland", "Restore native grassland on degraded slopes.", "CN", ["grassland"], 1200m),
        _definition, Manager.UserId, Now,
        new ProjectRegistry("CN-2026-001", "", null, false, null, new DateOnly(2026, 3, 1), 10, null, null, ""));

    /// <summary>
    /// What the people, targets and safeguards guards read, as a project whose plan is in order would have it: gender-counted
    /// participation in A3, C3 and D1, no IPLC stakeholder (so no consent is owed), one complete target of each kind, no
    /// safeguard finding. Those guards are tested on their own; here they must not stand in the path's way.
    /// </summary>
    private static void SetPlanInOrder(GuardData data)
    {
        data.Set(PeopleGuardData.Participation, new ParticipationFacts(new HashSet<string>(StringComparer.Ordinal) { "A3", "C3", "D1" }));
        data.Set(PeopleGuardData.Consent, new ConsentFacts([], []));
        data.Set(TargetGuardData.Targets, new ProjectTargets(
        [
            new(TargetKinds.Environmental, "vegetationBiomass", null, "t/ha", new TargetBaseline(40m, new DateOnly(2025, 6, 1), "Plot survey"),
                TargetActions.Increase, 50m, true, new DateOnly(2031, 6, 30), 12, []),
            new(TargetKinds.SocioEconomic, "jobsCreated", null, "jobs", new TargetBaseline(0m, new DateOnly(2025, 6, 1), "Labour office"),
                TargetActions.Increase, 40m, false, new DateOnly(2030, 12, 31), 6, []),
        ], new HashSet<Guid>()));
        data.Set(SafeguardGuardData.Findings, Array.Empty<SafeguardFinding>());
    }

    private Project ProjectIn(string state)
    {
        var project = NewProject();
        foreach (var step in ForwardPath)
        {
            if (project.State == state)
                break;
            Settle(project, step.Steps);
            Fire(project, step.Trigger, step.Caller, step.Comment);
        }
        Assert.Equal(state, project.State);
        return project;
    }

    private static void Settle(Project project, IEnumerable<string> steps)
    {
        foreach (var code in steps)
            project.UpdateChecklistItem(code, ChecklistStatus.Done, null, Manager.UserId, Now);
    }

    private IReadOnlyList<UnmetGuard> Conditions(Project project, string trigger, Caller caller, string? comment)
    {
        var transition = _definition.FindTransition(project.State, trigger);
        Assert.True(transition is not null, $"{trigger} does not leave {project.State}.");
        var data = new GuardData();
        data.Set(ProjectGuardData.Checklist, project.Checklist.ToDictionary(i => i.Code, StringComparer.Ordinal));
        SetPlanInOrder(data);
        return _engine.Conditions(project, _definition, transition, caller, comment, commentKnown: true, data);
    }

    private void Fire(Project project, string trigger, Caller caller, string? comment)
    {
        var unmet = Conditions(project, trigger, caller, comment);
        Assert.True(unmet.Count == 0, $"{trigger} from {project.State}: {string.Join("; ", unmet.Select(r => $"{r.Guard}: {r.Message.En}"))}");
        Assert.Contains(_definition.FindTransition(project.State, trigger)!.Roles, caller.IsInRole);
        project.Fire(_definition, trigger, caller.UserId);
    }
}
