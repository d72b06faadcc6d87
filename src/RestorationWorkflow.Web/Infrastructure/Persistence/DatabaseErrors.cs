using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace RestorationWorkflow.Web.Infrastructure.Persistence;

/// <summary>Classifies provider errors by their codes, never by message text.</summary>
public static class DatabaseErrors
{
    // SQLite: SQLITE_CONSTRAINT_UNIQUE and SQLITE_CONSTRAINT_PRIMARYKEY (extended result codes).
    private const int SqliteConstraintUnique = 2067;
    private const int SqliteConstraintPrimaryKey = 1555;

    // SQL Server: "Cannot insert duplicate key row" (unique index) and "Violation of PRIMARY KEY/UNIQUE constraint".
    private const int SqlServerDuplicateKeyRow = 2601;
    private const int SqlServerUniqueConstraint = 2627;

    /// <summary>A unique index or key refused the write: for the audit chain, another writer took the same sequence.</summary>
    public static bool IsUniqueViolation(DbUpdateException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception.InnerException switch
        {
            SqliteException sqlite => sqlite.SqliteExtendedErrorCode is SqliteConstraintUnique or SqliteConstraintPrimaryKey,
            SqlException sql => sql.Number is SqlServerDuplicateKeyRow or SqlServerUniqueConstraint,
            _ => false,
        };
    }
}
