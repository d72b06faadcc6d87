using Microsoft.AspNetCore.Authorization;
using RestorationWorkflow.Identity;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Web.Features.Identity;
using RestorationWorkflow.Web.Features.Projects;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Web.Features.Safeguards;

/// <summary>Acknowledge a justified safeguard finding: approvers who are not on the project's team.</summary>
public sealed class AcknowledgeFindingRequirement : IAuthorizationRequirement;

public static class SafeguardOperations
{
    public static readonly AcknowledgeFindingRequirement Acknowledge = new();
}

/// <summary>
/// An acknowledgement is the reviewer's word on the team's justification, so the team cannot give it: an approver who
/// is also a member or manager of the project is refused (separation of duties, as at the review gates).
/// </summary>
public sealed class AcknowledgeFindingHandler : AuthorizationHandler<AcknowledgeFindingRequirement, Project>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, AcknowledgeFindingRequirement requirement, Project resource)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(resource);
        if (!context.User.IsInRole(AppRoles.Approver))
        {
            context.Fail(new RuleFailureReason(this, new UnmetGuard("role", new LocalizedText(
                "Only approvers may acknowledge a safeguard finding.", "只有审批人可以确认保障措施审查结果。"))));
        }
        else if (resource.RoleOf(context.User.UserId()) is not null)
        {
            context.Fail(new RuleFailureReason(this, new UnmetGuard(FireTransitionHandler.SeparationOfDutiesRule, new LocalizedText(
                "You are on this project's team; an approver from outside the team must acknowledge its justification (separation of duties).",
                "您是本项目团队成员；必须由团队以外的审批人确认其理由（职责分离）。"))));
        }
        else
        {
            context.Succeed(requirement);
        }
        return Task.CompletedTask;
    }
}
