using RestorationWorkflow.Data;
using RestorationWorkflow.Evidence;
using RestorationWorkflow.Web.Features.Evidence;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using RestorationWorkflow.Commands;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Web.Features.Projects;
using RestorationWorkflow.Web.Infrastructure;

namespace RestorationWorkflow.Web.Features.People;

/// <summary>
/// What the people pages share: load the project for a caller who may change it (managers; approvers verify
/// consent on the consent page), run a command, go back to the project's People section or show the errors by field.
/// </summary>
public abstract class PeoplePageBase(ProjectStore store, ProjectCommands commands, IAuthorizationService authorization, IStringLocalizer<SharedResource> localizer, AppDbContext db)
    : PageModel
{
    [BindProperty]
    public int ExpectedVersion { get; set; }

    public Project Project { get; private set; } = null!;

    /// <summary>The project's evidence files, for the evidence picker of participation events and consent records.</summary>
    public IReadOnlyList<EvidenceFile> EvidenceFiles { get; private set; } = [];

    protected IStringLocalizer<SharedResource> Localizer => localizer;

    protected ProjectCommands Commands => commands;

    /// <summary>Loads the project; null to go on, else 404 (unknown or unreadable) or 403 (may not edit).</summary>
    protected async Task<IActionResult?> LoadProjectAsync(Guid id, CancellationToken ct, bool requireEdit = true)
    {
        var project = await store.FindAsync(id, ct);
        if (project is null || !(await authorization.AuthorizeAsync(User, project, ProjectOperations.Read)).Succeeded)
            return NotFound();
        if (requireEdit && !(await authorization.AuthorizeAsync(User, project, ProjectOperations.Edit)).Succeeded)
            return Forbid();
        Project = project;
        EvidenceFiles = await EvidenceService.ListAsync(db, id, null, null, ct);
        return null;
    }

    /// <summary>After a command: back to the People section, or the errors next to the fields (and the page's status).</summary>
    protected async Task<IActionResult> AfterAsync(CommandResult<Project> result, Guid id, string message, Func<Task<IActionResult>> reload)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(reload);
        if (result.Code is CommandErrorCodes.ProjectNotFound or PeopleCommand.ItemNotFound)
            return NotFound();
        if (result.Succeeded)
        {
            TempData["Message"] = message;
            return Redirect($"/Projects/{id}#people");
        }
        result.ShowOn(this, localizer);
        var status = Response.StatusCode;
        var page = await reload();
        Response.StatusCode = status;
        return page;
    }
}
