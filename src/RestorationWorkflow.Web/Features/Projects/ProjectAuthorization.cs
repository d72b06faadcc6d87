using Microsoft.AspNetCore.Authorization;
using RestorationWorkflow.Identity;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Web.Features.Identity;
using RestorationWorkflow.Workflows;
using RestorationWorkflow.Workflows.Guards;

namespace RestorationWorkflow.Web.Features.Projects;

/// <summary>Read a project: every role (auditors read everything).</summary>
public sealed class ReadProjectRequirement : IAuthorizationRequirement;

/// <summary>Create a project: project managers.</summary>
public sealed class CreateProjectRequirement : IAuthorizationRequirement;

/// <summary>Change a project's content (registry fields, checklist): its managers.</summary>
public sealed class EditProjectRequirement : IAuthorizationRequirement;

/// <summary>Add managers to a project's team: its managers and administrators.</summary>
public sealed class ManageProjectTeamRequirement : IAuthorizationRequirement;

/// <summary>Move a project to another workflow version: administrators.</summary>
public sealed class MigrateProjectRequirement : IAuthorizationRequirement;

/// <summary>Fire one transition: the definition's roles, its authorization guards (team membership) and its gate's separation of duties.</summary>
public sealed class FireTransitionRequirement : IAuthorizationRequirement;

/// <summary>
/// What can be done to a project. Pages and API ask <see cref="IAuthorizationService"/> with one of these and the
/// project (or <see cref="ProjectTransition"/>); one handler per operation decides.
/// </summary>
public static class ProjectOperations
{
    public static readonly ReadProjectRequirement Read = new();
    public static readonly CreateProjectRequirement Create = new();
    public static readonly EditProjectRequirement Edit = new();
    public static readonly ManageProjectTeamRequirement ManageTeam = new();
    public static readonly MigrateProjectRequirement Migrate = new();
    public static readonly FireTransitionRequirement FireTransition = new();
}

/// <summary>The resource of <see cref="ProjectOperations.FireTransition"/>: one transition leaving the project's state.</summary>
public sealed record ProjectTransition(Project Project, WorkflowDefinition Definition, TransitionDefinition Transition);

/// <summary>A refusal that names the rule (<c>role</c>, <c>roleMember</c>, <c>separationOfDuties</c>…) in both languages.</summary>
public sealed class RuleFailureReason(IAuthorizationHandler handler, UnmetGuard rule) : AuthorizationFailureReason(handler, rule?.Message.En ?? "")
{
    public UnmetGuard Rule { get; } = rule ?? throw new ArgumentNullException(nameof(rule));
}

/// <summary>The reasons of a failed authorization, as rules.</summary>
public static class AuthorizationResultExtensions
{
    public static IReadOnlyList<UnmetGuard> Rules(this AuthorizationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Succeeded)
            return [];
        var rules = result.Failure?.FailureReasons.OfType<RuleFailureReason>().Select(r => r.Rule).ToList() ?? [];
        return rules.Count > 0 ? rules : [Generic];
    }

    private static readonly UnmetGuard Generic = new("forbidden", new LocalizedText("You may not do this.", "您无权执行此操作。"));
}

public sealed class ReadProjectHandler : AuthorizationHandler<ReadProjectRequirement, Project>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ReadProjectRequirement requirement, Project resource)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (AppRoles.All.Any(context.User.IsInRole))
            context.Succeed(requirement);
        return Task.CompletedTask;
    }
}

public sealed class CreateProjectHandler : AuthorizationHandler<CreateProjectRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, CreateProjectRequirement requirement)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.User.IsInRole(AppRoles.ProjectManager))
            context.Succeed(requirement);
        else
            context.Fail(new RuleFailureReason(this, new UnmetGuard("role", new LocalizedText("Only project managers may create projects.", "只有项目经理可以创建项目。"))));
        return Task.CompletedTask;
    }
}

public sealed class EditProjectHandler : AuthorizationHandler<EditProjectRequirement, Project>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, EditProjectRequirement requirement, Project resource)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(resource);
        if (context.User.IsInRole(AppRoles.ProjectManager) && resource.IsManagedBy(context.User.UserId()))
            context.Succeed(requirement);
        else
            context.Fail(new RuleFailureReason(this, new UnmetGuard("roleMember", new LocalizedText("Only a manager of this project may change it.", "只有本项目的项目经理可以更改本项目。"))));
        return Task.CompletedTask;
    }
}

public sealed class ManageProjectTeamHandler : AuthorizationHandler<ManageProjectTeamRequirement, Project>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ManageProjectTeamRequirement requirement, Project resource)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(resource);
        var user = context.User;
        if (user.IsInRole(AppRoles.Administrator) || (user.IsInRole(AppRoles.ProjectManager) && resource.IsManagedBy(user.UserId())))
            context.Succeed(requirement);
        else
            context.Fail(new RuleFailureReason(this, new UnmetGuard("roleMember", new LocalizedText(
                "Only a manager of this project or an administrator may change its team.", "只有本项目的项目经理或管理员可以更改项目团队。"))));
        return Task.CompletedTask;
    }
}

public sealed class MigrateProjectHandler : AuthorizationHandler<MigrateProjectRequirement, Project>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, MigrateProjectRequirement requirement, Project resource)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.User.IsInRole(AppRoles.Administrator))
            context.Succeed(requirement);
        else
            context.Fail(new RuleFailureReason(this, new UnmetGuard("role", new LocalizedText(
                "Only administrators may move projects to another workflow version.", "只有管理员可以将项目迁移到其他流程版本。"))));
        return Task.CompletedTask;
    }
}

/// <summary>
/// Who may fire a transition, decided in one place: one of the transition's roles; every
/// <see cref="GuardKind.Authorization"/> guard it names (team membership); and, when it decides a gate that
/// declares separation of duties, not the person who moved the project into the review. Every failed rule is
/// reported, so a page can say why a button is disabled.
/// </summary>
public sealed class FireTransitionHandler(GuardRegistry guards) : AuthorizationHandler<FireTransitionRequirement, ProjectTransition>
{
    public const string RoleRule = "role";
    public const string SeparationOfDutiesRule = "separationOfDuties";

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, FireTransitionRequirement requirement, ProjectTransition resource)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(resource);
        if (context.User.Identity?.IsAuthenticated != true)
            return Task.CompletedTask;
        var caller = context.User.ToCaller();
        var (project, definition, transition) = resource;
        var failed = false;

        if (!transition.Roles.Any(caller.IsInRole))
        {
            failed = true;
            context.Fail(new RuleFailureReason(this, new UnmetGuard(RoleRule, new LocalizedText(
                $"Only these roles may do this: {string.Join(", ", transition.Roles)}.",
                $"只有以下角色可以执行此操作：{string.Join("、", transition.Roles.Select(RoleNames.ZhHans))}。"))));
        }

        var guardContext = new GuardContext(project, definition, transition, caller, null, GuardData.None);
        foreach (var definitionGuard in transition.Guards)
        {
            var guard = guards.Get(definitionGuard.Type);
            if (guard.Kind == GuardKind.Authorization && guard.Evaluate(guardContext, definitionGuard) is { } reason)
            {
                failed = true;
                context.Fail(new RuleFailureReason(this, new UnmetGuard(guard.Type, reason)));
            }
        }

        if (transition.Gate is { } gateId && definition.FindGate(gateId) is { SeparationOfDuties: true } gate
            && string.Equals(project.StateEnteredById, caller.UserId, StringComparison.Ordinal))
        {
            failed = true;
            context.Fail(new RuleFailureReason(this, new UnmetGuard(SeparationOfDutiesRule, new LocalizedText(
                $"You submitted this for review ({gate.Label.En}); someone else must decide it (separation of duties).",
                $"此项审核（{gate.Label.ZhHans}）由您提交，必须由他人决定（职责分离）。"))));
        }

        if (!failed)
            context.Succeed(requirement);
        return Task.CompletedTask;
    }
}
