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

    private readonly NpgsqlConnection? connection;

    private StartupLock(NpgsqlConnection? connection) => this.connection = connection;

    /// <summary>Waits for the lock when the provider is PostgreSQL; otherwise returns at once.</summary>
    /// <exception cref="StartupException">The database cannot be reached (one line: where and the server's words).</exception>
    public static async Task<StartupLock> AcquireAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        var configuration = services.GetRequiredService<IConfiguration>();
        if (PersistenceExtensions.GetProvider(configuration) != DatabaseProvider.PostgreSql)
            return new StartupLock(null);
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

    public async ValueTask DisposeAsync()
    {
        if (connection is null)
            return;
        try
        {
            await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", connection);
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
