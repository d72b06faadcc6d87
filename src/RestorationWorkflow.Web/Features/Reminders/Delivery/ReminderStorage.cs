using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Hangfire;
using Hangfire.InMemory;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Hangfire.SqlServer;
using RestorationWorkflow.Web.Infrastructure;
using RestorationWorkflow.Web.Infrastructure.Persistence;

namespace RestorationWorkflow.Web.Features.Reminders.Delivery;

/// <summary>
/// The one place that chooses Hangfire's job storage from <c>Database:Provider</c> (decisions 0028 and 0041). Another
/// provider adds a case here and its storage package; nothing else names a storage.
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

    /// <summary>Hangfire's tables on PostgreSQL live in this schema of the application's database.</summary>
    public const string PostgreSqlSchema = "hangfire";

    /// <summary>What the storage of <paramref name="provider"/> is, in words (for the start-up log and the decision record).</summary>
    public static string Describe(DatabaseProvider provider) => provider switch
    {
        DatabaseProvider.Sqlite => "in-memory (this process; jobs are re-found by the scan after a restart)",
        DatabaseProvider.SqlServer => $"SQL Server, schema '{SqlServerSchema}' of the application's database (shared by every node)",
        DatabaseProvider.PostgreSql => $"PostgreSQL, schema '{PostgreSqlSchema}' of the application's database (shared by every node)",
        _ => throw new StartupException($"No Hangfire storage for Database:Provider {provider}."),
    };

    /// <summary>The storage for <paramref name="provider"/>.</summary>
    /// <exception cref="StartupException">The provider has no storage here, or SQL Server or PostgreSQL has no connection string.</exception>
    public static JobStorage Create(DatabaseProvider provider, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        // One method per storage, each typed JobStorage: the JIT loads the assemblies a method names when it compiles it,
        // so a node on SQLite never loads Hangfire.SqlServer, Hangfire.PostgreSql and their clients (decision 0054).
        return provider switch
        {
            DatabaseProvider.Sqlite => InMemory(),
            DatabaseProvider.SqlServer => SqlServer(configuration),
            DatabaseProvider.PostgreSql => PostgreSql(configuration),
            _ => throw new StartupException($"No Hangfire storage for Database:Provider {provider}."),
        };
    }

    // One SQLite file has one writer: several nodes on it are not a deployment, so the queue stays in memory.
    [MethodImpl(MethodImplOptions.NoInlining)]
    [SuppressMessage("Performance", "CA1859", Justification = "Typed JobStorage so that the caller names no storage package (decision 0054).")]
    private static JobStorage InMemory() => new InMemoryStorage(new InMemoryStorageOptions
    {
        IdType = InMemoryStorageIdType.Long,
        // Succeeded and deleted jobs leave memory after a day at the latest.
        MaxExpirationTime = TimeSpan.FromDays(1),
    });

    [MethodImpl(MethodImplOptions.NoInlining)]
    [SuppressMessage("Performance", "CA1859", Justification = "Typed JobStorage so that the caller names no storage package (decision 0054).")]
    private static JobStorage SqlServer(IConfiguration configuration)
    {
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
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    [SuppressMessage("Performance", "CA1859", Justification = "Typed JobStorage so that the caller names no storage package (decision 0054).")]
    private static JobStorage PostgreSql(IConfiguration configuration)
    {
        var postgreSql = PersistenceExtensions.PostgreSqlConnectionString(configuration);
        var options = new PostgreSqlStorageOptions
        {
            SchemaName = PostgreSqlSchema,
            // Installed (or upgraded) at start-up under the start-up lock, so two nodes never race on it.
            PrepareSchemaIfNecessary = true,
            QueuePollInterval = TimeSpan.FromSeconds(1),
            // A job fetched by a node that dies becomes visible to the others again after this long.
            InvisibilityTimeout = TimeSpan.FromMinutes(5),
            UseSlidingInvisibilityTimeout = true,
            DistributedLockTimeout = TimeSpan.FromMinutes(1),
        };
        return new PostgreSqlStorage(new NpgsqlConnectionFactory(postgreSql, options), options);
    }
}
