using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.Data;
using RestorationWorkflow.Web.Features.Identity;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Web.Features.Projects;

/// <summary>The project list with filters; also the approvers' review queue (<c>/Reviews</c>).</summary>
public class IndexModel(ProjectFilters filters, WorkflowCatalog catalog) : PageModel
{
    private const int PageSize = 25;

    public sealed record Row(Guid Id, string Name, string Code, string Country, string Group, string StateLabel, string Kind, DateTimeOffset UpdatedAt);

    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Country { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? EcosystemType { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Situation { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Sort { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Order { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Step { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? State { get; set; }

    [BindProperty(SupportsGet = true)]
    public bool Mine { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? StartFrom { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? StartTo { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? SiteEcosystemType { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Overdue { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? TargetStatus { get; set; }

    [BindProperty(SupportsGet = true)]
    public bool UnderRestoration { get; set; }

    /// <summary>Whether a filter the form does not show (the portfolio's links) narrows the list.</summary>
    public bool HasPortfolioFilter => !string.IsNullOrWhiteSpace(StartFrom) || !string.IsNullOrWhiteSpace(StartTo)
        || !string.IsNullOrWhiteSpace(SiteEcosystemType) || !string.IsNullOrWhiteSpace(Overdue) || !string.IsNullOrWhiteSpace(TargetStatus) || UnderRestoration;

    [BindProperty(SupportsGet = true, Name = "page")]
    public int PageNumber { get; set; } = 1;

    public int PageCount { get; private set; } = 1;

    public virtual string? Title => null;

    protected virtual bool ReviewOnly => false;

    public IReadOnlyList<Row> Items { get; private set; } = [];

    public IReadOnlyList<StateDefinition> States { get; private set; } = [];

    /// <summary>The filters that were refused (400), by query parameter: shown next to their field.</summary>
    public IReadOnlyDictionary<string, string[]> FilterErrors { get; private set; } = new Dictionary<string, string[]>();

    public async Task OnGetAsync(CancellationToken ct)
    {
        States = [.. catalog.All.SelectMany(d => d.States).GroupBy(s => s.Code).Select(g => g.First())];
        var search = new ProjectSearch(Q, Country, EcosystemType, Step, State, Situation, Sort, Order)
        {
            StartFrom = StartFrom, StartTo = StartTo, SiteEcosystemType = SiteEcosystemType, Overdue = Overdue, TargetStatus = TargetStatus, Mine = Mine,
            UnderRestoration = UnderRestoration,
        };
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        search.Validate(catalog, errors);
        if (errors.Count > 0)
        {
            FilterErrors = errors;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        var query = await filters.ApplyAsync(search, User, ct);
        if (ReviewOnly)
        {
            var review = States.Where(s => s.Kind == StateKind.Review).Select(s => s.Code).ToList();
            query = query.Where(p => review.Contains(p.State));
        }
        var total = await query.CountAsync(ct);
        // Any ?page= (negative, huge, or not a number, which binds as 1) lands on a page that exists; the offset is
        // then at most the row count, so it cannot overflow.
        PageCount = (int)Math.Max(1, ((long)total + PageSize - 1) / PageSize);
        PageNumber = Math.Clamp(PageNumber, 1, PageCount);
        var rows = await search.Sorted(query).Skip((PageNumber - 1) * PageSize).Take(PageSize)
            .Select(p => new { p.Id, p.Name, p.Code, p.Country, p.WorkflowId, p.WorkflowVersion, p.State, p.UpdatedAt })
            .ToListAsync(ct);
        var culture = CultureInfo.CurrentUICulture;
        Items = [.. rows.Select(p =>
        {
            var s = catalog.Find(p.WorkflowId, p.WorkflowVersion)?.FindState(p.State);
            return new Row(p.Id, p.Name, p.Code, p.Country, s?.Group ?? "none", s?.Label.For(culture) ?? p.State, s?.Kind.ToString().ToLowerInvariant() ?? "active", p.UpdatedAt);
        })];
    }

    public string PageLink(int page) =>
        QueryString.Create(new Dictionary<string, string?>
        {
            ["q"] = Q, ["country"] = Country, ["ecosystemType"] = EcosystemType, ["step"] = Step, ["state"] = State, ["situation"] = Situation,
            ["startFrom"] = StartFrom, ["startTo"] = StartTo, ["siteEcosystemType"] = SiteEcosystemType, ["overdue"] = Overdue,
            ["targetStatus"] = TargetStatus, ["underRestoration"] = UnderRestoration ? "true" : null, ["sort"] = Sort, ["order"] = Order, ["mine"] = Mine ? "true" : null, ["page"] = page.ToString(CultureInfo.InvariantCulture),
        }.Where(kv => !string.IsNullOrEmpty(kv.Value))).ToUriComponent();
}
