using RestorationWorkflow.Identity;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Workflows.Guards;

namespace RestorationWorkflow.Workflows;

/// <summary>An unmet condition or rule on a transition: the guard type (or <c>role</c>, <c>separationOfDuties</c>) and why.</summary>
public sealed record UnmetGuard(string Guard, LocalizedText Message);

/// <summary>One transition leaving the current state, evaluated for one caller.</summary>
/// <param name="Transition">The transition as defined.</param>
/// <param name="To">The state it leads to (for Resume: the state before the suspension).</param>
/// <param name="Forbidden">Why the caller may not fire it (403): decided by the authorization handler.</param>
/// <param name="Unmet">The project's unmet conditions (422): decided by the engine.</param>
public sealed record TransitionEvaluation(
    TransitionDefinition Transition,
    string? To,
    IReadOnlyList<UnmetGuard> Forbidden,
    IReadOnlyList<UnmetGuard> Unmet)
{
    public bool IsForbidden => Forbidden.Count > 0;

    public bool Allowed => Forbidden.Count == 0 && Unmet.Count == 0;

    /// <summary>Every reason, authorization first.</summary>
    public IEnumerable<UnmetGuard> AllReasons => Forbidden.Concat(Unmet);
}

/// <summary>
/// Evaluates the conditions (<see cref="GuardKind.Condition"/> guards and a required comment) of a transition
/// against loaded data, so each unmet one is reported (Stateless reports only what its own guards say, and not
/// for async ones). Who may fire a transition — roles, team membership, separation of duties — is not the
/// engine's business: the transition's authorization handler decides it.
/// </summary>
public sealed class WorkflowEngine(GuardRegistry guards)
{
    /// <summary>The unmet-condition code of a transition whose <c>requiresComment</c> is set and no comment was given.</summary>
    public const string CommentRequired = "commentProvided";

    public static readonly LocalizedText CommentRequiredReason = new("A comment is required.", "必须填写意见。");

    /// <summary>
    /// The unmet conditions of <paramref name="transition"/>. With <paramref name="commentKnown"/> false (listing
    /// what a caller could do, before they wrote anything) the comment is not checked.
    /// </summary>
    public IReadOnlyList<UnmetGuard> Conditions(
        Project project, WorkflowDefinition definition, TransitionDefinition transition, Caller caller, string? comment, bool commentKnown, GuardData data)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(transition);
        var unmet = new List<UnmetGuard>();
        if (transition.RequiresComment && commentKnown && string.IsNullOrWhiteSpace(comment))
            unmet.Add(new UnmetGuard(CommentRequired, CommentRequiredReason));

        var context = new GuardContext(project, definition, transition, caller, comment, data);
        foreach (var definitionGuard in transition.Guards)
        {
            var guard = guards.Get(definitionGuard.Type);
            if (guard.Kind != GuardKind.Condition)
                continue;
            if (guard.Evaluate(context, definitionGuard) is { } reason)
                unmet.Add(new UnmetGuard(guard.Type, reason));
        }
        return unmet;
    }
}
