using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using RestorationWorkflow.Identity;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Web.Features.Identity;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Web.Features.Projects;

/// <summary>What can be done to a project; checked through <see cref="IAuthorizationService"/> by pages and API alike.</summary>
public static class ProjectOperations
{
    /// <summary>Every role reads every project (auditors read everything).</summary>
    public static readonly OperationAuthorizationRequirement Read = new() { Name = nameof(Read) };

    /// <summary>Managers of the project edit its registry fields and checklist.</summary>
    public static readonly OperationAuthorizationRequirement Edit = new() { Name = nameof(Edit) };

    /// <summary>Managers of the project, or administrators, add managers.</summary>
    public static readonly OperationAuthorizationRequirement ManageMembers = new() { Name = nameof(ManageMembers) };

    /// <summary>Fire a transition: the definition's roles plus its authorization guards (membership).</summary>
    public static readonly OperationAuthorizationRequirement FireTransition = new() { Name = nameof(FireTransition) };
}

/// <summary>The resource for <see cref="ProjectOperations.FireTransition"/>: the evaluated transition.</summary>
public sealed record ProjectTransitionResource(Project Project, TransitionEvaluation Evaluation);

/// <summary>Resource-based rules for projects: membership, roles and the workflow's authorization guards.</summary>
public sealed class ProjectAuthorizationHandler : IAuthorizationHandler
{
    public Task HandleAsync(AuthorizationHandlerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        foreach (var requirement in context.PendingRequirements.OfType<OperationAuthorizationRequirement>().ToList())
        {
            if (Allows(context, requirement))
                context.Succeed(requirement);
        }
        return Task.CompletedTask;
    }

    private static bool Allows(AuthorizationHandlerContext context, OperationAuthorizationRequirement requirement)
    {
        var user = context.User;
        if (user.Identity?.IsAuthenticated != true)
            return false;
        return (requirement.Name, context.Resource) switch
        {
            (nameof(ProjectOperations.Read), Project) => AppRoles.All.Any(user.IsInRole),
            (nameof(ProjectOperations.Edit), Project project) =>
                user.IsInRole(AppRoles.ProjectManager) && project.IsManagedBy(user.UserId()),
            (nameof(ProjectOperations.ManageMembers), Project project) =>
                user.IsInRole(AppRoles.Administrator) || (user.IsInRole(AppRoles.ProjectManager) && project.IsManagedBy(user.UserId())),
            (nameof(ProjectOperations.FireTransition), ProjectTransitionResource resource) => !resource.Evaluation.IsForbidden,
            _ => false,
        };
    }
}
