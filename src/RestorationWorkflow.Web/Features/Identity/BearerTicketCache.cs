using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Caching.Memory;

namespace RestorationWorkflow.Web.Features.Identity;

/// <summary>
/// Bearer tokens this node has decrypted lately, each with its ticket, so that a client sending the same token on
/// every request costs one decryption per <see cref="Lifetime"/> instead of one per request (decision 0063).
/// </summary>
/// <remarks>
/// Only a token that decrypted to a ticket with an expiry is kept: a forged or garbled token is never stored, so
/// it cannot fill the cache. Each caller gets its own deep copy of the ticket (<see cref="AuthenticationTicket.Clone"/>),
/// so nothing a request does to its principal reaches another request. The cache decides nothing: the caller
/// still compares the ticket's expiry with the app's clock and checks the account (<see cref="AccountStatusCache"/>)
/// on every request. A token is kept at most <see cref="Lifetime"/>, the same 30 s a node trusts what it read
/// about an account, and never past its own expiry; at most <see cref="Capacity"/> tokens are kept.
/// </remarks>
public sealed class BearerTicketCache : IDisposable
{
    /// <summary>How long a decrypted token is kept at most.</summary>
    public static readonly TimeSpan Lifetime = AccountStatusCacheOptions.MaxRecheckInterval;

    /// <summary>How many tokens are kept at most (a few MiB: a token and its ticket take about 2 KiB).</summary>
    public const int Capacity = 4096;

    private readonly MemoryCache _tickets = new(new MemoryCacheOptions { SizeLimit = Capacity, CompactionPercentage = 0.25 });

    /// <summary>
    /// The ticket of <paramref name="token"/>: a copy of the kept one, or what <paramref name="protector"/> decrypts
    /// (then kept when it has an expiry). Null when the token does not decrypt.
    /// </summary>
    public AuthenticationTicket? Unprotect(ISecureDataFormat<AuthenticationTicket> protector, string token)
    {
        ArgumentNullException.ThrowIfNull(protector);
        ArgumentNullException.ThrowIfNull(token);
        if (_tickets.TryGetValue(token, out AuthenticationTicket? kept) && kept is not null)
            return kept.Clone();
        var ticket = protector.Unprotect(token);
        if (ticket?.Properties.ExpiresUtc is { } expires)
        {
            var until = DateTimeOffset.UtcNow + Lifetime;
            _tickets.Set(token, ticket.Clone(), new MemoryCacheEntryOptions
            {
                Size = 1,
                AbsoluteExpiration = expires < until ? expires : until,
            });
        }
        return ticket;
    }

    public void Dispose() => _tickets.Dispose();
}
