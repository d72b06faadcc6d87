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
/// other nodes sharing the database see it when their entry is older than the interval by the app's
/// <see cref="TimeProvider"/>. Sign-in cookies are re-validated on the same interval (the security stamp validator,
/// <see cref="IdentityExtensions"/>), so both refuse a changed account within 30 s on every node.
/// </remarks>
public sealed class AccountStatusCache(IMemoryCache cache, AppDbContext db, TimeProvider time, IOptions<IdentityOptions> identity, IOptions<AccountStatusCacheOptions> options)
{
    /// <summary>How long a node may go on trusting what it read: the setting, never more than 30 s.</summary>
    public TimeSpan RecheckInterval { get; } = AccountStatusCacheOptions.Clamp(options.Value.RecheckInterval);

    /// <summary>True when the principal's account still exists with the same security stamp, unlocked and with a role.</summary>
    public async Task<bool> IsCurrentAsync(ClaimsPrincipal principal, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var claimTypes = identity.Value.ClaimsIdentity;
        var userId = principal.FindFirstValue(claimTypes.UserIdClaimType);
        var stamp = principal.FindFirstValue(claimTypes.SecurityStampClaimType);
        if (string.IsNullOrEmpty(userId) || string.IsNullOrEmpty(stamp))
            return false;
        var now = time.GetUtcNow();
        // Fresh while younger than the interval by the app's TimeProvider (the cache's own expiry, on the system
        // clock, only bounds memory): a node trusts what it read for the interval, never longer.
        if (RecheckInterval == TimeSpan.Zero
            || !cache.TryGetValue(Key(userId), out AccountStatus? status)
            || status is null
            || now - status.ReadAt >= RecheckInterval
            || now < status.ReadAt)
        {
            status = await LoadAsync(userId, now, cancellationToken);
            if (RecheckInterval > TimeSpan.Zero)
                cache.Set(Key(userId), status, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = RecheckInterval, Size = 1 });
        }
        return status is { Exists: true, HasRole: true }
            && string.Equals(status.SecurityStamp, stamp, StringComparison.Ordinal)
            && !(status.LockoutEnd is { } end && end > time.GetUtcNow());
    }

    /// <summary>Drops what this node knows about the user: the next request reads the account again.</summary>
    public void Forget(string userId) => cache.Remove(Key(userId));

    private async Task<AccountStatus> LoadAsync(string userId, DateTimeOffset readAt, CancellationToken cancellationToken)
    {
        var user = await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new { u.SecurityStamp, u.LockoutEnd })
            .SingleOrDefaultAsync(cancellationToken);
        if (user is null)
            return new AccountStatus(false, null, null, false, readAt);
        var hasRole = await db.UserRoles.AsNoTracking().AnyAsync(r => r.UserId == userId, cancellationToken);
        return new AccountStatus(true, user.SecurityStamp, user.LockoutEnd, hasRole, readAt);
    }

    private static string Key(string userId) => "account-status:" + userId;

    private sealed record AccountStatus(bool Exists, string? SecurityStamp, DateTimeOffset? LockoutEnd, bool HasRole, DateTimeOffset ReadAt);

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
        // Decrypted once per token and 30 s on this node, not once per request (BearerTicketCache).
        var ticket = context.HttpContext.RequestServices.GetRequiredService<BearerTicketCache>().Unprotect(context.Options.BearerTokenProtector, token);
        var now = (context.Options.TimeProvider ?? TimeProvider.System).GetUtcNow();
        if (ticket?.Properties.ExpiresUtc is not { } expires || now >= expires)
            return;
        var accounts = context.HttpContext.RequestServices.GetRequiredService<AccountStatusCache>();
        if (!await accounts.IsCurrentAsync(ticket.Principal, context.HttpContext.RequestAborted))
        {
            context.Fail("The account changed after this token was issued (locked, roles or password changed): sign in again.");
            return;
        }
        // The handler takes this ticket instead of decrypting the token again.
        context.Principal = ticket.Principal;
        context.Properties = ticket.Properties;
        context.Success();
    }
}

/// <summary>
/// <c>Identity:BearerRecheckInterval</c>: how long a node trusts what it read about an account (default and maximum
/// 30 s) — for bearer tokens here, and for sign-in cookies as the security stamp validator's interval.
/// </summary>
public sealed class AccountStatusCacheOptions
{
    public static readonly TimeSpan MaxRecheckInterval = TimeSpan.FromSeconds(30);

    public TimeSpan RecheckInterval { get; set; } = MaxRecheckInterval;

    /// <summary>The interval a node uses: <paramref name="interval"/> held between zero and <see cref="MaxRecheckInterval"/>.</summary>
    public static TimeSpan Clamp(TimeSpan interval) =>
        interval < TimeSpan.Zero ? TimeSpan.Zero : interval > MaxRecheckInterval ? MaxRecheckInterval : interval;
}
