using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using RestorationWorkflow.Web.Features.Projects;

namespace RestorationWorkflow.Web.Features.Evaluations;

/// <summary>
/// <c>/Lessons</c>: lessons learned across every project the reader may read, filtered by text, topic and country (a GET
/// form whose filters stay in the query string and the pager), paged, with the same search as CSV (<c>?handler=Csv</c>).
/// </summary>
public sealed class LessonsModel(LessonSearch search) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Topic { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Country { get; set; }

    [BindProperty(SupportsGet = true)]
    public Guid? ProjectId { get; set; }

    [BindProperty(SupportsGet = true, Name = "page")]
    public int? PageNumber { get; set; }

    public PagedResult<LessonDto> Results { get; private set; } = new([], 1, LessonQuery.DefaultPageSize, 0);

    public IReadOnlyDictionary<string, string[]> Errors { get; private set; } = new Dictionary<string, string[]>();

    private LessonQuery Query => new(Q, Topic, Country, ProjectId, PageNumber);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Errors = Query.Validate();
        if (Errors.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        Results = await search.SearchAsync(Query, User, ct);
        return Page();
    }

    public async Task<IActionResult> OnGetCsvAsync(CancellationToken ct)
    {
        Errors = Query.Validate();
        if (Errors.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        return File(LessonSearch.Csv(await search.AllAsync(Query, User, ct)), "text/csv; charset=utf-8", "lessons.csv");
    }

    /// <summary>The current filters with another page (or the CSV handler), for links.</summary>
    public string Link(int? page = null, string? handler = null)
    {
        var query = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["q"] = Q, ["topic"] = Topic, ["country"] = Country, ["projectId"] = ProjectId?.ToString(), ["handler"] = handler,
            ["page"] = page?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        return Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString("/Lessons", query.Where(p => !string.IsNullOrEmpty(p.Value)));
    }
}
