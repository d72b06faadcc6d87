using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using RestorationWorkflow.Data;
using RestorationWorkflow.Web.Features.Audit;

namespace RestorationWorkflow.Web.Features.Identity;

/// <summary>
/// Audits each time the per-account sign-in limit starts refusing an existing account (once per account and
/// window), written in the background: the refused request answers at once and alike for unknown e-mail
/// addresses, so the audit write cannot tell anyone which accounts exist.
/// </summary>
public sealed class SignInThrottleAudit(IMemoryCache cache, IServiceScopeFactory scopes, TimeProvider time, ILogger<SignInThrottleAudit> logger)
    : BackgroundService
{
    private readonly Channel<Entry> queue = Channel.CreateBounded<Entry>(new BoundedChannelOptions(1000)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = true,
    });

    /// <summary>Queues the event for the account named by <paramref name="normalizedEmail"/>, unless this window already has one.</summary>
    public void Report(string normalizedEmail, string clientKey, SignInLimit limit)
    {
        ArgumentNullException.ThrowIfNull(limit);
        if (string.IsNullOrEmpty(normalizedEmail))
            return;
        var key = "sign-in-throttle-audited:" + normalizedEmail;
        if (cache.TryGetValue(key, out _))
            return;
        cache.Set(key, true, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = limit.Window, Size = 1 });
        if (!queue.Writer.TryWrite(new Entry(normalizedEmail, clientKey, limit.PermitLimit, limit.Window, time.GetUtcNow())))
            logger.LogWarning("Sign-in throttle audit queue is full; the event for {Account} was dropped", normalizedEmail);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var entry in queue.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                await WriteAsync(entry, stoppingToken);
            }
            catch (Exception ex) when (ex is DbUpdateException or InvalidOperationException)
            {
                // One lost audit event must not stop the writer; the log keeps what it would have said.
                logger.LogError(ex, "Could not audit the sign-in throttle of {Account} from {Client}", entry.NormalizedEmail, entry.Client);
            }
        }
    }

    private async Task WriteAsync(Entry entry, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var user = await db.Users.SingleOrDefaultAsync(u => u.NormalizedEmail == entry.NormalizedEmail, cancellationToken);
        if (user is null)
            return;
        scope.ServiceProvider.GetRequiredService<AuditTrail>().AppendUser(Actor.System.Id, Actor.System.Name, user, AccountAuditActions.SignInThrottled,
            new { limit = SignInRefusal.PerAccount, permitLimit = entry.PermitLimit, window = entry.Window.ToString("c", System.Globalization.CultureInfo.InvariantCulture), client = entry.Client },
            entry.At);
        await db.SaveChangesAsync(cancellationToken);
        logger.LogWarning("Sign-in to {Email} throttled after {Limit} attempts in {Window}; last from {Client}", user.Email, entry.PermitLimit, entry.Window, entry.Client);
    }

    private sealed record Entry(string NormalizedEmail, string Client, int PermitLimit, TimeSpan Window, DateTimeOffset At);
}
