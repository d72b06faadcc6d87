using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.Audit;
using RestorationWorkflow.Data;
using RestorationWorkflow.Identity;

namespace RestorationWorkflow.Web.Features.Audit;

/// <summary>For auditors: every project's audit chain, verified now.</summary>
[Authorize(Policy = Policies.ReadAuditTrail)]
public sealed class IndexModel(AppDbContext db) : PageModel
{
    public sealed record ChainRow(Guid ProjectId, string Name, int Count, DateTimeOffset? LastAt, AuditChainBreak? Break);

    public IReadOnlyList<ChainRow> Rows { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var projects = await db.Projects.AsNoTracking().OrderBy(p => p.Name).Select(p => new { p.Id, p.Name, p.AuditSequence, p.AuditHead }).ToListAsync(ct);
        var rows = new List<ChainRow>(projects.Count);
        foreach (var project in projects)
        {
            var events = await db.AuditEvents.AsNoTracking().Where(e => e.ProjectId == project.Id).OrderBy(e => e.Sequence).ToListAsync(ct);
            rows.Add(new ChainRow(project.Id, project.Name, events.Count, events.Count > 0 ? events[^1].At : null, AuditChain.Verify(events, project.AuditSequence, project.AuditHead)));
        }
        Rows = rows;
    }
}
