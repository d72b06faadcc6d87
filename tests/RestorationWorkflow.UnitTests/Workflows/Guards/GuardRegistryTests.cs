using RestorationWorkflow.Workflows.Guards;

namespace RestorationWorkflow.UnitTests.Workflows.Guards;

public sealed class GuardRegistryTests
{
    [Fact]
    public void RegisteringTwoGuardsWithTheSameTypeThrows()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => new GuardRegistry([new RoleMemberGuard(), new ChecklistCompleteGuard(), new RoleMemberGuard()]));

        Assert.Contains("'roleMember'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheDefaultRegistryHoldsTheShippedGuards()
    {
        Assert.Equal(
            ["checklistComplete", "consentGranted", "participationRecorded", "planHasSmartTargets", "projectFieldsComplete", "roleMember", "safeguardsCleared"],
            GuardRegistry.Default.Types.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void AGuardLoadsOnlyTheDataItNeeds()
    {
        Assert.Equal(["checklist", "stepForms"], new ChecklistCompleteGuard().Needs.Select(k => k.Name));
        Assert.Empty(((IGuard)new ProjectFieldsCompleteGuard()).Needs);
        Assert.Empty(((IGuard)new RoleMemberGuard()).Needs);
        Assert.Equal(["targets"], new PlanHasSmartTargetsGuard().Needs.Select(k => k.Name));
    }

    [Fact]
    public void ReadingDataThatWasNotLoadedSaysWhichKind()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => GuardData.None.Get(ProjectGuardData.Checklist));

        Assert.Contains("'checklist'", ex.Message, StringComparison.Ordinal);
    }
}
