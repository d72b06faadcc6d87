using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace RestorationWorkflow.Benchmarks;

/// <summary>
/// Cold start of the built app: <c>dotnet RestorationWorkflow.Web.dll --urls http://127.0.0.1:{free port}</c> with a
/// fresh temp <c>Storage:Root</c> (so every run creates and migrates its SQLite database and seeds the roles),
/// timed from process start to the first 200 from GET /health.
/// </summary>
internal static class ColdStartBenchmark
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(10);

    /// <summary>The dotnet that runs this benchmark (set by the SDK under <c>dotnet run</c>), else the one on the PATH.</summary>
    private static string DotnetHost => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    public static async Task<int> RunAsync(int runs, string? appPath)
    {
        var app = appPath is null ? await FindOrBuildAppAsync() : Path.GetFullPath(appPath);
        if (!File.Exists(app))
        {
            await Console.Error.WriteLineAsync($"No app at {app}.");
            return 2;
        }
        Console.WriteLine($"coldstart: {runs} runs of dotnet {app} ({Environment.ProcessorCount} cores)");

        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.Zero })
        {
            Timeout = TimeSpan.FromSeconds(5),
        };
        var results = new List<long>();
        for (var run = 1; run <= runs; run++)
        {
            var elapsed = await StartOnceAsync(app, http);
            if (elapsed is null)
                return 1;
            results.Add(elapsed.Value);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"coldstart: run {run}/{runs}: {elapsed} ms"));
        }
        results.Sort();
        var median = results.Count % 2 == 1
            ? results[results.Count / 2]
            : (results[(results.Count / 2) - 1] + results[results.Count / 2]) / 2;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"coldstart-ms median={median} min={results[0]} max={results[^1]}"));
        return 0;
    }

    private static async Task<long?> StartOnceAsync(string app, HttpClient http)
    {
        var root = Path.Combine(Path.GetTempPath(), "rw-bench", "coldstart-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        var port = FreePort();
        var health = new Uri($"http://127.0.0.1:{port}/health");
        var start = new ProcessStartInfo(DotnetHost)
        {
            WorkingDirectory = Path.GetDirectoryName(app)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(app);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["Storage__Root"] = root;
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();

        var stopwatch = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        process.OutputDataReceived += (_, e) => Keep(output, e.Data);
        process.ErrorDataReceived += (_, e) => Keep(output, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            while (stopwatch.Elapsed < StartTimeout)
            {
                if (process.HasExited)
                {
                    await Console.Error.WriteLineAsync($"coldstart: the app exited with code {process.ExitCode} before /health answered:");
                    foreach (var line in output)
                        await Console.Error.WriteLineAsync("  " + line);
                    return null;
                }
                try
                {
                    using var response = await http.GetAsync(health);
                    if (response.StatusCode == HttpStatusCode.OK)
                        return stopwatch.ElapsedMilliseconds;
                }
                catch (HttpRequestException)
                {
                    // Not listening yet.
                }
                catch (TaskCanceledException)
                {
                    // Listening but not answering within the client timeout.
                }
                await Task.Delay(PollInterval);
            }
            await Console.Error.WriteLineAsync($"coldstart: /health did not answer 200 within {StartTimeout.TotalSeconds} s:");
            foreach (var line in output)
                await Console.Error.WriteLineAsync("  " + line);
            return null;
        }
        finally
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            TransitionsBenchmark.TryDelete(root);
        }
    }

    private static void Keep(System.Collections.Concurrent.ConcurrentQueue<string> output, string? line)
    {
        if (line is null)
            return;
        output.Enqueue(line);
        while (output.Count > 200)
            output.TryDequeue(out _);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// <c>src/RestorationWorkflow.Web/bin/Release/net10.0/RestorationWorkflow.Web.dll</c> under the repository holding
    /// this benchmark (dotnet run -c Release builds it, as a project reference); built first when missing.
    /// </summary>
    private static async Task<string> FindOrBuildAppAsync()
    {
        var repository = FindRepositoryRoot();
        var project = Path.Combine(repository, "src", "RestorationWorkflow.Web");
        var dll = Path.Combine(project, "bin", "Release", "net10.0", "RestorationWorkflow.Web.dll");
        if (File.Exists(dll))
            return dll;
        Console.WriteLine($"coldstart: {dll} is missing; building it (dotnet build -c Release)");
        var build = new ProcessStartInfo(DotnetHost) { UseShellExecute = false, WorkingDirectory = repository };
        foreach (var argument in new[] { "build", "-c", "Release", "--nologo", "-v", "quiet", project })
            build.ArgumentList.Add(argument);
        using var process = Process.Start(build) ?? throw new InvalidOperationException("dotnet build did not start.");
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"dotnet build -c Release {project} failed with exit code {process.ExitCode}.");
        return dll;
    }

    private static string FindRepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "RestorationWorkflow.sln")))
                return folder.FullName;
        }
        throw new InvalidOperationException($"No RestorationWorkflow.sln above {AppContext.BaseDirectory}; pass --app path/to/RestorationWorkflow.Web.dll.");
    }
}
