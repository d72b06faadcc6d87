using System.Globalization;

namespace RestorationWorkflow.Benchmarks;

/// <summary>
/// Cold start of the built app: <c>dotnet RestorationWorkflow.Web.dll --urls http://127.0.0.1:{free port}</c> with a
/// fresh temp <c>Storage:Root</c> (so every run creates and migrates its SQLite database and seeds the roles),
/// timed from process start to the first 200 from GET /health (GET /health/ready on a build without /health).
/// </summary>
internal static class ColdStartBenchmark
{
    private static readonly string[] HealthPaths = ["/health", "/health/ready"];
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(10);

    public static async Task<int> RunAsync(int runs, string? appPath)
    {
        var app = await AppProcess.FindOrBuildAsync(appPath);
        Console.WriteLine($"coldstart: {runs} runs of dotnet {app} ({Environment.ProcessorCount} cores)");

        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.Zero })
        {
            Timeout = TimeSpan.FromSeconds(5),
        };
        var results = new List<long>();
        for (var run = 1; run <= runs; run++)
        {
            var (elapsed, path, rss) = await StartOnceAsync(app, http);
            results.Add(elapsed);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"coldstart: run {run}/{runs}: {elapsed} ms to a 200 from {path}; rss then {(rss is { } r ? ProcFs.MiB(r) : "n/a")}"));
        }
        results.Sort();
        var median = results.Count % 2 == 1
            ? results[results.Count / 2]
            : (results[(results.Count / 2) - 1] + results[results.Count / 2]) / 2;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"coldstart-ms median={median} min={results[0]} max={results[^1]}"));
        return 0;
    }

    private static async Task<(long Milliseconds, string Path, long? RssKiB)> StartOnceAsync(string appDll, HttpClient http)
    {
        var root = AppProcess.RegisterTempFolder(Path.Combine(Path.GetTempPath(), "rw-bench", "coldstart-" + Guid.NewGuid().ToString("N")));
        // As a plain start: Production, default logging, no demo users.
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["Storage__Root"] = root,
        };
        try
        {
            await using var app = AppProcess.Start(appDll, root, environment);
            var (path, sinceStart) = await app.WaitHealthyAsync(http, HealthPaths, StartTimeout, PollInterval);
            return ((long)sinceStart.TotalMilliseconds, path, app.Sample()?.RssKiB);
        }
        finally
        {
            AppProcess.TryDelete(root);
        }
    }
}
