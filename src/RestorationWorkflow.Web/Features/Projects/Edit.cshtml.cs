using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using RestorationWorkflow.Commands;
using RestorationWorkflow.Identity;
using RestorationWorkflow.Web.Infrastructure;

namespace RestorationWorkflow.Web.Features.Projects;

/// <summary>The registry edit page: the same command as <c>PUT /api/projects/{id}</c>, errors next to their fields.</summary>
[Authorize(Policy = Policies.ReadProjects)]
public sealed class EditModel(ProjectStore store, ProjectCommands commands, IAuthorizationService authorization, IStringLocalizer<SharedResource> localizer)
    : RegistryFormModel
{
    [BindProperty(SupportsGet = true)]
    public Guid Id { get; set; }

    [BindProperty]
    public int ExpectedVersion { get; set; }

    public override bool CodeRequired => true;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var project = await store.FindAsync(Id, ct);
        if (project is null)
            return NotFound();
        if (!(await authorization.AuthorizeAsync(User, project, ProjectOperations.Edit)).Succeeded)
            return Forbid();
        Fill(project);
        ExpectedVersion = project.Version;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (HasBindingErrors())
            return Page();
        var f = Fields();
        var request = new UpdateProjectRequest(f.Name, f.Description, f.Country, f.EcosystemTypes, f.AreaHectares, f.Code, f.Region, f.Scale,
            f.NaturallyLowTreeCover, f.Situation, f.StartDate, f.LifespanYears, f.Budget, f.Currency, f.LeadOrganisation, ExpectedVersion);
        var result = await commands.ExecuteAsync(new UpdateProjectRegistry(Id, request), User, ct);
        if (result.Code == CommandErrorCodes.ProjectNotFound)
            return NotFound();
        if (result.Status == CommandStatus.Forbidden)
            return Forbid();
        if (result.Succeeded)
        {
            TempData["Message"] = localizer["The registry of {0} is saved.", result.Value!.Name].Value;
            return RedirectToPage("/Projects/Details", new { id = Id });
        }
        result.ShowOn(this, localizer);
        ShowCodeRefusal(result);
        if (result.Status == CommandStatus.Conflict && await store.FindAsync(Id, ct) is { } current)
        {
            // "The page now shows the current version": the stored values replace what was typed.
            ModelState.Clear();
            result.ShowOn(this, localizer);
            Fill(current);
            ExpectedVersion = current.Version;
        }
        return Page();
    }
}
