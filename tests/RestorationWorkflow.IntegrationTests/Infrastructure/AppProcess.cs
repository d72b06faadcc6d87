using System.Diagnostics;
using System.Net;
using RestorationWorkflow.Testing;

namespace RestorationWorkflow.IntegrationTests.Infrastructure;

/// <summary>
/// The built app (<c>src/RestorationWorkflow.Web/bin/{configuration}/net10.0/RestorationWorkflow.Web.dll</c>) as a child
/// process in Production on a free port of 127.0.0.1, started with the given environment and returned once
/// <c>/health/ready</c> answers 200; killed when disposed. Its last output lines are kept for assertion messages.
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly RecentLines _output;
    private bool _disposed;

    private AppProcess(Process process, Uri baseAddress, RecentLines output)
    {
        _process = process;
        BaseAddress = baseAddress;
        _output = output;
    }

    public Uri BaseAddress { get; }

    /// <summary>The process id (its <c>/proc/&lt;pid&gt;</c> on Linux).</summary>
    public int Id => _process.Id;

    public string Output => string.Join('\n', _output.TakeLast(40));

    /// <summary>Starts the app with <paramref name="environment"/> (which must set <c>Storage__Root</c>) and waits until it is ready.</summary>
    public static async Task<AppProcess> StartAsync(IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (environment.TryGetValue("Storage__Root", out var storageRoot))
            Directory.CreateDirectory(storageRoot);
        var settings = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        foreach (var (name, value) in environment)
            settings[name] = value;
        var output = new RecentLines();
        var process = AppLaunch.Start(AppDll(), settings, command: null, output, out var baseAddress);
        var app = new AppProcess(process, baseAddress, output);

        using var http = new HttpClient { BaseAddress = app.BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(120))
        {
            Assert.False(process.HasExited, $"The app exited ({(process.HasExited ? process.ExitCode : 0)}): {app.Output}");
            try
            {
                using var ready = await http.GetAsync("/health/ready");
                if (ready.StatusCode == HttpStatusCode.OK)
                    return app;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Listening, not answering yet.
            }
            await Task.Delay(250);
        }
        app.Kill();
        throw new TimeoutException($"The app was not ready within 120 s: {app.Output}");
    }

    /// <summary>SIGKILL: no shutdown, no rollback sent, the sockets just close.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public ValueTask DisposeAsync()
    {
        if (_disposed)
            return ValueTask.CompletedTask;
        _disposed = true;
        Kill();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    private static string AppDll()
    {
        // This test assembly's configuration (bin/Debug/net10.0 or bin/Release/net10.0), the app's build beside it.
        var baseDirectory = new DirectoryInfo(AppContext.BaseDirectory);
        var configuration = baseDirectory.Parent!.Name;
        for (var directory = baseDirectory; directory is not null; directory = directory.Parent)
        {
            var dll = Path.Combine(directory.FullName, "src", "RestorationWorkflow.Web", "bin", configuration, "net10.0", "RestorationWorkflow.Web.dll");
            if (File.Exists(dll))
                return dll;
        }
        throw new FileNotFoundException($"RestorationWorkflow.Web.dll ({configuration}) not found above {AppContext.BaseDirectory}: build the solution first.");
    }
}
