using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using RestorationWorkflow.Data;

namespace RestorationWorkflow.Web.Features.Identity;

/// <summary>
/// Whether the account behind a bearer token may still use it: the token's security stamp is the account's
/// current one, the account is not locked and holds a role. Identity changes the stamp on every role change,
/// lock and password change, so a token issued before any of them stops working.
/// </summary>
/// <remarks>
/// The answer is cached per user for <see cref="RecheckInterval"/> (at most 30 s), so the hot path reads the
/// database once per user and interval, not on every request. <see cref="UserAdministration"/> forgets a
/// user's entry when it changes the account, so the change takes effect at once on the node that made it;
/// other nodes sharing the database see it when their entry expires.
/// </remarks>
public sealed class AccountStatusCache(IMemoryCache cache, AppDbContext db, TimeProvider time, IOptions<IdentityOptions> identity, IOptions<AccountStatusCacheOptions> options)
{
    /// <summary>How long a node may go on trusting what it read: the setting, never more than 30 s.</summary>
    public TimeSpan RecheckInterval { get; } = options.Value.RecheckInterval < TimeSpan.Zero ? TimeSpan.Zero
        : options.Value.RecheckInterval > AccountStatusCacheOptions.MaxRecheckInterval ? AccountStatusCacheOptions.MaxRecheckInterval
        : options.Value.RecheckInterval;

    /// <summary>True when the principal's account still exists with the same security stamp, unlocked and with a role.</summary>
    public async Task<bool> IsCurrentAsync(ClaimsPrincipal principal, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var claimTypes = identity.Value.ClaimsIdentity;
        var userId = principal.FindFirstValue(claimTypes.UserIdClaimType);
        var stamp = principal.FindFirstValue(claimTypes.SecurityStampClaimType);
        if (string.IsNullOrEmpty(userId) || string.IsNullOrEmpty(stamp))
            return false;
        var status = RecheckInterval == TimeSpan.Zero
            ? await LoadAsync(userId, cancellationToken)
            : await cache.GetOrCreateAsync(Key(userId), async entry =>
            {
                entry.AbsoluteExpirationRelativeToNow = RecheckInterval;
                entry.Size = 1;
                return await LoadAsync(userId, cancellationToken);
            });
        return status is { HasRole: true }
            && string.Equals(status.SecurityStamp, stamp, StringComparison.Ordinal)
            && !(status.LockoutEnd is { } end && end > time.GetUtcNow());
    }

    /// <summary>Drops what this node knows about the user: the next request reads the account again.</summary>
    public void Forget(string userId) => cache.Remove(Key(userId));

    private async Task<AccountStatus?> LoadAsync(string userId, CancellationToken cancellationToken)
    {
        var user = await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new { u.SecurityStamp, u.LockoutEnd })
            .SingleOrDefaultAsync(cancellationToken);
        if (user is null)
            return null;
        var hasRole = await db.UserRoles.AsNoTracking().AnyAsync(r => r.UserId == userId, cancellationToken);
        return new AccountStatus(user.SecurityStamp, user.LockoutEnd, hasRole);
    }

    private static string Key(string userId) => "account-status:" + userId;

    private sealed record AccountStatus(string? SecurityStamp, DateTimeOffset? LockoutEnd, bool HasRole);

    /// <summary>
    /// The bearer scheme's <see cref="BearerTokenEvents.OnMessageReceived"/>: refuses a well-formed, unexpired
    /// token whose account changed since it was issued. Anything else is left to the bearer handler, which
    /// refuses forged and expired tokens with its own reasons.
    /// </summary>
    public static async Task RejectRevokedTokenAsync(MessageReceivedContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        // The bearer handler reads the header the same way (case-sensitive "Bearer ").
        var header = context.Request.Headers.Authorization.ToString();
        var token = context.Token ?? (header.StartsWith("Bearer ", StringComparison.Ordinal) ? header["Bearer ".Length..] : null);
        if (token is null)
            return;
        var ticket = context.Options.BearerTokenProtector.Unprotect(token);
        var now = (context.Options.TimeProvider ?? TimeProvider.System).GetUtcNow();
        if (ticket?.Properties.ExpiresUtc is not { } expires || now >= expires)
            return;
        var accounts = context.HttpContext.RequestServices.GetRequiredService<AccountStatusCache>();
        if (!await accounts.IsCurrentAsync(ticket.Principal, context.HttpContext.RequestAborted))
        {
            context.Fail("The account changed after this token was issued (locked, roles or password changed): sign in again.");
            return;
        }
        // The token is decrypted once per request: the handler takes this ticket instead of unprotecting it again.
        context.Principal = ticket.Principal;
        context.Properties = ticket.Properties;
        context.Success();
    }
}

/// <summary><c>Identity:BearerRecheckInterval</c>: how long a node trusts what it read about an account (default and maximum 30 s).</summary>
public sealed class AccountStatusCacheOptions
{
    public static readonly TimeSpan MaxRecheckInterval = TimeSpan.FromSeconds(30);

    public TimeSpan RecheckInterval { get; set; } = MaxRecheckInterval;
}
