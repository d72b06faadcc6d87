using System.Security.Claims;
using RestorationWorkflow.Identity;
using RestorationWorkflow.Projects;

namespace RestorationWorkflow.Web.Features.Projects;

/// <summary>
/// The projects a caller may read, as a query filter for lists that span projects (lessons, recent decisions): the
/// same rule as <see cref="ReadProjectHandler"/> — every role reads every project, no role reads none — applied in SQL
/// rather than one authorization call per row. Change both together.
/// </summary>
public static class ProjectReadScope
{
    public static IQueryable<Project> Readable(IQueryable<Project> projects, ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(projects);
        ArgumentNullException.ThrowIfNull(user);
        return AppRoles.All.Any(user.IsInRole) ? projects : projects.Where(_ => false);
    }
}
