using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.Data;

namespace RestorationWorkflow.IntegrationTests.Infrastructure;

/// <summary>SQLite's own plan of a statement the app sends (<c>EXPLAIN QUERY PLAN</c>), one line per step.</summary>
public static partial class SqlitePlans
{
    /// <summary>The plan of <paramref name="sql"/>, its parameters left unbound (null): SQLite's plan does not depend on their values.</summary>
    public static async Task<List<string>> OfAsync(AppDbContext db, string sql)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentException.ThrowIfNullOrWhiteSpace(sql);
        await db.Database.OpenConnectionAsync();
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = "EXPLAIN QUERY PLAN " + sql;
            foreach (var name in Parameter().Matches(sql).Select(m => m.Value).Distinct(StringComparer.Ordinal))
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = name;
                parameter.Value = DBNull.Value;
                command.Parameters.Add(parameter);
            }
            var plan = new List<string>();
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
                plan.Add(reader.GetString(3).Trim());
            return plan;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    [GeneratedRegex(@"@\w+")]
    private static partial Regex Parameter();
}
