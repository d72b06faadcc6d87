using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.Data;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Reminders;
using RestorationWorkflow.Web.Infrastructure;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Web.Features.Projects;

/// <summary>
/// The project list's filters and sort, one set of rules for <c>GET /api/projects</c> and the <c>/Projects</c> page:
/// text (name, code, description, lead organisation; or the exact country code), country, ecosystem type, step (a
/// STAPER group A–D, or a step code A1…D3: the states of that group or step), state, situation; sorted by name,
/// code, updated, country or state, ascending or descending. An unknown value is a 400 naming its parameter.
/// </summary>
public sealed record ProjectSearch(
    string? Q = null, string? Country = null, string? EcosystemType = null, string? Step = null, string? State = null,
    string? Situation = null, string? Sort = null, string? Order = null)
{
    public const int MaxTextLength = 200;

    public static readonly IReadOnlyList<string> Sorts = ["updated", "name", "code", "country", "state"];

    public static readonly IReadOnlyList<string> Orders = ["asc", "desc"];

    /// <summary>The earliest start date (YYYY-MM-DD, inclusive): projects without a start date drop out.</summary>
    public string? StartFrom { get; init; }

    /// <summary>The latest start date (YYYY-MM-DD, inclusive).</summary>
    public string? StartTo { get; init; }

    /// <summary>Projects with at least one site of this ecosystem type (the portfolio's hectares are counted by the site's type).</summary>
    public string? SiteEcosystemType { get; init; }

    /// <summary>Projects with an overdue due item of this kind (<see cref="DueItemKinds"/>).</summary>
    public string? Overdue { get; init; }

    /// <summary>Projects with at least one target in this status (<c>onTrack</c>, <c>atRisk</c>, <c>offTrack</c>, <c>noData</c>).</summary>
    public string? TargetStatus { get; init; }

    /// <summary>
    /// Only the projects on whose team the caller is (manager or member): the list's "only mine", and the scope of a project
    /// manager's portfolio (<see cref="ProjectScope"/>).
    /// </summary>
    public bool Mine { get; init; }

    /// <summary>
    /// Only projects whose sites count as under restoration (GBF indicator 2.2): in a state of the monitoring phase of
    /// their workflow (<see cref="MonitoringPhase"/>: from the plan's approval to the evaluation gate).
    /// </summary>
    public bool UnderRestoration { get; init; }

    public static readonly IReadOnlyList<string> TargetStatuses = ["onTrack", "atRisk", "offTrack", "noData"];

    /// <summary>Each unknown value under its query parameter's name.</summary>
    public void Validate(WorkflowCatalog catalog, IDictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(errors);
        if (Q is { Length: > MaxTextLength })
            errors["q"] = [$"The search text may have at most {MaxTextLength} characters."];
        else if (!string.IsNullOrWhiteSpace(Q))
            CreateProject.ValidateText(errors, "q", Q);
        if (Given(Country) && !Countries.IsKnown(Country!.Trim()))
            errors["country"] = [$"'{TextRules.Quote(Country)}' is not an ISO 3166-1 alpha-2 country code."];
        if (Given(EcosystemType) && !EcosystemTypes.IsKnown(EcosystemType!))
            errors["ecosystemType"] = [$"'{TextRules.Quote(EcosystemType)}' is not an ecosystem type; known: {string.Join(", ", EcosystemTypes.All.Select(t => t.Code))}."];
        if (Given(Step) && !StaperSteps.Groups.Any(g => g.Group == Step) && !StaperSteps.All.Any(s => s.Code == Step))
            errors["step"] = [$"'{TextRules.Quote(Step)}' is not a STAPER step; use a group (A, B, C, D) or a code (A1…D3)."];
        if (Given(State) && !catalog.All.Any(d => d.FindState(State!) is not null))
            errors["state"] = [$"'{TextRules.Quote(State)}' is not a state of any loaded workflow."];
        if (Given(Situation) && !ProjectSituations.IsKnown(Situation))
            errors["situation"] = [$"'{TextRules.Quote(Situation)}' is not a situation; known: {string.Join(", ", ProjectSituations.All.Select(s => s.Code))}."];
        if (Given(Sort) && !Sorts.Contains(Sort!))
            errors["sort"] = [$"'{TextRules.Quote(Sort)}' is not a sort; known: {string.Join(", ", Sorts)}."];
        if (Given(Order) && !Orders.Contains(Order!))
            errors["order"] = ["The order is asc or desc."];
        if (Given(StartFrom) && ParseDay(StartFrom) is null)
            errors["startFrom"] = [$"'{TextRules.Quote(StartFrom)}' is not a date (YYYY-MM-DD)."];
        if (Given(StartTo) && ParseDay(StartTo) is null)
            errors["startTo"] = [$"'{TextRules.Quote(StartTo)}' is not a date (YYYY-MM-DD)."];
        else if (ParseDay(StartFrom) is { } from && ParseDay(StartTo) is { } to && to < from)
            errors["startTo"] = ["The end of the period is before its start."];
        if (Given(SiteEcosystemType) && !EcosystemTypes.IsKnown(SiteEcosystemType!))
            errors["siteEcosystemType"] = [$"'{TextRules.Quote(SiteEcosystemType)}' is not an ecosystem type; known: {string.Join(", ", EcosystemTypes.All.Select(t => t.Code))}."];
        if (Given(Overdue) && !DueItemKinds.All.Contains(Overdue!))
            errors["overdue"] = [$"'{TextRules.Quote(Overdue)}' is not a kind of due item; known: {string.Join(", ", DueItemKinds.All)}."];
        if (Given(TargetStatus) && !TargetStatuses.Contains(TargetStatus!))
            errors["targetStatus"] = [$"'{TextRules.Quote(TargetStatus)}' is not a target status; known: {string.Join(", ", TargetStatuses)}."];
    }

    /// <summary>A filter's day, or null when it is not given or not a date.</summary>
    public static DateOnly? ParseDay(string? value) =>
        DateOnly.TryParseExact(value?.Trim(), "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var day) ? day : null;

    /// <summary>The filters (validated first: <see cref="Validate"/>).</summary>
    /// <param name="query">The projects to filter.</param>
    /// <param name="catalog">The loaded workflows (a step's states).</param>
    /// <param name="sqlite">
    /// The query runs on SQLite (decision 0046): its <c>LIKE</c> ignores ASCII case by itself, so the text filter
    /// compares the columns as stored instead of through <c>lower()</c> (the same matches, a third of the time), and an
    /// ecosystem type is found in the stored JSON array's text (<c>"reefs"</c>, quotes included, which no other code
    /// contains) instead of opening every array with <c>json_each</c>.
    /// </param>
    public IQueryable<Project> Filter(IQueryable<Project> query, WorkflowCatalog catalog, bool sqlite = false)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(catalog);
        if (Given(State))
            query = query.Where(p => p.State == State);
        if (Given(Step))
        {
            var states = catalog.All
                .SelectMany(d => d.States)
                .Where(s => s.Group == Step || s.Steps.Contains(Step!))
                .Select(s => s.Code)
                .Distinct()
                .ToList();
            query = query.Where(p => states.Contains(p.State));
        }
        if (Given(Country))
        {
            var country = Country!.Trim().ToUpperInvariant();
            query = query.Where(p => p.Country == country);
        }
        if (Given(EcosystemType))
        {
            var type = EcosystemType!;
            if (sqlite)
            {
                var quoted = "\"" + type + "\"";
                query = query.Where(p => StoredText.Position(p.EcosystemTypes, quoted) > 0);
            }
            else
            {
                query = query.Where(p => p.EcosystemTypes.Contains(type));
            }
        }
        if (Given(Situation))
            query = query.Where(p => p.Situation == Situation);
        if (UnderRestoration)
        {
            // The phase's state codes mean the same in every loaded version (v1–v3: Implementation … EvaluationReview).
            var phase = catalog.All.SelectMany(d => MonitoringPhase.Of(d).States).Distinct().ToList();
            query = query.Where(p => phase.Contains(p.State));
        }
        if (ParseDay(StartFrom) is { } startFrom)
            query = query.Where(p => p.StartDate >= startFrom);
        if (ParseDay(StartTo) is { } startTo)
            query = query.Where(p => p.StartDate <= startTo);
        if (!string.IsNullOrWhiteSpace(Q))
        {
            // Case-insensitive for ASCII on every provider: SQLite's LIKE is by itself; elsewhere lower() on both sides
            // (TextPatterns; PostgreSQL's LIKE is case-sensitive, and a SQL Server collation may be).
            var text = Q.Trim();
            var pattern = TextPatterns.Contains(text);
            var upper = text.ToUpperInvariant();
            if (sqlite)
            {
                query = query.Where(p => EF.Functions.Like(p.Name, pattern, TextPatterns.Escape) || EF.Functions.Like(p.Code, pattern, TextPatterns.Escape)
                    || EF.Functions.Like(p.Description, pattern, TextPatterns.Escape) || EF.Functions.Like(p.LeadOrganisation, pattern, TextPatterns.Escape) || p.Country == upper);
            }
            else
            {
#pragma warning disable CA1304, CA1311 // Translated to SQL lower(), which no .NET culture affects.
                query = query.Where(p => EF.Functions.Like(p.Name.ToLower(), pattern, TextPatterns.Escape) || EF.Functions.Like(p.Code.ToLower(), pattern, TextPatterns.Escape)
                    || EF.Functions.Like(p.Description.ToLower(), pattern, TextPatterns.Escape) || EF.Functions.Like(p.LeadOrganisation.ToLower(), pattern, TextPatterns.Escape) || p.Country == upper);
#pragma warning restore CA1304, CA1311
            }
        }
        return query;
    }

    /// <summary>
    /// The sort; the most recently updated first by default. Ties are broken by the id, so that pages neither repeat
    /// nor skip a row. A sort by name or update time reverses its whole key, so that one index serves both orders; by
    /// country or state the names within stay ascending (decision 0046).
    /// </summary>
    public IQueryable<Project> Sorted(IQueryable<Project> query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var sort = Given(Sort) ? Sort : "updated";
        var descending = Given(Order) ? Order == "desc" : sort == "updated";
        return (sort, descending) switch
        {
            ("name", false) => query.OrderBy(p => p.Name).ThenBy(p => p.Id),
            ("name", true) => query.OrderByDescending(p => p.Name).ThenByDescending(p => p.Id),
            ("code", false) => query.OrderBy(p => p.Code),
            ("code", true) => query.OrderByDescending(p => p.Code),
            ("country", false) => query.OrderBy(p => p.Country).ThenBy(p => p.Name).ThenBy(p => p.Id),
            ("country", true) => query.OrderByDescending(p => p.Country).ThenBy(p => p.Name).ThenBy(p => p.Id),
            ("state", false) => query.OrderBy(p => p.State).ThenBy(p => p.Name).ThenBy(p => p.Id),
            ("state", true) => query.OrderByDescending(p => p.State).ThenBy(p => p.Name).ThenBy(p => p.Id),
            (_, false) => query.OrderBy(p => p.UpdatedAt).ThenBy(p => p.Id),
            _ => query.OrderByDescending(p => p.UpdatedAt).ThenByDescending(p => p.Id),
        };
    }

    private static bool Given(string? value) => !string.IsNullOrWhiteSpace(value);
}
