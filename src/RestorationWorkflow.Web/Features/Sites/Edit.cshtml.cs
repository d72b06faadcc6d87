using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using RestorationWorkflow.Commands;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Web.Features.Projects;
using RestorationWorkflow.Web.Infrastructure;

namespace RestorationWorkflow.Web.Features.Sites;

/// <summary>Adds or edits one site: its fields and its boundary, drawn on the map or uploaded as a GeoJSON file.</summary>
public sealed class EditModel(
    ProjectStore store, SiteReader sites, ProjectCommands commands, CountryOutlines outlines, IAuthorizationService authorization,
    IConfiguration configuration, IStringLocalizer<SharedResource> localizer) : PageModel
{
    /// <summary>The largest boundary file accepted from the page.</summary>
    public const long MaxFileBytes = 5 * 1024 * 1024;

    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? EcosystemType { get; set; }

    [BindProperty]
    public string? Tenure { get; set; }

    [BindProperty]
    public decimal? DeclaredHectares { get; set; }

    [BindProperty]
    public string? Boundary { get; set; }

    [BindProperty]
    public IFormFile? BoundaryFile { get; set; }

    [BindProperty]
    public int ExpectedVersion { get; set; }

    public Project Project { get; private set; } = null!;

    public Guid? SiteId { get; private set; }

    public SiteView? Current { get; private set; }

    public string OthersJson { get; private set; } = "";

    public string? CountryNumeric { get; private set; }

    public string TileUrl => MapSettings.TileUrl(configuration);

    public string TileAttribution => MapSettings.TileAttribution(configuration);

    public async Task<IActionResult> OnGetAsync(Guid id, Guid? siteId, CancellationToken ct)
    {
        if (await LoadAsync(id, siteId, ct) is { } refusal)
            return refusal;
        if (Current is { } current)
        {
            var site = current.Site;
            (Name, EcosystemType, Tenure, DeclaredHectares, Boundary) = (site.Name, site.EcosystemType, site.Tenure, site.DeclaredHectares, site.Boundary);
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, Guid? siteId, CancellationToken ct)
    {
        if (BoundaryFile is { Length: > 0 } file)
        {
            if (file.Length > MaxFileBytes)
            {
                ModelState.AddModelError(nameof(Boundary), localizer["The file is larger than 5 MB."]);
                return await ReloadAsync(id, siteId, ct);
            }
            using var reader = new StreamReader(file.OpenReadStream());
            Boundary = await reader.ReadToEndAsync(ct);
        }
        // A number the browser could not send as a decimal is reported by the binder under DeclaredHectares.
        if (ModelState.TryGetValue(nameof(DeclaredHectares), out var area) && area.Errors.Count > 0)
            return await ReloadAsync(id, siteId, ct);
        var input = new SiteInput(Name, EcosystemType, Tenure, DeclaredHectares, Boundary);
        SiteCommand command = siteId is { } existing ? new UpdateSite(id, existing, input, ExpectedVersion) : new AddSite(id, input, ExpectedVersion);
        var result = await commands.ExecuteAsync(command, User, ct);
        if (result.Succeeded)
        {
            TempData["Message"] = localizer["Site {0} saved.", command.Site?.Name ?? Name ?? ""].Value;
            return Redirect($"/Projects/{id}#sites");
        }
        return await RefusedAsync(result, id, siteId, ct);
    }

    public async Task<IActionResult> OnPostDeleteAsync(Guid id, Guid siteId, int expectedVersion, CancellationToken ct)
    {
        var result = await commands.ExecuteAsync(new RemoveSite(id, siteId, expectedVersion), User, ct);
        if (result.Succeeded)
        {
            TempData["Message"] = localizer["The site was deleted."].Value;
            return Redirect($"/Projects/{id}#sites");
        }
        return await RefusedAsync(result, id, siteId, ct);
    }

    private async Task<IActionResult> RefusedAsync(CommandResult<Project> result, Guid id, Guid? siteId, CancellationToken ct)
    {
        if (result.Code is CommandErrorCodes.ProjectNotFound or SiteCommand.SiteNotFound)
            return NotFound();
        result.ShowOn(this, localizer);
        var status = Response.StatusCode;
        var page = await ReloadAsync(id, siteId, ct);
        Response.StatusCode = status;
        return page;
    }

    private async Task<IActionResult> ReloadAsync(Guid id, Guid? siteId, CancellationToken ct) =>
        await LoadAsync(id, siteId, ct) ?? Page();

    /// <summary>Loads the project (the caller must be allowed to edit it) and the site; null to go on, else the refusal.</summary>
    private async Task<IActionResult?> LoadAsync(Guid id, Guid? siteId, CancellationToken ct)
    {
        var project = await store.FindAsync(id, ct);
        if (project is null)
            return NotFound();
        if (!(await authorization.AuthorizeAsync(User, project, ProjectOperations.Read)).Succeeded)
            return NotFound();
        if (!(await authorization.AuthorizeAsync(User, project, ProjectOperations.Edit)).Succeeded)
            return Forbid();
        Project = project;
        SiteId = siteId;
        var all = await sites.ListAsync(project, ct);
        if (siteId is { } wanted)
        {
            Current = all.FirstOrDefault(v => v.Site.Id == wanted);
            if (Current is null)
                return NotFound();
        }
        OthersJson = MapSettings.SitesJson(project, all.Where(v => v.Site.Id != siteId));
        CountryNumeric = outlines.NumericOf(project.Country);
        return null;
    }
}
