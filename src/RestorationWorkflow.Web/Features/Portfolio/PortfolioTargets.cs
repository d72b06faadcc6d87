using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RestorationWorkflow.Data;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Projects.Targets;
using RestorationWorkflow.Web.Features.Measurements;

namespace RestorationWorkflow.Web.Features.Portfolio;

/// <summary>
/// The targets of a set of projects counted by status in SQL (decision 0044). Each target row keeps its status
/// (<see cref="RestorationTarget.Progress"/>), decided by the status rule of decision 0031 (<see cref="TargetProgress"/>,
/// the code the project page runs) before every save of the target, with the thresholds it was decided under
/// (<see cref="RestorationTarget.ProgressRule"/>). The dashboard groups those rows, through the index
/// (ProgressRule, Progress, ProjectId); the million measurements and the rule's arithmetic stay out of the query. A row
/// decided under other thresholds (after a change of configuration, before the start-up pass has decided it again,
/// <see cref="TargetProgressBackfill"/>) or never decided is read and decided here, so a figure is never wrong.
/// </summary>
public sealed class PortfolioTargets(AppDbContext db, IOptions<MonitoringOptions> options)
{
    public ProgressThresholds Thresholds => options.Value.Thresholds;

    private IQueryable<RestorationTarget> Of(IQueryable<Project> projects) =>
        db.RestorationTargets.AsNoTracking().Where(t => projects.Any(p => p.Id == t.ProjectId));

    /// <summary>The targets of <paramref name="projects"/> whose kept status is not the current rule's, decided now.</summary>
    private async Task<List<(Guid Id, Guid ProjectId, ProgressStatus Status)>> UndecidedAsync(IQueryable<Project> projects, string rule, CancellationToken ct)
    {
        var thresholds = Thresholds;
        // Whether any target anywhere is undecided, from the index on (ProgressRule, …): three ranges (none, below, above
        // the rule), as "<>" is not a range, each its own statement, as SQLite scans the whole index for the three ORed in
        // one; nearly always nothing, and then the projects' targets are not looked at.
        var targets = db.RestorationTargets.AsNoTracking();
        if (!await targets.AnyAsync(t => t.ProgressRule == null, ct)
            && !await targets.AnyAsync(t => t.ProgressRule!.CompareTo(rule) < 0, ct)
            && !await targets.AnyAsync(t => t.ProgressRule!.CompareTo(rule) > 0, ct))
            return [];
        var undecided = targets.Where(t => t.ProgressRule == null || t.ProgressRule.CompareTo(rule) < 0 || t.ProgressRule.CompareTo(rule) > 0);
        var rows = await undecided.Where(t => projects.Any(p => p.Id == t.ProjectId)).ToListAsync(ct);
        return [.. rows.Select(t =>
        {
            t.KeepProgress(thresholds);
            return (t.Id, t.ProjectId, t.Progress!.Value);
        })];
    }

    /// <summary>Every target's project and status (one small row per target), for the per-project table of the CSV export.</summary>
    public async Task<List<(Guid ProjectId, ProgressStatus Status)>> StatusesAsync(IQueryable<Project> projects, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(projects);
        var rule = Thresholds.Key;
        var kept = await Of(projects).Where(t => t.ProgressRule == rule).Select(t => new { t.ProjectId, t.Progress }).ToListAsync(ct);
        var undecided = await UndecidedAsync(projects, rule, ct);
        return [.. kept.Select(r => (r.ProjectId, r.Progress!.Value)), .. undecided.Select(n => (n.ProjectId, n.Status))];
    }

    /// <summary>
    /// Targets and distinct projects per status of the projects of <paramref name="scope"/>, grouped in SQL; targets not yet
    /// decided under the current rule are decided here and added, a project counted once per status however its targets
    /// were decided. A scope's targets are matched against the set of its project ids (<see cref="PortfolioProjects.Ids"/>,
    /// a team's from its membership rows alone); every project's (<see cref="PortfolioProjects.Every"/>) are read without
    /// looking up each one's project.
    /// </summary>
    public async Task<Dictionary<ProgressStatus, (int Targets, int Projects)>> CountsAsync(PortfolioProjects scope, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var projects = scope.ForScans;
        var rule = Thresholds.Key;
        // A scope's targets as "project id in the set of the scope's ids": SQLite builds the set once and probes it per
        // target, where "exists such a project" looks each target's project up (and, for a manager, its team) again
        // (decision 0052: 49–67 → 10–16 ms for a manager's 10,000 targets in the sqlite3 shell); each probe reads the
        // index (ProjectId, ProgressRule, Progress) alone (decision 0053).
        var all = db.RestorationTargets.AsNoTracking();
        var ids = scope.Ids;
        var kept = (scope.Every ? all : all.Where(t => ids.Contains(t.ProjectId))).Where(t => t.ProgressRule == rule);
        var grouped = await kept.GroupBy(t => t.Progress)
            .Select(g => new { Status = g.Key, Targets = g.Count(), Projects = g.Select(t => t.ProjectId).Distinct().Count() })
            .ToListAsync(ct);
        var counts = grouped.ToDictionary(g => g.Status!.Value, g => (g.Targets, g.Projects));
        var undecided = await UndecidedAsync(projects, rule, ct);
        if (undecided.Count == 0)
            return counts;
        var undecidedProjects = undecided.Select(n => n.ProjectId).Distinct().ToList();
        var already = (await kept.Where(t => undecidedProjects.Contains(t.ProjectId))
                .Select(t => new { t.ProjectId, t.Progress }).Distinct().ToListAsync(ct))
            .Select(r => (r.ProjectId, r.Progress!.Value)).ToHashSet();
        foreach (var group in undecided.GroupBy(n => n.Status))
        {
            var (targets, projectCount) = counts.GetValueOrDefault(group.Key);
            var added = group.Select(n => n.ProjectId).Distinct().Count(p => !already.Contains((p, group.Key)));
            counts[group.Key] = (targets + group.Count(), projectCount + added);
        }
        return counts;
    }

    /// <summary>
    /// The projects among <paramref name="projects"/> with at least one target in <paramref name="status"/> (a status code),
    /// as a query: the kept status, plus the projects of targets not yet decided under the current rule that are so now.
    /// </summary>
    public async Task<IQueryable<Project>> WithStatusAsync(IQueryable<Project> projects, string status, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(projects);
        var wanted = Enum.GetValues<ProgressStatus>().First(s => TargetProgress.Code(s) == status);
        var rule = Thresholds.Key;
        var undecided = await UndecidedAsync(projects, rule, ct);
        var extra = undecided.Where(n => n.Status == wanted).Select(n => n.ProjectId).Distinct().ToList();
        var targets = db.RestorationTargets.AsNoTracking();
        return extra.Count == 0
            ? projects.Where(p => targets.Any(t => t.ProjectId == p.Id && t.ProgressRule == rule && t.Progress == wanted))
            : projects.Where(p => targets.Any(t => t.ProjectId == p.Id && t.ProgressRule == rule && t.Progress == wanted) || extra.Contains(p.Id));
    }
}
