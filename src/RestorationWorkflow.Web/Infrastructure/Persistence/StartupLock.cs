using System.Data.Common;
using System.Runtime.CompilerServices;
using Npgsql;

namespace RestorationWorkflow.Web.Infrastructure.Persistence;

/// <summary>
/// Serialises the start-up work of several nodes on one PostgreSQL database (decision 0041): migrating, installing
/// Hangfire's schema, seeding and sealing run on one node at a time; the others wait for the lock, then find nothing
/// left to do. A session-level advisory lock on a connection of its own, released on dispose (or when the connection
/// drops, so a node killed while it holds the lock never blocks the others). SQLite (one node) and SQL Server (EF
/// Core's own <c>sp_getapplock</c> around Migrate) take nothing here.
/// </summary>
public sealed class StartupLock : IAsyncDisposable
{
    /// <summary>The advisory lock's key: "RWSTART1" as a 64-bit number, the same on every node.</summary>
    public const long PostgreSqlKey = 0x5257_5354_4152_5431;

    // Typed DbConnection, not NpgsqlConnection, so that this type's fields and constructor name no Npgsql type.
    private readonly DbConnection? connection;

    private StartupLock(DbConnection? connection) => this.connection = connection;

    /// <summary>Waits for the lock when the provider is PostgreSQL; otherwise returns at once.</summary>
    /// <exception cref="StartupException">The database cannot be reached (one line: where and the server's words).</exception>
    public static Task<StartupLock> AcquireAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        var configuration = services.GetRequiredService<IConfiguration>();
        // Not async, and Npgsql named only in the methods PostgreSQL calls: the JIT loads the assemblies a method
        // names when it compiles it, so a node on SQLite or SQL Server never loads Npgsql (decision 0054).
        return PersistenceExtensions.GetProvider(configuration) == DatabaseProvider.PostgreSql
            ? AcquirePostgreSqlAsync(configuration, cancellationToken)
            : Task.FromResult(new StartupLock(null));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task<StartupLock> AcquirePostgreSqlAsync(IConfiguration configuration, CancellationToken cancellationToken)
    {
        var builder = new NpgsqlConnectionStringBuilder(PersistenceExtensions.PostgreSqlConnectionString(configuration))
        {
            // The lock belongs to this connection alone: never handed to another user of the pool while held.
            Pooling = false,
        };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", connection);
            command.Parameters.AddWithValue("key", PostgreSqlKey);
            await command.ExecuteNonQueryAsync(cancellationToken);
            return new StartupLock(connection);
        }
        catch (NpgsqlException ex)
        {
            await connection.DisposeAsync();
            throw new StartupException($"The database {builder.Database} on {builder.Host}:{builder.Port} cannot be used: {DatabaseErrors.Describe(ex)}", ex);
        }
    }

    public ValueTask DisposeAsync() => connection is null ? ValueTask.CompletedTask : ReleaseAsync(connection);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async ValueTask ReleaseAsync(DbConnection connection)
    {
        try
        {
            await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", (NpgsqlConnection)connection);
            command.Parameters.AddWithValue("key", PostgreSqlKey);
            await command.ExecuteNonQueryAsync();
        }
        finally
        {
            // Closing the session releases the lock even if the unlock above failed.
            await connection.DisposeAsync();
        }
    }
}
