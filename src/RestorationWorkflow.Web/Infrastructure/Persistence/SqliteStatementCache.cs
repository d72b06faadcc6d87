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
/// EF Core's SQLite connection, kept open with its prepared statements instead of being closed after every query.
/// Closing a <see cref="SqliteConnection"/> finalizes every statement it prepared and re-registers EF Core's SQL
/// functions on the next open; kept open, the statements of its <see cref="CachedSqliteCommand"/>s survive from
/// one request to the next. A context holds an open connection only while it reads: when its command waits for the
/// group commit and when it goes back to the pool, the connection goes to the node's
/// <see cref="SqliteConnectionShelf"/>, and the context takes one from there (or opens a new one) the next time it
/// needs the database (decision 0060). An idle open connection holds no lock: every reader is reset when EF Core
/// disposes it, EF Core rolls back any transaction when a context is returned to the pool, and a connection is only
/// shelved outside any transaction.
/// </summary>
[SuppressMessage("Performance", "CA1812", Justification = "Created by EF Core's service provider (ReplaceService).")]
internal sealed class KeptOpenSqliteConnection : SqliteRelationalConnection
{
    private readonly string? _connectionString;
    private readonly SqliteConnectionShelf? _shelf;
    private readonly SqliteStatementCacheCounts _counts;
    private readonly StorageFaults? _faults;
    private SqliteConnection? _current;
    private int _opens;
    private bool _keepOnRelease;

    public KeptOpenSqliteConnection(
        RelationalConnectionDependencies dependencies,
        IRawSqlCommandBuilder rawSqlCommandBuilder,
        IDiagnosticsLogger<DbLoggerCategory.Infrastructure> logger)
        : base(dependencies, rawSqlCommandBuilder, logger)
    {
        _connectionString = base.ConnectionString;
        var services = dependencies.ContextOptions.FindExtension<CoreOptionsExtension>()?.ApplicationServiceProvider;
        _shelf = services?.GetService<SqliteConnectionShelf>();
        _counts = services?.GetService<SqliteStatementCacheCounts>() ?? new SqliteStatementCacheCounts();
        _faults = services?.GetService<StorageFaults>();
    }

    /// <summary>The configured connection string, also while the context holds no connection.</summary>
    public override string? ConnectionString
    {
        get => base.ConnectionString ?? _connectionString;
        set => base.ConnectionString = value;
    }

    protected override DbConnection CreateDbConnection()
    {
        var connection = _shelf is not null && _connectionString is not null && _shelf.TryTake(_connectionString) is { } shelved
            ? shelved
            : Opened(NewConnection());
        _current = connection;
        return connection;
    }

    /// <summary>
    /// A connection whose commands run on its prepared statements. EF Core's own SQLite connection is created the same
    /// way (its functions registered, its command timeout set, by the method it calls for that), only of this type.
    /// </summary>
    private StatementCachingSqliteConnection NewConnection()
    {
        var connection = new StatementCachingSqliteConnection(_connectionString, _counts, _faults);
        InitializeDbConnection(this, connection);
        return connection;
    }

    /// <summary>
    /// EF Core's <c>SqliteRelationalConnection.InitializeDbConnection</c>: the SQL functions its queries use
    /// (<c>ef_compare</c>, <c>regexp</c>, …). It is private; if a new EF Core renames it, the first connection fails
    /// with <see cref="MissingMethodException"/>, and with it every test.
    /// </summary>
    [UnsafeAccessor(UnsafeAccessorKind.Method, Name = "InitializeDbConnection")]
    private static extern void InitializeDbConnection(SqliteRelationalConnection relational, DbConnection connection);

    private SqliteConnection Opened(SqliteConnection connection)
    {
        _shelf?.Lend();
        return connection;
    }

    public override bool Open(bool errorsExpected = false)
    {
        var opened = base.Open(errorsExpected);
        _opens++;
        return opened;
    }

    public override async Task<bool> OpenAsync(CancellationToken cancellationToken, bool errorsExpected = false)
    {
        var opened = await base.OpenAsync(cancellationToken, errorsExpected);
        _opens++;
        return opened;
    }

    public override bool Close()
    {
        if (_opens > 0)
            _opens--;
        return base.Close();
    }

    public override Task<bool> CloseAsync()
    {
        if (_opens > 0)
            _opens--;
        return base.CloseAsync();
    }

    protected override void CloseDbConnection()
    {
        // Kept open on purpose: see the class comment. The shelf or Dispose closes it.
    }

    protected override Task CloseDbConnectionAsync() => Task.CompletedTask;

    protected override void DisposeDbConnection()
    {
        if (_keepOnRelease)
            return;
        var connection = _current;
        _current = null;
        _opens = 0;
        if (connection is null)
            base.DisposeDbConnection();
        else if (!Shelve(connection))
            Close(connection);
    }

    protected override ValueTask DisposeDbConnectionAsync()
    {
        DisposeDbConnection();
        return ValueTask.CompletedTask;
    }

    // The count of opens follows EF Core's: a synchronous reset forgets it, an asynchronous one only when it disposes the
    // connection (EF Core 10). A context back in the pool with a connection EF Core still counts as open keeps it.
    protected override void ResetState(bool disposeDbConnection)
    {
        base.ResetState(disposeDbConnection);
        _opens = 0;
        if (!disposeDbConnection)
            Release();
    }

    protected override async ValueTask ResetStateAsync(bool disposeDbConnection)
    {
        await base.ResetStateAsync(disposeDbConnection);
        if (!disposeDbConnection)
            Release();
    }

    /// <summary>
    /// Puts the context's connection on the shelf when nothing of it is in use (no reader, no transaction): the
    /// context opens or takes one again when it next needs the database.
    /// </summary>
    public static void Release(DbContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        (context.GetService<IRelationalConnection>() as KeptOpenSqliteConnection)?.Release();
    }

    private void Release()
    {
        if (_shelf is null || _current is not { } connection || _opens > 0 || CurrentTransaction is not null || !SqliteConnectionShelf.IsIdle(connection))
            return;
        _keepOnRelease = true;
        try
        {
            SetDbConnection(null, contextOwnsConnection: true);
        }
        catch (InvalidOperationException)
        {
            // EF Core still counts the connection as in use: it stays with the context.
            return;
        }
        finally
        {
            _keepOnRelease = false;
        }
        _current = null;
        if (!Shelve(connection))
            Close(connection);
    }

    private void Close(SqliteConnection connection)
    {
        _shelf?.Closed();
        connection.Dispose();
    }

    private bool Shelve(SqliteConnection connection) =>
        _shelf is not null && _connectionString is not null && _shelf.Return(_connectionString, connection);

    /// <summary>
    /// Lends the context to <paramref name="shared"/> (a group commit's connection and transaction) and gives it back
    /// the connection it held before, if any, so its prepared statements are not lost with it.
    /// </summary>
    public static async Task<T> BorrowAsync<T>(DbContext context, DbConnection shared, DbTransaction transaction, Func<Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(work);
        var database = context.Database;
        var self = context.GetService<IRelationalConnection>() as KeptOpenSqliteConnection;
        DbConnection? own = self is null ? database.GetDbConnection() : self._current;
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
            if (self is not null)
                self._current = own as SqliteConnection;
        }
    }
}

/// <summary>
/// The node's open SQLite connections that no context holds, each with its prepared statements (decision 0060). A
/// request holds a connection only while it reads: while it waits for the group commit, or once it has ended, its
/// connection serves another request. So the node opens about as many connections as requests read at once, not one
/// per request in progress; each connection kept open holds its statements in SQLite's memory (about 0.7 MB).
/// </summary>
public sealed class SqliteConnectionShelf(int capacity) : IDisposable
{
    private readonly Dictionary<string, Stack<SqliteConnection>> _idle = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private int _lent;
    private bool _disposed;

    /// <summary>Idle connections kept per database at most; one more coming back is closed.</summary>
    public int Capacity { get; } = capacity >= 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity));

    /// <summary>Idle connections on the shelf (for diagnostics and tests).</summary>
    public int Idle
    {
        get
        {
            lock (_lock)
                return _idle.Values.Sum(s => s.Count);
        }
    }

    /// <summary>Connections held by contexts now: taken from the shelf or opened, and not yet back or closed.</summary>
    public int Lent => Volatile.Read(ref _lent);

    /// <summary>An open, idle connection to <paramref name="connectionString"/>, or <c>null</c>.</summary>
    public SqliteConnection? TryTake(string connectionString)
    {
        lock (_lock)
        {
            if (!_idle.TryGetValue(connectionString, out var stack) || !stack.TryPop(out var connection))
                return null;
            _lent++;
            return connection;
        }
    }

    /// <summary>Counts a connection a context opened itself (the shelf had none).</summary>
    public void Lend() => Interlocked.Increment(ref _lent);

    /// <summary>Counts a lent connection that its context closed instead of bringing back.</summary>
    public void Closed() => Interlocked.Decrement(ref _lent);

    /// <summary>Keeps <paramref name="connection"/> if it is open, idle and there is room; false when the caller must close it.</summary>
    public bool Return(string connectionString, SqliteConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (!IsIdle(connection))
            return false;
        lock (_lock)
        {
            if (_disposed)
                return false;
            if (!_idle.TryGetValue(connectionString, out var stack))
                _idle[connectionString] = stack = new Stack<SqliteConnection>();
            if (stack.Count >= Capacity)
                return false;
            stack.Push(connection);
            _lent--;
            return true;
        }
    }

    /// <summary>Open and outside any transaction (SQLite's autocommit mode).</summary>
    public static bool IsIdle(SqliteConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return connection.State == ConnectionState.Open && connection.Handle is { } handle && SQLitePCL.raw.sqlite3_get_autocommit(handle) != 0;
    }

    /// <summary>Closes the idle connections; the ones still lent are closed by their contexts.</summary>
    public void Dispose()
    {
        List<SqliteConnection> all;
        lock (_lock)
        {
            _disposed = true;
            all = [.. _idle.Values.SelectMany(s => s)];
            _idle.Clear();
        }
        foreach (var connection in all)
            connection.Dispose();
    }
}

/// <summary>
/// How often a command ran on a statement prepared before, and how often it had to prepare one (for diagnostics and
/// tests). The commands come from <see cref="StatementCachingSqliteConnection"/>: no EF Core command interceptor is
/// involved, because any registered one makes EF Core build an event object for every event of every command
/// (creating, executing, executed, reader closing, disposing), about a tenth of what a transition allocated
/// (decision 0066).
/// </summary>
public sealed class SqliteStatementCacheCounts
{
    private long _reused;
    private long _prepared;

    /// <summary>Executions that ran on statements prepared before.</summary>
    public long Reused => Interlocked.Read(ref _reused);

    /// <summary>Executions that had to prepare their statements.</summary>
    public long Prepared => Interlocked.Read(ref _prepared);

    internal void Count(bool reused)
    {
        if (reused)
            Interlocked.Increment(ref _reused);
        else
            Interlocked.Increment(ref _prepared);
    }
}

/// <summary>
/// A <see cref="SqliteConnection"/> whose commands, as EF Core creates them (<c>DbConnection.CreateCommand</c>), are
/// <see cref="CachedSqliteCommand"/>s: each runs on a <see cref="SqliteCommand"/> kept per connection and SQL text, so
/// SQLite parses and plans each distinct statement once per connection instead of once per execution (that was most
/// of a request's CPU, see docs/performance.md). Microsoft.Data.Sqlite's own statements (<c>BEGIN</c>,
/// <c>COMMIT</c>) are unchanged.
/// </summary>
internal sealed class StatementCachingSqliteConnection(string? connectionString, SqliteStatementCacheCounts counts, StorageFaults? faults)
    : SqliteConnection(connectionString)
{
    protected override DbCommand CreateDbCommand() => new CachedSqliteCommand(this, counts, faults);
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
    private readonly SqliteStatementCacheCounts _counts;
    private readonly StorageFaults? _faults;
    private SqliteConnection? _connection;
    private SqliteCommand? _running;
    private string _commandText = "";

    internal CachedSqliteCommand(SqliteConnection connection, SqliteStatementCacheCounts counts, StorageFaults? faults)
    {
        _connection = connection;
        _counts = counts;
        _faults = faults;
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
        catch (SqliteException ex) when (Recorded(ex))
        {
            throw;
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
        catch (SqliteException ex) when (Recorded(ex))
        {
            throw;
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
        catch (SqliteException ex) when (Recorded(ex))
        {
            throw;
        }
        catch
        {
            Finish();
            throw;
        }
    }

    /// <summary>
    /// Records a storage fault (a full disk, a read-only or failing file) in <see cref="StorageFaults"/> wherever the
    /// exception goes afterwards, as <see cref="StorageFaultCommandInterceptor.CommandFailed"/> does for the other providers;
    /// false, so the exception filter never catches.
    /// </summary>
    private bool Recorded(SqliteException exception)
    {
        _faults?.Record(exception);
        return false;
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
        _counts.Count(reused);
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
