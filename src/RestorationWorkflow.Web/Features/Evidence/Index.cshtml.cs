using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using RestorationWorkflow.Data;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Web.Features.Projects;
using RestorationWorkflow.Web.Infrastructure;

namespace RestorationWorkflow.Web.Features.Evidence;

/// <summary>What <c>_Evidence.cshtml</c> shows: the files of a project, of one of its codes, or of one of its sites.</summary>
public sealed record EvidenceSection(Project Project, string? Code = null, Guid? SiteId = null)
{
    /// <summary>The whole project, grouped by code (the project page).</summary>
    public bool AllTargets => Code is null && SiteId is null;
}

/// <summary>
/// <c>/Projects/{id}/Evidence</c>: a project's evidence files grouped by code, the upload form's handler (the same
/// <see cref="EvidenceService"/> as the API), and downloads for the signed-in browser (the API is bearer-only).
/// </summary>
public sealed class IndexModel(
    ProjectStore store, EvidenceService evidence, EvidenceStorage storage, AppDbContext db, IAuthorizationService authorization,
    IStringLocalizer<SharedResource> localizer) : PageModel
{
    public Project Project { get; private set; } = null!;

    public EvidenceSection Section { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid id, string? code, Guid? siteId, CancellationToken ct) =>
        await LoadAsync(id, code, siteId, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnGetDownloadAsync(Guid id, Guid fileId, CancellationToken ct)
    {
        var file = await db.EvidenceFiles.AsNoTracking().FirstOrDefaultAsync(e => e.Id == fileId && e.ProjectId == id, ct);
        if (file is null || !await LoadAsync(id, null, null, ct))
            return NotFound();
        var stream = storage.OpenRead(file.StorageName);
        if (stream is null)
            return NotFound();
        EvidenceEndpoints.SetDownloadHeaders(Response, file.DownloadName);
        return File(stream, file.MediaType);
    }

    public async Task<IActionResult> OnPostUploadAsync(
        Guid id, IFormFile? file, string? code, string? siteId, string? expectedVersion, string? returnUrl, CancellationToken ct)
    {
        EvidenceUploadResult result;
        if (file is not null && file.Length > evidence.MaxFileBytes)
        {
            result = new EvidenceUploadResult(null, 0, evidence.TooLarge(), null);
        }
        else
        {
            StagedFile? staged = null;
            if (file is not null)
            {
                await using var content = file.OpenReadStream();
                staged = await evidence.ReceiveAsync(content, ct);
            }
            result = file is not null && staged is null
                ? new EvidenceUploadResult(null, 0, evidence.TooLarge(), null)
                : await evidence.AttachAsync(id, staged, file?.FileName, new AttachEvidenceRequest(code, siteId, expectedVersion), User, ct);
        }
        if (result.Succeeded)
        {
            TempData["Message"] = localizer["{0} was attached (version {1}).", result.File!.FileName, result.File.Version].Value;
            return Url.IsLocalUrl(returnUrl) ? LocalRedirect(returnUrl) : RedirectToPage(new { id });
        }
        if (result.Refusal?.Code == RestorationWorkflow.Commands.CommandErrorCodes.ProjectNotFound)
            return NotFound();
        if (result.FileRefusal is { } refusal)
        {
            Response.StatusCode = refusal.Status;
            ModelState.AddModelError("File", refusal.Message.For(CultureInfo.CurrentUICulture));
        }
        else
        {
            result.Refusal!.ShowOn(this, localizer);
        }
        Guid? site = Guid.TryParse(siteId, out var parsed) ? parsed : null;
        return await LoadAsync(id, string.IsNullOrWhiteSpace(code) || site is not null ? null : code, site, ct) ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync(Guid id, string? code, Guid? siteId, CancellationToken ct)
    {
        var project = await store.FindAsync(id, ct);
        if (project is null || !(await authorization.AuthorizeAsync(User, project, ProjectOperations.Read)).Succeeded)
            return false;
        Project = project;
        Section = new EvidenceSection(project, code is not null && StaperSteps.IsKnown(code) ? code : null, siteId);
        return true;
    }
}
