using System.Security.Claims;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Projects.Targets;
using RestorationWorkflow.Web.Features.Projects;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Web.Features.Portfolio;

public sealed record PortfolioFiltersDto(string? Country, string? EcosystemType, string? StartFrom, string? StartTo);

public sealed record HectareCellDto(
    string EcosystemType, LocalizedText EcosystemLabel, string Group, string State, LocalizedText StateLabel, decimal Hectares, int Sites, int Projects,
    bool UnderRestoration, string ProjectsLink);

public sealed record StatusCountDto(string Status, LocalizedText Label, int Targets, int Projects, string ProjectsLink);

public sealed record OverdueCountDto(string Kind, int Items, int Projects, string ProjectsLink);

public sealed record OverdueItemDto(Guid ProjectId, string ProjectCode, string ProjectName, string Kind, LocalizedText Title, DateOnly DueOn, int DaysOverdue);

public sealed record CountryCountDto(string Country, int Projects, string ProjectsLink);

/// <summary>Projects in one state: its code, label, step group (A–D, or "none") and the list behind it.</summary>
public sealed record StateCountDto(string State, LocalizedText Label, string Group, int Projects, string ProjectsLink);

public sealed record DecisionDto(
    Guid ProjectId, string ProjectCode, string ProjectName, DateTimeOffset At, string Kind, string Decision, LocalizedText Label, string? FromState, string? ToState);

/// <summary>
/// <c>GET /api/portfolio</c>: the dashboard's figures. <c>scope</c> is <c>all</c> (approvers, auditors, administrators) or
/// <c>mine</c> (a project manager's own projects); each figure's <c>projectsLink</c> lists the projects behind it.
/// <c>hectaresUnderRestoration</c> is GBF Target 2, indicator 2.2: the computed area of the sites of projects in
/// implementation, monitoring or evaluation.
/// </summary>
public sealed record PortfolioDto(
    PortfolioFiltersDto Filters, string Scope, int Projects, decimal HectaresUnderRestoration, decimal HectaresTotal,
    IReadOnlyList<HectareCellDto> Hectares, IReadOnlyList<StatusCountDto> Targets, IReadOnlyList<OverdueCountDto> Overdue,
    IReadOnlyList<OverdueItemDto> OldestOverdue, IReadOnlyList<CountryCountDto> Countries, IReadOnlyList<DecisionDto> RecentDecisions,
    IReadOnlyList<StateCountDto> States)
{
    public static PortfolioDto From(PortfolioFigures f, PortfolioFilter filter, ClaimsPrincipal user, WorkflowCatalog catalog, string listPath)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(catalog);
        return new PortfolioDto(
            new PortfolioFiltersDto(filter.Country, filter.EcosystemType, filter.StartFrom, filter.StartTo),
            ProjectScope.SeesAll(user) ? "all" : "mine", f.Projects, f.HectaresUnderRestoration, f.HectaresTotal,
            [.. f.Hectares.Select(c => new HectareCellDto(c.EcosystemType, EcosystemTypes.Label(c.EcosystemType), c.Group, c.State, StateLabel(catalog, c.State),
                c.Hectares, c.Sites, c.Projects, c.UnderRestoration,
                filter.ProjectsLink(listPath, user, ("siteEcosystemType", c.EcosystemType), ("state", c.State))))],
            [.. f.Targets.Select(s => new StatusCountDto(s.Status, StatusLabel(s.Status), s.Targets, s.Projects,
                filter.ProjectsLink(listPath, user, ("targetStatus", s.Status))))],
            [.. f.Overdue.Select(o => new OverdueCountDto(o.Kind, o.Items, o.Projects, filter.ProjectsLink(listPath, user, ("overdue", o.Kind))))],
            [.. f.OldestOverdue.Select(o => new OverdueItemDto(o.ProjectId, o.ProjectCode, o.ProjectName, o.Kind, o.Title, o.DueOn, o.DaysOverdue))],
            [.. f.Countries.Select(c => new CountryCountDto(c.Country, c.Projects, filter.ProjectsLink(listPath, user, ("country", c.Country))))],
            [.. f.RecentDecisions.Select(d => new DecisionDto(d.ProjectId, d.ProjectCode, d.ProjectName, d.At, d.Kind, d.Decision, d.Label, d.FromState, d.ToState))],
            [.. f.States.Select(s => new StateCountDto(s.State, StateLabel(catalog, s.State), s.Group, s.Projects, filter.ProjectsLink(listPath, user, ("state", s.State))))]);
    }

    /// <summary>A state's label from the newest definition that has it.</summary>
    public static LocalizedText StateLabel(WorkflowCatalog catalog, string state)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return catalog.All.OrderByDescending(d => d.Version).Select(d => d.FindState(state)?.Label).FirstOrDefault(l => l is not null)
            ?? new LocalizedText(state, state);
    }

    public static LocalizedText StatusLabel(string status) => TargetProgress.Label(status switch
    {
        "onTrack" => ProgressStatus.OnTrack,
        "atRisk" => ProgressStatus.AtRisk,
        "offTrack" => ProgressStatus.OffTrack,
        _ => ProgressStatus.NoData,
    });
}
