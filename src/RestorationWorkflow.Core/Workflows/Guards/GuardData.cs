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

    Task<object> LoadAsync(Project project, CancellationToken cancellationToken);
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
    /// whose guards read nothing but the project row and the request asks for none.
    /// </summary>
    public static async Task<GuardData> LoadAsync(
        Project project, IEnumerable<TransitionDefinition> transitions, GuardRegistry registry, Func<string, IGuardDataProvider?> providerFor, CancellationToken cancellationToken)
    {
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
            data.Set(provider.Key, await provider.LoadAsync(project, cancellationToken));
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
