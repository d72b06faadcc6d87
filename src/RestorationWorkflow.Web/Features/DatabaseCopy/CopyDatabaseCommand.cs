using System.Globalization;
using RestorationWorkflow.Web.Infrastructure;
using RestorationWorkflow.Web.Infrastructure.Persistence;

namespace RestorationWorkflow.Web.Features.DatabaseCopy;

/// <summary>
/// <c>dotnet RestorationWorkflow.Web.dll copy-database --to-provider PostgreSql --to "Host=…;Database=…"</c>: copies the
/// configured database (SQLite on a single node) into an empty PostgreSQL or SQL Server database with
/// <see cref="DatabaseCopier"/>, prints every table's rows on both sides and a summary, and exits 0 only when the copy
/// was committed with every count equal and every audit chain verified on both sides with the same head (decision 0043).
/// The connection string may come from <c>RW_COPY_TO</c> instead of <c>--to</c>, so that its password stays out of the
/// process list and the shell's history.
/// </summary>
public static class CopyDatabaseCommand
{
    public const string Name = "copy-database";

    public const string TargetVariable = "RW_COPY_TO";

    public const string Usage = "Usage: copy-database --to-provider PostgreSql|SqlServer [--to \"<connection string>\"]  (or the connection string in RW_COPY_TO)";

    public static bool IsInvoked(string[] args) => args is [Name, ..];

    /// <summary>Arguments for the web host: the command's own are removed.</summary>
    public static string[] HostArgs(string[] args) => IsInvoked(args) ? [] : args;

    /// <summary>Registers <see cref="DatabaseCopier"/> (scoped: it reads through the scope's context of the configured database).</summary>
    public static IHostApplicationBuilder AddDatabaseCopy(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddScoped<DatabaseCopier>();
        return builder;
    }

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter output, TextWriter error, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var providerName = Option(args, "--to-provider");
        var connectionString = Option(args, "--to") ?? Environment.GetEnvironmentVariable(TargetVariable);
        if (!EnumNames.TryParse<DatabaseProvider>(providerName, out var provider) || provider == DatabaseProvider.Sqlite
            || string.IsNullOrWhiteSpace(connectionString))
        {
            await error.WriteLineAsync(Usage);
            return 2;
        }
        var source = PersistenceExtensions.GetProvider(services.GetRequiredService<IConfiguration>());
        if (source == provider)
        {
            await error.WriteLineAsync($"copy-database: the configured database is already {source}; copy to another provider.");
            return 2;
        }

        await output.WriteLineAsync($"copy-database: {source} → {provider}. Stop every node first: the source is read in one transaction.");
        DatabaseCopyResult result;
        await using (var scope = services.CreateAsyncScope())
            result = await scope.ServiceProvider.GetRequiredService<DatabaseCopier>().CopyAsync(new DatabaseCopyTarget(provider, connectionString), output, ct);
        return await ReportAsync(result, output, error);
    }

    /// <summary>Prints the table counts and the summary; answers the exit code (0 only for a committed, verified copy).</summary>
    public static async Task<int> ReportAsync(DatabaseCopyResult result, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (result.Refused)
        {
            await error.WriteLineAsync($"copy-database refused: {string.Join(" ", result.Problems)}");
            return 1;
        }
        foreach (var table in result.Tables)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"  {table.Table,-32} source {table.SourceRows,9}  target {table.TargetRows,9}{(table.SourceRows == table.TargetRows ? "" : "  DIFFERENT")}"));
        }
        var summary = string.Create(CultureInfo.InvariantCulture,
            $"copy-database: {result.Tables.Count} tables, {result.Rows} rows ({result.Tables.Count(t => t.SourceRows == t.TargetRows)} tables with equal counts); " +
            $"{result.ChainsVerified} of {result.Chains} project chains verified on both sides with equal heads; " +
            $"user-account chain {(result.UserChainVerified ? "verified, head equal" : "NOT verified")}; {result.SequencesReset} sequences reset; {result.Elapsed.TotalSeconds:F1} s.");
        await output.WriteLineAsync(summary);
        if (result.Succeeded)
        {
            await output.WriteLineAsync("copy-database: committed. Now copy Storage:Root (evidence, reports) and switch the nodes' configuration (docs/deploy-migrate-from-sqlite.md).");
            return 0;
        }
        await error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"copy-database: NOT committed, the target holds no rows ({result.Problems.Count} problems):"));
        foreach (var problem in result.Problems)
            await error.WriteLineAsync($"  {problem}");
        return 1;
    }

    private static string? Option(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}
