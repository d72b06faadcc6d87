using Microsoft.AspNetCore.Authorization;
using RestorationWorkflow.Approvals;
using RestorationWorkflow.Identity;
using RestorationWorkflow.Web.Features.Identity;
using RestorationWorkflow.Web.Features.Projects;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Web.Features.Approvals;

/// <summary>Give a delegation in an approver's name: the approver themselves, or an administrator on their behalf.</summary>
public sealed class CreateDelegationRequirement : IAuthorizationRequirement;

/// <summary>Revoke a delegation: the approver who gave it, or an administrator.</summary>
public sealed class RevokeDelegationRequirement : IAuthorizationRequirement;

/// <summary>The resource of <see cref="DelegationOperations.Create"/>: whose approvals would be delegated.</summary>
public sealed record DelegationOwner(string DelegatorId);

/// <summary>What can be done with approval delegations; one handler per operation decides.</summary>
public static class DelegationOperations
{
    public static readonly CreateDelegationRequirement Create = new();
    public static readonly RevokeDelegationRequirement Revoke = new();

    /// <summary>Who sees every delegation (not only those they gave or received): administrators and auditors.</summary>
    public static bool SeesAll(System.Security.Claims.ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.IsInRole(AppRoles.Administrator) || user.IsInRole(AppRoles.Auditor);
    }
}

public sealed class CreateDelegationHandler : AuthorizationHandler<CreateDelegationRequirement, DelegationOwner>
{
    public static readonly UnmetGuard OnBehalfRule = new("delegatorId", new LocalizedText(
        "Only administrators may delegate on behalf of another approver.", "只有管理员可以代表其他审批人委托审批。"));

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, CreateDelegationRequirement requirement, DelegationOwner resource)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(resource);
        var user = context.User;
        if (user.IsInRole(AppRoles.Administrator)
            || (user.IsInRole(AppRoles.Approver) && string.Equals(resource.DelegatorId, user.UserId(), StringComparison.Ordinal)))
            context.Succeed(requirement);
        else if (user.IsInRole(AppRoles.Approver))
            context.Fail(new RuleFailureReason(this, OnBehalfRule));
        else
            context.Fail(new RuleFailureReason(this, new UnmetGuard("role", new LocalizedText(
                "Only approvers and administrators may delegate approvals.", "只有审批人和管理员可以委托审批。"))));
        return Task.CompletedTask;
    }
}

public sealed class RevokeDelegationHandler : AuthorizationHandler<RevokeDelegationRequirement, ApprovalDelegation>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, RevokeDelegationRequirement requirement, ApprovalDelegation resource)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(resource);
        var user = context.User;
        if (user.IsInRole(AppRoles.Administrator)
            || (user.IsInRole(AppRoles.Approver) && string.Equals(resource.DelegatorId, user.UserId(), StringComparison.Ordinal)))
            context.Succeed(requirement);
        else
            context.Fail(new RuleFailureReason(this, new UnmetGuard("delegator", new LocalizedText(
                "Only the approver who gave this delegation, or an administrator, may revoke it.",
                "只有给出此委托的审批人或管理员可以撤销它。"))));
        return Task.CompletedTask;
    }
}
