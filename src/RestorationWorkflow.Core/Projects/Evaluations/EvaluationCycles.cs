using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Projects.Evaluations;

/// <summary>
/// Which adaptive-management cycle a project is in. A cycle ends when a decision leaves the state that offers
/// decisions (v3: Evaluation) — through a decision, or the same transition fired by hand; the next entry into that
/// state is the next cycle. So the current cycle is one more than the number of times a decision transition was
/// fired, read from the audit trail (a closure rejected by the evaluation gate returns the project in a new cycle:
/// the closure decision ended the last one). A project that reached the state without an audited decision is in cycle 1.
/// </summary>
public static class EvaluationCycles
{
    /// <summary>The triggers that end a cycle in <paramref name="definition"/>.</summary>
    public static IReadOnlyList<string> DecisionTriggers(WorkflowDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return [.. definition.Transitions.Where(t => t.AdaptiveDecision is not null).Select(t => t.Trigger).Distinct(StringComparer.Ordinal)];
    }

    public static int Current(int decisionsFired) => decisionsFired + 1;
}
