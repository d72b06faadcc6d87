using RestorationWorkflow.Identity;
using RestorationWorkflow.Projects;
using RestorationWorkflow.UnitTests.TestSupport;
using RestorationWorkflow.Workflows;
using RestorationWorkflow.Workflows.Guards;

namespace RestorationWorkflow.UnitTests.Workflows;

/// <summary>
/// Runs projects through the shipped STAPER v1 definition with the engine (conditions) and the aggregate. Who may
/// fire a transition is the web layer's authorization handler, tested in the integration tests.
/// </summary>
public sealed class StaperWorkflowTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly Caller Manager = new("pm-1", "Wang Fang", new HashSet<string> { AppRoles.ProjectManager });
    private static readonly Caller OtherManager = new("pm-2", "Li Wei", new HashSet<string> { AppRoles.ProjectManager });
    private static readonly Caller Approver = new("ap-1", "Amina Diallo", new HashSet<string> { AppRoles.Approver });
    private static readonly Caller Admin = new("admin-1", "Admin", new HashSet<string> { AppRoles.Administrator });

    /// <summary>The forward path: trigger, who fires it, the steps to settle first, the state reached.</summary>
    private static readonly (string Trigger, Caller Caller, string[] Steps, string? Comment, string To)[] ForwardPath =
    [
        ("StartAssessment", Manager, [], null, "Assessment"),
        ("SubmitAssessment", Manager, ["A1", "A2", "A3", "A4", "A5", "A6"], null, "ConsentReview"),
        ("ApproveConsent", Approver, [], null, "EnablingEnvironment"),
        ("StartPlanning", Manager, ["B1", "B2", "B3", "B4", "B5", "B6", "B7", "B8", "B9"], null, "Planning"),
        ("SubmitPlan", Manager, ["C1", "C2", "C3", "C4"], null, "PlanReview"),
        ("ApprovePlan", Approver, [], null, "Implementation"),
        ("StartMonitoring", Manager, ["C5"], null, "Monitoring"),
        ("StartEvaluation", Manager, ["D1"], null, "Evaluation"),
        ("CloseProject", Manager, ["D2", "D3"], "Evaluated with the communities; lessons shared.", "Closed"),
    ];

    private readonly WorkflowDefinition _definition = TestWorkflows.Staper;
    private readonly WorkflowEngine _engine = new(GuardRegistry.Default);

    [Fact]
    public void HappyPathRunsFromDraftToClosed()
    {
        var project = NewProject();
        Assert.Equal("Draft", project.State);

        var visited = new List<string>();
        foreach (var step in ForwardPath)
        {
            Settle(project, step.Steps);
            Fire(project, step.Trigger, step.Caller, step.Comment);
            visited.Add(project.State);
        }

        Assert.Equal(ForwardPath.Select(s => s.To), visited);
        Assert.Equal(StateKind.Terminal, _definition.GetState(project.State).Kind);
        Assert.Empty(_definition.TransitionsFrom(project.State));
    }

    [Fact]
    public void StartingTheAssessmentNeedsTheRegistryFields()
    {
        var project = Project.Create(new ProjectDetails("Loess Plateau", "", "CN", [], 0m), _definition, Manager.UserId, Now);

        var unmet = Assert.Single(Conditions(project, "StartAssessment", Manager, null));
        Assert.Equal("projectFieldsComplete", unmet.Guard);
        Assert.Contains("description", unmet.Message.En, StringComparison.Ordinal);
        Assert.Contains("ecosystem types", unmet.Message.En, StringComparison.Ordinal);
        Assert.Contains("area", unmet.Message.En, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ConsentReview", "RejectConsent", true, "Assessment")]
    [InlineData("PlanReview", "RejectPlan", true, "Planning")]
    [InlineData("Planning", "Reassess", false, "Assessment")]
    [InlineData("Planning", "EnablingGap", false, "EnablingEnvironment")]
    [InlineData("Implementation", "AdaptPlan", false, "Planning")]
    [InlineData("Evaluation", "AdaptAssessment", false, "Assessment")]
    [InlineData("Evaluation", "AdaptEnablingEnvironment", false, "EnablingEnvironment")]
    [InlineData("Evaluation", "RevisePlan", false, "Planning")]
    [InlineData("Evaluation", "AdaptImplementation", false, "Implementation")]
    [InlineData("Evaluation", "NextMonitoringCycle", false, "Monitoring")]
    public void EveryFeedbackLoopLandsInItsTarget(string from, string trigger, bool byApprover, string to)
    {
        var project = ProjectIn(from);
        var transition = _definition.FindTransition(from, trigger)!;
        Assert.True(transition.Kind is "feedback" or "reject", $"{trigger} is a {transition.Kind} transition.");

        Fire(project, trigger, byApprover ? Approver : Manager, "The evaluation showed the baseline was wrong.");

        Assert.Equal(to, project.State);
    }

    [Theory]
    [InlineData("ConsentReview", "RejectConsent", true)]
    [InlineData("PlanReview", "RejectPlan", true)]
    [InlineData("Planning", "Reassess", false)]
    [InlineData("Planning", "EnablingGap", false)]
    [InlineData("Implementation", "AdaptPlan", false)]
    [InlineData("Evaluation", "AdaptAssessment", false)]
    [InlineData("Evaluation", "AdaptEnablingEnvironment", false)]
    [InlineData("Evaluation", "RevisePlan", false)]
    [InlineData("Evaluation", "AdaptImplementation", false)]
    public void FeedbackLoopsOtherThanTheNextMonitoringCycleNeedAComment(string from, string trigger, bool byApprover)
    {
        var project = ProjectIn(from);

        var unmet = Conditions(project, trigger, byApprover ? Approver : Manager, comment: "  ");

        Assert.Equal(WorkflowEngine.CommentRequired, Assert.Single(unmet).Guard);
    }

    [Fact]
    public void TheNextMonitoringCycleNeedsNoComment()
    {
        var project = ProjectIn("Evaluation");

        Assert.Empty(Conditions(project, "NextMonitoringCycle", Manager, comment: null));
    }

    [Theory]
    [InlineData("Assessment", false)]
    [InlineData("ConsentReview", true)]
    [InlineData("Planning", false)]
    [InlineData("Monitoring", true)]
    public void SuspendingAndResumingReturnsToTheStateLeft(string state, bool approverSuspends)
    {
        var project = ProjectIn(state);

        Fire(project, "WithdrawConsent", approverSuspends ? Approver : Manager, "The community withdrew its consent.");
        Assert.Equal("Suspended", project.State);
        Assert.Equal(state, project.StateBeforeSuspension);

        Fire(project, "Resume", approverSuspends ? Manager : Approver, "Consent granted again at the village meeting.");
        Assert.Equal(state, project.State);
        Assert.Null(project.StateBeforeSuspension);
    }

    [Fact]
    public void ResumingNeedsACommentRecordingTheRenewedConsent()
    {
        var project = ProjectIn("Planning");
        Fire(project, "WithdrawConsent", Manager, "Consent withdrawn.");

        Assert.Equal(WorkflowEngine.CommentRequired, Assert.Single(Conditions(project, "Resume", Manager, comment: null)).Guard);
    }

    [Fact]
    public void ClosingWithOpenStepsAndNoCommentListsEveryUnmetGuard()
    {
        var project = ProjectIn("Evaluation");
        project.UpdateChecklistItem("D1", ChecklistStatus.Open, null, Manager.UserId, Now);

        var unmet = Conditions(project, "CloseProject", Manager, comment: null);

        Assert.Equal(2, unmet.Count);
        var checklist = Assert.Single(unmet, u => u.Guard == "checklistComplete");
        Assert.Contains("D1, D2, D3", checklist.Message.En, StringComparison.Ordinal);
        Assert.Contains(unmet, u => u.Guard == WorkflowEngine.CommentRequired);
    }

    [Fact]
    public void AuthorizationGuardsAreNotTheEnginesBusiness()
    {
        var project = ProjectIn("Assessment");
        Settle(project, ["A1", "A2", "A3", "A4", "A5", "A6"]);

        // roleMember is decided by the authorization handler (403); the engine reports conditions only (422).
        Assert.Contains(_definition.FindTransition("Assessment", "SubmitAssessment")!.Guards, g => g.Type == "roleMember");
        Assert.Empty(Conditions(project, "SubmitAssessment", OtherManager, null));
    }

    [Fact]
    public void FiringRecordsWhoMovedTheProjectIntoItsState()
    {
        var project = ProjectIn("ConsentReview");

        Assert.Equal(Manager.UserId, project.StateEnteredById);
        Fire(project, "ApproveConsent", Approver, null);
        Assert.Equal(Approver.UserId, project.StateEnteredById);
    }

    [Fact]
    public void AnAdministratorCanCancelWithAComment()
    {
        var project = ProjectIn("Planning");
        Assert.False(project.IsManagedBy(Admin.UserId));
        Assert.Equal(WorkflowEngine.CommentRequired, Assert.Single(Conditions(project, "Cancel", Admin, comment: null)).Guard);

        Fire(project, "Cancel", Admin, "Funding withdrawn by the donor.");

        Assert.Equal("Cancelled", project.State);
    }

    [Fact]
    public void ASuspendedProjectCanBeCancelled()
    {
        var project = ProjectIn("Implementation");
        Fire(project, "WithdrawConsent", Manager, "Consent withdrawn.");

        Fire(project, "Cancel", Manager, "Consent will not be granted again.");

        Assert.Equal("Cancelled", project.State);
    }

    [Fact]
    public void ReviewDecisionsNameTheirGate()
    {
        Assert.Equal("consent-and-assessment", _definition.FindTransition("ConsentReview", "ApproveConsent")!.Gate);
        Assert.Equal("consent-and-assessment", _definition.FindTransition("ConsentReview", "RejectConsent")!.Gate);
        Assert.Equal("restoration-plan", _definition.FindTransition("PlanReview", "ApprovePlan")!.Gate);
        Assert.Equal("restoration-plan", _definition.FindTransition("PlanReview", "RejectPlan")!.Gate);
        Assert.All(_definition.Gates, g => Assert.Equal([AppRoles.Approver], g.ApproverRoles));
    }

    private Project NewProject() => Project.Create(
        new ProjectDetails("Loess Plateau grassland", "Restore native grassland on degraded slopes.", "CN", ["grassland"], 1200m),
        _definition, Manager.UserId, Now);

    /// <summary>A new project walked along the forward path until it is in <paramref name="state"/>.</summary>
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

    /// <summary>The unmet conditions of a trigger, with the checklist as the guard data (as the web layer loads it).</summary>
    private IReadOnlyList<UnmetGuard> Conditions(Project project, string trigger, Caller caller, string? comment)
    {
        var transition = _definition.FindTransition(project.State, trigger);
        Assert.True(transition is not null, $"{trigger} does not leave {project.State}.");
        var data = new GuardData();
        data.Set(ProjectGuardData.Checklist, project.Checklist.ToDictionary(i => i.Code, StringComparer.Ordinal));
        return _engine.Conditions(project, _definition, transition, caller, comment, commentKnown: true, data);
    }

    /// <summary>Insists every condition is met and the caller holds one of the transition's roles, then fires it.</summary>
    private void Fire(Project project, string trigger, Caller caller, string? comment)
    {
        var unmet = Conditions(project, trigger, caller, comment);
        Assert.True(unmet.Count == 0, $"{trigger} from {project.State}: {string.Join("; ", unmet.Select(r => $"{r.Guard}: {r.Message.En}"))}");
        Assert.Contains(_definition.FindTransition(project.State, trigger)!.Roles, caller.IsInRole);
        project.Fire(_definition, trigger, caller.UserId);
    }
}
