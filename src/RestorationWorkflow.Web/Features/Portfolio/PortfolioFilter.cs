using System.Security.Claims;
using Microsoft.AspNetCore.WebUtilities;
using RestorationWorkflow.Web.Features.Projects;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Web.Features.Portfolio;

/// <summary>
/// The dashboard's filters: country, ecosystem type (a type the project lists, as in the project list) and the period,
/// which is the projects' <b>start date</b> (<c>startFrom</c>, <c>startTo</c>, both inclusive, YYYY-MM-DD): a project
/// without a start date drops out when a period is given. The same rules as the project list (<see cref="ProjectSearch"/>):
/// an unknown value is a 400 naming its parameter. <see cref="ProjectsLink"/> gives the project list behind a figure: these
/// filters, the caller's scope (<c>mine</c>) and the figure's own.
/// </summary>
public sealed record PortfolioFilter(string? Country, string? EcosystemType, string? StartFrom, string? StartTo)
{
    public ProjectSearch Search => new(Country: Country, EcosystemType: EcosystemType) { StartFrom = StartFrom, StartTo = StartTo };

    public Dictionary<string, string[]> Validate(WorkflowCatalog catalog)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        Search.Validate(catalog, errors);
        return errors;
    }

    /// <summary>The filters as query values (given ones only), upper-casing the country as the list does.</summary>
    public IEnumerable<KeyValuePair<string, string?>> Values()
    {
        if (!string.IsNullOrWhiteSpace(Country))
            yield return new("country", Country.Trim().ToUpperInvariant());
        if (!string.IsNullOrWhiteSpace(EcosystemType))
            yield return new("ecosystemType", EcosystemType);
        if (!string.IsNullOrWhiteSpace(StartFrom))
            yield return new("startFrom", StartFrom.Trim());
        if (!string.IsNullOrWhiteSpace(StartTo))
            yield return new("startTo", StartTo.Trim());
    }

    /// <summary><paramref name="path"/> with the filters (and <paramref name="more"/>) as its query.</summary>
    /// <remarks>A value of <paramref name="more"/> replaces the filter of the same name (a country's row under a country filter).</remarks>
    public string Link(string path, params (string Name, string? Value)[] more)
    {
        var given = more.Where(m => !string.IsNullOrEmpty(m.Value)).ToList();
        return QueryHelpers.AddQueryString(path,
            [.. Values().Where(v => given.All(m => m.Name != v.Key)), .. given.Select(m => new KeyValuePair<string, string?>(m.Name, m.Value))]);
    }

    /// <summary>The project list (<c>/Projects</c> or <c>/api/projects</c>) behind a figure, in the caller's scope.</summary>
    public string ProjectsLink(string listPath, ClaimsPrincipal user, params (string Name, string? Value)[] figure) =>
        Link(listPath, [.. figure, ("mine", ProjectScope.SeesAll(user) ? null : "true")]);
}
