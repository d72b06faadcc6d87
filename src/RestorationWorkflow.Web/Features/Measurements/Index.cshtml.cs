using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using RestorationWorkflow.Commands;
using RestorationWorkflow.Data;
using RestorationWorkflow.Evidence;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Projects.Targets;
using RestorationWorkflow.Web.Features.Projects;
using RestorationWorkflow.Web.Infrastructure;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Web.Features.Measurements;

/// <summary>
/// A target's monitoring results: its status and chart, its measurements, and for the project's managers (while the
/// project's state accepts measurements) the form that records or corrects one. Every reader of the project sees it;
/// the chart is its handler <c>?handler=Chart</c>, an SVG with the same authorization as the project page.
/// </summary>
public sealed class IndexModel(
    ProjectStore store, MeasurementReader reader, ProjectCommands commands, WorkflowCatalog catalog, AppDbContext db,
    IAuthorizationService authorization, IStringLocalizer<SharedResource> localizer) : PageModel
{
    [BindProperty]
    public DateOnly? MeasuredOn { get; set; }

    [BindProperty]
    public decimal? Value { get; set; }

    [BindProperty]
    public string? Unit { get; set; }

    [BindProperty]
    public string? Method { get; set; }

    [BindProperty]
    public string? MeasuredBy { get; set; }

    [BindProperty]
    public Guid? EvidenceFileId { get; set; }

    [BindProperty]
    public string? Notes { get; set; }

    [BindProperty]
    public int ExpectedVersion { get; set; }

    /// <summary>The measurement being corrected (null: a new one).</summary>
    [BindProperty(SupportsGet = true)]
    public Guid? Edit { get; set; }

    public Project Project { get; private set; } = null!;

    public TargetMonitoring Monitoring { get; private set; } = null!;

    public ProgressThresholds Thresholds => reader.Thresholds;

    public IReadOnlyDictionary<string, string> Names { get; private set; } = new Dictionary<string, string>();

    public IReadOnlyList<EvidenceFile> EvidenceFiles { get; private set; } = [];

    /// <summary>The caller manages the project.</summary>
    public bool CanEdit { get; private set; }

    /// <summary>Why measurements cannot be recorded in the project's state now, or null.</summary>
    public string? StateRefusal { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, Guid targetId, CancellationToken ct)
    {
        if (await LoadAsync(id, targetId, ct) is { } refusal)
            return refusal;
        if (Edit is { } editing)
        {
            var measurement = Monitoring.Measurements.FirstOrDefault(m => m.Id == editing);
            if (measurement is null)
                return NotFound();
            (MeasuredOn, Value, Unit, Method) = (measurement.MeasuredOn, measurement.Value, measurement.Unit, measurement.Method);
            (MeasuredBy, EvidenceFileId, Notes) = (measurement.MeasuredBy, measurement.EvidenceFileId, measurement.Notes);
        }
        else
        {
            Unit = Monitoring.Target.Unit;
        }
        return Page();
    }

    /// <summary>The chart as SVG (numbers and dates only; the page labels it in the reader's language).</summary>
    public async Task<IActionResult> OnGetChartAsync(Guid id, Guid targetId, CancellationToken ct)
    {
        if (await LoadAsync(id, targetId, ct) is { } refusal)
            return refusal;
        var svg = ProgressChart.Svg(Monitoring.Target.Details, [.. Monitoring.Measurements.Select(m => new MeasuredPoint(m.MeasuredOn, m.Value))], Monitoring.Progress);
        Response.Headers.CacheControl = "private, no-cache";
        return Content(svg, "image/svg+xml; charset=utf-8");
    }

    public async Task<IActionResult> OnPostAsync(Guid id, Guid targetId, CancellationToken ct)
    {
        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return await LoadAsync(id, targetId, ct) ?? Page();
        }
        var input = new MeasurementInput(MeasuredOn, Value, Empty(Unit), Empty(Method), Empty(MeasuredBy), EvidenceFileId, Empty(Notes));
        ProjectCommand command = Edit is { } editing
            ? new CorrectMeasurement(id, targetId, editing, input, ExpectedVersion)
            : new RecordMeasurement(id, targetId, input, ExpectedVersion);
        var result = await commands.ExecuteAsync(command, User, ct);
        if (result.Succeeded)
        {
            TempData["Message"] = (Edit is null ? localizer["The measurement is recorded."] : localizer["The measurement is corrected."]).Value;
            return Redirect($"/Projects/{id}/Targets/{targetId}/Measurements");
        }
        return await RefusedAsync(result, id, targetId, ct);
    }

    public async Task<IActionResult> OnPostDeleteAsync(Guid id, Guid targetId, Guid measurementId, int expectedVersion, CancellationToken ct)
    {
        var result = await commands.ExecuteAsync(new DeleteMeasurement(id, targetId, measurementId, expectedVersion), User, ct);
        if (result.Succeeded)
        {
            TempData["Message"] = localizer["The measurement was deleted."].Value;
            return Redirect($"/Projects/{id}/Targets/{targetId}/Measurements");
        }
        Edit = null;
        return await RefusedAsync(result, id, targetId, ct);
    }

    public string StatusClass => "progress-" + TargetProgress.Code(Monitoring.Progress.Status);

    private async Task<IActionResult> RefusedAsync(CommandResult<Project> result, Guid id, Guid targetId, CancellationToken ct)
    {
        if (result.Code is CommandErrorCodes.ProjectNotFound or MeasurementCommand.TargetNotFound or MeasurementCommand.MeasurementNotFound)
            return NotFound();
        result.ShowOn(this, localizer);
        var status = Response.StatusCode;
        var page = await LoadAsync(id, targetId, ct) ?? Page();
        Response.StatusCode = status;
        return page;
    }

    private static string? Empty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    /// <summary>Loads the project (any reader), the target and its measurements; null to go on, else the refusal.</summary>
    private async Task<IActionResult?> LoadAsync(Guid id, Guid targetId, CancellationToken ct)
    {
        var project = await store.FindAsync(id, ct);
        if (project is null || !(await authorization.AuthorizeAsync(User, project, ProjectOperations.Read)).Succeeded)
            return NotFound();
        var monitoring = await reader.ForTargetAsync(id, targetId, ct);
        if (monitoring is null)
            return NotFound();
        Project = project;
        Monitoring = monitoring;
        CanEdit = (await authorization.AuthorizeAsync(User, project, ProjectOperations.Edit)).Succeeded;
        var refusal = MeasurementCommand.RefuseInState(catalog.DefinitionOf(project), project);
        StateRefusal = refusal?.Reasons[0].Message.For(System.Globalization.CultureInfo.CurrentUICulture);
        Names = await ProjectQueries.UserNamesAsync(db, monitoring.Measurements.Select(m => m.RecordedById), ct);
        if (CanEdit)
            EvidenceFiles = await db.EvidenceFiles.AsNoTracking().Where(f => f.ProjectId == id).OrderBy(f => f.Code).ThenBy(f => f.FileName).ThenByDescending(f => f.Version).ToListAsync(ct);
        return null;
    }
}
