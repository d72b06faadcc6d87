using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace RestorationWorkflow.Web.Features.Identity;

/// <summary>One fixed-window limit: at most <see cref="PermitLimit"/> attempts per <see cref="Window"/>.</summary>
public sealed class SignInLimit
{
    public int PermitLimit { get; set; }

    public TimeSpan Window { get; set; }
}

/// <summary><c>Identity:SignInRateLimit</c>: sign-in attempts allowed per client address and per account (see decision 0015).</summary>
public sealed class SignInRateLimitOptions
{
    public const string Section = "Identity:SignInRateLimit";

    /// <summary>Attempts from one client address (an IPv6 client: its /64 network), whatever account they name.</summary>
    public SignInLimit PerClient { get; set; } = new() { PermitLimit = 20, Window = TimeSpan.FromMinutes(1) };

    /// <summary>Attempts naming one e-mail address, from anywhere; unknown addresses are counted alike.</summary>
    public SignInLimit PerAccount { get; set; } = new() { PermitLimit = 10, Window = TimeSpan.FromMinutes(15) };
}

/// <summary>Which limit refused an attempt, and when the client may try again.</summary>
public sealed record SignInRefusal(string Limit, TimeSpan RetryAfter)
{
    public const string PerClient = "per-client";
    public const string PerAccount = "per-account";

    /// <summary>Whole seconds, at least one: the value of the <c>Retry-After</c> header.</summary>
    public int RetryAfterSeconds => Math.Max(1, (int)Math.Ceiling(RetryAfter.TotalSeconds));

    public string RetryAfterHeader => RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// The sign-in rate limits of the page and the API, on .NET's partitioned fixed-window rate limiters (the ones
/// ASP.NET Core's rate-limiting middleware runs): one partition per client address, one per normalized e-mail.
/// An attempt is counted before its password is checked, so a refused attempt costs no password hash.
/// </summary>
/// <remarks>
/// Called by the sign-in code rather than by the middleware because the account is in the request body (JSON
/// or form), which the middleware's synchronous partitioner cannot read, and because the page answers with a
/// message on the form rather than a bare 429. Limits are per node; see decision 0015.
/// </remarks>
public sealed class SignInThrottle : IDisposable
{
    private readonly PartitionedRateLimiter<string> perClient;
    private readonly PartitionedRateLimiter<string> perAccount;
    private readonly SignInRateLimitOptions options;

    public SignInThrottle(IOptions<SignInRateLimitOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options.Value;
        perClient = Create(this.options.PerClient);
        perAccount = Create(this.options.PerAccount);
    }

    public SignInRateLimitOptions Options => options;

    /// <summary>Counts one attempt; null when it may go ahead, otherwise the limit that refused it.</summary>
    public SignInRefusal? TryAcquire(string clientKey, string accountKey)
    {
        // The client limit first: a client over its limit no longer uses up the accounts it names.
        using var client = perClient.AttemptAcquire(clientKey);
        if (!client.IsAcquired)
            return new SignInRefusal(SignInRefusal.PerClient, RetryAfter(client, options.PerClient));
        using var account = perAccount.AttemptAcquire(accountKey);
        if (!account.IsAcquired)
            return new SignInRefusal(SignInRefusal.PerAccount, RetryAfter(account, options.PerAccount));
        return null;
    }

    /// <summary>The partition of a client address: IPv4 as is, IPv6 by its /64 network (one host usually holds all of it).</summary>
    public static string ClientKey(IPAddress? address)
    {
        if (address is null)
            return "unknown";
        if (address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
            return address.ToString();
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    public void Dispose()
    {
        perClient.Dispose();
        perAccount.Dispose();
    }

    private static PartitionedRateLimiter<string> Create(SignInLimit limit) =>
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = Math.Max(1, limit.PermitLimit),
            Window = limit.Window > TimeSpan.Zero ? limit.Window : TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        }));

    // A fixed-window limiter reports its whole window: an upper bound of the wait, never too short.
    private static TimeSpan RetryAfter(RateLimitLease lease, SignInLimit limit) =>
        lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : limit.Window;
}
