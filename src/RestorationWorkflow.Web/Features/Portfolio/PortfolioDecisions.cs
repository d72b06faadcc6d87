using System.Globalization;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.Audit;
using RestorationWorkflow.Data;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Web.Features.Portfolio;

/// <summary>A recent decision on a project: what was decided, when, and where it moved the project.</summary>
public sealed record PortfolioDecision(
    Guid ProjectId, string ProjectCode, string ProjectName, DateTimeOffset At, string Kind, string Decision, LocalizedText Label,
    string? FromState, string? ToState);

/// <summary>
/// The portfolio's "recent decisions". One reader to swap: the adaptive-management decisions (D2) replace
/// <see cref="TransitionDecisions"/> when they land (decision 0033, registered in <see cref="PortfolioFeature"/>).
/// </summary>
public interface IPortfolioDecisions
{
    Task<IReadOnlyList<PortfolioDecision>> RecentAsync(IQueryable<Project> projects, int count, CancellationToken ct);
}

/// <summary>
/// Until then: the latest transitions of kind <c>feedback</c> (the loops back to A, B or C, or on to the next cycle) and
/// <c>approve</c> (a gate's sign-off) from the projects' audit trails, newest first, read through the index (Action, At).
/// </summary>
public sealed class TransitionDecisions(AppDbContext db, WorkflowCatalog catalog) : IPortfolioDecisions
{
    public async Task<IReadOnlyList<PortfolioDecision>> RecentAsync(IQueryable<Project> projects, int count, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(projects);
        var decisive = catalog.All.SelectMany(d => d.Transitions).Where(t => t.Kind is "feedback" or "approve")
            .Select(t => t.Trigger).Distinct().ToList();
        var rows = await (from e in db.AuditEvents.AsNoTracking()
                          where e.Action == AuditActions.Transition && decisive.Contains(e.Trigger!)
                          join p in projects on e.ProjectId equals p.Id
                          orderby e.At descending, e.Id descending
                          select new { e.ProjectId, p.Code, p.Name, e.At, e.Trigger, e.FromState, e.ToState, e.WorkflowId, e.WorkflowVersion })
            .Take(count).ToListAsync(ct);
        return [.. rows.Select(r =>
        {
            var transition = catalog.Find(r.WorkflowId, r.WorkflowVersion)?.Transitions.FirstOrDefault(t => t.Trigger == r.Trigger);
            return new PortfolioDecision(r.ProjectId, r.Code, r.Name, r.At, transition?.Kind ?? "feedback", r.Trigger!,
                transition?.Label ?? new LocalizedText(r.Trigger!, r.Trigger!), r.FromState, r.ToState);
        })];
    }
}
