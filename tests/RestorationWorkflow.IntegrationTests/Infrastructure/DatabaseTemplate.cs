using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using RestorationWorkflow.Data;

namespace RestorationWorkflow.IntegrationTests.Infrastructure;

/// <summary>
/// One migrated database with the demo users per test run and provider, made by the app's own start-up (a host started
/// once on an empty database), which each <see cref="AppFactory"/> then starts from as a copy: a file copy on SQLite,
/// <c>CREATE DATABASE … TEMPLATE</c> on PostgreSQL. Its data-protection keys are removed, so each copy makes its own as
/// a fresh database does. The tests of start-up and migrations themselves opt out (<c>StartsFromTemplate</c>).
/// </summary>
public static class DatabaseTemplate
{
    private static readonly Lazy<string> SqliteFile = new(BuildSqlite, LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly Lazy<string> PostgreSqlDatabase = new(BuildPostgreSql, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The SQLite template file (built on first use).</summary>
    public static string Sqlite => SqliteFile.Value;

    /// <summary>The connection string of the PostgreSQL template database (built on first use).</summary>
    public static string PostgreSql => PostgreSqlDatabase.Value;

    private static string BuildSqlite()
    {
        var file = Path.Combine(Path.GetTempPath(), "rw-tests", $"template-{Environment.ProcessId}.db");
        File.Delete(file);
        using (var app = new TemplateFactory())
        {
            app.Start();
            Run(app, db => db.Database.ExecuteSql($"VACUUM INTO {file}"));
        }
        SqliteConnection.ClearAllPools();
        using (var connection = new SqliteConnection($"Data Source={file};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "DELETE FROM \"DataProtectionKeys\"";
            command.ExecuteNonQuery();
        }
        AppDomain.CurrentDomain.ProcessExit += (_, _) => File.Delete(file);
        return file;
    }

    private static string BuildPostgreSql()
    {
        var database = PostgresCluster.Shared.CreateDatabase();
        using (var app = new TemplateFactory { PostgreSql = database })
        {
            app.Start();
            Run(app, db => db.Database.ExecuteSqlRaw("DELETE FROM \"DataProtectionKeys\""));
        }
        // A template takes no connections while it is copied.
        NpgsqlConnection.ClearAllPools();
        return database;
    }

    private static void Run(AppFactory app, Action<AppDbContext> action)
    {
        using var scope = app.Services.CreateScope();
        action(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }

    /// <summary>The host that makes the template: an ordinary start on an empty database.</summary>
    private sealed class TemplateFactory : AppFactory
    {
        protected override bool StartsFromTemplate => false;

        /// <summary>Starts the host (migrations, demo users) and waits until it serves.</summary>
        public void Start()
        {
            using var client = CreateClient();
            using var response = client.GetAsync("/health/ready").GetAwaiter().GetResult();
            response.EnsureSuccessStatusCode();
        }
    }
}
