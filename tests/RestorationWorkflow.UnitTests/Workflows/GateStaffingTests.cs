using RestorationWorkflow.Identity;
using RestorationWorkflow.Workflows;
using static RestorationWorkflow.UnitTests.TestSupport.TestWorkflows;

namespace RestorationWorkflow.UnitTests.Workflows;

/// <summary>A gate's quorum against the active users holding its approver roles: the warning the loader cannot give (decision 0026).</summary>
public sealed class GateStaffingTests
{
    [Fact]
    public void OneApprover_WarnsForThePlanGateOnly_InBothLanguages()
    {
        var warning = Assert.Single(GateStaffing.Check([StaperV3], [("ap-1", AppRoles.Approver), ("pm-1", AppRoles.ProjectManager)]));

        Assert.Equal(("staper-restoration", 3, "plan", 2, 1), (warning.WorkflowId, warning.WorkflowVersion, warning.Gate, warning.Quorum, warning.Approvers));
        Assert.Equal([AppRoles.Approver], warning.ApproverRoles);
        Assert.StartsWith("Gate plan needs 2 distinct approvers but only 1 user holds the role Approver.", warning.Message.En, StringComparison.Ordinal);
        Assert.Contains("the members of the project team are excluded when deciding", warning.Message.En, StringComparison.Ordinal);
        Assert.StartsWith("审批关口 plan 需要 2 名不同的审批人，但只有 1 名用户具有角色审批人（Approver）。", warning.Message.ZhHans, StringComparison.Ordinal);
        Assert.Contains("项目团队成员", warning.Message.ZhHans, StringComparison.Ordinal);
        Assert.Equal("staper-restoration@3: " + warning.Message.En, warning.ToString());
    }

    [Fact]
    public void TwoApprovers_NoWarning_AndTheSameUserTwiceCountsOnce()
    {
        Assert.Empty(GateStaffing.Check([StaperV3], [("ap-1", AppRoles.Approver), ("ap-2", AppRoles.Approver)]));
        Assert.Equal(["plan"], GateStaffing.Check([StaperV3], [("ap-1", AppRoles.Approver), ("ap-1", AppRoles.Approver)]).Select(w => w.Gate));
    }

    [Fact]
    public void NoApprover_WarnsForEveryGateOfEveryDefinition()
    {
        var warnings = GateStaffing.Check(Catalog.All, [("admin", AppRoles.Administrator)]);

        Assert.Equal(Catalog.All.Sum(d => d.Gates.Count), warnings.Count);
        var consent = warnings.Single(w => w.WorkflowVersion == 3 && w.Gate == "consent");
        Assert.StartsWith("Gate consent needs 1 approver but no user holds the role Approver.", consent.Message.En, StringComparison.Ordinal);
        Assert.StartsWith("审批关口 consent 需要 1 名审批人，但没有用户具有角色审批人（Approver）。", consent.Message.ZhHans, StringComparison.Ordinal);
    }

    [Fact]
    public void AUserHoldingAnyOfSeveralApproverRolesCounts_AndWithoutSeparationOfDutiesTheTeamIsNotMentioned()
    {
        var gate = new GateDefinition
        {
            Id = "budget",
            Label = new LocalizedText("Budget", "预算"),
            ApproverRoles = [AppRoles.Approver, AppRoles.Administrator],
            Quorum = 3,
            SeparationOfDuties = false,
        };

        var text = GateStaffing.Describe(gate, 2);

        Assert.Equal("Gate budget needs 3 distinct approvers but only 2 users hold one of the roles Approver, Administrator.", text.En);
        Assert.Equal("审批关口 budget 需要 3 名不同的审批人，但只有 2 名用户具有角色审批人（Approver）、管理员（Administrator）。", text.ZhHans);
    }
}
