using System.Runtime.CompilerServices;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Reminders;

/// <summary>
/// Where monitoring reviews apply in a workflow: from the approval of the plan on. The plan is the state whose steps
/// include C4 (the restoration plan and its review protocol); the plan's approval is an <c>approve</c> transition
/// leaving a review state that an <c>advance</c> from that state leads into (STAPER v1–v3: PlanReview's ApprovePlan →
/// Implementation). The phase is the state it approves into and every active or review state ranked at or after it
/// along the forward transitions (v3: Implementation, Monitoring, Evaluation, EvaluationReview). Computed once per
/// definition.
/// </summary>
public sealed class MonitoringPhase
{
    /// <summary>The step of the restoration plan (its review protocol gives the plan's review interval).</summary>
    public const string PlanStep = "C4";

    private static readonly ConditionalWeakTable<WorkflowDefinition, MonitoringPhase> Cache = [];

    private MonitoringPhase(string? startState, IReadOnlySet<string> states, IReadOnlySet<string> approvalTriggers)
    {
        StartState = startState;
        States = states;
        ApprovalTriggers = approvalTriggers;
    }

    /// <summary>The state the plan's approval leads into (the first of the phase), or null when the workflow has no plan approval.</summary>
    public string? StartState { get; }

    /// <summary>The states in which monitoring reviews apply.</summary>
    public IReadOnlySet<string> States { get; }

    /// <summary>The triggers that approve the plan (their latest firing is when monitoring starts).</summary>
    public IReadOnlySet<string> ApprovalTriggers { get; }

    public bool Applies(string? state) => state is not null && States.Contains(state);

    public static MonitoringPhase Of(WorkflowDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return Cache.GetValue(definition, Build);
    }

    /// <summary>
    /// Whether monitoring reviews are recorded and reminded in <paramref name="state"/>: in the phase (a suspended
    /// project by the state it was suspended from), and after closure (the seed's D2 keeps monitoring after the project
    /// ends: <see cref="Projects.Targets.MeasurementStates.IsClosed"/>) when the workflow has a monitoring phase at all.
    /// Not in a cancelled project.
    /// </summary>
    public static bool AcceptsReviews(WorkflowDefinition definition, string state, string? stateBeforeSuspension)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var phase = Of(definition);
        if (Projects.Targets.MeasurementStates.IsClosed(definition, state))
            return phase.StartState is not null;
        return definition.FindState(state)?.Kind != StateKind.Terminal && phase.Applies(WorkingState(definition, state, stateBeforeSuspension));
    }

    /// <summary>The state a project is working in: the state it was suspended from while suspended, else its state.</summary>
    public static string? WorkingState(WorkflowDefinition definition, string state, string? stateBeforeSuspension)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return definition.FindState(state)?.Kind == StateKind.Suspended ? stateBeforeSuspension : state;
    }

    /// <summary>Each state's distance from the initial state along forward transitions (advance, approve).</summary>
    public static IReadOnlyDictionary<string, int> ForwardRanks(WorkflowDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var ranks = new Dictionary<string, int>(StringComparer.Ordinal) { [definition.InitialState] = 0 };
        var queue = new Queue<string>([definition.InitialState]);
        while (queue.TryDequeue(out var state))
        {
            foreach (var t in definition.TransitionsFrom(state).Where(t => t.Kind is "advance" or "approve" && t.To is not null))
            {
                if (ranks.TryAdd(t.To!, ranks[state] + 1))
                    queue.Enqueue(t.To!);
            }
        }
        return ranks;
    }

    private static MonitoringPhase Build(WorkflowDefinition definition)
    {
        var planStates = definition.States.Where(s => s.Steps.Contains(PlanStep)).Select(s => s.Code).ToHashSet(StringComparer.Ordinal);
        var reviews = definition.Transitions
            .Where(t => t.Kind == "advance" && t.To is not null && t.From.Any(planStates.Contains) && definition.FindState(t.To)?.Kind == StateKind.Review)
            .Select(t => t.To!).ToHashSet(StringComparer.Ordinal);
        var approvals = definition.Transitions.Where(t => t.Kind == "approve" && t.To is not null && t.From.Any(reviews.Contains)).ToList();
        var ranks = ForwardRanks(definition);
        var start = approvals.Select(t => t.To!).Where(ranks.ContainsKey).OrderBy(s => ranks[s]).FirstOrDefault();
        if (start is null)
            return new MonitoringPhase(null, new HashSet<string>(StringComparer.Ordinal), new HashSet<string>(StringComparer.Ordinal));
        var states = definition.States
            .Where(s => s.Kind is StateKind.Active or StateKind.Review && ranks.TryGetValue(s.Code, out var rank) && rank >= ranks[start])
            .Select(s => s.Code).ToHashSet(StringComparer.Ordinal);
        var triggers = approvals.Where(t => t.To == start).Select(t => t.Trigger).ToHashSet(StringComparer.Ordinal);
        return new MonitoringPhase(start, states, triggers);
    }
}
