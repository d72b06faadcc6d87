using RestorationWorkflow.Projects;

namespace RestorationWorkflow.Workflows.Guards;

/// <summary>The name of one kind of data that guards read (the checklist; later consents, targets, findings, approvals).</summary>
public abstract class GuardDataKey(string name)
{
    public string Name { get; } = name;

    public override string ToString() => Name;
}

/// <summary>A typed <see cref="GuardDataKey"/>: guards read a <typeparamref name="T"/> under it.</summary>
/// <typeparam name="T">What the provider of this kind loads.</typeparam>
public sealed class GuardDataKey<T>(string name) : GuardDataKey(name)
    where T : class;

/// <summary>
/// Loads one kind of guard data for one project. Each feature registers a provider for the data it owns, under the
/// name of its <see cref="Key"/>; the engine's caller asks only for the kinds that the guards of the transitions being
/// evaluated need, and no other provider is created.
/// </summary>
public interface IGuardDataProvider
{
    GuardDataKey Key { get; }

    /// <summary>
    /// Whether what <see cref="LoadAsync"/> returns depends on nothing but the project's rows in the tables of
    /// <see cref="Approvals.CoveredContent.StampedEntities"/>, the project's registry fields, id and workflow, and
    /// the app's own catalogs (not the clock, not the caller, not another table). Then it stays right while the
    /// project's <see cref="Project.ContentStamp"/> and workflow are unchanged, and <see cref="GuardData"/> reuses it
    /// through an <see cref="IGuardDataCache"/> (decision 0069). The value must then be immutable: requests share it.
    /// A test reads every stamped provider's SQL and checks the tables it names.
    /// </summary>
    bool Stamped => false;

    Task<object> LoadAsync(Project project, CancellationToken cancellationToken);
}

/// <summary>
/// Guard data a <see cref="IGuardDataProvider.Stamped"/> provider loaded, kept with the project's stamp and workflow
/// it was read at, and given again only while the project has the same (decision 0069).
/// </summary>
public interface IGuardDataCache
{
    bool TryGet(Project project, GuardDataKey key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out object? value);

    void Keep(Project project, GuardDataKey key, object value);
}

/// <summary>What the guards of the transitions being evaluated read, loaded before they run (guards themselves are synchronous).</summary>
public sealed class GuardData
{
    private readonly Dictionary<string, object> _values = new(StringComparer.Ordinal);

    /// <summary>No data: enough for guards that read only the project row and the request.</summary>
    public static GuardData None { get; } = new();

    public bool Has(GuardDataKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return _values.ContainsKey(key.Name);
    }

    public T Get<T>(GuardDataKey<T> key)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(key);
        return _values.TryGetValue(key.Name, out var value)
            ? (T)value
            : throw new InvalidOperationException($"Guard data '{key.Name}' was not loaded: the guard that reads it must list it in IGuard.Needs.");
    }

    public void Set(GuardDataKey key, object value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        if (ReferenceEquals(this, None))
            throw new InvalidOperationException("GuardData.None is shared and cannot hold data.");
        _values[key.Name] = value;
    }

    /// <summary>
    /// Loads, once each, the kinds of data that the guards of <paramref name="transitions"/> need, each through the
    /// provider <paramref name="providerFor"/> gives for its name. Only those providers are asked for: a transition
    /// whose guards read nothing but the project row and the request asks for none. A stamped provider's data is
    /// taken from <paramref name="cache"/> while the project's stamp and workflow are those it was read at, and
    /// kept there when read.
    /// </summary>
    public static async Task<GuardData> LoadAsync(
        Project project, IEnumerable<TransitionDefinition> transitions, GuardRegistry registry, Func<string, IGuardDataProvider?> providerFor,
        IGuardDataCache? cache, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(transitions);
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(providerFor);
        var needed = transitions.SelectMany(t => t.Guards).Select(g => registry.Get(g.Type)).SelectMany(g => g.Needs)
            .Select(k => k.Name).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (needed.Count == 0)
            return None;
        var data = new GuardData();
        foreach (var name in needed)
        {
            var provider = providerFor(name)
                ?? throw new InvalidOperationException($"No guard data provider is registered for: {name}.");
            if (provider.Key.Name != name)
                throw new InvalidOperationException($"The guard data provider registered for {name} ({provider.GetType().Name}) loads {provider.Key.Name}.");
            var stamped = cache is not null && provider.Stamped;
            if (stamped && cache!.TryGet(project, provider.Key, out var kept))
            {
                data.Set(provider.Key, kept);
                continue;
            }
            var value = await provider.LoadAsync(project, cancellationToken);
            if (stamped)
                cache!.Keep(project, provider.Key, value);
            data.Set(provider.Key, value);
        }
        return data;
    }
}

/// <summary>The kinds of guard data about a project's own content.</summary>
public static class ProjectGuardData
{
    /// <summary>The project's checklist, keyed by STAPER step code.</summary>
    public static readonly GuardDataKey<IReadOnlyDictionary<string, ChecklistItem>> Checklist = new("checklist");

    /// <summary>Which codes have a step form and where each form stands.</summary>
    public static readonly GuardDataKey<StepFormStatuses> StepForms = new("stepForms");
}
