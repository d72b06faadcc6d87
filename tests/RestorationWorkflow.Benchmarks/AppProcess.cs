using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

using RestorationWorkflow.Testing;

namespace RestorationWorkflow.Benchmarks;

/// <summary>
/// The built app as a child process: <c>dotnet RestorationWorkflow.Web.dll --urls http://127.0.0.1:{free port}</c>
/// with its own environment and <c>Storage:Root</c>. It is killed when disposed, and when this process ends,
/// is interrupted (Ctrl+C, SIGTERM, SIGHUP, SIGQUIT) or dies of an unhandled exception.
/// </summary>
internal sealed class AppProcess : IAsyncDisposable
{
    private static readonly ConcurrentDictionary<int, Process> Running = new();
    private static readonly ConcurrentDictionary<string, byte> TempFolders = new(StringComparer.Ordinal);
    private static readonly List<PosixSignalRegistration> SignalRegistrations = [];
    private static readonly ConcurrentQueue<Action> Cleanups = new();

    private readonly Process _process;
    private readonly Stopwatch _sinceStart;
    private readonly RecentLines _output;

    private AppProcess(Process process, Stopwatch sinceStart, Uri baseAddress, string storageRoot, RecentLines output)
    {
        _output = output;
        _process = process;
        _sinceStart = sinceStart;
        BaseAddress = baseAddress;
        StorageRoot = storageRoot;
        Pid = process.Id;
    }

    public int Pid { get; }

    public Uri BaseAddress { get; }

    public string StorageRoot { get; }

    /// <summary>The SQLite file the app writes by default: <c>{Storage:Root}/restoration.db</c>.</summary>
    public string DatabasePath => Path.Combine(StorageRoot, "restoration.db");

    public bool HasExited => _process.HasExited;

    /// <summary>Time since <see cref="Process.Start()"/> was called.</summary>
    public TimeSpan SinceStart => _sinceStart.Elapsed;

    /// <summary>The child's CPU time and memory now; <c>null</c> once it has exited or off Linux.</summary>
    public ProcessSample? Sample() => ProcFs.Sample(Pid);

    /// <summary>The last lines the app wrote to stdout and stderr.</summary>
    public IEnumerable<string> RecentOutput => _output;

    /// <summary>The dotnet that runs this benchmark (set by the SDK under <c>dotnet run</c>), else the one on the PATH.</summary>
    private static string DotnetHost => AppLaunch.DotnetHost;

    /// <summary>
    /// The environment of a measured run: Production, the demo users seeded, logging at Warning, SQLite and
    /// everything else the app writes under <paramref name="storageRoot"/>.
    /// </summary>
    public static Dictionary<string, string> BenchmarkEnvironment(string storageRoot) => new(StringComparer.Ordinal)
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        ["DOTNET_ENVIRONMENT"] = "Production",
        ["Seed__DemoUsers"] = "true",
        ["Storage__Root"] = storageRoot,
        ["Logging__LogLevel__Default"] = "Warning",
        ["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning",
        ["Logging__LogLevel__Microsoft.EntityFrameworkCore"] = "Warning",
        // Every client signs in from this machine as the same demo users: lift the sign-in rate limits (decision 0015).
        ["Identity__SignInRateLimit__PerClient__PermitLimit"] = "1000000",
        ["Identity__SignInRateLimit__PerAccount__PermitLimit"] = "1000000",
    };

    /// <summary>
    /// Starts the app; <paramref name="environment"/> must set <c>Storage__Root</c> to <paramref name="storageRoot"/>.
    /// With <paramref name="command"/> (e.g. <c>scan-reminders</c>) the app runs that command and exits instead of serving.
    /// </summary>
    public static AppProcess Start(string appDll, string storageRoot, IReadOnlyDictionary<string, string> environment, IReadOnlyList<string>? command = null)
    {
        InstallExitHandlers();
        Directory.CreateDirectory(storageRoot);
        var output = new RecentLines();
        var sinceStart = Stopwatch.StartNew();
        var process = AppLaunch.Start(appDll, environment, command, output, out var baseAddress);
        Running[process.Id] = process;
        var app = new AppProcess(process, sinceStart, baseAddress, storageRoot, output);
        return app;
    }

    /// <summary>
    /// Polls <paramref name="paths"/>[0] until it answers 200. A 404 means the app is up but has no such endpoint
    /// (an older or newer build): polling moves on to the next path. Answers the path that answered 200 and the time
    /// from process start; throws when the app exits or <paramref name="timeout"/> passes.
    /// </summary>
    public async Task<(string Path, TimeSpan SinceStart)> WaitHealthyAsync(
        HttpClient http, IReadOnlyList<string> paths, TimeSpan timeout, TimeSpan pollInterval)
    {
        var current = 0;
        while (SinceStart < timeout)
        {
            if (_process.HasExited)
                throw new AppFailedException($"the app exited with code {_process.ExitCode} before {paths[current]} answered 200", this);
            try
            {
                using var response = await http.GetAsync(new Uri(BaseAddress, paths[current]));
                if (response.StatusCode == HttpStatusCode.OK)
                    return (paths[current], SinceStart);
                if (response.StatusCode == HttpStatusCode.NotFound && current + 1 < paths.Count)
                {
                    current++;
                    continue;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Listening but not answering within the client's timeout.
            }
            await Task.Delay(pollInterval);
        }
        throw new AppFailedException($"{paths[current]} did not answer 200 within {timeout.TotalSeconds:F0} s", this);
    }

    /// <summary>Waits until a command run (see <see cref="Start"/>) exits by itself; answers its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            throw new AppFailedException($"the command did not finish within {timeout.TotalSeconds:F0} s", this);
        }
        // The output readers finish after the exit: wait for the last lines.
        _process.WaitForExit();
        Running.TryRemove(Pid, out _);
        return _process.ExitCode;
    }

    /// <summary>Kills the app (SIGKILL: nothing is measured after this) and waits until it has gone.</summary>
    public async Task StopAsync()
    {
        try
        {
            if (!_process.HasExited)
                _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Exited meanwhile.
        }
        await _process.WaitForExitAsync();
        Running.TryRemove(Pid, out _);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
    }

    /// <summary>Writes the app's last output lines to stderr (after a failure).</summary>
    public async Task DumpOutputAsync()
    {
        foreach (var line in _output)
            await Console.Error.WriteLineAsync("  app> " + line);
    }

    /// <summary>
    /// Kills every app this process started and has not stopped yet, then deletes the temp folders still registered
    /// (on a signal or a crash the scenarios' finally blocks do not run).
    /// </summary>
    private static void KillAll()
    {
        foreach (var (_, process) in Running)
        {
            try
            {
                if (!process.HasExited)
                    process.Kill(entireProcessTree: true);
                process.WaitForExit(TimeSpan.FromSeconds(5));
            }
            catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // Already gone.
            }
        }
        while (Cleanups.TryDequeue(out var cleanup))
        {
            try
            {
                cleanup();
            }
            catch (Exception ex) when (ex is InvalidOperationException or IOException)
            {
                // Best effort on the way out.
            }
        }
        foreach (var (folder, _) in TempFolders)
            TryDelete(folder);
    }

    /// <summary>
    /// Something to undo when this process ends early (Ctrl+C and the like, a crash), after the apps are killed and
    /// before the temp folders go: stopping a database server started here. It must be safe to run twice.
    /// </summary>
    public static void RegisterCleanup(Action cleanup)
    {
        InstallExitHandlers();
        Cleanups.Enqueue(cleanup);
    }

    /// <summary>A temp folder of this run: deleted by <see cref="TryDelete"/>, or on Ctrl+C and the like.</summary>
    public static string RegisterTempFolder(string folder)
    {
        InstallExitHandlers();
        TempFolders[folder] = 0;
        return folder;
    }

    private static void InstallExitHandlers()
    {
        lock (SignalRegistrations)
        {
            if (SignalRegistrations.Count > 0)
                return;
            AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
            AppDomain.CurrentDomain.UnhandledException += (_, _) => KillAll();
            // The default action (ending this process) still follows: the handler does not cancel it.
            foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP, PosixSignal.SIGQUIT })
                SignalRegistrations.Add(PosixSignalRegistration.Create(signal, _ => KillAll()));
        }
    }

    /// <summary>
    /// <paramref name="appPath"/> if given, else <c>src/RestorationWorkflow.Web/bin/{Release|Debug}/net10.0/RestorationWorkflow.Web.dll</c>
    /// (the configuration this benchmark was built in) under the repository holding this benchmark. dotnet run/build
    /// of the benchmark builds it (a build-order project reference); it is built here when missing.
    /// </summary>
    public static async Task<string> FindOrBuildAsync(string? appPath)
    {
        if (appPath is not null)
        {
            var given = Path.GetFullPath(appPath);
            return File.Exists(given) ? given : throw new UsageException($"No app at {given}.");
        }
#if DEBUG
        const string configuration = "Debug";
        Console.WriteLine("warning: a Debug build of the benchmark runs the Debug build of the app; measure with -c Release.");
#else
        const string configuration = "Release";
#endif
        var repository = FindRepositoryRoot();
        var project = Path.Combine(repository, "src", "RestorationWorkflow.Web");
        var dll = Path.Combine(project, "bin", configuration, "net10.0", "RestorationWorkflow.Web.dll");
        if (File.Exists(dll))
            return dll;
        Console.WriteLine($"app: {dll} is missing; building it (dotnet build -c {configuration})");
        var build = new ProcessStartInfo(DotnetHost) { UseShellExecute = false, WorkingDirectory = repository };
        foreach (var argument in new[] { "build", "-c", configuration, "--nologo", "-v", "quiet", project })
            build.ArgumentList.Add(argument);
        using var process = Process.Start(build) ?? throw new InvalidOperationException("dotnet build did not start.");
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"dotnet build -c {configuration} {project} failed with exit code {process.ExitCode}.");
        return dll;
    }

    private static string FindRepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "RestorationWorkflow.sln")))
                return folder.FullName;
        }
        throw new UsageException($"No RestorationWorkflow.sln above {AppContext.BaseDirectory}; pass --app path/to/RestorationWorkflow.Web.dll.");
    }

    /// <summary>Deletes a temp folder, leaving it to the OS if a file is still open.</summary>
    public static void TryDelete(string folder)
    {
        TempFolders.TryRemove(folder, out _);
        try
        {
            if (Directory.Exists(folder))
                Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

/// <summary>The app exited or never became healthy: the run stops and shows the app's last output.</summary>
internal sealed class AppFailedException(string message, AppProcess app) : Exception(message)
{
    public AppProcess App { get; } = app;
}
