using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace RestorationWorkflow.IntegrationTests.Infrastructure;

/// <summary>
/// The built app (<c>src/RestorationWorkflow.Web/bin/{configuration}/net10.0/RestorationWorkflow.Web.dll</c>) as a child
/// process in Production on a free port of 127.0.0.1, started with the given environment and returned once
/// <c>/health/ready</c> answers 200; killed when disposed. Its last output lines are kept for assertion messages.
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private bool _disposed;

    private AppProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
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
        var dll = AppDll();
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}"));
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (name, value) in environment)
            start.Environment[name] = value;
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var app = new AppProcess(process, new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}")));
        process.OutputDataReceived += (_, e) => app.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => app.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

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

    private void Keep(string? line)
    {
        if (line is null)
            return;
        _output.Enqueue(line);
        while (_output.Count > 200)
            _output.TryDequeue(out _);
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
