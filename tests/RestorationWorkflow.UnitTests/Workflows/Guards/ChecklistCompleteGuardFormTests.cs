using RestorationWorkflow.Identity;
using RestorationWorkflow.Projects;
using RestorationWorkflow.UnitTests.TestSupport;
using RestorationWorkflow.Workflows;
using RestorationWorkflow.Workflows.Guards;

namespace RestorationWorkflow.UnitTests.Workflows.Guards;

/// <summary><c>checklistComplete</c> for steps with a form: the form settles them, not a tick; "to review" is named.</summary>
public class ChecklistCompleteGuardFormTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly Caller Manager = new("pm-1", "Wang Fang", new HashSet<string> { AppRoles.ProjectManager });

    private static LocalizedText? Evaluate(Project project, StepFormStatuses forms)
    {
        var definition = TestWorkflows.Staper;
        var transition = definition.FindTransition("Assessment", "SubmitAssessment")!;
        var guard = transition.Guards.Single(g => g.Type == "checklistComplete");
        var data = new GuardData();
        data.Set(ProjectGuardData.Checklist, project.Checklist.ToDictionary(i => i.Code, StringComparer.Ordinal));
        data.Set(ProjectGuardData.StepForms, forms);
        return new ChecklistCompleteGuard().Evaluate(new GuardContext(project, definition, transition, Manager, null, data), guard);
    }

    private static Project NewProject()
    {
        var project = Project.Create(new ProjectDetails("P", "d", "KE", ["wetland"], 1), TestWorkflows.Staper, Manager.UserId, Now);
        foreach (var code in new[] { "A1", "A2", "A3", "A4", "A5", "A6" })
            project.UpdateChecklistItem(code, ChecklistStatus.Done, null, Manager.UserId, Now);
        return project;
    }

    private static StepFormStatuses Forms(params (string Code, StepFormStatus Status)[] statuses) =>
        new(new HashSet<string>(["A1", "A2", "A4", "A5", "A6"]), statuses.ToDictionary(s => s.Code, s => s.Status));

    [Fact]
    public void A_ticked_step_with_a_form_is_not_settled_until_its_form_is_complete()
    {
        var project = NewProject();
        var unmet = Evaluate(project, Forms(("A1", StepFormStatus.Complete), ("A2", StepFormStatus.InProgress)));
        Assert.Equal("Complete these steps or mark them not applicable with a reason: A2, A4, A5, A6.", unmet!.En);
    }

    [Fact]
    public void To_review_forms_are_named_apart()
    {
        var project = NewProject();
        var all = Forms(("A1", StepFormStatus.ToReview), ("A2", StepFormStatus.Complete), ("A4", StepFormStatus.Complete), ("A5", StepFormStatus.Complete), ("A6", StepFormStatus.ToReview));
        var unmet = Evaluate(project, all);
        Assert.Equal("Confirm these forms again after the feedback (to review): A1, A6.", unmet!.En);
        Assert.Contains("A1、A6", unmet.ZhHans, StringComparison.Ordinal);
    }

    [Fact]
    public void Not_applicable_with_a_reason_settles_a_step_with_a_form()
    {
        var project = NewProject();
        project.UpdateChecklistItem("A4", ChecklistStatus.NotApplicable, "Costed nationally.", Manager.UserId, Now);
        var unmet = Evaluate(project, Forms(("A1", StepFormStatus.Complete), ("A2", StepFormStatus.Complete), ("A5", StepFormStatus.Complete), ("A6", StepFormStatus.Complete)));
        Assert.Null(unmet);
    }

    [Fact]
    public void Without_form_data_every_step_keeps_the_checklist()
    {
        var project = NewProject();
        Assert.Null(Evaluate(project, StepFormStatuses.None));
    }
}
