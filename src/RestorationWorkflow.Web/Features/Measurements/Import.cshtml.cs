using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using RestorationWorkflow.Commands;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Web.Features.Projects;
using RestorationWorkflow.Web.Infrastructure;

namespace RestorationWorkflow.Web.Features.Measurements;

/// <summary>
/// Upload a CSV file of measurements, see every row and every bad row with its line (nothing is written), then confirm:
/// the same preview and import as <c>POST /api/projects/{id}/measurements/import</c>, for the project's managers.
/// </summary>
public sealed class ImportModel(ProjectStore store, MeasurementImport import, IAuthorizationService authorization, IStringLocalizer<SharedResource> localizer) : PageModel
{
    public Project Project { get; private set; } = null!;

    /// <summary>The file's text, carried from the preview to the confirmation.</summary>
    [BindProperty]
    public string? Csv { get; set; }

    [BindProperty]
    public int ExpectedVersion { get; set; }

    public CsvCheck? Preview { get; private set; }

    public MonitoringOptions Options => import.Options;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) => await LoadAsync(id, ct) ?? Page();

    public async Task<IActionResult> OnPostPreviewAsync(Guid id, IFormFile? file, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } refusal)
            return refusal;
        if (file is null || file.Length == 0)
            return Refused("file", localizer["Choose a CSV file to preview."], StatusCodes.Status400BadRequest);
        if (file.Length > Options.ImportMaxBytes)
            return Refused("file", localizer["The file is larger than {0} KB; split it into smaller files.", Options.ImportMaxKilobytes], StatusCodes.Status413PayloadTooLarge);
        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, ct);
        if (MeasurementCsv.Decode(buffer.ToArray()) is not { } csv)
            return Refused("file", localizer["The file is not UTF-8 text; save it as CSV UTF-8."], StatusCodes.Status400BadRequest);
        var outcome = await import.RunAsync(id, csv, preview: true, null, User, ct);
        if (!outcome.Result.Succeeded)
            return Show(outcome.Result);
        Csv = csv;
        Preview = outcome.Check;
        ExpectedVersion = Project.Version;
        if (Preview!.BadRows.Count > 0)
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return Page();
    }

    public async Task<IActionResult> OnPostImportAsync(Guid id, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } refusal)
            return refusal;
        if (string.IsNullOrEmpty(Csv))
            return Refused("file", localizer["Choose a CSV file to preview."], StatusCodes.Status400BadRequest);
        var outcome = await import.RunAsync(id, Csv, preview: false, ExpectedVersion, User, ct);
        if (outcome.Result.Succeeded)
        {
            TempData["Message"] = localizer["{0} measurement(s) imported.", outcome.Imported].Value;
            return Redirect($"/Projects/{id}#targets");
        }
        if (outcome.RefusedForRows)
        {
            Preview = outcome.Check;
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            ModelState.AddModelError("", localizer["Some rows are not valid; nothing was imported."]);
            return Page();
        }
        return Show(outcome.Result);
    }

    public string Message(RestorationWorkflow.Workflows.LocalizedText text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.For(CultureInfo.CurrentUICulture);
    }

    private PageResult Show(CommandResult<Project> result)
    {
        result.ShowOn(this, localizer);
        if (result.Status == CommandStatus.Unprocessable)
        {
            foreach (var reason in result.Reasons)
                ModelState.AddModelError("", reason.Message.For(CultureInfo.CurrentUICulture));
        }
        if (result.Status == CommandStatus.Invalid && ModelState.TryGetValue("File", out var fileErrors))
        {
            foreach (var error in fileErrors.Errors.ToList())
                ModelState.AddModelError("", error.ErrorMessage);
        }
        return Page();
    }

    private PageResult Refused(string field, string message, int status)
    {
        Response.StatusCode = status;
        ModelState.AddModelError(field, message);
        return Page();
    }

    /// <summary>The project, for its managers only (others: 404 when they cannot read it, else 403).</summary>
    private async Task<IActionResult?> LoadAsync(Guid id, CancellationToken ct)
    {
        var project = await store.FindAsync(id, ct);
        if (project is null || !(await authorization.AuthorizeAsync(User, project, ProjectOperations.Read)).Succeeded)
            return NotFound();
        if (!(await authorization.AuthorizeAsync(User, project, ProjectOperations.Edit)).Succeeded)
            return Forbid();
        Project = project;
        return null;
    }
}
