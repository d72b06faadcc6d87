using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Sqlite.Storage.Internal;
using Microsoft.EntityFrameworkCore.Storage;

namespace RestorationWorkflow.Web.Infrastructure.Persistence;

#pragma warning disable EF1001 // SqliteRelationalConnection is EF Core's own SQLite connection service; we extend it, not replace it.

public static class SqliteStatementCaching
{
    /// <summary>Each pooled context keeps one open SQLite connection with its prepared statements (<see cref="KeptOpenSqliteConnection"/>).</summary>
    public static DbContextOptionsBuilder KeepSqliteConnectionsOpen(this DbContextOptionsBuilder options) =>
        options.ReplaceService<ISqliteRelationalConnection, KeptOpenSqliteConnection>();
}

/// <summary>
/// EF Core's SQLite connection, kept open for the life of its pooled <c>DbContext</c> instead of being closed after
/// every query and on every return to the pool. Closing a <see cref="SqliteConnection"/> finalizes every statement it
/// prepared and re-registers EF Core's SQL functions on the next open; kept open, the statements of
/// <see cref="SqliteStatementCacheInterceptor"/> survive from one request to the next. The connection is closed when
/// its context leaves the pool (disposed). An idle open connection holds no lock: every reader is reset when EF Core
/// disposes it, and EF Core rolls back any transaction when a context is returned to the pool.
/// </summary>
[SuppressMessage("Performance", "CA1812", Justification = "Created by EF Core's service provider (ReplaceService).")]
internal sealed class KeptOpenSqliteConnection(
    RelationalConnectionDependencies dependencies,
    IRawSqlCommandBuilder rawSqlCommandBuilder,
    IDiagnosticsLogger<DbLoggerCategory.Infrastructure> logger)
    : SqliteRelationalConnection(dependencies, rawSqlCommandBuilder, logger)
{
    private bool _keepOnRelease;

    protected override void CloseDbConnection()
    {
        // Kept open on purpose: see the class comment. Dispose closes it.
    }

    protected override Task CloseDbConnectionAsync() => Task.CompletedTask;

    protected override void DisposeDbConnection()
    {
        if (!_keepOnRelease)
            base.DisposeDbConnection();
    }

    protected override ValueTask DisposeDbConnectionAsync() =>
        _keepOnRelease ? ValueTask.CompletedTask : base.DisposeDbConnectionAsync();

    /// <summary>
    /// Lends the context to <paramref name="shared"/> (a group commit's connection and transaction) and gives it its
    /// own open connection back afterwards, so its prepared statements are not lost with it.
    /// </summary>
    public static async Task<T> BorrowAsync<T>(DbContext context, DbConnection shared, DbTransaction transaction, Func<Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(work);
        var database = context.Database;
        var self = context.GetService<IRelationalConnection>() as KeptOpenSqliteConnection;
        var own = database.GetDbConnection();
        if (self is not null)
            self._keepOnRelease = true;
        try
        {
            database.SetDbConnection(shared, contextOwnsConnection: false);
        }
        finally
        {
            if (self is not null)
                self._keepOnRelease = false;
        }
        try
        {
            await database.UseTransactionAsync(transaction, CancellationToken.None);
            return await work();
        }
        finally
        {
            await database.UseTransactionAsync(null, CancellationToken.None);
            database.SetDbConnection(own, contextOwnsConnection: true);
        }
    }
}

/// <summary>
/// Hands EF Core a <see cref="CachedSqliteCommand"/> for every command on SQLite: the command runs on a
/// <see cref="SqliteCommand"/> kept per connection and SQL text, so SQLite parses and plans each distinct statement
/// once per connection instead of once per execution (that was most of a request's CPU, see docs/performance.md).
/// </summary>
public sealed class SqliteStatementCacheInterceptor : DbCommandInterceptor
{
    private long _reused;
    private long _prepared;

    /// <summary>Executions that ran on statements prepared before (for diagnostics and tests).</summary>
    public long Reused => Interlocked.Read(ref _reused);

    /// <summary>Executions that had to prepare their statements.</summary>
    public long Prepared => Interlocked.Read(ref _prepared);

    public override InterceptionResult<DbCommand> CommandCreating(CommandCorrelatedEventData eventData, InterceptionResult<DbCommand> result)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        return eventData.Connection is SqliteConnection connection
            ? InterceptionResult<DbCommand>.SuppressWithResult(new CachedSqliteCommand(connection, this))
            : result;
    }

    internal void Count(bool reused)
    {
        if (reused)
            Interlocked.Increment(ref _reused);
        else
            Interlocked.Increment(ref _prepared);
    }
}

/// <summary>
/// The prepared statements of one open <see cref="SqliteConnection"/>, by SQL text, the least recently used dropped
/// first. Closing the connection finalizes them (Microsoft.Data.Sqlite disposes a connection's commands on close), so
/// the cache empties then.
/// </summary>
internal sealed class SqliteStatementCache
{
    /// <summary>
    /// Distinct statements kept per connection (decision 0058). The hot paths use a few dozen; EF Core's batched writes
    /// vary in shape and each shape is a statement of its own. Every pooled context keeps a connection, about 34 under
    /// the transitions load, and each statement holds its program in SQLite's memory: with 256 kept, SQLite held 26 MB.
    /// </summary>
    public const int Capacity = 64;

    private static readonly ConditionalWeakTable<SqliteConnection, SqliteStatementCache> Caches = [];

    private readonly Dictionary<string, LinkedListNode<SqliteCommand>> _idle = new(StringComparer.Ordinal);

    /// <summary>The idle commands, the most recently returned first.</summary>
    private readonly LinkedList<SqliteCommand> _recent = new();

    private readonly Lock _lock = new();

    private SqliteStatementCache(SqliteConnection connection)
    {
        connection.StateChange += (_, e) =>
        {
            if (e.CurrentState != ConnectionState.Open)
                Clear();
        };
    }

    public static SqliteStatementCache For(SqliteConnection connection) =>
        Caches.GetValue(connection, c => new SqliteStatementCache(c));

    /// <summary>The number of idle statements kept (for tests).</summary>
    public int Count
    {
        get
        {
            lock (_lock)
                return _idle.Count;
        }
    }

    /// <summary>A command for <paramref name="sql"/> that no one else is running: the cached one, or a new one.</summary>
    public SqliteCommand Rent(SqliteConnection connection, string sql, out bool reused)
    {
        lock (_lock)
        {
            if (_idle.Remove(sql, out var node))
            {
                _recent.Remove(node);
                reused = true;
                return node.Value;
            }
            reused = false;
        }
        var created = connection.CreateCommand();
        created.CommandText = sql;
        return created;
    }

    /// <summary>Takes a finished command back (its statements reset by its reader), or disposes it.</summary>
    public void Return(SqliteCommand command)
    {
        command.Parameters.Clear();
        command.Transaction = null;
        SqliteCommand? dropped = null;
        lock (_lock)
        {
            if (command.Connection?.State != ConnectionState.Open || _idle.ContainsKey(command.CommandText))
            {
                dropped = command;
            }
            else
            {
                _idle.Add(command.CommandText, _recent.AddFirst(command));
                if (_idle.Count > Capacity && _recent.Last is { } oldest)
                {
                    _recent.RemoveLast();
                    _idle.Remove(oldest.Value.CommandText);
                    dropped = oldest.Value;
                }
            }
        }
        dropped?.Dispose();
    }

    private void Clear()
    {
        lock (_lock)
        {
            foreach (var command in _recent)
                command.Dispose();
            _idle.Clear();
            _recent.Clear();
        }
    }
}

/// <summary>
/// The <see cref="DbCommand"/> EF Core configures (text, parameters, transaction) and runs: each execution runs on a
/// cached <see cref="SqliteCommand"/> of the same connection and text, whose prepared statements are reused.
/// </summary>
[SuppressMessage("Design", "CA1010", Justification = "A DbCommand; the collection interfaces come from its base.")]
public sealed class CachedSqliteCommand : DbCommand
{
    private readonly SqliteCommand _parametersHolder = new();
    private readonly SqliteStatementCacheInterceptor _counter;
    private SqliteConnection? _connection;
    private SqliteCommand? _running;
    private string _commandText = "";

    internal CachedSqliteCommand(SqliteConnection connection, SqliteStatementCacheInterceptor counter)
    {
        _connection = connection;
        _counter = counter;
    }

    [AllowNull]
    public override string CommandText
    {
        get => _commandText;
        set => _commandText = value ?? "";
    }

    public override int CommandTimeout { get; set; } = 30;

    public override CommandType CommandType { get; set; } = CommandType.Text;

    public override bool DesignTimeVisible { get; set; }

    public override UpdateRowSource UpdatedRowSource { get; set; }

    protected override DbConnection? DbConnection
    {
        get => _connection;
        set => _connection = (SqliteConnection?)value;
    }

    protected override DbParameterCollection DbParameterCollection => _parametersHolder.Parameters;

    protected override DbTransaction? DbTransaction { get; set; }

    public override void Cancel()
    {
    }

    public override int ExecuteNonQuery()
    {
        var command = Start();
        try
        {
            return command.ExecuteNonQuery();
        }
        finally
        {
            Finish();
        }
    }

    public override object? ExecuteScalar()
    {
        var command = Start();
        try
        {
            return command.ExecuteScalar();
        }
        finally
        {
            Finish();
        }
    }

    public override void Prepare()
    {
    }

    protected override DbParameter CreateDbParameter() => new SqliteParameter();

    protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior)
    {
        var command = Start();
        try
        {
            // The reader keeps the command until EF Core disposes it, then this command (Dispose below).
            return command.ExecuteReader(behavior);
        }
        catch
        {
            Finish();
            throw;
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Finish();
            _parametersHolder.Dispose();
        }
        base.Dispose(disposing);
    }

    private SqliteCommand Start()
    {
        Finish();
        var connection = _connection ?? throw new InvalidOperationException("The command has no connection.");
        var command = SqliteStatementCache.For(connection).Rent(connection, _commandText, out var reused);
        _counter.Count(reused);
        command.Transaction = (SqliteTransaction?)DbTransaction;
        command.CommandTimeout = CommandTimeout;
        command.CommandType = CommandType;
        command.Parameters.Clear();
        foreach (SqliteParameter parameter in _parametersHolder.Parameters)
            command.Parameters.Add(parameter);
        _running = command;
        return command;
    }

    private void Finish()
    {
        if (_running is not { } command)
            return;
        _running = null;
        if (_connection is not null)
            SqliteStatementCache.For(_connection).Return(command);
        else
            command.Dispose();
    }
}
