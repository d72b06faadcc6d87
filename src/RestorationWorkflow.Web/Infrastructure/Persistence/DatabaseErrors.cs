using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace RestorationWorkflow.Web.Infrastructure.Persistence;

/// <summary>
/// Classifies provider errors by their codes, never by message text. SQLite's errors are read here; the servers' in
/// <see cref="ServerDatabaseErrors"/>, called only for an error that is not SQLite's: the JIT loads the assemblies a
/// method names when it compiles it, so a node on SQLite never loads Microsoft.Data.SqlClient or Npgsql (decision 0054).
/// </summary>
public static class DatabaseErrors
{
    // SQLite: SQLITE_CONSTRAINT_UNIQUE and SQLITE_CONSTRAINT_PRIMARYKEY (extended result codes).
    private const int SqliteConstraintUnique = 2067;
    private const int SqliteConstraintPrimaryKey = 1555;

    // SQLite primary result codes (the low byte of an extended code): the disk or file cannot take the write.
    private const int SqliteIoError = 10;
    private const int SqliteReadOnly = 8;
    private const int SqliteFull = 13;
    private const int SqliteCantOpen = 14;

    /// <summary>
    /// The storage cannot take a write: the disk or the database's maximum size is full, the file is read-only, or
    /// the disk fails. Looks through wrapping exceptions (EF Core's <see cref="DbUpdateException"/>).
    /// </summary>
    public static bool IsStorageFault(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is SqliteException sqlite)
            {
                if ((sqlite.SqliteErrorCode & 0xFF) is SqliteFull or SqliteReadOnly or SqliteIoError or SqliteCantOpen)
                    return true;
            }
            else if (e is DbException server && ServerDatabaseErrors.IsStorageFault(server))
                return true;
        }
        return false;
    }

    /// <summary>The provider's own words for a storage fault (for logs and the health report, never for clients).</summary>
    public static string Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is SqliteException sqlite)
                return sqlite.Message; // "SQLite Error 13: 'database or disk is full'."
            if (e is DbException server && ServerDatabaseErrors.Describe(server) is { } words)
                return words;
        }
        return exception.Message;
    }

    /// <summary>A unique index or key refused the write: for the audit chain, another writer took the same sequence.</summary>
    public static bool IsUniqueViolation(DbUpdateException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception.InnerException is DbException inner && IsUniqueViolation(inner);
    }

    /// <summary>The same, for a statement run outside SaveChanges (the provider's own exception).</summary>
    public static bool IsUniqueViolation(DbException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception is SqliteException sqlite
            ? sqlite.SqliteExtendedErrorCode is SqliteConstraintUnique or SqliteConstraintPrimaryKey
            : ServerDatabaseErrors.IsUniqueViolation(exception);
    }

    /// <summary>
    /// The server aborted this transaction because another one changed the same rows at the same time (PostgreSQL's
    /// serialization failure or deadlock, SQL Server's deadlock victim): the write lost a race, like a stale version.
    /// </summary>
    public static bool IsRaceLost(DbUpdateException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception.InnerException is DbException inner && IsRaceLost(inner);
    }

    /// <summary>The same, for a statement run outside SaveChanges (the provider's own exception).</summary>
    public static bool IsRaceLost(DbException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        // SQLite has one writer: a transaction never loses a race to another one.
        return exception is not SqliteException && ServerDatabaseErrors.IsRaceLost(exception);
    }
}

/// <summary>
/// SQL Server's and PostgreSQL's errors by their codes (<see cref="DatabaseErrors"/> calls these for an error that is
/// not SQLite's). Not inlined into their callers, so that compiling a caller does not load the servers' clients.
/// </summary>
internal static class ServerDatabaseErrors
{
    // SQL Server: "Cannot insert duplicate key row" (unique index) and "Violation of PRIMARY KEY/UNIQUE constraint".
    private const int SqlServerDuplicateKeyRow = 2601;
    private const int SqlServerUniqueConstraint = 2627;

    // SQL Server: chosen as the deadlock victim (1205).
    private const int SqlServerDeadlockVictim = 1205;

    // SQL Server: no room in a filegroup (1105), no room to allocate a page (1101), the log is full (9002), the
    // database is read-only (3906).
    private static readonly HashSet<int> SqlServerStorageFaults = [1105, 1101, 9002, 3906];

    // PostgreSQL SQLSTATE codes (PostgresErrorCodes): unique_violation; serialization_failure and deadlock_detected,
    // the two ways the server aborts one of two transactions that raced for the same rows.
    private const string PostgreSqlUniqueViolation = PostgresErrorCodes.UniqueViolation; // 23505
    private static readonly HashSet<string> PostgreSqlRaceLost = [PostgresErrorCodes.SerializationFailure, PostgresErrorCodes.DeadlockDetected]; // 40001, 40P01

    // PostgreSQL: disk full (53100), the transaction or server is read-only (25006), an I/O error (58030).
    private static readonly HashSet<string> PostgreSqlStorageFaults = [PostgresErrorCodes.DiskFull, PostgresErrorCodes.ReadOnlySqlTransaction, PostgresErrorCodes.IoError];

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static bool IsStorageFault(DbException exception) => exception switch
    {
        SqlException sql => sql.Errors.Cast<SqlError>().Any(error => SqlServerStorageFaults.Contains(error.Number)),
        PostgresException postgres => PostgreSqlStorageFaults.Contains(postgres.SqlState),
        _ => false,
    };

    /// <summary>The server's words, or null for an error of another provider.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static string? Describe(DbException exception) => exception switch
    {
        SqlException sql => $"{sql.Message} (SQL Server error {sql.Number})",
        PostgresException postgres => $"{postgres.MessageText} (PostgreSQL {postgres.SqlState})",
        _ => null,
    };

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static bool IsUniqueViolation(DbException exception) => exception switch
    {
        SqlException sql => sql.Number is SqlServerDuplicateKeyRow or SqlServerUniqueConstraint,
        PostgresException postgres => postgres.SqlState == PostgreSqlUniqueViolation,
        _ => false,
    };

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static bool IsRaceLost(DbException exception) => exception switch
    {
        SqlException sql => sql.Number == SqlServerDeadlockVictim,
        PostgresException postgres => PostgreSqlRaceLost.Contains(postgres.SqlState),
        _ => false,
    };
}
