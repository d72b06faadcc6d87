using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace RestorationWorkflow.Benchmarks;

/// <summary>
/// Health probes per second through the app (a child process) over HTTP, without a token: each client alternates
/// <c>GET /health/live</c> and <c>GET /health/ready</c>. On a build without them (404) it probes <c>/health</c> instead.
/// </summary>
internal static class HealthBenchmark
{
    private static readonly string[] Wanted = ["/health/live", "/health/ready"];
    private const string Fallback = "/health";

    public static async Task<int> RunAsync(LoadSettings settings)
    {
        var appDll = await AppProcess.FindOrBuildAsync(settings.AppPath);
        var root = AppProcess.RegisterTempFolder(Path.Combine(Path.GetTempPath(), "rw-bench", Guid.NewGuid().ToString("N")));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"health: {settings.Clients} clients, {settings.Seconds} s measured after {settings.WarmupSeconds} s warm-up, {Environment.ProcessorCount} cores, storage {root}"));
        try
        {
            WindowResult result;
            await using (var app = await LoadRun.StartAppAsync(appDll, Path.Combine(root, "app")))
            {
                using var client = LoadRun.CreateHttpClient(app.BaseAddress, settings.Clients);
                var api = new ApiClient(client);
                var paths = new List<string>();
                foreach (var path in Wanted)
                {
                    var status = await api.GetStatusAsync(path);
                    var used = status == HttpStatusCode.NotFound ? Fallback : path;
                    if (status == HttpStatusCode.NotFound)
                        Console.WriteLine($"setup: {path} answered 404 (not in this build); probing {Fallback} instead");
                    if (!paths.Contains(used))
                        paths.Add(used);
                }
                Console.WriteLine($"setup: probing {string.Join(" and ", paths)}");
                var clients = Enumerable.Range(0, settings.Clients).Select(i => (LoadClient)new HealthClient(api, paths, i)).ToArray();
                result = await LoadRun.WarmUpAndMeasureAsync(clients, settings, "probes", app);
                LoadRun.Report(result, "probes", app.Pid);
            }
            return await LoadRun.FinishAsync(result, "probes", "health");
        }
        finally
        {
            AppProcess.TryDelete(root);
        }
    }

    /// <summary>One client: the probe paths in turn, starting at its own offset; a 200 counts.</summary>
    private sealed class HealthClient(ApiClient api, IReadOnlyList<string> paths, int offset) : LoadClient
    {
        private int _next = offset;

        protected override async Task StepAsync()
        {
            var path = paths[_next++ % paths.Count];
            await MeasureOkAsync(() => api.GetStatusAsync(path));
        }
    }
}
