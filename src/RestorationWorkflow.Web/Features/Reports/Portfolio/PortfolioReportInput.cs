namespace RestorationWorkflow.Web.Features.Reports.Portfolio;

/// <summary>
/// Everything the portfolio report shows, with every label already in the report's language:
/// <see cref="PortfolioReportSource"/> builds it from the dashboard's figures (<see cref="Features.Portfolio.PortfolioReader"/>)
/// for the requester's scope, <see cref="PortfolioReport"/> draws it. Its SHA-256 (as JSON) is printed in every page's footer.
/// </summary>
public sealed record PortfolioReportInput(
    string Language,
    DateTimeOffset GeneratedAt,
    string RequestedBy,
    bool AllProjects,
    int Projects,
    decimal HectaresUnderRestoration,
    decimal HectaresTotal,
    IReadOnlyList<PortfolioGroup> Groups,
    IReadOnlyList<PortfolioEcosystemRow> Hectares,
    IReadOnlyList<PortfolioStateRow> States,
    IReadOnlyList<PortfolioStatusRow> Targets,
    IReadOnlyList<PortfolioOverdueRow> Overdue,
    IReadOnlyList<PortfolioOverdueEntry> OldestOverdue,
    IReadOnlyList<PortfolioCountryRow> Countries,
    IReadOnlyList<PortfolioDecisionEntry> Decisions,
    IReadOnlyList<string> UnderRestorationStates);

/// <summary>A step group (A–D) and its name.</summary>
public sealed record PortfolioGroup(string Code, string Label);

/// <summary>
/// The hectares of one ecosystem type's sites, by the step group of their project's state (<c>A</c>–<c>D</c>, and
/// <c>none</c> for draft, closed, suspended and cancelled projects), with the part under restoration (GBF Target 2, indicator 2.2).
/// </summary>
public sealed record PortfolioEcosystemRow(
    string EcosystemType, string Label, IReadOnlyDictionary<string, decimal> ByGroup, decimal Total, decimal UnderRestoration);

/// <summary>Projects in one state.</summary>
public sealed record PortfolioStateRow(string State, string Label, string Group, int Projects);

/// <summary>Targets of one status (on track, at risk, off track, no data) and the projects they belong to.</summary>
public sealed record PortfolioStatusRow(string Status, string Label, int Targets, int Projects);

/// <summary>Overdue items of one kind and the projects they belong to.</summary>
public sealed record PortfolioOverdueRow(string Kind, string Label, int Items, int Projects);

/// <summary>One of the most overdue items.</summary>
public sealed record PortfolioOverdueEntry(string ProjectCode, string ProjectName, string Kind, string Title, DateOnly DueOn, int DaysOverdue);

/// <summary>Projects in one country (ISO code).</summary>
public sealed record PortfolioCountryRow(string Country, int Projects);

/// <summary>A recent decision: when, on which project, what, and the states before and after.</summary>
public sealed record PortfolioDecisionEntry(DateTimeOffset At, string ProjectCode, string ProjectName, string Decision, string? FromState, string? ToState);
