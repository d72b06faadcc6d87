using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using RestorationWorkflow.Commands;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Projects.Safeguards;
using RestorationWorkflow.Web.Features.Projects;
using RestorationWorkflow.Web.Infrastructure;

namespace RestorationWorkflow.Web.Features.Safeguards;

/// <summary>Adds, edits or removes one species to plant or reintroduce (the project's managers).</summary>
public sealed class SpeciesModel(ProjectStore store, SafeguardReader reader, ProjectCommands commands, IAuthorizationService authorization,
    IStringLocalizer<SharedResource> localizer) : PageModel
{
    [BindProperty]
    public string? ScientificName { get; set; }

    [BindProperty]
    public string? CommonName { get; set; }

    /// <summary>"true", "false" or empty.</summary>
    [BindProperty]
    public string? Native { get; set; }

    [BindProperty]
    public string? Provenance { get; set; }

    [BindProperty]
    public string? PrecautionaryJustification { get; set; }

    [BindProperty]
    public int ExpectedVersion { get; set; }

    public Project Project { get; private set; } = null!;

    public Guid? SpeciesId { get; private set; }

    /// <summary>The species being edited, read once by <see cref="LoadAsync"/>; null when adding.</summary>
    private PlannedSpecies? Species { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id, Guid? speciesId, CancellationToken ct)
    {
        if (await LoadAsync(id, speciesId, ct) is { } refusal)
            return refusal;
        if (Species is { } species)
        {
            (ScientificName, CommonName, Provenance, PrecautionaryJustification) = (species.ScientificName, species.CommonName, species.Provenance, species.PrecautionaryJustification);
            Native = species.Native ? "true" : "false";
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, Guid? speciesId, CancellationToken ct)
    {
        var input = new SpeciesInput(ScientificName, CommonName, Native switch { "true" => true, "false" => false, _ => null }, Provenance, PrecautionaryJustification);
        SpeciesCommand command = speciesId is { } existing ? new UpdateSpecies(id, existing, input, ExpectedVersion) : new AddSpecies(id, input, ExpectedVersion);
        var result = await commands.ExecuteAsync(command, User, ct);
        if (result.Succeeded)
        {
            TempData["Message"] = localizer["Species {0} saved.", command.Species?.ScientificName ?? ScientificName ?? ""].Value;
            return Redirect($"/Projects/{id}/Safeguards#species");
        }
        return await RefusedAsync(result, id, speciesId, ct);
    }

    public async Task<IActionResult> OnPostDeleteAsync(Guid id, Guid speciesId, int expectedVersion, CancellationToken ct)
    {
        var result = await commands.ExecuteAsync(new RemoveSpecies(id, speciesId, expectedVersion), User, ct);
        if (result.Succeeded)
        {
            TempData["Message"] = localizer["The species was removed."].Value;
            return Redirect($"/Projects/{id}/Safeguards#species");
        }
        return await RefusedAsync(result, id, speciesId, ct);
    }

    private async Task<IActionResult> RefusedAsync(CommandResult<Project> result, Guid id, Guid? speciesId, CancellationToken ct)
    {
        if (result.Code is CommandErrorCodes.ProjectNotFound or SafeguardCommand.SpeciesNotFound)
            return NotFound();
        result.ShowOn(this, localizer);
        var status = Response.StatusCode;
        if (await LoadAsync(id, speciesId, ct) is { } refusal)
            return refusal;
        Response.StatusCode = status;
        return Page();
    }

    private async Task<IActionResult?> LoadAsync(Guid id, Guid? speciesId, CancellationToken ct)
    {
        var project = await store.FindAsync(id, ct);
        if (project is null || !(await authorization.AuthorizeAsync(User, project, ProjectOperations.Read)).Succeeded)
            return NotFound();
        if (!(await authorization.AuthorizeAsync(User, project, ProjectOperations.Edit)).Succeeded)
            return Forbid();
        Project = project;
        SpeciesId = speciesId;
        if (speciesId is { } wanted && (Species = (await reader.SpeciesAsync(id, ct)).FirstOrDefault(s => s.Id == wanted)) is null)
            return NotFound();
        return null;
    }
}
