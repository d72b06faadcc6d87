using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using RestorationWorkflow.Commands;
using RestorationWorkflow.Identity;
using RestorationWorkflow.Web.Features.Identity;

namespace RestorationWorkflow.Web.Features.Reminders.Notifications;

/// <summary>
/// <c>/Account/Reminders</c>, "Reminders and calendar": e-mail on or off, a daily digest instead of single messages,
/// the language of e-mail; and the personal calendar feed — created (its address shown in this one response only,
/// never stored), replaced, revoked.
/// </summary>
[Authorize(Policy = Policies.SignedInWithRole)]
public sealed class PreferencesModel(ReminderPreferences preferences, IStringLocalizer<SharedResource> localizer) : PageModel
{
    [BindProperty]
    public PreferencesInput Input { get; set; } = new();

    public PreferencesDto Current { get; private set; } = null!;

    /// <summary>The address of a feed created by this very request; null on every other load.</summary>
    public string? NewFeedUrl { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct))
            return NotFound();
        Input = new PreferencesInput { EmailReminders = Current.EmailReminders, DailyDigest = Current.DailyDigest, Language = Current.Language };
        return Page();
    }

    public async Task<IActionResult> OnPostSaveAsync(CancellationToken ct)
    {
        var result = await preferences.UpdateAsync(User.UserId(), new PreferencesRequest(Input.EmailReminders, Input.DailyDigest, Input.Language), ct);
        if (result.Succeeded)
        {
            TempData["Message"] = localizer["Your reminder preferences were saved."].Value;
            return RedirectToPage();
        }
        if (result.Status == CommandStatus.NotFound)
            return NotFound();
        foreach (var (field, messages) in result.Errors)
        {
            foreach (var message in messages)
                ModelState.AddModelError(FieldOf(field), message);
        }
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return await LoadAsync(ct) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostCreateTokenAsync(CancellationToken ct)
    {
        var created = await preferences.CreateTokenAsync(User, ct);
        if (!created.Succeeded)
            return await RefusedAsync(created.Refusal<bool>(), ct);
        // Shown in this response only: a reload (GET) shows that a feed exists, never its address.
        Response.Headers.CacheControl = "no-store";
        NewFeedUrl = NotificationEndpoints.FeedUrl(Request, created.Value.Token);
        if (!await LoadAsync(ct))
            return NotFound();
        Input = new PreferencesInput { EmailReminders = Current.EmailReminders, DailyDigest = Current.DailyDigest, Language = Current.Language };
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeTokenAsync(CancellationToken ct)
    {
        var revoked = await preferences.RevokeTokenAsync(User, ct);
        if (!revoked.Succeeded)
            return await RefusedAsync(revoked, ct);
        TempData["Message"] = localizer["Your calendar feed was revoked: its address no longer works."].Value;
        return RedirectToPage();
    }

    /// <summary>The messages recorded for <paramref name="field"/> ("" for the form as a whole).</summary>
    public IReadOnlyList<string> ErrorsFor(string field) =>
        ModelState.TryGetValue(field, out var entry) ? [.. entry.Errors.Select(e => e.ErrorMessage)] : [];

    private async Task<IActionResult> RefusedAsync(CommandResult<bool> result, CancellationToken ct)
    {
        ModelState.AddModelError("", result.Detail ?? localizer["The change was not saved."].Value);
        Response.StatusCode = result.Status switch
        {
            CommandStatus.NotFound => StatusCodes.Status404NotFound,
            CommandStatus.Conflict => StatusCodes.Status409Conflict,
            _ => StatusCodes.Status400BadRequest,
        };
        if (!await LoadAsync(ct))
            return NotFound();
        Input = new PreferencesInput { EmailReminders = Current.EmailReminders, DailyDigest = Current.DailyDigest, Language = Current.Language };
        return Page();
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        var current = await preferences.GetAsync(User.UserId(), ct);
        if (current is null)
            return false;
        Current = current;
        return true;
    }

    private static string FieldOf(string field) => field switch
    {
        "emailReminders" => "Input.EmailReminders",
        "dailyDigest" => "Input.DailyDigest",
        "language" => "Input.Language",
        _ => "",
    };
}

public sealed class PreferencesInput
{
    public bool EmailReminders { get; set; }

    public bool DailyDigest { get; set; }

    public string? Language { get; set; }
}
