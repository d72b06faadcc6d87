using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using RestorationWorkflow.Identity;

namespace RestorationWorkflow.Web.Features.Identity;

public sealed class ManageModel(UserManager<AppUser> users, SignInManager<AppUser> signIn, UserAdministration administration, IStringLocalizer<SharedResource> localizer) : PageModel
{
    [BindProperty]
    public ChangePasswordInput Input { get; set; } = new();

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid)
            return Page();
        var user = await users.GetUserAsync(User);
        if (user is null)
            return Challenge();
        // Audited, and every bearer token of the account issued before stops working (a new security stamp).
        var result = await administration.ChangePasswordAsync(user, Input.CurrentPassword, Input.NewPassword);
        if (!result.Succeeded)
        {
            foreach (var (field, messages) in result.Errors)
            {
                foreach (var message in messages)
                    ModelState.AddModelError(field == "oldPassword" ? "Input.CurrentPassword" : "Input.NewPassword", message);
            }
            return Page();
        }
        // The cookie carries the old stamp too: issue it again, so this browser stays signed in.
        await signIn.RefreshSignInAsync(user);
        TempData["Message"] = localizer["Your password was changed."].Value;
        return RedirectToPage();
    }
}

public sealed class ChangePasswordInput
{
    [Required(ErrorMessage = "The current password is required.")]
    public string CurrentPassword { get; set; } = "";

    [Required(ErrorMessage = "A new password is required.")]
    public string NewPassword { get; set; } = "";

    [Required(ErrorMessage = "Type the new password again.")]
    [Compare(nameof(NewPassword), ErrorMessage = "The two new passwords differ.")]
    public string ConfirmPassword { get; set; } = "";
}
