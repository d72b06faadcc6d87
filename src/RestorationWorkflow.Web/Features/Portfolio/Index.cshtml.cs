using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using RestorationWorkflow.Identity;
using RestorationWorkflow.Reports;
using RestorationWorkflow.Web.Features.Reports;
using RestorationWorkflow.Web.Features.Reports.Portfolio;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Web.Features.Portfolio;

/// <summary>
/// The portfolio dashboard: the figures of <c>GET /api/portfolio</c> over the projects the caller sees, with the filters in
/// the query string; its charts (<c>?handler=Chart&amp;chart=hectares|targets</c>, SVG), map data (<c>?handler=Sites</c>,
/// GeoJSON) and CSV exports (<c>?handler=ProjectsCsv</c>, <c>?handler=MeasurementsCsv</c>) take the same filters. Its
/// reports section requests a PDF portfolio report (<c>?handler=Report</c>, POST, the same <see cref="ReportService"/> as
/// <c>POST /api/reports</c>) and lists the portfolio reports the caller may see (decision 0040).
/// </summary>
[Authorize(Policy = Policies.ReadProjects)]
public sealed class IndexModel(PortfolioService portfolio, WorkflowCatalog catalog, ReportService reports) : PageModel
{
    /// <summary>How many portfolio reports the page lists, newest first.</summary>
    public const int ReportsListed = 10;

    [BindProperty(SupportsGet = true)]
    public string? Country { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? EcosystemType { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? StartFrom { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? StartTo { get; set; }

    public PortfolioFilter Filter => new(Country, EcosystemType, StartFrom, StartTo);

    public PortfolioFigures? Figures { get; private set; }

    public IReadOnlyDictionary<string, string[]> FilterErrors { get; private set; } = new Dictionary<string, string[]>();

    public WorkflowCatalog Catalog => catalog;

    /// <summary>Whether the caller may request a portfolio report (the form is shown).</summary>
    public bool MayRequestReport { get; private set; }

    /// <summary>The newest portfolio reports the caller may see.</summary>
    public IReadOnlyList<ReportView> Reports { get; private set; } = [];

    /// <summary>Why the last report request was refused (a bad language), shown by the form.</summary>
    public string? ReportError { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        await LoadReportsAsync(ct);
        if (Refused())
            return;
        Figures = await portfolio.FiguresAsync(Filter, User, ct);
    }

    /// <summary>
    /// The form's request: a portfolio report of the caller's scope in <paramref name="language"/>; on to the report's page,
    /// which follows it until done. A bad language shows the message and makes no report; a caller without the role: 403.
    /// </summary>
    public async Task<IActionResult> OnPostReportAsync(string? language, CancellationToken ct)
    {
        var result = await reports.RequestAsync(ReportScope.Portfolio, null, PortfolioReportKind.Key, language, User, ct);
        if (result.Report is { } report)
            return RedirectToPage("/Reports/Show", new { reportId = report.Id });
        var refusal = result.Refusal!;
        if (refusal.Status == StatusCodes.Status403Forbidden)
            return Forbid();
        ReportError = refusal.Message.For(System.Globalization.CultureInfo.CurrentUICulture);
        Response.StatusCode = refusal.Status;
        await LoadReportsAsync(ct);
        if (!Refused())
            Figures = await portfolio.FiguresAsync(Filter, User, ct);
        return Page();
    }

    private async Task LoadReportsAsync(CancellationToken ct)
    {
        MayRequestReport = await reports.MayRequestPortfolioAsync(User);
        Reports = await reports.ListPortfolioAsync(User, ReportsListed, ct);
    }

    public async Task<IActionResult> OnGetChartAsync(string? chart, CancellationToken ct)
    {
        if (Refused())
            return BadRequest();
        var figures = await portfolio.FiguresAsync(Filter, User, ct);
        var svg = chart switch
        {
            "hectares" => PortfolioCharts.Hectares(figures.Hectares),
            "targets" => PortfolioCharts.Targets(figures.Targets),
            _ => null,
        };
        return svg is null ? NotFound() : Content(svg, "image/svg+xml");
    }

    public async Task<IActionResult> OnGetSitesAsync([FromServices] PortfolioMap map, CancellationToken ct)
    {
        if (Refused())
            return BadRequest();
        var projects = await portfolio.ProjectsAsync(Filter, User, ct);
        Response.ContentType = "application/geo+json";
        await map.WriteAsync(Response.Body, projects, ct);
        return new EmptyResult();
    }

    public Task<IActionResult> OnGetProjectsCsvAsync([FromServices] PortfolioCsv csv, CancellationToken ct) =>
        CsvAsync("portfolio-projects.csv", (stream, projects) => csv.WriteProjectsAsync(stream, projects, ct), ct);

    public Task<IActionResult> OnGetMeasurementsCsvAsync([FromServices] PortfolioCsv csv, CancellationToken ct) =>
        CsvAsync("portfolio-measurements.csv", (stream, projects) => csv.WriteMeasurementsAsync(stream, projects, ct), ct);

    /// <summary>The dashboard with these filters and a handler (or none).</summary>
    public string Link(string? handler = null, params (string Name, string? Value)[] more) =>
        Filter.Link("/Portfolio", [("handler", handler), .. more]);

    /// <summary>The project list behind a figure: the filters, the caller's scope and the figure's own filters.</summary>
    public string Projects(params (string Name, string? Value)[] figure) => Filter.ProjectsLink("/Projects", User, figure);

    private async Task<IActionResult> CsvAsync(string fileName, Func<Stream, IQueryable<RestorationWorkflow.Projects.Project>, Task> write, CancellationToken ct)
    {
        if (Refused())
            return BadRequest();
        var projects = await portfolio.ProjectsAsync(Filter, User, ct);
        Response.ContentType = PortfolioCsv.ContentType;
        Response.Headers.ContentDisposition = new System.Net.Mime.ContentDisposition { FileName = fileName, Inline = false }.ToString();
        await write(Response.Body, projects);
        return new EmptyResult();
    }

    private bool Refused()
    {
        var errors = Filter.Validate(catalog);
        if (errors.Count == 0)
            return false;
        FilterErrors = errors;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return true;
    }
}
