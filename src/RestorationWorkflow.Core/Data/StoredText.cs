using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query.SqlExpressions;
using Microsoft.EntityFrameworkCore.Storage;

namespace RestorationWorkflow.Data;

/// <summary>
/// SQL functions over a column's stored text, for queries LINQ cannot say otherwise: a primitive collection (stored as a
/// JSON array) is otherwise only opened element by element.
/// </summary>
public static class StoredText
{
    /// <summary>
    /// The position (from 1) of <paramref name="part"/> in the stored JSON text of <paramref name="list"/>, 0 when absent:
    /// SQL's <c>instr</c> (SQLite). Only in queries.
    /// </summary>
    public static int Position(List<string> list, string part) =>
        throw new InvalidOperationException($"{nameof(StoredText)}.{nameof(Position)} is translated to SQL and runs only in a query.");

    /// <summary>Maps <see cref="Position"/> to <c>instr(list, part)</c>.</summary>
    public static void Map(ModelBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.HasDbFunction(typeof(StoredText).GetMethod(nameof(Position))!)
            .HasTranslation(args => new SqlFunctionExpression("instr", args, nullable: true, argumentsPropagateNullability: [true, true], typeof(int),
                new IntTypeMapping("INTEGER")));
    }
}
