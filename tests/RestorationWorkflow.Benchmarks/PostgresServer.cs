using System.Globalization;
using Npgsql;
using RestorationWorkflow.Testing;

namespace RestorationWorkflow.Benchmarks;

/// <summary>
/// The PostgreSQL server of a <c>--provider postgresql</c> run: either a throwaway cluster started here (the default) or
/// the server of <c>--connection</c>. Either way the run works in a database of its own, created at the start and
/// dropped at the end. The throwaway cluster is started by <see cref="PostgresTools"/>, the source file the integration
/// tests' fixture uses too (linked from <c>tests/Shared</c>; this harness references no test project), but durable
/// like a production server (<see cref="DurableOptions"/>), not the fixture's fsync off. Stopped with
/// <c>pg_ctl -m fast</c> and deleted when disposed, and on Ctrl+C or a crash (<see cref="AppProcess.RegisterCleanup"/>).
/// </summary>
internal sealed class PostgresServer : IDisposable
{
    /// <summary>
    /// The server settings of the throwaway cluster, each given on the command line so the run records them: every
    /// commit flushed to disk before it is acknowledged (fsync, synchronous_commit, full_page_writes on, the
    /// defaults of a production server); shared_buffers at 256 MB (the default 128 MB is sized for tiny machines;
    /// the benchmark's data fits either way, and 256 MB leaves the 2-core, shared machine its memory);
    /// max_connections 300 (two app nodes' Npgsql pools and Hangfire servers, plus the bare clients).
    /// </summary>
    public static readonly IReadOnlyList<(string Name, string Value)> DurableOptions =
    [
        ("fsync", "on"),
        ("synchronous_commit", "on"),
        ("full_page_writes", "on"),
        ("shared_buffers", "256MB"),
        ("max_connections", "300"),
    ];

    /// <summary>What the run reports of the server's configuration (read back from <c>pg_settings</c>, whoever set it).</summary>
    private static readonly string[] ReportedSettings =
    [
        "fsync", "synchronous_commit", "full_page_writes", "wal_sync_method", "wal_level", "shared_buffers", "wal_buffers",
        "commit_delay", "max_wal_size", "checkpoint_timeout", "max_connections", "default_transaction_isolation",
    ];

    private readonly string? _folder;
    private readonly string? _bin;
    private readonly string _adminConnectionString;
    private string? _database;
    private bool _stopped;

    private PostgresServer(string adminConnectionString, string? folder, string? bin)
    {
        _adminConnectionString = adminConnectionString;
        _folder = folder;
        _bin = bin;
    }

    /// <summary>The run's own database (<see cref="CreateDatabase"/>).</summary>
    public string ConnectionString { get; private set; } = "";

    /// <summary>Whether this run started the server (and so can read its processes' CPU time).</summary>
    public bool IsThrowaway => _folder is not null;

    /// <summary>
    /// Starts a throwaway cluster under <paramref name="folder"/> (which must not exist yet), or, with
    /// <paramref name="connection"/>, uses that server (its database is only where the run's database is created from).
    /// </summary>
    public static PostgresServer Start(string folder, string? connection)
    {
        if (connection is not null)
        {
            try
            {
                return new PostgresServer(new NpgsqlConnectionStringBuilder(connection).ConnectionString, folder: null, bin: null);
            }
            catch (ArgumentException ex)
            {
                throw new UsageException($"--connection is not a valid PostgreSQL connection string: {ex.Message}");
            }
        }

        var bin = PostgresTools.FindBinDirectory() ?? throw new UsageException(
            PostgresTools.NotInstalled + ", or pass --connection to an existing server.");
        var port = PostgresTools.FreePort();
        var server = new PostgresServer(new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = port,
            Username = "postgres",
            Database = "postgres",
        }.ConnectionString, folder, bin);
        AppProcess.RegisterCleanup(server.Stop);
        PostgresTools.InitAndStart(bin, folder, port, DurableOptions);
        return server;
    }

    /// <summary>Creates the run's database (a fresh one, so two runs on one server never meet) and answers its connection string.</summary>
    public string CreateDatabase()
    {
        var name = $"rw_bench_{Guid.NewGuid():N}";
        Execute(_adminConnectionString, $"CREATE DATABASE \"{name}\"");
        _database = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(_adminConnectionString) { Database = name }.ConnectionString;
        return ConnectionString;
    }

    /// <summary>"PostgreSQL 15.18 …" and the settings that decide how a commit is made durable, as the server reports them.</summary>
    public (string Version, IReadOnlyList<string> Settings) Describe()
    {
        using var connection = new NpgsqlConnection(_adminConnectionString);
        connection.Open();
        string version;
        using (var command = new NpgsqlCommand("SHOW server_version", connection))
            version = (string)command.ExecuteScalar()!;
        var settings = new List<string>();
        using (var command = new NpgsqlCommand("SELECT name, setting, unit FROM pg_settings WHERE name = ANY(@names) ORDER BY array_position(@names, name)", connection))
        {
            command.Parameters.AddWithValue("names", ReportedSettings);
            using var reader = command.ExecuteReader();
            while (reader.Read())
                settings.Add(Setting(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2)));
        }
        return (version, settings);
    }

    /// <summary>CPU time of the server's processes (postmaster and every backend) now; null for a server not started here.</summary>
    public TimeSpan? CpuTime()
    {
        if (_folder is null || !OperatingSystem.IsLinux())
            return null;
        try
        {
            var pidFile = Path.Combine(_folder, "data", "postmaster.pid");
            var postmaster = int.Parse(File.ReadLines(pidFile).First(), CultureInfo.InvariantCulture);
            var total = ProcFs.Sample(postmaster)?.Cpu ?? TimeSpan.Zero;
            foreach (var child in ProcFs.Children(postmaster))
                total += ProcFs.Sample(child)?.Cpu ?? TimeSpan.Zero;
            return total;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or InvalidOperationException)
        {
            return null;
        }
    }

    public void Dispose()
    {
        NpgsqlConnection.ClearAllPools();
        if (_database is not null && _folder is null)
        {
            // Someone else's server: drop what the run created, keep the server.
            try
            {
                Execute(_adminConnectionString, $"DROP DATABASE IF EXISTS \"{_database}\" WITH (FORCE)");
            }
            catch (NpgsqlException ex)
            {
                Console.Error.WriteLine($"postgres: could not drop {_database}: {ex.Message}");
            }
        }
        Stop();
    }

    /// <summary>Stops the throwaway cluster (<c>pg_ctl -m fast</c>: sessions ended, a clean shutdown checkpoint) and deletes it.</summary>
    private void Stop()
    {
        if (_folder is null || _stopped)
            return;
        _stopped = true;
        PostgresTools.StopAndDelete(_bin!, _folder, "fast");
    }

    private static string Setting(string name, string value, string? unit)
    {
        // shared_buffers and wal_buffers come in 8 kB pages: show them in MB as they are set.
        if (unit == "8kB" && long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var pages))
            return string.Create(CultureInfo.InvariantCulture, $"{name}={pages * 8 / 1024}MB");
        if (unit == "MB" && long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var mb))
            return string.Create(CultureInfo.InvariantCulture, $"{name}={mb}MB");
        return unit is null or "" ? $"{name}={value}" : $"{name}={value}{unit}";
    }

    private static void Execute(string connectionString, string sql)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

}
