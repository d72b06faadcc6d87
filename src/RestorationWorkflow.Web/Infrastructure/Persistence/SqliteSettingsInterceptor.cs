using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace RestorationWorkflow.Web.Infrastructure.Persistence;

/// <summary>
/// Per-connection SQLite settings: full fsync on commit (an audit trail must survive power loss), foreign keys,
/// and a busy timeout. They belong to the physical connection, so they run once per connection that SQLite's
/// pool opens, not on every open of a pooled connection (that was three statements on every request).
/// </summary>
public sealed class SqliteSettingsInterceptor : DbConnectionInterceptor
{
    /// <summary>
    /// <c>busy_timeout</c> lets SQLite wait for the write lock itself, in short steps; otherwise
    /// Microsoft.Data.Sqlite retries a busy database every 150 ms, which dominated latency under load.
    /// <c>cache_size</c>: each connection keeps up to 32 MiB of pages (SQLite's default is 2 MiB), so a query that
    /// reads a whole table of a few megabytes — the portfolio's projects and targets at 10,000 projects — finds its
    /// pages in memory the next time instead of reading each one again from the file (about 10 ms of system CPU per
    /// dashboard, decision 0052). Pages are allocated as they are read; a connection that reads little stays small.
    /// </summary>
    public const string Pragmas = "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=30000; PRAGMA cache_size=-32768;";

    private readonly ConditionalWeakTable<object, object> _configured = [];

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (!NeedsSettings(connection, out var handle))
            return;
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
        _configured.AddOrUpdate(handle, this);
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (!NeedsSettings(connection, out var handle))
            return;
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
        _configured.AddOrUpdate(handle, this);
    }

    /// <summary>The physical connection (SQLite's handle, the same object for every open of one pooled connection).</summary>
    private bool NeedsSettings(DbConnection connection, out object handle)
    {
        ArgumentNullException.ThrowIfNull(connection);
        handle = (connection as SqliteConnection)?.Handle ?? (object)connection;
        return !_configured.TryGetValue(handle, out _);
    }
}
