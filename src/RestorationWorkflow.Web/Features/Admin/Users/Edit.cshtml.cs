using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using RestorationWorkflow.Commands;
using RestorationWorkflow.Web.Infrastructure;
using RestorationWorkflow.Web.Features.Identity;

namespace RestorationWorkflow.Web.Features.Admin.Users;

public sealed class EditModel(UserAdministration administration, IStringLocalizer<SharedResource> localizer) : PageModel
{
    public UserSummary? Target { get; private set; }

    [BindProperty]
    public List<string> Roles { get; set; } = [];

    public async Task<IActionResult> OnGetAsync(string id)
    {
        Target = await administration.FindAsync(id);
        return Target is null ? NotFound() : Page();
    }

    public async Task<IActionResult> OnPostAsync(string id)
    {
        var result = await administration.SetRolesAsync(Actor.From(User), id, Roles);
        if (result.Code == CommandErrorCodes.UserNotFound)
            return NotFound();
        if (!result.Succeeded)
        {
            Target = await administration.FindAsync(id);
            result.ShowOn(this, localizer);
            return Page();
        }
        TempData["Message"] = localizer["Roles of {0} saved.", result.Value!.Email].Value;
        return RedirectToPage("/Admin/Users/Index");
    }
}
