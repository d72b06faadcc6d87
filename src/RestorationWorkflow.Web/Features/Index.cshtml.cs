using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.Data;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Web.Features.Identity;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Web.Features;

public sealed class IndexModel(AppDbContext db, WorkflowCatalog catalog) : PageModel
{
    public sealed record GroupCount(string Code, LocalizedText Label, int Count);

    public IReadOnlyList<GroupCount> Groups { get; private set; } = [];

    public int Total { get; private set; }

    public int Mine { get; private set; }

    public int InReview { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        var byState = await db.Projects.AsNoTracking().GroupBy(p => p.State).Select(g => new { State = g.Key, Count = g.Count() }).ToListAsync(ct);
        var states = catalog.All.SelectMany(d => d.States).GroupBy(s => s.Code).ToDictionary(g => g.Key, g => g.First());
        Groups = [.. StaperSteps.Groups.Select(g => new GroupCount(g.Group, g.Label,
            byState.Where(s => states.TryGetValue(s.State, out var st) && st.Group == g.Group).Sum(s => s.Count)))];
        Total = byState.Sum(s => s.Count);
        var reviewStates = states.Values.Where(s => s.Kind == StateKind.Review).Select(s => s.Code).ToList();
        InReview = byState.Where(s => reviewStates.Contains(s.State)).Sum(s => s.Count);
        var me = User.UserId();
        Mine = await db.ProjectMembers.CountAsync(m => m.UserId == me, ct);
    }
}
