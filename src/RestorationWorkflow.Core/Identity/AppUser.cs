using Microsoft.AspNetCore.Identity;

namespace RestorationWorkflow.Identity;

/// <summary>A person who signs in. Roles come from Identity's role tables (<see cref="AppRoles"/>).</summary>
public sealed class AppUser : IdentityUser
{
    /// <summary>The name shown in the navigation, history and reports.</summary>
    public string DisplayName { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }
}
