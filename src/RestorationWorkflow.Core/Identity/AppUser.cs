using Microsoft.AspNetCore.Identity;

namespace RestorationWorkflow.Identity;

/// <summary>A person who signs in. Roles come from Identity's role tables (<see cref="AppRoles"/>).</summary>
public sealed class AppUser : IdentityUser
{
    /// <summary>The name shown in the navigation, history and reports.</summary>
    public string DisplayName { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The language of the person's e-mail: <c>en</c> or <c>zh-Hans</c>.</summary>
    public string PreferredLanguage { get; set; } = "en";

    /// <summary>Whether reminders are also sent by e-mail (the in-app notification is always stored).</summary>
    public bool EmailReminders { get; set; } = true;

    /// <summary>One e-mail a day with the day's reminders instead of one message each.</summary>
    public bool DailyDigest { get; set; }

    /// <summary>SHA-256 (hex) of the personal calendar feed's token; null when the person has none. The token itself is shown once.</summary>
    public string? CalendarTokenHash { get; set; }

    public DateTimeOffset? CalendarTokenCreatedAt { get; set; }
}
