using Hangfire;
using Hangfire.InMemory;
using Hangfire.SqlServer;
using RestorationWorkflow.Web.Infrastructure;
using RestorationWorkflow.Web.Infrastructure.Persistence;

namespace RestorationWorkflow.Web.Features.Reminders.Delivery;

/// <summary>
/// The one place that chooses Hangfire's job storage from <c>Database:Provider</c> (decision 0028). Another provider
/// (PostgreSQL, say) adds a case here and its storage package; nothing else names a storage.
/// </summary>
/// <remarks>
/// The storage holds only the queue and the schedule. What was reminded (<c>SentReminders</c>) and what must still be
/// e-mailed (<c>ReminderEmails</c>) live in the application's database, so a storage that forgets its jobs on a
/// restart (in-memory) loses no reminder: the next scan finds the pending e-mails and enqueues them again.
/// </remarks>
public static class ReminderStorage
{
    /// <summary>Hangfire's tables on SQL Server live in this schema of the application's database.</summary>
    public const string SqlServerSchema = "hangfire";

    /// <summary>What the storage of <paramref name="provider"/> is, in words (for the start-up log and the decision record).</summary>
    public static string Describe(DatabaseProvider provider) => provider switch
    {
        DatabaseProvider.Sqlite => "in-memory (this process; jobs are re-found by the scan after a restart)",
        DatabaseProvider.SqlServer => $"SQL Server, schema '{SqlServerSchema}' of the application's database (shared by every node)",
        _ => throw new StartupException($"No Hangfire storage for Database:Provider {provider}."),
    };

    /// <summary>The storage for <paramref name="provider"/>.</summary>
    /// <exception cref="StartupException">The provider has no storage here, or SQL Server has no connection string.</exception>
    public static JobStorage Create(DatabaseProvider provider, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        switch (provider)
        {
            case DatabaseProvider.Sqlite:
                // One SQLite file has one writer: several nodes on it are not a deployment, so the queue stays in memory.
                return new InMemoryStorage(new InMemoryStorageOptions
                {
                    IdType = InMemoryStorageIdType.Long,
                    // Succeeded and deleted jobs leave memory after a day at the latest.
                    MaxExpirationTime = TimeSpan.FromDays(1),
                });
            case DatabaseProvider.SqlServer:
                var connectionString = configuration.GetConnectionString("SqlServer");
                if (string.IsNullOrWhiteSpace(connectionString))
                    throw new StartupException("Database:Provider is SqlServer but ConnectionStrings:SqlServer is empty.");
                return new SqlServerStorage(connectionString, new SqlServerStorageOptions
                {
                    SchemaName = SqlServerSchema,
                    PrepareSchemaIfNecessary = true,
                    // Recommended for 1.8 on SQL Server 2008+: no polling delay, short sliding-invisibility fetches.
                    QueuePollInterval = TimeSpan.Zero,
                    SlidingInvisibilityTimeout = TimeSpan.FromMinutes(5),
                    UseRecommendedIsolationLevel = true,
                    DisableGlobalLocks = true,
                });
            default:
                throw new StartupException($"No Hangfire storage for Database:Provider {provider}.");
        }
    }
}
