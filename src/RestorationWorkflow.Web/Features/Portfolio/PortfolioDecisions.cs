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

/// <summary>The portfolio's "recent decisions" (<see cref="TransitionDecisions"/>, registered in <see cref="PortfolioFeature"/>).</summary>
public interface IPortfolioDecisions
{
    Task<IReadOnlyList<PortfolioDecision>> RecentAsync(IQueryable<Project> projects, int count, CancellationToken ct);
}

/// <summary>
/// The decisions that move a project, newest first: the adaptive-management decisions of step D2 (decision 0032, every
/// kind including <c>close</c>, labelled by the decision taken, read by their index on DecidedAt), and the other
/// decisive transitions from the audit trails — gate sign-offs (<c>approve</c>) and loops back fired by hand
/// (<c>feedback</c>, e.g. AdaptPlan from Implementation), read through the index (Action, At). A D2 decision and the
/// transition it fired are one audit event, so the transition is listed once, as the decision.
/// </summary>
public sealed class TransitionDecisions(AppDbContext db, WorkflowCatalog catalog) : IPortfolioDecisions
{
    public async Task<IReadOnlyList<PortfolioDecision>> RecentAsync(IQueryable<Project> projects, int count, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(projects);
        // The newest decisions first, then their projects' code and name: read the other way (the projects joined
        // before the limit), SQLite's planner scans every project in scope and sorts their decisions, whatever their number.
        var newest = db.AdaptiveDecisions.AsNoTracking()
            .Where(d => projects.Any(p => p.Id == d.ProjectId))
            .OrderByDescending(d => d.DecidedAt).ThenByDescending(d => d.Id)
            .Take(count);
        var adaptive = await (from d in newest
                              join p in db.Projects.AsNoTracking() on d.ProjectId equals p.Id
                              orderby d.DecidedAt descending, d.Id descending
                              select new { d.ProjectId, p.Code, p.Name, d.DecidedAt, d.Kind, d.Trigger, d.FromState, d.ResultingState })
            .ToListAsync(ct);
        var decisive = catalog.All.SelectMany(d => d.Transitions).Where(t => t.Kind is "feedback" or "approve")
            .Select(t => t.Trigger).Distinct().ToList();
        var rows = await (from e in db.AuditEvents.AsNoTracking()
                          where e.Action == AuditActions.Transition && decisive.Contains(e.Trigger!)
                          join p in projects on e.ProjectId equals p.Id
                          orderby e.At descending, e.Id descending
                          select new { e.ProjectId, p.Code, p.Name, e.At, e.Trigger, e.FromState, e.ToState, e.WorkflowId, e.WorkflowVersion })
            .Take(count).ToListAsync(ct);
        var decided = adaptive.Select(d => (d.ProjectId, d.Trigger, d.DecidedAt)).ToHashSet();
        var transitions = rows.Where(r => !decided.Contains((r.ProjectId, r.Trigger!, r.At))).Select(r =>
        {
            var transition = catalog.Find(r.WorkflowId, r.WorkflowVersion)?.Transitions.FirstOrDefault(t => t.Trigger == r.Trigger);
            return new PortfolioDecision(r.ProjectId, r.Code, r.Name, r.At, transition?.Kind ?? "feedback", r.Trigger!,
                transition?.Label ?? new LocalizedText(r.Trigger!, r.Trigger!), r.FromState, r.ToState);
        });
        var decisions = adaptive.Select(d => new PortfolioDecision(d.ProjectId, d.Code, d.Name, d.DecidedAt, "adaptive", d.Kind,
            AdaptiveDecisions.Label(d.Kind), d.FromState, d.ResultingState));
        return [.. decisions.Concat(transitions).OrderByDescending(d => d.At).Take(count)];
    }
}
