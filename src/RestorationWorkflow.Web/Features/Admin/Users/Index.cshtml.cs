using RestorationWorkflow.Commands;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using RestorationWorkflow.Web.Features.Identity;

namespace RestorationWorkflow.Web.Features.Admin.Users;

public sealed class IndexModel(UserAdministration administration, IStringLocalizer<SharedResource> localizer) : PageModel
{
    public IReadOnlyList<UserSummary> Users { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => Users = await administration.ListAsync(ct);

    public Task<IActionResult> OnPostLockAsync(string id) => SetLockedAsync(id, true);

    public Task<IActionResult> OnPostUnlockAsync(string id) => SetLockedAsync(id, false);

    private async Task<IActionResult> SetLockedAsync(string id, bool locked)
    {
        var result = await administration.SetLockedAsync(Actor.From(User), id, locked);
        if (result.Code == CommandErrorCodes.UserNotFound)
            return NotFound();
        if (!result.Succeeded)
        {
            // A rule of UserAdministration (the last active administrator), in the reader's language.
            var culture = System.Globalization.CultureInfo.CurrentUICulture;
            TempData["Message"] = string.Join(" ", result.Reasons.Select(r => r.Message.For(culture)).DefaultIfEmpty(localizer["The change was refused."].Value));
            return RedirectToPage();
        }
        TempData["Message"] = (locked ? localizer["{0} is locked.", result.Value!.Email] : localizer["{0} is unlocked.", result.Value!.Email]).Value;
        return RedirectToPage();
    }
}
