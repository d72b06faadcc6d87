using System.Data.Common;
using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace RestorationWorkflow.Web.Features.Reminders.Delivery;

/// <summary>
/// Writes rows of one entity type with multi-row INSERT statements on the context's connection and transaction: the
/// scan's sent-reminder, notification and e-mail rows, thousands per page. Columns, names and value conversions come
/// from the EF model (each property's own type mapping builds its parameter), so the rows are exactly what SaveChanges
/// would write, on every provider — without the change tracker and per-row statements, which cost several times more
/// per row. Rows are buffered by <see cref="Add"/> and written by <see cref="FlushAsync"/> (the caller flushes the
/// tables in foreign-key order). Nothing is tracked; a unique violation surfaces as the provider's exception.
/// </summary>
internal sealed class RowInserter<T> : IAsyncDisposable where T : class
{
    // Parameters per statement stay well under SQL Server's 2,100 and SQLite's 32,766.
    private const int MaxParameters = 500;

    private readonly DbConnection _connection;
    private readonly DbTransaction _transaction;
    private readonly ISqlGenerationHelper _sql;
    private readonly string _insertInto;
    private readonly (Func<T, object?> Get, RelationalTypeMapping Mapping, bool Nullable)[] _columns;
    private readonly int _rowsPerStatement;
    private readonly List<T> _buffer = [];
    private DbCommand? _full;

    public RowInserter(DbContext db)
        : this(db, EntityTable(db), EntityColumns(db))
    {
    }

    /// <summary>
    /// Rows of any shape into <paramref name="table"/>: each column's value read by its getter and written through its
    /// type mapping (the database copy writes rows read from another provider this way, decision 0043).
    /// </summary>
    public RowInserter(DbContext db, StoreObjectIdentifier table, IReadOnlyList<RowColumn<T>> columns)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(columns);
        var transaction = db.Database.CurrentTransaction ?? throw new InvalidOperationException("Rows are inserted inside the caller's transaction.");
        _sql = db.GetService<ISqlGenerationHelper>();
        _columns = [.. columns.Select(c => (c.Get, c.Mapping, c.Nullable))];
        _rowsPerStatement = Math.Max(1, MaxParameters / _columns.Length);
        _connection = db.Database.GetDbConnection();
        _transaction = transaction.GetDbTransaction();
        _insertInto = $"INSERT INTO {_sql.DelimitIdentifier(table.Name, table.Schema)} ({string.Join(", ", columns.Select(c => _sql.DelimitIdentifier(c.Name)))}) VALUES ";
    }

    private static StoreObjectIdentifier EntityTable(DbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        var entity = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model.");
        return StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
    }

    private static List<RowColumn<T>> EntityColumns(DbContext db)
    {
        var entity = db.Model.FindEntityType(typeof(T))!;
        var table = EntityTable(db);
        var columns = new List<RowColumn<T>>();
        foreach (var property in entity.GetProperties())
        {
            if (property.GetColumnName(table) is not { } column)
                continue;
            var getter = property.GetGetter();
            columns.Add(new RowColumn<T>(column, e => getter.GetClrValue(e), (RelationalTypeMapping)property.GetTypeMapping(), property.IsNullable));
        }
        return columns;
    }

    /// <summary>The number of rows buffered and not yet written.</summary>
    public int Buffered => _buffer.Count;

    public void Add(T row) => _buffer.Add(row);

    /// <summary>Writes every buffered row, in statements of up to <c>500 / columns</c> rows.</summary>
    public async Task FlushAsync(CancellationToken ct)
    {
        for (var start = 0; start < _buffer.Count; start += _rowsPerStatement)
        {
            var count = Math.Min(_rowsPerStatement, _buffer.Count - start);
            // The full-size statement is built once and reused (prepared once on SQLite); the last, shorter one is built for its size.
            var command = count == _rowsPerStatement ? _full ??= Command(count) : Command(count);
            try
            {
                command.Parameters.Clear();
                for (var r = 0; r < count; r++)
                {
                    var row = _buffer[start + r];
                    for (var c = 0; c < _columns.Length; c++)
                    {
                        var (get, mapping, nullable) = _columns[c];
                        command.Parameters.Add(mapping.CreateParameter(command, Name(r, c), get(row), nullable));
                    }
                }
                await command.ExecuteNonQueryAsync(ct);
            }
            finally
            {
                if (command != _full)
                    await command.DisposeAsync();
            }
        }
        _buffer.Clear();
    }

    private DbCommand Command(int rows)
    {
        var text = new StringBuilder(_insertInto);
        for (var r = 0; r < rows; r++)
        {
            text.Append(r == 0 ? "(" : ", (");
            for (var c = 0; c < _columns.Length; c++)
            {
                if (c > 0)
                    text.Append(", ");
                text.Append(_sql.GenerateParameterNamePlaceholder(Placeholder(r, c)));
            }
            text.Append(')');
        }
        var command = _connection.CreateCommand();
        command.Transaction = _transaction;
        command.CommandText = text.ToString();
        return command;
    }

    private static string Placeholder(int row, int column) => string.Create(CultureInfo.InvariantCulture, $"p{row}_{column}");

    private string Name(int row, int column) => _sql.GenerateParameterName(Placeholder(row, column));

    public async ValueTask DisposeAsync()
    {
        if (_full is not null)
            await _full.DisposeAsync();
    }
}

/// <summary>One column a <see cref="RowInserter{T}"/> writes: its name, how to read its model value from a row, its type mapping.</summary>
internal sealed record RowColumn<T>(string Name, Func<T, object?> Get, RelationalTypeMapping Mapping, bool Nullable);
