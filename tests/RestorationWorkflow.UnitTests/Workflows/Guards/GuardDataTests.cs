using RestorationWorkflow.Projects;
using RestorationWorkflow.Workflows;
using RestorationWorkflow.Workflows.Guards;
using static RestorationWorkflow.UnitTests.TestSupport.TestWorkflows;

namespace RestorationWorkflow.UnitTests.Workflows.Guards;

/// <summary>
/// <see cref="GuardData.LoadAsync"/> asks for a provider only for the kinds the evaluated transitions' guards read,
/// once each: a transition whose guards read nothing asks for none (no provider is created).
/// </summary>
public sealed class GuardDataTests
{
    private static readonly Project Project = Project.Create(
        new ProjectDetails("Loess Plateau", "Grassland.", "CN", ["grassland"], 1200m), Staper, "pm-1", new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task GuardsThatReadNoData_AskForNoProvider()
    {
        var asked = new List<string>();

        var data = await GuardData.LoadAsync(Project, [Transition("roleMember", "projectFieldsComplete"), Transition()], GuardRegistry.Default,
            kind => { asked.Add(kind); return null; }, CancellationToken.None);

        Assert.Empty(asked);
        Assert.Same(GuardData.None, data);
    }

    [Fact]
    public async Task EachKindThatAGuardReads_IsAskedForOnce_AndNoOther()
    {
        var asked = new List<string>();

        var data = await GuardData.LoadAsync(Project, [Transition("checklistComplete", "roleMember"), Transition("checklistComplete")], GuardRegistry.Default,
            kind => { asked.Add(kind); return new Provider(kind == "checklist" ? ProjectGuardData.Checklist : ProjectGuardData.StepForms); }, CancellationToken.None);

        Assert.Equal(["checklist", "stepForms"], asked);
        Assert.True(data.Has(ProjectGuardData.Checklist));
        Assert.True(data.Has(ProjectGuardData.StepForms));
        Assert.False(data.Has(TargetGuardData.Targets));
    }

    [Fact]
    public async Task AKindWithoutAProvider_IsNamed()
    {
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => GuardData.LoadAsync(
            Project, [Transition("planHasSmartTargets")], GuardRegistry.Default, _ => null, CancellationToken.None));

        Assert.Equal("No guard data provider is registered for: targets.", ex.Message);
    }

    [Fact]
    public async Task AProviderRegisteredUnderAnotherKind_IsRefused()
    {
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => GuardData.LoadAsync(
            Project, [Transition("planHasSmartTargets")], GuardRegistry.Default, _ => new Provider(ProjectGuardData.Checklist), CancellationToken.None));

        Assert.Equal("The guard data provider registered for targets (Provider) loads checklist.", ex.Message);
    }

    private static TransitionDefinition Transition(params string[] guards) => new()
    {
        From = ["Draft"],
        Trigger = "Go",
        Roles = ["ProjectManager"],
        Label = new LocalizedText("Go", "前进"),
        Guards = [.. guards.Select(g => new GuardDefinition { Type = g })],
    };

    private sealed class Provider(GuardDataKey key) : IGuardDataProvider
    {
        public GuardDataKey Key => key;

        public Task<object> LoadAsync(Project project, CancellationToken cancellationToken) => Task.FromResult<object>(new object());
    }
}
