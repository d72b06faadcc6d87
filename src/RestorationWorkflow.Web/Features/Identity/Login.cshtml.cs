using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace RestorationWorkflow.Web.Features.Identity;

public sealed class LoginModel(PasswordSignIn signIn, IStringLocalizer<SharedResource> localizer) : PageModel
{
    [BindProperty]
    public LoginInput Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid)
            return Page();
        // The same sign-in as the API's, with the cookie: one message for every failure (decision 0015).
        var attempt = await signIn.SignInAsync(HttpContext, Input.Email, Input.Password, IdentityConstants.ApplicationScheme, Input.RememberMe);
        switch (attempt.Outcome)
        {
            case SignInOutcome.SignedIn:
                return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
            case SignInOutcome.Throttled:
                Response.StatusCode = StatusCodes.Status429TooManyRequests;
                Response.Headers.RetryAfter = attempt.Refusal!.RetryAfterHeader;
                ModelState.AddModelError(string.Empty, localizer["Too many sign-in attempts. Try again in {0} minutes.", (attempt.Refusal.RetryAfterSeconds + 59) / 60]);
                break;
            default:
                ModelState.AddModelError(string.Empty, localizer["The e-mail or password is not correct."]);
                break;
        }
        return Page();
    }
}

public sealed class LoginInput
{
    [Required(ErrorMessage = "The e-mail is required.")]
    [EmailAddress(ErrorMessage = "Enter a valid e-mail address.")]
    public string Email { get; set; } = "";

    [Required(ErrorMessage = "The password is required.")]
    [DataType(DataType.Password)]
    public string Password { get; set; } = "";

    public bool RememberMe { get; set; }
}
