using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace RestorationWorkflow.Testing;

/// <summary>
/// Starts and stops a throwaway PostgreSQL cluster from the Debian <c>postgresql</c> package, for the integration tests'
/// fixture (<c>PostgresCluster</c>, fsync off) and the benchmark's server (<c>PostgresServer</c>, durable): one source
/// file linked into both projects (decision 0041). <c>initdb</c> into a folder owned by the <c>postgres</c> user
/// (through <c>runuser -u postgres --</c> when this runs as root: the server refuses root), <c>pg_ctl start</c> on a
/// free port of 127.0.0.1 with its socket in the folder. No container engine is involved.
/// </summary>
internal static class PostgresTools
{
    /// <summary>The part of the install hint both callers give.</summary>
    public const string NotInstalled =
        "PostgreSQL is not installed (initdb and pg_ctl are neither on PATH nor under /usr/lib/postgresql/*/bin): apt-get install -y postgresql";

    /// <summary>The server refuses to run as root: as root, its tools run as the <c>postgres</c> user.</summary>
    public static bool AsPostgresUser => string.Equals(Environment.UserName, "root", StringComparison.Ordinal);

    /// <summary>The folder holding initdb and pg_ctl (PATH first, then the newest <c>/usr/lib/postgresql/*/bin</c>), or null.</summary>
    public static string? FindBinDirectory()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        var candidates = path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).ToList();
        const string debian = "/usr/lib/postgresql";
        if (Directory.Exists(debian))
            candidates.AddRange(Directory.GetDirectories(debian).OrderByDescending(d => d, StringComparer.Ordinal).Select(d => Path.Combine(d, "bin")));
        return candidates.FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")));
    }

    /// <summary>A port nothing listens on now, on 127.0.0.1.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// Creates a cluster in <paramref name="folder"/>/data (trust authentication, UTF8, locale C) and starts it on
    /// <paramref name="port"/> with its socket and log in <paramref name="folder"/> and <paramref name="settings"/>
    /// (<c>-c name=value</c> each), waiting until it accepts connections.
    /// </summary>
    public static void InitAndStart(string bin, string folder, int port, IEnumerable<(string Name, string Value)> settings)
    {
        Directory.CreateDirectory(folder);
        if (AsPostgresUser)
            Run("chown", ["-R", "postgres:postgres", folder]);
        var data = Path.Combine(folder, "data");
        // --no-sync: initdb's own files are not flushed at its end (a durable server fsyncs everything it writes afterwards).
        RunTool(bin, "initdb", ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"]);
        var options = string.Join(' ', new[]
        {
            $"-p {port.ToString(CultureInfo.InvariantCulture)}", $"-k {folder}", "-c listen_addresses=127.0.0.1",
        }.Concat(settings.Select(s => $"-c {s.Name}={s.Value}")));
        RunTool(bin, "pg_ctl", ["-D", data, "-l", Path.Combine(folder, "server.log"), "-o", options, "-w", "-t", "60", "start"]);
    }

    /// <summary>
    /// Stops the cluster of <paramref name="folder"/> (<c>pg_ctl -m</c> <paramref name="mode"/>: <c>fast</c> ends the
    /// sessions with a shutdown checkpoint, <c>immediate</c> just stops) and deletes the folder; quiet when it is not
    /// running or cannot be deleted now (left for the OS's temp cleaning or the next run).
    /// </summary>
    public static void StopAndDelete(string bin, string folder, string mode)
    {
        try
        {
            RunTool(bin, "pg_ctl", ["-D", Path.Combine(folder, "data"), "-m", mode, "-w", "-t", "60", "stop"]);
        }
        catch (InvalidOperationException)
        {
            // Not running (it never started, or already stopped): the folder goes anyway.
        }
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Still in use or not ours: left alone.
        }
    }

    private static void RunTool(string bin, string tool, IReadOnlyList<string> arguments)
    {
        var path = Path.Combine(bin, tool);
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
}
