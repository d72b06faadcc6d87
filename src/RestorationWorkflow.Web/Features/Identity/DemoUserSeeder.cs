namespace RestorationWorkflow.Web.Features.Identity;

/// <summary>
/// Development only (<c>Seed:DemoUsers=true</c>): one user per role, all with the password in the README.
/// Existing users are left alone, so seeding twice changes nothing.
/// </summary>
public sealed class DemoUserSeeder(UserAdministration administration, ILogger<DemoUserSeeder> logger)
{
    public const string Password = "Restore-Demo-2026!";

    public static readonly IReadOnlyList<(string Email, string DisplayName, string Role)> Users =
    [
        ("pm@example.org", "Pat Manager", RestorationWorkflow.Identity.AppRoles.ProjectManager),
        ("pm2@example.org", "Sam Manager", RestorationWorkflow.Identity.AppRoles.ProjectManager),
        ("approver1@example.org", "Alex Approver", RestorationWorkflow.Identity.AppRoles.Approver),
        ("approver2@example.org", "Jo Approver", RestorationWorkflow.Identity.AppRoles.Approver),
        ("auditor@example.org", "Ari Auditor", RestorationWorkflow.Identity.AppRoles.Auditor),
        ("admin@example.org", "Ada Administrator", RestorationWorkflow.Identity.AppRoles.Administrator),
    ];

    public async Task SeedAsync()
    {
        await administration.EnsureRolesAsync();
        foreach (var (email, name, role) in Users)
        {
            var result = await administration.CreateAsync(Actor.System, email, name, Password, [role]);
            if (result.Succeeded)
                logger.LogInformation("Demo user {Email} ({Role}) created", email, role);
        }
    }
}
