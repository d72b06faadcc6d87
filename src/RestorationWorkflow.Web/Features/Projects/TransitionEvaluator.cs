using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Workflows;
using RestorationWorkflow.Workflows.Guards;
using RestorationWorkflow.Web.Features.Identity;

namespace RestorationWorkflow.Web.Features.Projects;

/// <summary>
/// Evaluates transitions for one caller: who may fire each (the <see cref="FireTransitionHandler"/>, 403) and
/// what the project still lacks (the <see cref="WorkflowEngine"/>, 422), loading only the guard data that the
/// evaluated transitions' guards need.
/// </summary>
public sealed class TransitionEvaluator(
    WorkflowEngine engine, GuardRegistry registry, IEnumerable<IGuardDataProvider> providers, IAuthorizationService authorization)
{
    /// <summary>Every transition leaving the project's state; the comment is not known yet and is not checked.</summary>
    public async Task<IReadOnlyList<TransitionEvaluation>> EvaluateAllAsync(Project project, WorkflowDefinition definition, ClaimsPrincipal user, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(user);
        var transitions = definition.TransitionsFrom(project.State).ToList();
        var data = await GuardData.LoadAsync(project, transitions, registry, providers, ct);
        var caller = user.ToCaller();
        var evaluations = new List<TransitionEvaluation>(transitions.Count);
        foreach (var transition in transitions)
        {
            var forbidden = (await authorization.AuthorizeAsync(user, new ProjectTransition(project, definition, transition), ProjectOperations.FireTransition)).Rules();
            var unmet = engine.Conditions(project, definition, transition, caller, null, commentKnown: false, data);
            evaluations.Add(new TransitionEvaluation(transition, TargetOf(project, transition), forbidden, unmet));
        }
        return evaluations;
    }

    /// <summary>The unmet conditions of one transition with the caller's comment.</summary>
    public async Task<IReadOnlyList<UnmetGuard>> ConditionsAsync(
        Project project, WorkflowDefinition definition, TransitionDefinition transition, ClaimsPrincipal user, string? comment, CancellationToken ct,
        bool commentKnown = true)
    {
        ArgumentNullException.ThrowIfNull(user);
        var data = await GuardData.LoadAsync(project, [transition], registry, providers, ct);
        return engine.Conditions(project, definition, transition, user.ToCaller(), comment, commentKnown, data);
    }

    private static string? TargetOf(Project project, TransitionDefinition transition) =>
        transition.ToPreviousState ? project.StateBeforeSuspension : transition.To;
}
