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
/// The shipped STAPER v3 definition (decision 0026): the review states name their approval gates (consent, plan and
/// the new evaluation gate), closing a project is signed off in EvaluationReview, and every v2 state has its place.
/// The gated approve and reject transitions are fired here as a reached quorum or a rejection fires them.
/// </summary>
public sealed class StaperV3WorkflowTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly Caller Manager = new("pm-1", "Wang Fang", new HashSet<string> { AppRoles.ProjectManager });
    private static readonly Caller Approver = new("ap-1", "Amina Diallo", new HashSet<string> { AppRoles.Approver });
    private static readonly string[] BSteps = ["B1", "B2", "B3", "B4", "B5", "B6", "B7", "B8", "B9"];
    private const string ClosureComment = "Evaluated with the communities; lessons shared.";

    private static readonly (string Trigger, Caller Caller, string[] Steps, string? Comment, string To)[] ForwardPath =
    [
        ("StartAssessment", Manager, [], null, "Assessment"),
        ("SubmitAssessment", Manager, ["A1", "A2", "A3", "A4", "A5", "A6"], null, "ConsentReview"),
        ("ApproveConsent", Approver, [], null, "Planning"),
        ("SubmitPlan", Manager, [.. BSteps, "C1", "C2", "C3", "C4"], null, "PlanReview"),
        ("ApprovePlan", Approver, [], null, "Implementation"),
        ("StartMonitoring", Manager, ["C5"], null, "Monitoring"),
        ("StartEvaluation", Manager, [], null, "Evaluation"),
        ("RequestClosure", Manager, ["D1", "D2", "D3"], ClosureComment, "EvaluationReview"),
        ("CloseProject", Approver, [], null, "Closed"),
    ];

    private readonly WorkflowDefinition _definition = StaperV3;
    private readonly WorkflowEngine _engine = new(GuardRegistry.Default);

    [Fact]
    public void V3IsTheLatestVersion_SoNewProjectsStartOnIt()
    {
        Assert.Same(_definition, Catalog.Latest(StaperId));
        Assert.Equal(3, _definition.Version);
    }

    [Fact]
    public void HappyPathRunsFromDraftToClosedThroughTheEvaluationSignOff()
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
    }

    [Fact]
    public void ClosingNeedsRequestClosureThenCloseProjectFromEvaluationReview()
    {
        Assert.Null(_definition.FindTransition("Evaluation", "CloseProject"));
        var request = _definition.FindTransition("Evaluation", "RequestClosure")!;
        Assert.Equal(("EvaluationReview", "advance", true, (string?)null), (request.To, request.Kind, request.RequiresComment, request.Gate));
        Assert.Equal([AppRoles.ProjectManager], request.Roles);
        var close = _definition.FindTransition("EvaluationReview", "CloseProject")!;
        Assert.Equal(("Closed", "approve", "evaluation"), (close.To, close.Kind, close.Gate));
        Assert.Equal([AppRoles.Approver], close.Roles);
        // Nothing else reaches Closed: a manager alone cannot close a project.
        Assert.Equal(["EvaluationReview"], _definition.Transitions.Where(t => t.To == "Closed").SelectMany(t => t.From));
    }

    [Fact]
    public void RequestClosureNeedsD1ToD3AndAComment()
    {
        var project = ProjectIn("Evaluation");
        Settle(project, ["D1", "D2"]);

        var unmet = Conditions(project, "RequestClosure", Manager, " ");

        Assert.Equal([WorkflowEngine.CommentRequired, "checklistComplete"], unmet.Select(u => u.Guard));
        Assert.Contains("D3", unmet[1].Message.En, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ConsentReview", "consent", 1, 14)]
    [InlineData("PlanReview", "plan", 2, 30)]
    [InlineData("EvaluationReview", "evaluation", 1, 30)]
    public void EachReviewStateNamesItsGate_WithQuorumDueDaysAndSeparationOfDuties(string state, string gate, int quorum, int dueDays)
    {
        Assert.Equal(StateKind.Review, _definition.GetState(state).Kind);
        Assert.Equal(gate, _definition.GetState(state).Gate);
        var definition = _definition.GateOfState(state)!;

        Assert.Equal((gate, quorum, (int?)dueDays, true), (definition.Id, definition.Quorum, definition.DueDays, definition.SeparationOfDuties));
        Assert.Equal([AppRoles.Approver], definition.ApproverRoles);
        Assert.Contains(definition.Label.ZhHans, c => c >= '\u4e00' && c <= '\u9fff');
    }

    [Fact]
    public void OnlyTheThreeReviewStatesAreGated()
    {
        Assert.Equal(["ConsentReview", "PlanReview", "EvaluationReview"],
            _definition.States.Where(s => _definition.GateOfState(s.Code) is not null).Select(s => s.Code));
        Assert.Equal(["consent", "plan", "evaluation"], _definition.Gates.Select(g => g.Id));
        Assert.Null(_definition.GateOfState("Planning"));
        Assert.Null(_definition.GateOfState("Nowhere"));
    }

    [Theory]
    [InlineData("consent", new[] { "registry", "team", "checklist", "forms", "sites", "stakeholders", "participation", "consents", "evidence" })]
    [InlineData("plan", new[] { "registry", "team", "checklist", "forms", "sites", "stakeholders", "participation", "consents", "targets", "safeguards", "evidence" })]
    [InlineData("evaluation", new[] { "registry", "team", "checklist", "forms", "participation", "consents", "targets", "evidence" })]
    public void EachGateCoversTheSectionsItsReviewSigns(string gate, string[] covers)
    {
        var definition = _definition.FindGate(gate)!;

        Assert.Equal(covers, definition.Covers);
        Assert.Equal(covers, ApprovalSections.Of(definition));
        Assert.All(covers, c => Assert.Contains(c, ApprovalSections.All));
    }

    [Theory]
    [InlineData("ConsentReview", "ApproveConsent", "Planning", "RejectConsent", "Assessment")]
    [InlineData("PlanReview", "ApprovePlan", "Implementation", "RejectPlan", "Planning")]
    [InlineData("EvaluationReview", "CloseProject", "Closed", "RejectEvaluation", "Evaluation")]
    public void EachGatedStateHasOneApproveAndOneRejectCarryingItsGate(string state, string approve, string approvedTo, string reject, string rejectedTo)
    {
        var gate = _definition.GetState(state).Gate;
        var decided = _definition.TransitionsFrom(state).Where(t => t.Kind is "approve" or "reject").ToList();

        Assert.Equal([(approve, "approve", approvedTo, gate), (reject, "reject", rejectedTo, gate)],
            decided.Select(t => (t.Trigger, t.Kind, t.To, t.Gate)));
        Assert.True(_definition.FindTransition(state, reject)!.RequiresComment);
        Assert.DoesNotContain(_definition.TransitionsFrom(state), t => t.Gate is not null && t.Kind is not ("approve" or "reject"));
    }

    [Fact]
    public void ARejectedEvaluationLoopsBackToEvaluation()
    {
        var project = ProjectIn("EvaluationReview");

        Fire(project, "RejectEvaluation", Approver, "D2 lacks the communities' view.");

        Assert.Equal("Evaluation", project.State);
    }

    [Fact]
    public void EvaluationReviewIsReachable_AndMonitoringGoesOnThere()
    {
        var project = ProjectIn("EvaluationReview");

        Assert.Equal("EvaluationReview", project.State);
        var state = _definition.GetState("EvaluationReview");
        Assert.Equal(("D", StateKind.Review, true), (state.Group, state.Kind, state.MonitoringOpen));
        Assert.Empty(state.Steps);
        Assert.Equal(("Evaluation sign-off", "评估结果审定"), (state.Label.En, state.Label.ZhHans));
    }

    [Fact]
    public void WithdrawConsentSuspendsEvaluationReview_AndResumeReturnsToIt()
    {
        var project = ProjectIn("EvaluationReview");

        Fire(project, "WithdrawConsent", Manager, "The community council withdrew its consent.");
        Assert.Equal(("Suspended", "EvaluationReview"), (project.State, project.StateBeforeSuspension));

        Fire(project, "Resume", Manager, "Consent granted again.");
        Assert.Equal("EvaluationReview", project.State);
    }

    [Fact]
    public void CancelLeavesEvaluationReview()
    {
        var project = ProjectIn("EvaluationReview");

        Fire(project, "Cancel", Manager, "Funding ended.");

        Assert.Equal("Cancelled", project.State);
    }

    [Fact]
    public void EveryV2StateMapsToTheSameStateOfV3()
    {
        Assert.Equal(2, _definition.MigrateFrom!.Version);
        Assert.Empty(_definition.MigrateFrom.States);
        Assert.All(StaperV2.States, s => Assert.Equal(s.Code, _definition.MapStateFrom(2, s.Code)));
        Assert.Equal(StaperV2.States.Select(s => s.Code).Append("EvaluationReview").Order(StringComparer.Ordinal),
            _definition.States.Select(s => s.Code).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void AProjectInV2EvaluationMovesToV3Evaluation_AndMustThenRequestClosure()
    {
        var project = Project.Create(new ProjectDetails("Loess Plateau", "Grassland.", "CN", ["grassland"], 1200m), StaperV2, Manager.UserId, Now);
        foreach (var (trigger, caller, steps) in new (string, Caller, string[])[]
                 {
                     ("StartAssessment", Manager, []), ("SubmitAssessment", Manager, ["A1", "A2", "A3", "A4", "A5", "A6"]), ("ApproveConsent", Approver, []),
                     ("SubmitPlan", Manager, [.. BSteps, "C1", "C2", "C3", "C4"]), ("ApprovePlan", Approver, []), ("StartMonitoring", Manager, ["C5"]),
                     ("StartEvaluation", Manager, []),
                 })
        {
            Settle(project, steps);
            project.Fire(StaperV2, trigger, caller.UserId);
        }

        project.MoveToWorkflowVersion(_definition);

        Assert.Equal((3, "Evaluation"), (project.WorkflowVersion, project.State));
        Settle(project, ["D1", "D2", "D3"]);
        Assert.Null(_definition.FindTransition(project.State, "CloseProject"));
        Fire(project, "RequestClosure", Manager, ClosureComment);
        Assert.Equal("EvaluationReview", project.State);
    }

    [Fact]
    public void EveryStateTransitionAndGateOfV3HasAChineseLabel()
    {
        var labels = _definition.States.Select(s => s.Label)
            .Concat(_definition.Transitions.Select(t => t.Label))
            .Concat(_definition.Gates.Select(g => g.Label))
            .Append(_definition.Title);
        Assert.All(labels, label =>
        {
            Assert.False(string.IsNullOrWhiteSpace(label.En));
            Assert.Contains(label.ZhHans, c => c >= '\u4e00' && c <= '\u9fff');
        });
    }

    private Project NewProject() => Project.Create(
        new ProjectDetails("Loess Plateau grassland", "Restore native grassland on degraded slopes.", "CN", ["grassland"], 1200m),
        _definition, Manager.UserId, Now,
        new ProjectRegistry("CN-2026-001", "", null, false, null, new DateOnly(2026, 3, 1), 10, null, null, ""));

    /// <summary>
    /// What the people, targets and safeguards guards read, as a project whose plan is in order would have it (see
    /// <see cref="StaperV2WorkflowTests"/>): those guards are tested on their own and must not stand in the path's way.
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

    /// <summary>
    /// Fires <paramref name="trigger"/> once its conditions are met. For a gated approve or reject transition this is
    /// what a reached quorum or a rejection does through the engine; callers cannot fire those directly.
    /// </summary>
    private void Fire(Project project, string trigger, Caller caller, string? comment)
    {
        var unmet = Conditions(project, trigger, caller, comment);
        Assert.True(unmet.Count == 0, $"{trigger} from {project.State}: {string.Join("; ", unmet.Select(r => $"{r.Guard}: {r.Message.En}"))}");
        Assert.Contains(_definition.FindTransition(project.State, trigger)!.Roles, caller.IsInRole);
        project.Fire(_definition, trigger, caller.UserId);
    }
}
