using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using RestorationWorkflow.Identity;

namespace RestorationWorkflow.Web.Features.Identity;

/// <summary>How a sign-in attempt ended. A wrong password, an unknown e-mail and a locked account are the same <see cref="Failed"/>.</summary>
public enum SignInOutcome
{
    SignedIn,
    Failed,
    Throttled,
}

public sealed record SignInAttempt(SignInOutcome Outcome, SignInRefusal? Refusal = null);

/// <summary>
/// The one sign-in of the page (cookie) and the API (bearer token). Unknown and known accounts cannot be told
/// apart: both cost one password hash (a dummy one for an unknown e-mail), a locked account is checked only
/// after its password and fails like a wrong one, and a failure writes nothing (no failure count, no lockout:
/// the per-account rate limit of <see cref="SignInThrottle"/> takes its place, see decision 0015).
/// </summary>
public sealed class PasswordSignIn(
    UserManager<AppUser> users,
    SignInManager<AppUser> signIn,
    IPasswordHasher<AppUser> hasher,
    SignInThrottle throttle,
    SignInThrottleAudit throttleAudit,
    ILogger<PasswordSignIn> logger)
{
    private static readonly AppUser DummyUser = new();
    private static string? dummyHash;

    public async Task<SignInAttempt> SignInAsync(HttpContext http, string? email, string? password, string scheme, bool persistent)
    {
        ArgumentNullException.ThrowIfNull(http);
        var account = users.NormalizeEmail(email?.Trim()) ?? "";
        var client = SignInThrottle.ClientKey(http.Connection.RemoteIpAddress);
        if (throttle.TryAcquire(client, account) is { } refusal)
        {
            if (refusal.Limit == SignInRefusal.PerAccount)
                throttleAudit.Report(account, client, throttle.Options.PerAccount);
            logger.LogWarning("Sign-in refused by the {Limit} limit for {Client}", refusal.Limit, client);
            return new SignInAttempt(SignInOutcome.Throttled, refusal);
        }

        var user = account.Length == 0 ? null : await users.FindByEmailAsync(email!.Trim());
        if (user is null || !await PasswordMatchesAsync(user, password ?? "") || await users.IsLockedOutAsync(user) || !await signIn.CanSignInAsync(user))
        {
            if (user is null)
                hasher.VerifyHashedPassword(DummyUser, DummyHash(), password ?? "");
            logger.LogInformation("Sign-in failed for {Client}", client);
            return new SignInAttempt(SignInOutcome.Failed);
        }

        signIn.AuthenticationScheme = scheme;
        // What PasswordSignInAsync adds: "amr" says the user proved a password.
        await signIn.SignInWithClaimsAsync(user, persistent, [new Claim("amr", "pwd")]);
        logger.LogInformation("User {UserId} signed in", user.Id);
        return new SignInAttempt(SignInOutcome.SignedIn);
    }

    // UserManager.CheckPasswordAsync always hashes (a user without a password has none, and is refused like
    // any other failure after a dummy hash).
    private async Task<bool> PasswordMatchesAsync(AppUser user, string password)
    {
        if (user.PasswordHash is null)
        {
            hasher.VerifyHashedPassword(DummyUser, DummyHash(), password);
            return false;
        }
        return await users.CheckPasswordAsync(user, password);
    }

    // Hashed once with the app's hasher and settings, so verifying it costs what verifying a real one costs.
    private string DummyHash() =>
        dummyHash ??= hasher.HashPassword(DummyUser, RandomNumberGenerator.GetHexString(32));
}
