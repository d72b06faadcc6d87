using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using RestorationWorkflow.Web.Infrastructure;
using RestorationWorkflow.Identity;

namespace RestorationWorkflow.Web.Features.Projects;

[Authorize(Policy = Policies.CreateProjects)]
public sealed class NewModel(ProjectCommands commands, IConfiguration configuration, IStringLocalizer<SharedResource> localizer) : PageModel
{
    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? Description { get; set; }

    [BindProperty]
    public string? Country { get; set; }

    [BindProperty]
    public List<string> EcosystemTypes { get; set; } = [];

    [BindProperty]
    public decimal? AreaHectares { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        // A number the browser could not send as a decimal is reported by the binder under AreaHectares.
        if (ModelState.TryGetValue(nameof(AreaHectares), out var area) && area.Errors.Count > 0)
            return Page();
        var request = new CreateProjectRequest(Name, Description, Country, EcosystemTypes, AreaHectares);
        var result = await commands.CreateAsync(new CreateProject(request, configuration["Workflows:Default"] ?? CreateProject.DefaultWorkflowId), User, ct);
        if (!result.Succeeded)
        {
            result.ShowOn(this, localizer);
            return Page();
        }
        TempData["Message"] = localizer["Project {0} created.", result.Value!.Name].Value;
        return RedirectToPage("/Projects/Details", new { id = result.Value.Id });
    }
}
