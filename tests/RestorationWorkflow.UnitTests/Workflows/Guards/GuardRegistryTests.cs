using RestorationWorkflow.Workflows.Guards;

namespace RestorationWorkflow.UnitTests.Workflows.Guards;

public sealed class GuardRegistryTests
{
    [Fact]
    public void RegisteringTwoGuardsWithTheSameTypeThrows()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => new GuardRegistry([new CommentProvidedGuard(), new RoleMemberGuard(), new CommentProvidedGuard()]));

        Assert.Contains("'commentProvided'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheDefaultRegistryHoldsTheShippedGuards()
    {
        Assert.Equal(
            ["checklistComplete", "commentProvided", "projectFieldsComplete", "roleMember"],
            GuardRegistry.Default.Types.Order(StringComparer.Ordinal));
    }
}
