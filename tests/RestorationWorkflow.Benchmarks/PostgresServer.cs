using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace RestorationWorkflow.Benchmarks;

/// <summary>
/// The PostgreSQL server of a <c>--provider postgresql</c> run: either a throwaway cluster started here (the default) or
/// the server of <c>--connection</c>. Either way the run works in a database of its own, created at the start and
/// dropped at the end. The throwaway cluster is adapted from the integration tests' fixture (PostgresCluster; not
/// referenced, this harness depends on no test code): <c>initdb</c> from the Debian <c>postgresql</c> package into a
/// temp folder owned by the <c>postgres</c> user (through <c>runuser -u postgres --</c> when this runs as root: the
/// server refuses root), <c>pg_ctl start</c> on a free port of 127.0.0.1 with its socket in the folder, but durable
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

        var bin = FindBinDirectory() ?? throw new UsageException(
            "PostgreSQL is not installed (initdb and pg_ctl are neither on PATH nor under /usr/lib/postgresql/*/bin): " +
            "apt-get install -y postgresql, or pass --connection to an existing server.");
        Directory.CreateDirectory(folder);
        var port = FreePort();
        var server = new PostgresServer(new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = port,
            Username = "postgres",
            Database = "postgres",
        }.ConnectionString, folder, bin);
        AppProcess.RegisterCleanup(server.Stop);
        if (AsPostgresUser)
            Run("chown", ["-R", "postgres:postgres", folder]);
        var data = Path.Combine(folder, "data");
        // --no-sync: initdb's own files are not flushed at its end (the server fsyncs everything it writes afterwards).
        server.RunTool("initdb", ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"]);
        var options = string.Join(' ', new[]
        {
            $"-p {port.ToString(CultureInfo.InvariantCulture)}", $"-k {folder}", "-c listen_addresses=127.0.0.1",
        }.Concat(DurableOptions.Select(o => $"-c {o.Name}={o.Value}")));
        server.RunTool("pg_ctl", ["-D", data, "-l", Path.Combine(folder, "server.log"), "-o", options, "-w", "-t", "60", "start"]);
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
        try
        {
            RunTool("pg_ctl", ["-D", Path.Combine(_folder, "data"), "-m", "fast", "-w", "-t", "60", "stop"]);
        }
        catch (InvalidOperationException)
        {
            // Not running (it never started, or already stopped): the folder goes anyway.
        }
        AppProcess.TryDelete(_folder);
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

    /// <summary>The server refuses to run as root: as root, its tools run as the <c>postgres</c> user.</summary>
    private static bool AsPostgresUser => string.Equals(Environment.UserName, "root", StringComparison.Ordinal);

    private void RunTool(string tool, IReadOnlyList<string> arguments)
    {
        var path = Path.Combine(_bin!, tool);
        if (AsPostgresUser)
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
