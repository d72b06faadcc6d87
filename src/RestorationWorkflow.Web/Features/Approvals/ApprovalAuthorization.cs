using Microsoft.AspNetCore.Authorization;
using RestorationWorkflow.Approvals;
using RestorationWorkflow.Identity;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Web.Features.Identity;
using RestorationWorkflow.Web.Features.Projects;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Web.Features.Approvals;

/// <summary>Decide an approval request: the gate's roles, separation of duties, one decision per person, delegation.</summary>
public sealed class DecideApprovalRequirement : IAuthorizationRequirement;

public static class ApprovalOperations
{
    public static readonly DecideApprovalRequirement Decide = new();
}

/// <summary>
/// What the decide handler judges: the project (with its team), the gate, the request (with its decisions), and the
/// approver the caller acts for under a delegation, if any, with whether that delegation is in force today.
/// </summary>
public sealed record ApprovalDecisionResource(Project Project, GateDefinition Gate, ApprovalRequest Request, string? OnBehalfOfId, bool DelegationActive);

/// <summary>
/// What the rules of <see cref="ApprovalRules"/> read of a request and its project: who submitted it, whether a person
/// already decided it (in person or through a delegate), and whether a person is on the project's team.
/// </summary>
public sealed record ApprovalParties(string SubmittedById, Func<string, bool> HasDecided, Func<string, bool> OnTeam);

/// <summary>
/// The rules of who may decide a request, in one place for the decision command (403) and the inbox (what is
/// offered). Every failed rule is reported, each in both languages.
/// </summary>
public static class ApprovalRules
{
    public const string Role = "role";
    public const string Delegation = "delegation";
    public const string Submitter = "submitter";
    public const string TeamMember = "teamMember";
    public const string AlreadyDecided = "alreadyDecided";

    /// <summary>
    /// The same rules as <see cref="Check(Caller, ApprovalDecisionResource)"/> for a user deciding in person, as a yes or no (the reminders' audience):
    /// in one of the gate's roles, not having decided, and where the gate keeps separation of duties neither the
    /// submitter nor on the project team.
    /// </summary>
    public static bool MayDecide(GateDefinition gate, Func<string, bool> isInRole, string userId, string submittedById, bool onTeam, bool hasDecided)
    {
        ArgumentNullException.ThrowIfNull(gate);
        ArgumentNullException.ThrowIfNull(isInRole);
        return gate.ApproverRoles.Any(isInRole) && !hasDecided
            && (!gate.SeparationOfDuties || (userId != submittedById && !onTeam));
    }

    public static IReadOnlyList<UnmetGuard> Check(Caller caller, ApprovalDecisionResource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var (project, gate, request, onBehalfOf, delegationActive) = resource;
        return Check(caller, gate, new ApprovalParties(request.SubmittedById, request.HasDecided, id => project.RoleOf(id) is not null), onBehalfOf, delegationActive);
    }

    /// <summary>
    /// The same rules over what they read of a request and its project (<see cref="ApprovalParties"/>), for lists that
    /// read those columns rather than whole rows (the inbox).
    /// </summary>
    public static IReadOnlyList<UnmetGuard> Check(Caller caller, GateDefinition gate, ApprovalParties parties, string? onBehalfOf, bool delegationActive)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(gate);
        ArgumentNullException.ThrowIfNull(parties);
        var failed = new List<UnmetGuard>();
        if (!gate.ApproverRoles.Any(caller.IsInRole))
        {
            failed.Add(new UnmetGuard(Role, new LocalizedText(
                $"Only these roles decide the gate '{gate.Label.En}': {string.Join(", ", gate.ApproverRoles)}.",
                $"只有以下角色可以决定“{gate.Label.ZhHans}”：{string.Join("、", gate.ApproverRoles.Select(RoleNames.ZhHans))}。")));
        }
        if (onBehalfOf is not null && !delegationActive)
        {
            failed.Add(new UnmetGuard(Delegation, new LocalizedText(
                "No delegation in force today lets you decide on behalf of that approver.",
                "今天没有有效的委托允许您代表该审批人作出决定。")));
        }
        if (gate.SeparationOfDuties)
        {
            if (parties.SubmittedById == caller.UserId || (onBehalfOf is not null && parties.SubmittedById == onBehalfOf))
            {
                failed.Add(new UnmetGuard(Submitter, new LocalizedText(
                    $"You submitted this for review ({gate.Label.En}); someone else must decide it (separation of duties).",
                    $"此项审核（{gate.Label.ZhHans}）由您提交，必须由他人决定（职责分离）。")));
            }
            if (parties.OnTeam(caller.UserId) || (onBehalfOf is not null && parties.OnTeam(onBehalfOf)))
            {
                failed.Add(new UnmetGuard(TeamMember, new LocalizedText(
                    "Members of the project team may not decide its approvals (separation of duties).",
                    "项目团队成员不得决定本项目的审批（职责分离）。")));
            }
        }
        if (parties.HasDecided(caller.UserId) || (onBehalfOf is not null && parties.HasDecided(onBehalfOf)))
        {
            failed.Add(new UnmetGuard(AlreadyDecided, new LocalizedText(
                "This approver has already decided this request; a decision is never changed, and one person counts once.",
                "该审批人已对此请求作出决定；决定不可更改，每人只计一次。")));
        }
        return failed;
    }
}

public sealed class DecideApprovalHandler : AuthorizationHandler<DecideApprovalRequirement, ApprovalDecisionResource>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, DecideApprovalRequirement requirement, ApprovalDecisionResource resource)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.User.Identity?.IsAuthenticated != true)
            return Task.CompletedTask;
        var failed = ApprovalRules.Check(context.User.ToCaller(), resource);
        foreach (var rule in failed)
            context.Fail(new RuleFailureReason(this, rule));
        if (failed.Count == 0)
            context.Succeed(requirement);
        return Task.CompletedTask;
    }
}
