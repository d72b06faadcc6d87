using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.Audit;
using RestorationWorkflow.Data;
using RestorationWorkflow.Web.Infrastructure;

namespace RestorationWorkflow.Web.Features.Audit;

/// <summary>
/// <c>Audit:HeadKey</c>: the base64 key (at least 32 bytes) of the <see cref="AuditHeadSeal"/>. Keep it out of the
/// database (environment, secret store): whoever can write the database but not read the key cannot rewind a chain.
/// </summary>
public static class AuditHeadKey
{
    public const string Setting = "Audit:HeadKey";

    /// <exception cref="StartupException">The key is not base64 or shorter than 32 bytes.</exception>
    public static AuditHeadSeal Load(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var value = configuration[Setting];
        if (string.IsNullOrWhiteSpace(value))
            return new AuditHeadSeal(null);
        var key = new byte[value.Length];
        if (!Convert.TryFromBase64String(value.Trim(), key, out var length) || length < 32)
            throw new StartupException($"{Setting} must be a base64 key of at least 32 bytes (for example: openssl rand -base64 32).");
        return new AuditHeadSeal(key[..length]);
    }

    /// <summary>Set once, by the operator, when a key is first configured on a database with existing projects.</summary>
    public const string SealExistingSetting = "Audit:SealExistingHeads";

    /// <summary>
    /// With <c>Audit:SealExistingHeads=true</c>: seals the heads written before a key was configured (trust on first
    /// use, an explicit operator step; otherwise an unsealed head is reported by verification like a forged one).
    /// </summary>
    public static async Task SealUnsealedHeadsAsync(this IServiceProvider services, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        var seal = services.GetRequiredService<AuditHeadSeal>();
        if (!seal.Enabled || !services.GetRequiredService<IConfiguration>().GetValue<bool>(SealExistingSetting))
            return;
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var unsealed = await db.Projects.Where(p => p.AuditHeadMac == "" && p.AuditSequence > 0).ToListAsync(ct);
        foreach (var project in unsealed)
            project.SealHead(seal);
        // User-account events written before they were chained: chained now, in the order they were written.
        var userEvents = await db.UserAuditEvents.OrderBy(e => e.Id).ToListAsync(ct);
        if (userEvents.Any(e => e.Hash.Length == 0))
        {
            string? previous = null;
            for (var i = 0; i < userEvents.Count; i++)
            {
                userEvents[i].Sequence = -(i + 1);
            }
            await db.SaveChangesAsync(ct);
            for (var i = 0; i < userEvents.Count; i++)
            {
                userEvents[i].Sequence = i + 1;
                AuditChain.Seal(userEvents[i], previous);
                previous = userEvents[i].Hash;
            }
        }
        await db.SaveChangesAsync(ct);
        if (unsealed.Count > 0)
            scope.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AuditHeadKey))
                .LogWarning("Sealed the audit-chain heads of {Count} project(s) written before {Setting} was configured.", unsealed.Count, Setting);
    }

    public sealed class MissingWarning(AuditHeadSeal seal, IHostEnvironment environment, ILogger<MissingWarning> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            if (!seal.Enabled && !environment.IsDevelopment())
                logger.LogWarning("No {Setting} is configured: audit-chain heads are not sealed, so a chain rewound in the database is not detected.", Setting);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
