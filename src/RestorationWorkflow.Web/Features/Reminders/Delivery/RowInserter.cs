using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace RestorationWorkflow.Web.Features.Reminders.Delivery;

/// <summary>
/// Inserts rows of one entity type through a single reused, parameterized INSERT on the context's connection and
/// transaction: the scan's sent-reminder, notification and e-mail rows, thousands per page. Columns, names and value
/// conversions come from the EF model (each property's own type mapping builds its parameter), so the rows are
/// exactly what SaveChanges would write, on every provider — without the change tracker and batch building, which
/// cost ten times more per row on SQLite. Nothing is tracked; a unique violation surfaces as the provider's exception.
/// </summary>
internal sealed class RowInserter<T> : IAsyncDisposable where T : class
{
    private readonly DbCommand _command;
    private readonly (Func<T, object?> Get, RelationalTypeMapping Mapping, string Name, bool Nullable)[] _columns;

    public RowInserter(DbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        var transaction = db.Database.CurrentTransaction ?? throw new InvalidOperationException("Rows are inserted inside the caller's transaction.");
        var entity = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model.");
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var sql = db.GetService<ISqlGenerationHelper>();
        var columns = new List<(Func<T, object?>, RelationalTypeMapping, string, bool)>();
        var names = new List<string>();
        var placeholders = new List<string>();
        foreach (var property in entity.GetProperties())
        {
            if (property.GetColumnName(table) is not { } column)
                continue;
            var getter = property.GetGetter();
            var parameter = "p" + columns.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
            columns.Add((e => getter.GetClrValue(e), (RelationalTypeMapping)property.GetTypeMapping(), sql.GenerateParameterName(parameter), property.IsNullable));
            names.Add(sql.DelimitIdentifier(column));
            placeholders.Add(sql.GenerateParameterNamePlaceholder(parameter));
        }
        _columns = [.. columns];
        _command = db.Database.GetDbConnection().CreateCommand();
        _command.Transaction = transaction.GetDbTransaction();
        _command.CommandText = $"INSERT INTO {sql.DelimitIdentifier(table.Name, table.Schema)} ({string.Join(", ", names)}) VALUES ({string.Join(", ", placeholders)})";
    }

    public async Task InsertAsync(T row, CancellationToken ct)
    {
        _command.Parameters.Clear();
        foreach (var (get, mapping, name, nullable) in _columns)
            _command.Parameters.Add(mapping.CreateParameter(_command, name, get(row), nullable));
        await _command.ExecuteNonQueryAsync(ct);
    }

    public ValueTask DisposeAsync() => _command.DisposeAsync();
}
