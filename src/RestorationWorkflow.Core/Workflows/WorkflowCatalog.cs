namespace RestorationWorkflow.Workflows;

/// <summary>
/// Every loaded workflow definition, by id and version. Built by <see cref="WorkflowDefinitionLoader"/>;
/// immutable and safe to share (register it as a singleton).
/// </summary>
public sealed class WorkflowCatalog
{
    private readonly Dictionary<(string Id, int Version), WorkflowDefinition> _byKey = [];
    private readonly Dictionary<string, IReadOnlyList<WorkflowDefinition>> _byId;

    /// <exception cref="ArgumentException">Two definitions share an id and version.</exception>
    public WorkflowCatalog(IEnumerable<WorkflowDefinition> definitions)
    {
        ArgumentNullException.ThrowIfNull(definitions);
        foreach (var definition in definitions)
        {
            ArgumentNullException.ThrowIfNull(definition, nameof(definitions));
            if (!_byKey.TryAdd((definition.Id, definition.Version), definition))
                throw new ArgumentException($"Workflow {definition.Key} is in the catalog twice.", nameof(definitions));
        }
        All = [.. _byKey.Values.OrderBy(d => d.Id, StringComparer.Ordinal).ThenBy(d => d.Version)];
        _byId = All.GroupBy(d => d.Id, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<WorkflowDefinition>)[.. g], StringComparer.Ordinal);
    }

    public static WorkflowCatalog Empty { get; } = new([]);

    /// <summary>Every definition, ordered by id, then version.</summary>
    public IReadOnlyList<WorkflowDefinition> All { get; }

    /// <summary>The distinct workflow ids, ordered.</summary>
    public IReadOnlyList<string> Ids => [.. _byId.Keys.Order(StringComparer.Ordinal)];

    /// <summary>One version of a workflow, or null.</summary>
    public WorkflowDefinition? Find(string id, int version) => _byKey.GetValueOrDefault((id, version));

    /// <summary>One version of a workflow.</summary>
    /// <exception cref="KeyNotFoundException">No such id and version.</exception>
    public WorkflowDefinition Get(string id, int version) =>
        Find(id, version) ?? throw new KeyNotFoundException($"Workflow {id}@{version} is not in the catalog.");

    /// <summary>The definition version a project is pinned to.</summary>
    /// <exception cref="InvalidOperationException">That version is not loaded.</exception>
    public WorkflowDefinition DefinitionOf(Projects.Project project)
    {
        ArgumentNullException.ThrowIfNull(project);
        return Find(project.WorkflowId, project.WorkflowVersion)
            ?? throw new InvalidOperationException($"Project {project.Id} is pinned to {project.WorkflowId}@{project.WorkflowVersion}, which is not loaded.");
    }

    /// <summary>The highest version of a workflow, or null when the id is unknown.</summary>
    public WorkflowDefinition? Latest(string id) => _byId.TryGetValue(id, out var versions) ? versions[^1] : null;

    /// <summary>Every version of a workflow, lowest first; empty when the id is unknown.</summary>
    public IReadOnlyList<WorkflowDefinition> Versions(string id) => _byId.GetValueOrDefault(id) ?? [];
}
