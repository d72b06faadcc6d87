using System.Text.Json;

namespace RestorationWorkflow.Benchmarks;

/// <summary>
/// The parts of a workflow definition the benchmark reads, as <c>GET /api/workflows/{id}/{version}</c> answers them:
/// the definition the app loaded from <c>workflows/*.json</c>, so the benchmark fires exactly the triggers it provides.
/// </summary>
internal sealed record WorkflowModel(string Id, int Version, string InitialState, IReadOnlyList<TransitionModel> Transitions)
{
    public string Key => $"{Id}@{Version}";

    public TransitionModel? FindTransition(string fromState, string trigger) =>
        Transitions.FirstOrDefault(t => t.Trigger == trigger && t.FromStates.Contains(fromState));

    public TransitionModel GetTransition(string fromState, string trigger) =>
        FindTransition(fromState, trigger)
            ?? throw new InvalidOperationException($"Workflow {Key} has no transition {trigger} from {fromState}.");
}

/// <summary>One transition; <c>from</c> is one state code or a list of them (<see cref="FromStates"/>).</summary>
internal sealed record TransitionModel(
    JsonElement From, string Trigger, string? To, IReadOnlyList<string> Roles, IReadOnlyList<GuardModel>? Guards, bool RequiresComment,
    string? Gate = null, string? Kind = null)
{
    /// <summary>An approve or reject transition of a gate (v3): fired by approvers' decisions on the request, not directly.</summary>
    public bool DecidedByApprovers => Gate is not null && Kind is "approve" or "reject";

    public string Decision => Kind == "reject" ? "reject" : "approve";

    public IReadOnlyList<string> FromStates => From.ValueKind switch
    {
        JsonValueKind.String => [From.GetString()!],
        JsonValueKind.Array => [.. From.EnumerateArray().Select(e => e.GetString()!)],
        _ => [],
    };

    /// <summary>The checklist steps its <c>checklistComplete</c> guards need done.</summary>
    public IEnumerable<string> ChecklistSteps =>
        (Guards ?? []).Where(g => g.Type == "checklistComplete").SelectMany(g => g.Steps ?? []);
}

internal sealed record GuardModel(string Type, IReadOnlyList<string>? Steps);
