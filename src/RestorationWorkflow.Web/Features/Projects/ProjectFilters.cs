using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.Data;
using RestorationWorkflow.Identity;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Reminders;
using RestorationWorkflow.Web.Features.Identity;
using RestorationWorkflow.Web.Features.Portfolio;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Web.Features.Projects;

/// <summary>
/// Which projects the portfolio and its exports cover (decision 0033). Approvers, auditors and administrators see every
/// project; anyone else (project managers) the projects on whose team they are — the project list's "only mine"
/// (<see cref="ProjectSearch.Mine"/>), the same predicate, never a second rule.
/// </summary>
public static class ProjectScope
{
    public static bool SeesAll(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.IsInRole(AppRoles.Approver) || user.IsInRole(AppRoles.Auditor) || user.IsInRole(AppRoles.Administrator);
    }

    /// <summary>The search a caller's portfolio runs: theirs limited to their own projects unless they see all.</summary>
    public static ProjectSearch For(ClaimsPrincipal user, ProjectSearch search)
    {
        ArgumentNullException.ThrowIfNull(search);
        return SeesAll(user) || search.Mine ? search : search with { Mine = true };
    }
}

/// <summary>
/// The project list's filters as one query, for the list (page and API), the portfolio (page, API, exports) and the
/// links between them: the registry filters of <see cref="ProjectSearch.Filter"/>, then the team (<c>mine</c>), a site's
/// ecosystem type, an overdue due item and a target's status, each a subquery in SQL (a target's status is the rule of
/// decision 0031, kept on each target row, <see cref="PortfolioTargets"/>).
/// </summary>
public sealed class ProjectFilters(AppDbContext db, WorkflowCatalog catalog, TimeProvider time, PortfolioTargets targets)
{
    /// <summary>The projects matching <paramref name="search"/> (validated first), untracked.</summary>
    /// <remarks>
    /// <paramref name="teamAsList"/> writes <c>mine</c> as an <c>IN</c> list of the caller's project ids instead of an
    /// <c>EXISTS</c> per project: the same projects, faster for a query that groups all of them (SQLite reads the list
    /// once), slower for one that stops after a few (decision 0045).
    /// </remarks>
    public async Task<IQueryable<Project>> ApplyAsync(ProjectSearch search, ClaimsPrincipal user, CancellationToken ct, bool teamAsList = false)
    {
        ArgumentNullException.ThrowIfNull(search);
        ArgumentNullException.ThrowIfNull(user);
        var query = search.Filter(db.Projects.AsNoTracking(), catalog, db.Database.IsSqlite());
        if (search.Mine)
        {
            var me = user.UserId();
            var team = TeamOf(user);
            query = teamAsList
                ? query.Where(p => team.Contains(p.Id))
                : query.Where(p => p.Members.Any(m => m.UserId == me));
        }
        if (!string.IsNullOrWhiteSpace(search.SiteEcosystemType))
        {
            var type = search.SiteEcosystemType;
            query = query.Where(p => db.Sites.Any(s => s.ProjectId == p.Id && s.EcosystemType == type));
        }
        if (!string.IsNullOrWhiteSpace(search.Overdue))
        {
            var kind = search.Overdue;
            var today = DuePlan.Day(time.GetUtcNow());
            query = query.Where(p => db.DueItems.Any(d => d.ProjectId == p.Id && d.Kind == kind && d.DueOn < today));
        }
        if (!string.IsNullOrWhiteSpace(search.TargetStatus))
        {
            query = await targets.WithStatusAsync(query, search.TargetStatus, ct);
        }
        return query;
    }

    /// <summary>
    /// The ids of the projects on whose team <paramref name="user"/> is (<c>mine</c>), from the membership rows alone (the
    /// index (UserId, ProjectId)); a project on which they hold two roles appears twice.
    /// </summary>
    public IQueryable<Guid> TeamOf(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var me = user.UserId();
        return db.ProjectMembers.AsNoTracking().Where(m => m.UserId == me).Select(m => m.ProjectId);
    }
}
