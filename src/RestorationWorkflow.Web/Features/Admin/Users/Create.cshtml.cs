using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using RestorationWorkflow.Web.Infrastructure;
using RestorationWorkflow.Web.Features.Identity;

namespace RestorationWorkflow.Web.Features.Admin.Users;

public sealed class CreateModel(UserAdministration administration, IStringLocalizer<SharedResource> localizer) : PageModel
{
    [BindProperty]
    public string? Email { get; set; }

    [BindProperty]
    public string? DisplayName { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    [BindProperty]
    public List<string> Roles { get; set; } = [];

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var result = await administration.CreateAsync(Actor.From(User), Email, DisplayName, Password, Roles);
        if (!result.Succeeded)
        {
            result.ShowOn(this, localizer);
            return Page();
        }
        TempData["Message"] = localizer["{0} was created.", result.Value!.Email].Value;
        return RedirectToPage("/Admin/Users/Index");
    }
}
