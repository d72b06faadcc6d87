using RestorationWorkflow.Identity;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Reminders;
using RestorationWorkflow.Web.Features.Reminders.Delivery;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.IntegrationTests.Reminders;

/// <summary>
/// Who is reminded of an approval decision follows the decision rules (ApprovalRules.MayDecide): with separation of duties
/// the submitter and the team are left out; a gate of a definition that does not keep it reminds them too, since they may decide.
/// </summary>
public sealed class ReminderAudienceTests
{
    private static readonly ReminderRecipient Manager = Recipient("pm", AppRoles.ProjectManager);
    private static readonly ReminderRecipient TeamApprover = Recipient("team-approver", AppRoles.Approver);
    private static readonly ReminderRecipient Submitter = Recipient("submitter", AppRoles.Approver, AppRoles.ProjectManager);
    private static readonly ReminderRecipient Outside = Recipient("outside", AppRoles.Approver);
    private static readonly ReminderRecipient Decided = Recipient("decided", AppRoles.Approver);
    private static readonly ReminderRecipient Admin = Recipient("admin", AppRoles.Administrator);

    private static ReminderRecipient Recipient(string id, params string[] roles) =>
        new(id, $"{id}@example.org", id, "en", true, false, roles.ToHashSet(StringComparer.Ordinal));

    private static WorkflowCatalog Catalog(bool separationOfDuties) => new([new WorkflowDefinition
    {
        Id = "audience-test",
        Version = 1,
        Title = new LocalizedText("Audience test", "测试"),
        InitialState = "Draft",
        States = [],
        Transitions = [],
        Gates = [new GateDefinition
        {
            Id = "plan",
            Label = new LocalizedText("Plan", "计划"),
            ApproverRoles = [AppRoles.Approver],
            SeparationOfDuties = separationOfDuties,
        }],
    }]);

    private static IReadOnlyList<string> Audience(bool separationOfDuties, string stage)
    {
        var project = new ReminderProject(Guid.NewGuid(), "Test", "T-1", "audience-test",
            [("pm", ProjectMemberRole.Manager), ("team-approver", ProjectMemberRole.Member), ("submitter", ProjectMemberRole.Manager)]);
        var request = new ReminderRequest(Guid.NewGuid(), "plan", 1, Open: true, SubmittedById: "submitter",
            DecidedBy: new HashSet<string>(["decided"], StringComparer.Ordinal));
        var directory = ReminderDirectory.Of([Manager, TeamApprover, Submitter, Outside, Decided, Admin]);
        return ReminderAudience.For(DueItemKinds.ApprovalDecision, stage, project, request, directory, Catalog(separationOfDuties));
    }

    [Fact]
    public void WithSeparationOfDuties_OnlyApproversOffTheTeamWhoHaveNotDecided_AreReminded()
    {
        Assert.Equal(["outside"], Audience(separationOfDuties: true, ReminderStages.Due));
    }

    [Fact]
    public void WithoutSeparationOfDuties_TheSubmitterAndTheTeamMayDecide_SoTheyAreRemindedToo()
    {
        Assert.Equal(["outside", "submitter", "team-approver"], Audience(separationOfDuties: false, ReminderStages.Due));
    }

    [Fact]
    public void AtEscalation_TheApproversOffTheTeamAndTheAdministratorsAreAdded()
    {
        Assert.Equal(["admin", "decided", "outside"], Audience(separationOfDuties: true, ReminderStages.Escalation));
    }
}
