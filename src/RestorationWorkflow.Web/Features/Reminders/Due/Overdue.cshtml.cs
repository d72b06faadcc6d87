using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using RestorationWorkflow.Web.Features.Projects;

namespace RestorationWorkflow.Web.Features.Reminders.Due;

/// <summary>
/// For administrators and auditors: every overdue item across projects, a page at a time, sortable by days overdue,
/// project or kind, filtered by kind; the same query as <c>GET /api/reminders/overdue</c>.
/// </summary>
[Authorize(Policy = DuePolicies.ReadOverdue)]
public sealed class OverdueModel(OverdueReport report) : PageModel
{
    public const int PageSize = 25;

    public string? Kind { get; private set; }

    public string Sort { get; private set; } = OverdueQuery.DaysOverdue;

    public bool Descending { get; private set; } = true;

    public IReadOnlyList<string> Errors { get; private set; } = [];

    public PagedResult<OverdueItemDto> Result { get; private set; } = new([], 1, PageSize, 0);

    public int PageCount => Math.Max(1, (Result.Total + PageSize - 1) / PageSize);

    /// <summary><c>?page=</c> is read from the query (Razor Pages' own <c>page</c> route value would win a bound property).</summary>
    public async Task OnGetAsync(string? kind, string? sort, string? order, [FromQuery(Name = "page")] int? page, CancellationToken ct)
    {
        var query = new OverdueQuery(kind, sort, order, page, PageSize);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        query.Validate(errors);
        if (errors.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            Errors = [.. errors.Values.SelectMany(m => m)];
            query = new OverdueQuery(null, null, null, 1, PageSize);
        }
        (Kind, Sort, Descending) = (query.Kind, query.SortBy, query.Descending);
        Result = await report.ReadAsync(query, ct);
    }

    /// <summary>The link to this page with the filter kept and the given sort, order or page.</summary>
    public string Link(string? sort = null, string? order = null, int? page = null)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["kind"] = string.IsNullOrEmpty(Kind) ? null : Kind,
            ["sort"] = sort ?? Sort,
            ["order"] = order ?? (Descending ? "desc" : "asc"),
            ["page"] = (page ?? Result.Page).ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        return Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString("/Admin/Overdue", values.Where(v => v.Value is not null)!);
    }
}
