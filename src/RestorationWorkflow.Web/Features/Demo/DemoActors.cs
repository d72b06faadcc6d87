using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using RestorationWorkflow.Identity;
using RestorationWorkflow.Web.Features.Identity;

namespace RestorationWorkflow.Web.Features.Demo;

/// <summary>
/// The demo users the seed acts as, each with the claims a sign-in gives them (<see cref="IUserClaimsPrincipalFactory{TUser}"/>):
/// the command path authorizes them exactly as it authorizes the person at the keyboard.
/// </summary>
public sealed class DemoActors
{
    public const string Pm = "pm@example.org";
    public const string Pm2 = "pm2@example.org";
    public const string Approver1Email = "approver1@example.org";
    public const string Approver2Email = "approver2@example.org";

    private readonly IReadOnlyDictionary<string, ClaimsPrincipal> _users;

    private DemoActors(IReadOnlyDictionary<string, ClaimsPrincipal> users) => _users = users;

    public ClaimsPrincipal Approver1 => User(Approver1Email);

    public ClaimsPrincipal Approver2 => User(Approver2Email);

    public ClaimsPrincipal User(string email) =>
        _users.TryGetValue(email, out var user) ? user : throw new DemoSeedException($"{email} is not a demo user the seed acts as.");

    /// <summary>Signs the demo users in (claims only, no cookie); a missing or locked demo user stops the seed.</summary>
    public static async Task<DemoActors> LoadAsync(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var principals = scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<AppUser>>();
        var result = new Dictionary<string, ClaimsPrincipal>(StringComparer.OrdinalIgnoreCase);
        foreach (var email in new[] { Pm, Pm2, Approver1Email, Approver2Email })
        {
            var user = await users.FindByEmailAsync(email)
                ?? throw new DemoSeedException($"The demo user {email} does not exist; the seed creates the demo users first (DemoUserSeeder).");
            if (await users.IsLockedOutAsync(user))
                throw new DemoSeedException($"The demo user {email} is locked; unlock it on the users page to seed as it.");
            result[email] = await principals.CreateAsync(user);
        }
        return new DemoActors(result);
    }
}
