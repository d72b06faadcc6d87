using System.Globalization;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.Data;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Web.Infrastructure;

/// <summary>
/// Every project is pinned to a (workflow id, version); its pages and API need that definition loaded. A definition
/// file removed from <c>Workflows:Path</c> would otherwise surface as a 500 on each such project.
/// </summary>
public static class PinnedWorkflows
{
    /// <summary>Checks, once after the migrations and before serving, that every pinned definition is loaded.</summary>
    /// <exception cref="StartupException">One line naming each missing definition and how many projects use it.</exception>
    public static async Task CheckPinnedWorkflowsAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var catalog = scope.ServiceProvider.GetRequiredService<WorkflowCatalog>();
        var pinned = await db.Projects.AsNoTracking()
            .GroupBy(p => new { p.WorkflowId, p.WorkflowVersion })
            .Select(g => new { g.Key.WorkflowId, g.Key.WorkflowVersion, Projects = g.Count() })
            .ToListAsync(cancellationToken);
        var missing = pinned
            .Where(p => catalog.Find(p.WorkflowId, p.WorkflowVersion) is null)
            .OrderBy(p => p.WorkflowId, StringComparer.Ordinal).ThenBy(p => p.WorkflowVersion)
            .Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.WorkflowId}@{p.WorkflowVersion} ({p.Projects} project{(p.Projects == 1 ? "" : "s")})"))
            .ToList();
        if (missing.Count > 0)
        {
            var loaded = catalog.All.Count == 0 ? "none" : string.Join(", ", catalog.All.Select(d => d.Key));
            throw new StartupException(
                $"Projects are pinned to workflow definitions that are not loaded: {string.Join(", ", missing)}. " +
                $"Put those definition files back into Workflows:Path (loaded: {loaded}).");
        }
    }
}
