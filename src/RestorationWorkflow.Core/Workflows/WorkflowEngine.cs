using RestorationWorkflow.Projects;
using RestorationWorkflow.Workflows.Guards;

namespace RestorationWorkflow.Workflows;

/// <summary>An unmet condition on a transition: the guard type (or <c>role</c>) and why.</summary>
public sealed record UnmetGuard(string Guard, LocalizedText Message);

/// <summary>One transition leaving the current state, evaluated for one caller.</summary>
public sealed record TransitionEvaluation(
    TransitionDefinition Transition,
    string? To,
    IReadOnlyList<UnmetGuard> Forbidden,
    IReadOnlyList<UnmetGuard> Unmet)
{
    /// <summary>The caller's role or membership does not allow it (403).</summary>
    public bool IsForbidden => Forbidden.Count > 0;

    public bool Allowed => Forbidden.Count == 0 && Unmet.Count == 0;

    /// <summary>Every reason, authorization first.</summary>
    public IEnumerable<UnmetGuard> AllReasons => Forbidden.Concat(Unmet);
}

/// <summary>
/// Evaluates every guard of every candidate transition against loaded data, so each unmet guard is
/// reported (Stateless reports only what its own guards say, and not for async ones).
/// </summary>
public sealed class WorkflowEngine(GuardRegistry guards)
{
    public const string RoleGuard = "role";

    /// <summary>Every transition leaving the project's state. Comments are not yet known, so comment checks are skipped.</summary>
    public IReadOnlyList<TransitionEvaluation> EvaluateAll(Project project, WorkflowDefinition definition, Caller caller)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(definition);
        return [.. definition.TransitionsFrom(project.State).Select(t => Evaluate(project, definition, t, caller, comment: null, commentKnown: false))];
    }

    /// <summary>One trigger from the project's current state, with the caller's comment; null when the trigger does not leave it.</summary>
    public TransitionEvaluation? Evaluate(Project project, WorkflowDefinition definition, string trigger, Caller caller, string? comment)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(definition);
        var transition = definition.FindTransition(project.State, trigger);
        return transition is null ? null : Evaluate(project, definition, transition, caller, comment, commentKnown: true);
    }

    private TransitionEvaluation Evaluate(Project project, WorkflowDefinition definition, TransitionDefinition transition, Caller caller, string? comment, bool commentKnown)
    {
        var forbidden = new List<UnmetGuard>();
        var unmet = new List<UnmetGuard>();

        if (!transition.Roles.Any(caller.IsInRole))
        {
            var roles = string.Join(", ", transition.Roles);
            forbidden.Add(new UnmetGuard(RoleGuard, new LocalizedText(
                $"Only these roles may do this: {roles}.",
                $"只有以下角色可以执行此操作：{string.Join("、", transition.Roles.Select(RoleNames.ZhHans))}。")));
        }

        var context = new GuardContext(project, definition, transition, caller, comment);
        if (transition.RequiresComment && commentKnown && transition.Guards.All(g => g.Type != CommentProvidedGuard.TypeName)
            && string.IsNullOrWhiteSpace(comment))
        {
            unmet.Add(new UnmetGuard(CommentProvidedGuard.TypeName, CommentProvidedGuard.Reason));
        }

        foreach (var definitionGuard in transition.Guards)
        {
            if (!commentKnown && definitionGuard.Type == CommentProvidedGuard.TypeName)
                continue;
            var guard = guards.Get(definitionGuard.Type);
            var reason = guard.Evaluate(context, definitionGuard);
            if (reason is null)
                continue;
            (guard.Kind == GuardKind.Authorization ? forbidden : unmet).Add(new UnmetGuard(guard.Type, reason));
        }

        var to = transition.ToPreviousState ? project.StateBeforeSuspension : transition.To;
        return new TransitionEvaluation(transition, to, forbidden, unmet);
    }
}

/// <summary>Role names for messages.</summary>
public static class RoleNames
{
    public static string ZhHans(string role) => role switch
    {
        Identity.AppRoles.ProjectManager => "项目经理",
        Identity.AppRoles.Approver => "审批人",
        Identity.AppRoles.Auditor => "审计员",
        Identity.AppRoles.Administrator => "管理员",
        _ => role,
    };

    public static LocalizedText Label(string role) => new(role switch
    {
        Identity.AppRoles.ProjectManager => "Project manager",
        Identity.AppRoles.Approver => "Approver",
        Identity.AppRoles.Auditor => "Auditor",
        Identity.AppRoles.Administrator => "Administrator",
        _ => role,
    }, ZhHans(role));
}
