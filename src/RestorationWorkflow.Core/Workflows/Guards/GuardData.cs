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
/// Loads one kind of guard data for one project. Each feature registers a provider for the data it owns; the
/// engine's caller asks only for the kinds that the guards of the transitions being evaluated need.
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
    /// Loads, once each, the kinds of data that the guards of <paramref name="transitions"/> need, through the
    /// registered providers.
    /// </summary>
    public static async Task<GuardData> LoadAsync(
        Project project, IEnumerable<TransitionDefinition> transitions, GuardRegistry registry, IEnumerable<IGuardDataProvider> providers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transitions);
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(providers);
        var needed = transitions.SelectMany(t => t.Guards).Select(g => registry.Get(g.Type)).SelectMany(g => g.Needs)
            .Select(k => k.Name).ToHashSet(StringComparer.Ordinal);
        if (needed.Count == 0)
            return None;
        var data = new GuardData();
        foreach (var provider in providers)
        {
            if (needed.Remove(provider.Key.Name))
                data.Set(provider.Key, await provider.LoadAsync(project, cancellationToken));
        }
        if (needed.Count > 0)
            throw new InvalidOperationException($"No guard data provider is registered for: {string.Join(", ", needed)}.");
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
