namespace RestorationWorkflow.Forms;

/// <summary>
/// The step forms loaded at start-up and which version of each a workflow definition uses (the folder's
/// <c>manifest.json</c>). A code the manifest does not name for a project's definition keeps the plain checklist.
/// </summary>
public sealed class StepFormCatalog
{
    private readonly Dictionary<(string Code, int Version), StepFormDefinition> _forms;
    private readonly Dictionary<(string WorkflowId, int WorkflowVersion), IReadOnlyDictionary<string, int>> _manifest;

    public StepFormCatalog(IEnumerable<StepFormDefinition> forms, IReadOnlyDictionary<(string WorkflowId, int WorkflowVersion), IReadOnlyDictionary<string, int>> manifest)
    {
        ArgumentNullException.ThrowIfNull(forms);
        ArgumentNullException.ThrowIfNull(manifest);
        _forms = forms.ToDictionary(f => (f.Code, f.Version));
        _manifest = manifest.ToDictionary(m => m.Key, m => m.Value);
    }

    /// <summary>No forms: every code keeps the checklist.</summary>
    public static StepFormCatalog Empty { get; } = new([], new Dictionary<(string, int), IReadOnlyDictionary<string, int>>());

    public IEnumerable<StepFormDefinition> All => _forms.Values.OrderBy(f => f.Code, StringComparer.Ordinal).ThenBy(f => f.Version);

    public StepFormDefinition? Find(string code, int version) => _forms.GetValueOrDefault((code, version));

    /// <summary>The newest version of a code's form (what <c>GET /api/forms/{code}</c> serves).</summary>
    public StepFormDefinition? Latest(string code) =>
        _forms.Values.Where(f => f.Code == code).OrderByDescending(f => f.Version).FirstOrDefault();

    /// <summary>The form a project on <paramref name="workflowId"/>@<paramref name="workflowVersion"/> fills in for <paramref name="code"/>, or null.</summary>
    public StepFormDefinition? For(string workflowId, int workflowVersion, string code) =>
        _manifest.TryGetValue((workflowId, workflowVersion), out var forms) && forms.TryGetValue(code, out var version)
            ? Find(code, version)
            : null;

    /// <summary>The codes that have a form in that definition.</summary>
    public IReadOnlyCollection<string> CodesFor(string workflowId, int workflowVersion) =>
        _manifest.TryGetValue((workflowId, workflowVersion), out var forms) ? [.. forms.Keys] : [];
}
