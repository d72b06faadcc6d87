using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace RestorationWorkflow.IntegrationTests.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL cluster from the Debian <c>postgresql</c> package, one per test run (decision 0041): initdb
/// into a temp folder owned by the <c>postgres</c> user (the server refuses to run as root), <c>pg_ctl start</c> on a
/// free port of 127.0.0.1 with its socket in that folder and fsync off, one database per app host; stopped and deleted
/// when the test process exits. No container engine is involved.
/// </summary>
public sealed class PostgresCluster
{
    /// <summary>What to do when PostgreSQL is missing (the skip message).</summary>
    public const string InstallHint =
        "PostgreSQL is not installed (initdb and pg_ctl are neither on PATH nor under /usr/lib/postgresql/*/bin): " +
        "apt-get install -y postgresql. Set REQUIRE_POSTGRES=1 to fail instead of skipping.";

    private static readonly Lazy<PostgresCluster> SharedCluster = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);
    private static int _databases;

    private readonly string _folder;
    private readonly string _bin;
    private readonly bool _asPostgresUser;

    private PostgresCluster(string folder, string bin, bool asPostgresUser, int port)
    {
        _folder = folder;
        _bin = bin;
        _asPostgresUser = asPostgresUser;
        Port = port;
    }

    /// <summary>The folder holding initdb and pg_ctl, or null when PostgreSQL is not installed.</summary>
    public static string? BinDirectory { get; } = FindBinDirectory();

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

    /// <summary>Creates an empty database and answers its connection string.</summary>
    public string CreateDatabase()
    {
        var name = $"rw_{Environment.ProcessId}_{Interlocked.Increment(ref _databases)}";
        using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        connection.Open();
        using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
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
        Directory.CreateDirectory(folder);
        var asPostgresUser = string.Equals(Environment.UserName, "root", StringComparison.Ordinal);
        if (asPostgresUser)
            Run("chown", ["-R", "postgres:postgres", folder]);
        var port = FreePort();
        var cluster = new PostgresCluster(folder, bin, asPostgresUser, port);
        var data = Path.Combine(folder, "data");
        cluster.RunTool("initdb", ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"]);
        var options = string.Join(' ',
            $"-p {port.ToString(CultureInfo.InvariantCulture)}", $"-k {folder}", "-c listen_addresses=127.0.0.1",
            // A throwaway cluster: durability off for speed; enough connections for parallel test classes.
            "-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off", "-c max_connections=400",
            "-c shared_buffers=64MB");
        cluster.RunTool("pg_ctl", ["-D", data, "-l", Path.Combine(folder, "server.log"), "-o", options, "-w", "-t", "60", "start"]);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.Stop();
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

    private void Stop()
    {
        try
        {
            RunTool("pg_ctl", ["-D", Path.Combine(_folder, "data"), "-m", "immediate", "-w", "stop"]);
        }
        catch (InvalidOperationException)
        {
            // Already stopped: the folder goes anyway.
        }
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left for the next run (RemoveStoppedClusters) or the OS's temp cleaning.
        }
    }

    private void RunTool(string tool, IReadOnlyList<string> arguments)
    {
        var path = Path.Combine(_bin, tool);
        if (_asPostgresUser)
            Run("runuser", ["-u", "postgres", "--", path, .. arguments]);
        else
            Run(path, arguments);
    }

    private static void Run(string file, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} did not finish within two minutes.");
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited with {process.ExitCode}: {output.Result}{error.Result}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string? FindBinDirectory()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        var candidates = path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).ToList();
        const string debian = "/usr/lib/postgresql";
        if (Directory.Exists(debian))
            candidates.AddRange(Directory.GetDirectories(debian).OrderByDescending(d => d, StringComparer.Ordinal).Select(d => Path.Combine(d, "bin")));
        return candidates.FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")));
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
