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
/// evaluated transitions' guards need, and taking a stamped provider's from the <see cref="StampedGuardDataCache"/>
/// while the project's content stamp is the one it was read at (decision 0069).
/// </summary>
public sealed class TransitionEvaluator(
    WorkflowEngine engine, GuardRegistry registry, IServiceProvider services, IAuthorizationService authorization, StampedGuardDataCache cache)
{
    /// <summary>Every transition leaving the project's state; the comment is not known yet and is not checked.</summary>
    public async Task<IReadOnlyList<TransitionEvaluation>> EvaluateAllAsync(Project project, WorkflowDefinition definition, ClaimsPrincipal user, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(user);
        var transitions = definition.TransitionsFrom(project.State).ToList();
        var data = await GuardData.LoadAsync(project, transitions, registry, ProviderFor, cache, ct);
        var caller = user.ToCaller();
        var evaluations = new List<TransitionEvaluation>(transitions.Count);
        foreach (var transition in transitions)
        {
            var forbidden = (await authorization.AuthorizeAsync(user, new ProjectTransition(project, definition, transition), ProjectOperations.FireTransition)).Rules();
            var unmet = WithGate(project, definition, transition, engine.Conditions(project, definition, transition, caller, null, commentKnown: false, data), throughDecision: false);
            evaluations.Add(new TransitionEvaluation(transition, TargetOf(project, transition), forbidden, unmet));
        }
        return evaluations;
    }

    /// <summary>
    /// The unmet conditions of one transition with the caller's comment. A gated review's approve and reject
    /// transitions are unmet (<see cref="ApprovalGateRule"/>) unless <paramref name="throughDecision"/>: they fire from
    /// approvers' decisions on the approval request, never directly.
    /// </summary>
    public async Task<IReadOnlyList<UnmetGuard>> ConditionsAsync(
        Project project, WorkflowDefinition definition, TransitionDefinition transition, ClaimsPrincipal user, string? comment, CancellationToken ct,
        bool commentKnown = true, bool throughDecision = false)
    {
        ArgumentNullException.ThrowIfNull(user);
        var data = await GuardData.LoadAsync(project, [transition], registry, ProviderFor, cache, ct);
        return WithGate(project, definition, transition, engine.Conditions(project, definition, transition, user.ToCaller(), comment, commentKnown, data), throughDecision);
    }

    /// <summary>
    /// What was submitted for review must still hold when it is approved: the unmet conditions of the submissions
    /// into the project's (review) state, checked again with no comment.
    /// </summary>
    public async Task<IReadOnlyList<UnmetGuard>> SubmissionConditionsAsync(Project project, WorkflowDefinition definition, ClaimsPrincipal user, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(definition);
        var unmet = new List<UnmetGuard>();
        foreach (var submission in definition.Transitions.Where(t => t.To == project.State && t.Gate is null && !t.From.Contains(project.State)))
            unmet.AddRange(await ConditionsAsync(project, definition, submission, user, comment: null, ct, commentKnown: false));
        return unmet;
    }

    /// <summary>The rule that refuses firing a gated review's approve or reject transition directly.</summary>
    public const string ApprovalGateRule = "approvalGate";

    private static IReadOnlyList<UnmetGuard> WithGate(
        Project project, WorkflowDefinition definition, TransitionDefinition transition, IReadOnlyList<UnmetGuard> unmet, bool throughDecision)
    {
        if (throughDecision || transition.Gate is not { } gateId || definition.GateOfState(project.State) is not { } gate || gate.Id != gateId)
            return unmet;
        return
        [
            new UnmetGuard(ApprovalGateRule, new LocalizedText(
                $"This is decided by the approvers of the gate '{gate.Label.En}': each approves or rejects the approval request (POST /api/approvals/{{requestId}}/decisions); {gate.Quorum} approval(s) move the project on.",
                $"此项由“{gate.Label.ZhHans}”审批关口的审批人决定：每位审批人对审批请求作出批准或退回的决定；达到 {gate.Quorum} 项批准后项目进入下一阶段。")),
            .. unmet,
        ];
    }

    private static string? TargetOf(Project project, TransitionDefinition transition) =>
        transition.ToPreviousState ? project.StateBeforeSuspension : transition.To;

    /// <summary>The request's provider of one kind of guard data, created only when a guard being evaluated reads it.</summary>
    private IGuardDataProvider? ProviderFor(string kind) => services.GetKeyedService<IGuardDataProvider>(kind);
}

/// <summary>How a feature registers the provider of a kind of guard data it owns.</summary>
public static class GuardDataProviderRegistration
{
    /// <summary>
    /// Registers <typeparamref name="TProvider"/> (scoped) as the provider of <paramref name="key"/>'s data, created
    /// only for a request whose evaluated transitions have a guard that reads it (<see cref="GuardData.LoadAsync"/>).
    /// </summary>
    public static IServiceCollection AddGuardDataProvider<TProvider>(this IServiceCollection services, GuardDataKey key)
        where TProvider : class, IGuardDataProvider
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(key);
        return services.AddKeyedScoped<IGuardDataProvider, TProvider>(key.Name);
    }
}
