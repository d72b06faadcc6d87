using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Projects.Targets;

/// <summary>
/// In which states of a workflow measurements may be recorded, corrected and deleted: every state the definition marks
/// <c>monitoringOpen</c> (v2, v3: Planning to EvaluationReview, as paragraph 16 asks monitoring to start when the
/// project is designed), and the terminal state a project reaches by completing its work — a terminal state that a
/// transition other than a cancellation leads into from a monitoring state (v2, v3: Closed, through CloseProject),
/// because the seed's D2 keeps monitoring after the project ends. Not a cancelled project (its work was abandoned), not
/// a suspended one (work stops while consent is withdrawn), not before planning (A6's baselines are a form, not
/// measurements). The loader refuses <c>monitoringOpen</c> on terminal states, so closure is read from the transitions.
/// </summary>
public static class MeasurementStates
{
    public static bool Accepts(WorkflowDefinition definition, string state)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var s = definition.FindState(state);
        if (s is null)
            return false;
        if (s.MonitoringOpen)
            return true;
        return s.Kind == StateKind.Terminal && IsClosure(definition, s.Code);
    }

    /// <summary>Whether <paramref name="state"/> is the terminal state reached by completing the work (v2, v3: Closed), where monitoring goes on.</summary>
    public static bool IsClosed(WorkflowDefinition definition, string state)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return definition.FindState(state) is { Kind: StateKind.Terminal } && IsClosure(definition, state);
    }

    /// <summary>The states that accept measurements, in definition order.</summary>
    public static IReadOnlyList<StateDefinition> Of(WorkflowDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return [.. definition.States.Where(s => Accepts(definition, s.Code))];
    }

    private static bool IsClosure(WorkflowDefinition definition, string terminal) =>
        definition.Transitions.Any(t => t.To == terminal && t.Kind != "cancel"
            && t.From.Any(from => definition.FindState(from) is { MonitoringOpen: true }));
}
