using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using RestorationWorkflow.Web.Infrastructure;
using RestorationWorkflow.Identity;

namespace RestorationWorkflow.Web.Features.Projects;

[Authorize(Policy = Policies.CreateProjects)]
public sealed class NewModel(ProjectCommands commands, IConfiguration configuration, IStringLocalizer<SharedResource> localizer) : RegistryFormModel
{
    public override bool CodeRequired => false;

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        // A number or date the browser could not send as one is reported by the binder under its field.
        if (HasBindingErrors())
            return Page();
        var result = await commands.CreateAsync(new CreateProject(Fields(), configuration["Workflows:Default"] ?? CreateProject.DefaultWorkflowId), User, ct);
        if (!result.Succeeded)
        {
            result.ShowOn(this, localizer);
            ShowCodeRefusal(result);
            return Page();
        }
        TempData["Message"] = localizer["Project {0} created.", result.Value!.Name].Value;
        return RedirectToPage("/Projects/Details", new { id = result.Value.Id });
    }
}
