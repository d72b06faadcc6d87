using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.Data;
using RestorationWorkflow.Identity;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Web.Features.Workflows;

/// <summary>
/// For administrators: the loaded definitions, drawn, with how many projects each version holds and the gates whose
/// quorum exceeds the active users holding their approver roles.
/// </summary>
[Authorize(Policy = Policies.ManageWorkflows)]
public sealed class IndexModel(WorkflowCatalog catalog, AppDbContext db, GateStaffingCheck staffing) : PageModel
{
    public sealed record Entry(WorkflowDefinition Definition, string Diagram, int Projects, IReadOnlyList<GateStaffingWarning> Warnings);

    public IReadOnlyList<Entry> Definitions { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var counts = await db.Projects.AsNoTracking().GroupBy(p => new { p.WorkflowId, p.WorkflowVersion })
            .Select(g => new { g.Key.WorkflowId, g.Key.WorkflowVersion, Count = g.Count() }).ToListAsync(ct);
        var warnings = await staffing.WarningsAsync(ct);
        Definitions = [.. catalog.All.OrderBy(d => d.Id, StringComparer.Ordinal).ThenByDescending(d => d.Version).Select(d => new Entry(d,
            MermaidDiagram.Render(d, null, CultureInfo.CurrentUICulture, compact: true),
            counts.FirstOrDefault(c => c.WorkflowId == d.Id && c.WorkflowVersion == d.Version)?.Count ?? 0,
            [.. warnings.Where(w => w.WorkflowId == d.Id && w.WorkflowVersion == d.Version)]))];
    }
}
