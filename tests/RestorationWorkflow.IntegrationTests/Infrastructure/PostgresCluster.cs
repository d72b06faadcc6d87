using Npgsql;
using RestorationWorkflow.Testing;

namespace RestorationWorkflow.IntegrationTests.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL cluster from the Debian <c>postgresql</c> package, one per test run (decision 0041), started
/// by <see cref="PostgresTools"/> (shared with the benchmark) with fsync off, one database per app host; stopped and
/// deleted when the test process exits.
/// </summary>
public sealed class PostgresCluster
{
    /// <summary>What to do when PostgreSQL is missing (the skip message).</summary>
    public const string InstallHint = PostgresTools.NotInstalled + ". Set REQUIRE_POSTGRES=1 to fail instead of skipping.";

    private static readonly Lazy<PostgresCluster> SharedCluster = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);
    private static int _databases;

    private readonly string _folder;
    private readonly string _bin;

    private PostgresCluster(string folder, string bin, int port)
    {
        _folder = folder;
        _bin = bin;
        Port = port;
    }

    /// <summary>The folder holding initdb and pg_ctl, or null when PostgreSQL is not installed.</summary>
    public static string? BinDirectory { get; } = PostgresTools.FindBinDirectory();

    /// <summary><c>REQUIRE_POSTGRES=1</c> (set by .ci/run): a missing PostgreSQL fails the tests instead of skipping them.</summary>
    public static bool Required => Environment.GetEnvironmentVariable("REQUIRE_POSTGRES") == "1";

    /// <summary>The skip reason for PostgreSQL tests on this machine, or null when they run.</summary>
    public static string? SkipReason => BinDirectory is null && !Required ? InstallHint : null;

    /// <summary>The run's cluster, started on first use.</summary>
    public static PostgresCluster Shared => SharedCluster.Value;

    public int Port { get; }

    /// <summary>A connection string to <paramref name="database"/> as the superuser (trust authentication on 127.0.0.1).</summary>
    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = "postgres",
        Database = database,
        IncludeErrorDetail = true,
    }.ConnectionString;

    /// <summary>
    /// Creates a database and answers its connection string: empty, or a copy of <paramref name="template"/> (a
    /// database nobody is connected to; PostgreSQL copies its files, which is much faster than migrating).
    /// </summary>
    public string CreateDatabase(string? template = null)
    {
        var name = $"rw_{Environment.ProcessId}_{Interlocked.Increment(ref _databases)}";
        using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        connection.Open();
        var from = template is null ? "" : $" TEMPLATE \"{new NpgsqlConnectionStringBuilder(template).Database}\"";
        using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"{from}", connection);
        command.ExecuteNonQuery();
        return ConnectionString(name);
    }

    /// <summary>Drops the database of <paramref name="connectionString"/>, closing whatever connections are still open.</summary>
    public void DropDatabase(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        NpgsqlConnection.ClearPool(new NpgsqlConnection(connectionString));
        using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        connection.Open();
        using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
        command.ExecuteNonQuery();
    }

    private static PostgresCluster Start()
    {
        var bin = BinDirectory ?? throw new InvalidOperationException(InstallHint);
        RemoveStoppedClusters();
        var folder = Path.Combine(Path.GetTempPath(), $"rw-postgres-{Guid.NewGuid():N}");
        var cluster = new PostgresCluster(folder, bin, PostgresTools.FreePort());
        // A throwaway cluster: durability off for speed; enough connections for parallel test classes.
        PostgresTools.InitAndStart(bin, folder, cluster.Port,
            [("fsync", "off"), ("synchronous_commit", "off"), ("full_page_writes", "off"), ("max_connections", "400"), ("shared_buffers", "64MB")]);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => PostgresTools.StopAndDelete(cluster._bin, cluster._folder, "immediate");
        return cluster;
    }

    /// <summary>Folders of earlier runs whose server is stopped (no postmaster.pid) but whose deletion was cut short at exit.</summary>
    private static void RemoveStoppedClusters()
    {
        foreach (var folder in Directory.GetDirectories(Path.GetTempPath(), "rw-postgres-*"))
        {
            if (File.Exists(Path.Combine(folder, "data", "postmaster.pid")))
                continue;
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Another user's or still in use: left alone.
            }
        }
    }
}

/// <summary>A test that needs a real PostgreSQL: skipped with the install hint when it is missing (unless REQUIRE_POSTGRES=1).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (PostgresCluster.SkipReason is { } reason)
            Skip = reason;
    }
}

/// <summary>The trait that marks a test as true of SQLite alone (its file, pragmas, statement cache): left out of the PostgreSQL run.</summary>
public static class TestDatabase
{
    /// <summary><c>[Trait(TestDatabase.Trait, TestDatabase.SqliteOnly)]</c>.</summary>
    public const string Trait = "Database";

    public const string SqliteOnly = "SqliteOnly";

    /// <summary><c>RW_TEST_DATABASE=postgresql</c>: every app host of the run gets a database of its own in <see cref="PostgresCluster.Shared"/>.</summary>
    public static bool IsPostgreSql { get; } = string.Equals(Environment.GetEnvironmentVariable("RW_TEST_DATABASE"), "postgresql", StringComparison.OrdinalIgnoreCase);
}
