using System.Globalization;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.Data;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Projects.Targets;
using RestorationWorkflow.Reminders;
using RestorationWorkflow.Web.Features.Reminders.Due;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Web.Features.Portfolio;

/// <summary>Hectares of sites of one ecosystem type (the site's own) in projects of one state.</summary>
public sealed record HectareCell(string EcosystemType, string Group, string State, decimal Hectares, int Sites, int Projects, bool UnderRestoration);

public sealed record StatusCount(string Status, int Targets, int Projects);

public sealed record OverdueCount(string Kind, int Items, int Projects);

public sealed record OverdueItem(Guid ProjectId, string ProjectCode, string ProjectName, string Kind, LocalizedText Title, DateOnly DueOn, int DaysOverdue);

public sealed record CountryCount(string Country, int Projects);

/// <summary>Projects in one state (its step group A–D or "none" from the project's workflow definition).</summary>
public sealed record StateCount(string State, string Group, int Projects);

/// <summary>
/// The projects a dashboard covers, in two forms of one query for SQLite's planner (decision 0045): a manager's team as an
/// <c>EXISTS</c> per project (<see cref="ForLookups"/>, for queries that look up each row's project or stop after a few
/// rows) and as an <c>IN</c> list of project ids (<see cref="ForScans"/>, for queries that group the projects
/// themselves). <see cref="Every"/>: every project — a caller who sees them all, no filter. <see cref="TeamIds"/>: when the
/// scope is exactly the caller's team (no filter), its project ids read from the team's membership rows alone, for the rows
/// that only need their project's id (targets, due items), so no project row is looked up (decision 0053).
/// </summary>
public sealed record PortfolioProjects(IQueryable<Project> ForLookups, IQueryable<Project> ForScans, bool Every, IQueryable<Guid>? TeamIds = null)
{
    /// <summary>The ids of the scope's projects, as a set SQLite reads once: the team's when the scope is exactly it.</summary>
    public IQueryable<Guid> Ids => TeamIds ?? ForScans.Select(p => p.Id);
}

/// <summary>Every figure of the dashboard, for one caller and one set of filters.</summary>
public sealed record PortfolioFigures(
    int Projects, decimal HectaresUnderRestoration, decimal HectaresTotal, IReadOnlyList<HectareCell> Hectares,
    IReadOnlyList<StatusCount> Targets, IReadOnlyList<OverdueCount> Overdue, IReadOnlyList<OverdueItem> OldestOverdue,
    IReadOnlyList<CountryCount> Countries, IReadOnlyList<PortfolioDecision> RecentDecisions, IReadOnlyList<StateCount> States);

/// <summary>
/// The portfolio's figures over a set of projects (already filtered and scoped, <see cref="Projects.ProjectFilters"/>),
/// each aggregated in SQL: hectares grouped by the site's ecosystem type and the project's state, projects by country,
/// overdue due items by kind, targets and projects by status (<see cref="PortfolioTargets"/>). Only the grouped
/// rows come back; a state's group (A–D) and whether it counts as under restoration are read from the project's
/// workflow definition.
/// </summary>
public sealed class PortfolioReader(AppDbContext db, WorkflowCatalog catalog, TimeProvider time, PortfolioTargets targets, IPortfolioDecisions decisions)
{
    public const int OverdueListed = 10;
    public const int DecisionsListed = 10;

    /// <summary>
    /// The figures of the projects of <paramref name="scope"/>: the projects themselves (count, hectares, countries,
    /// states) grouped from <see cref="PortfolioProjects.ForScans"/>; the targets by status, matched against the set of the
    /// scope's project ids read once (<see cref="PortfolioProjects.Ids"/>, decision 0052); due items and decisions, which
    /// look up each row's project or list a few, through <see cref="PortfolioProjects.ForLookups"/>, or a team's due items
    /// through its membership rows alone (decision 0053); for every project (<see cref="PortfolioProjects.Every"/>)
    /// targets and due items are counted from their own tables, without looking up each row's project (every row has one:
    /// foreign keys).
    /// </summary>
    public async Task<PortfolioFigures> ReadAsync(PortfolioProjects scope, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var (byState, countries, areas) = await ProjectGroupsAsync(scope, ct);
        var hectares = Hectares(areas);
        var statuses = await StatusesAsync(scope, ct);
        var (overdue, oldest) = await OverdueAsync(scope, ct);
        var recent = await decisions.RecentAsync(scope.ForLookups, DecisionsListed, ct);
        var states = States(byState);
        return new PortfolioFigures(byState.Sum(g => g.Projects),
            hectares.Where(c => c.UnderRestoration).Sum(c => c.Hectares), hectares.Sum(c => c.Hectares), hectares, statuses, overdue, oldest,
            [.. countries.OrderByDescending(c => c.Projects).ThenBy(c => c.Country, StringComparer.Ordinal)], recent, states);
    }

    /// <summary>Projects of one state (of one workflow version), counted in SQL.</summary>
    private sealed record ProjectGroup(string State, string WorkflowId, int WorkflowVersion, int Projects);

    /// <summary>
    /// The projects per state and per country (their sum is the count, decision 0052) and their hectares and sites per
    /// ecosystem type by state (<see cref="StateAreaSums"/>). Every project: three statements, the counts each one pass over
    /// its covering index (by state, and (Country)), the hectares one pass by state, on SQLite over the index by state that
    /// holds the area columns (<see cref="SiteAreas.StateIndexName"/>, decision 0053); grouped by country as well, that
    /// pass would read the table and take twice as long. A scope or a filter: one statement grouped by state and
    /// country, with the counts and the sums, as each statement looks up every project of the scope again (decision 0053:
    /// for a manager's 5,000 in the sqlite3 shell, 28 ms against 18 and 25 for the counts and the hectares apart); the
    /// sums by state and by country are taken here from at most states × countries rows.
    /// </summary>
    private static async Task<(List<ProjectGroup> ByState, List<CountryCount> Countries, List<StateAreaSums> Areas)> ProjectGroupsAsync(
        PortfolioProjects scope, CancellationToken ct)
    {
        var projects = scope.ForScans;
        if (scope.Every)
        {
            var byState = await projects.GroupBy(p => new { p.State, p.WorkflowId, p.WorkflowVersion })
                .Select(g => new ProjectGroup(g.Key.State, g.Key.WorkflowId, g.Key.WorkflowVersion, g.Count()))
                .ToListAsync(ct);
            var countries = await projects.GroupBy(p => p.Country)
                .Select(g => new CountryCount(g.Key, g.Count()))
                .ToListAsync(ct);
            var areas = await StateAreaSums.Of(projects.GroupBy(p => new { p.State, p.WorkflowId, p.WorkflowVersion })).ToListAsync(ct);
            return (byState, countries, areas);
        }
        var groups = await StateAreaSums.Of(projects.GroupBy(p => new { p.State, p.WorkflowId, p.WorkflowVersion, p.Country })).ToListAsync(ct);
        return ([.. groups.GroupBy(g => (g.State, g.WorkflowId, g.WorkflowVersion))
                .Select(g => new ProjectGroup(g.Key.State, g.Key.WorkflowId, g.Key.WorkflowVersion, g.Sum(x => x.Count)))],
            [.. groups.GroupBy(g => g.Country!, StringComparer.Ordinal).Select(g => new CountryCount(g.Key, g.Sum(x => x.Count)))],
            groups);
    }

    /// <summary>
    /// Projects per state, from the groups counted in SQL by (state, workflow, version, country); the same state code of two
    /// versions is one row. Ordered as the newest definition that has the state lists its states (the workflow's order),
    /// unknown codes last.
    /// </summary>
    private List<StateCount> States(List<ProjectGroup> groups)
    {
        var ordered = catalog.All.OrderByDescending(d => d.Version).ToList();
        int Order(string state)
        {
            foreach (var definition in ordered)
            {
                for (var i = 0; i < definition.States.Count; i++)
                {
                    if (definition.States[i].Code == state)
                        return i;
                }
            }
            return int.MaxValue;
        }
        return [.. groups
            .Select(r => (r.State, Group: catalog.Find(r.WorkflowId, r.WorkflowVersion)?.FindState(r.State)?.Group ?? "none", r.Projects))
            .GroupBy(r => (r.State, r.Group))
            .Select(g => new StateCount(g.Key.State, g.Key.Group, g.Sum(x => x.Projects)))
            .OrderBy(c => Order(c.State)).ThenBy(c => c.State, StringComparer.Ordinal)];
    }

    /// <summary>
    /// One row per ecosystem type with sites in a group of projects: each project keeps its hectares and sites per ecosystem
    /// type on its row (SiteAreas, decision 0045), so no site is read and the filters are the project list's own.
    /// </summary>
    private static IEnumerable<HectareRow> HectareRows(List<StateAreaSums> areas) =>
        areas.SelectMany(r => EcosystemTypes.All.Select((type, i) =>
                new HectareRow(type.Code, r.State, r.WorkflowId, r.WorkflowVersion, r.Hectares(i), r.Sites(i), r.Projects(i))))
            .Where(r => r.Sites > 0);

    private sealed record HectareRow(string EcosystemType, string State, string WorkflowId, int WorkflowVersion, double Hectares, int Sites, int Projects);

    private List<HectareCell> Hectares(List<StateAreaSums> areas) =>
        // A state has one group in each definition; the same state code of two versions (or of two countries' groups) is one cell
        // (their projects are disjoint).
        [.. HectareRows(areas)
            .Select(r =>
            {
                var definition = catalog.Find(r.WorkflowId, r.WorkflowVersion);
                var state = definition?.FindState(r.State);
                var under = definition is not null && MonitoringPhase.Of(definition).Applies(r.State);
                return (Key: (r.EcosystemType, Group: state?.Group ?? "none", r.State, under), r.Hectares, r.Sites, r.Projects);
            })
            .GroupBy(r => r.Key)
            .Select(g => new HectareCell(g.Key.EcosystemType, g.Key.Group, g.Key.State, Math.Round((decimal)g.Sum(x => x.Hectares), 4),
                g.Sum(x => x.Sites), g.Sum(x => x.Projects), g.Key.under))
            .OrderBy(c => EcosystemOrder(c.EcosystemType)).ThenBy(c => c.Group, StringComparer.Ordinal).ThenBy(c => c.State, StringComparer.Ordinal)];

    private async Task<List<StatusCount>> StatusesAsync(PortfolioProjects scope, CancellationToken ct)
    {
        var byStatus = await targets.CountsAsync(scope, ct);
        return [.. new[] { ProgressStatus.OnTrack, ProgressStatus.AtRisk, ProgressStatus.OffTrack, ProgressStatus.NoData }
            .Select(s => byStatus.TryGetValue(s, out var c) ? new StatusCount(TargetProgress.Code(s), c.Targets, c.Projects) : new StatusCount(TargetProgress.Code(s), 0, 0))];
    }

    private async Task<(List<OverdueCount>, List<OverdueItem>)> OverdueAsync(PortfolioProjects scope, CancellationToken ct)
    {
        var today = DuePlan.Day(time.GetUtcNow());
        var projects = scope.ForLookups;
        var overdueItems = db.DueItems.AsNoTracking().Where(d => d.DueOn < today);
        // Each overdue item's project looked up (a few hundred rows, where the IN list would read every project of the scope
        // first), or, for a team, only whether the caller is on the item's project's team (decision 0053).
        if (scope.TeamIds is { } team)
            overdueItems = overdueItems.Where(d => team.Any(id => id == d.ProjectId));
        else if (!scope.Every)
            overdueItems = overdueItems.Where(d => projects.Any(p => p.Id == d.ProjectId));
        var counts = await overdueItems.GroupBy(d => d.Kind)
            .Select(g => new OverdueCount(g.Key, g.Count(), g.Select(x => x.ProjectId).Distinct().Count()))
            .ToListAsync(ct);
        var oldest = await (from d in overdueItems
                            join p in projects on d.ProjectId equals p.Id
                            orderby d.DueOn, d.Id
                            select new { d.Id, d.ProjectId, p.Code, p.Name, d.Kind, d.TitleEn, d.TitleZh, d.DueOn })
            .Take(OverdueListed).ToListAsync(ct);
        return ([.. DueItemKinds.All.Select(k => counts.FirstOrDefault(c => c.Kind == k) ?? new OverdueCount(k, 0, 0))],
            [.. oldest.Select(d => new OverdueItem(d.ProjectId, d.Code, d.Name, d.Kind, new LocalizedText(d.TitleEn, d.TitleZh), d.DueOn, today.DayNumber - d.DueOn.DayNumber))]);
    }

    private static int EcosystemOrder(string code)
    {
        for (var i = 0; i < EcosystemTypes.All.Count; i++)
        {
            if (EcosystemTypes.All[i].Code == code)
                return i;
        }
        return int.MaxValue;
    }

    /// <summary>A hectare figure as text (two decimals, the reader's culture).</summary>
    public static string Ha(decimal value, CultureInfo culture) => value.ToString("N2", culture);
}
