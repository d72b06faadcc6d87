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
            kind => { asked.Add(kind); return null; }, null, CancellationToken.None);

        Assert.Empty(asked);
        Assert.Same(GuardData.None, data);
    }

    [Fact]
    public async Task EachKindThatAGuardReads_IsAskedForOnce_AndNoOther()
    {
        var asked = new List<string>();

        var data = await GuardData.LoadAsync(Project, [Transition("checklistComplete", "roleMember"), Transition("checklistComplete")], GuardRegistry.Default,
            kind => { asked.Add(kind); return new Provider(kind == "checklist" ? ProjectGuardData.Checklist : ProjectGuardData.StepForms); }, null, CancellationToken.None);

        Assert.Equal(["checklist", "stepForms"], asked);
        Assert.True(data.Has(ProjectGuardData.Checklist));
        Assert.True(data.Has(ProjectGuardData.StepForms));
        Assert.False(data.Has(TargetGuardData.Targets));
    }

    [Fact]
    public async Task AKindWithoutAProvider_IsNamed()
    {
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => GuardData.LoadAsync(
            Project, [Transition("planHasSmartTargets")], GuardRegistry.Default, _ => null, null, CancellationToken.None));

        Assert.Equal("No guard data provider is registered for: targets.", ex.Message);
    }

    [Fact]
    public async Task AProviderRegisteredUnderAnotherKind_IsRefused()
    {
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => GuardData.LoadAsync(
            Project, [Transition("planHasSmartTargets")], GuardRegistry.Default, _ => new Provider(ProjectGuardData.Checklist), null, CancellationToken.None));

        Assert.Equal("The guard data provider registered for targets (Provider) loads checklist.", ex.Message);
    }

    /// <summary>
    /// A stamped provider's data is taken from the cache when the cache has it, and kept there when read; an unstamped
    /// provider's is always read and never kept (decision 0069).
    /// </summary>
    [Fact]
    public async Task AStampedProvidersData_IsTakenFromTheCache_AndKeptWhenRead_AnUnstampedOnesNever()
    {
        var cache = new Cache();
        var checklist = new Provider(ProjectGuardData.Checklist, stamped: true);
        var forms = new Provider(ProjectGuardData.StepForms, stamped: false);
        IGuardDataProvider ProviderFor(string kind) => kind == "checklist" ? checklist : forms;
        TransitionDefinition[] transitions = [Transition("checklistComplete")];

        var first = await GuardData.LoadAsync(Project, transitions, GuardRegistry.Default, ProviderFor, cache, CancellationToken.None);
        var second = await GuardData.LoadAsync(Project, transitions, GuardRegistry.Default, ProviderFor, cache, CancellationToken.None);

        Assert.Equal((1, 2), (checklist.Loads, forms.Loads));
        Assert.Equal(["checklist"], cache.Kept.Keys);
        Assert.Same(first.Get(ProjectGuardData.Checklist), second.Get(ProjectGuardData.Checklist));
        Assert.NotSame(first.Get(ProjectGuardData.StepForms), second.Get(ProjectGuardData.StepForms));

        // Without a cache, every provider is read.
        await GuardData.LoadAsync(Project, transitions, GuardRegistry.Default, ProviderFor, null, CancellationToken.None);
        Assert.Equal((2, 3), (checklist.Loads, forms.Loads));
    }

    private static TransitionDefinition Transition(params string[] guards) => new()
    {
        From = ["Draft"],
        Trigger = "Go",
        Roles = ["ProjectManager"],
        Label = new LocalizedText("Go", "前进"),
        Guards = [.. guards.Select(g => new GuardDefinition { Type = g })],
    };

    private sealed class Provider(GuardDataKey key, bool stamped = false) : IGuardDataProvider
    {
        public GuardDataKey Key => key;

        public bool Stamped => stamped;

        public int Loads { get; private set; }

        public Task<object> LoadAsync(Project project, CancellationToken cancellationToken)
        {
            Loads++;
            return Task.FromResult<object>(key == ProjectGuardData.Checklist
                ? new Dictionary<string, ChecklistItem>(StringComparer.Ordinal)
                : StepFormStatuses.None with { });
        }
    }

    /// <summary>Keeps every value given, by kind (the stamp is the app's <c>StampedGuardDataCache</c>'s concern).</summary>
    private sealed class Cache : IGuardDataCache
    {
        public Dictionary<string, object> Kept { get; } = new(StringComparer.Ordinal);

        public bool TryGet(Project project, GuardDataKey key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out object? value) =>
            Kept.TryGetValue(key.Name, out value);

        public void Keep(Project project, GuardDataKey key, object value) => Kept[key.Name] = value;
    }
}
