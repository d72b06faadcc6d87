namespace RestorationWorkflow.Projects.Evaluations;

/// <summary>
/// An adaptive-management decision (D2) taken at the end of a cycle: which decision
/// (<see cref="Workflows.AdaptiveDecisions"/>), why, who and when, the cycle, the transition it fired and the state the
/// project reached. Written in the same command and audit event as the transition; never changed or deleted.
/// </summary>
public sealed class AdaptiveDecision
{
    private AdaptiveDecision()
    {
    }

    public Guid Id { get; private set; }

    public Guid ProjectId { get; private set; }

    public int Cycle { get; private set; }

    /// <summary>The evaluation of the cycle the decision closes.</summary>
    public Guid EvaluationId { get; private set; }

    public string Kind { get; private set; } = "";

    public string Rationale { get; private set; } = "";

    public string Trigger { get; private set; } = "";

    public string FromState { get; private set; } = "";

    public string ResultingState { get; private set; } = "";

    public string DecidedById { get; private set; } = "";

    public DateTimeOffset DecidedAt { get; private set; }

    public static AdaptiveDecision Create(
        Guid projectId, int cycle, Guid evaluationId, string kind, string rationale, string trigger, string fromState, string resultingState,
        string decidedById, DateTimeOffset now) => new()
        {
            Id = Guid.CreateVersion7(now),
            ProjectId = projectId,
            Cycle = cycle,
            EvaluationId = evaluationId,
            Kind = kind,
            Rationale = rationale,
            Trigger = trigger,
            FromState = fromState,
            ResultingState = resultingState,
            DecidedById = decidedById,
            DecidedAt = now,
        };
}
