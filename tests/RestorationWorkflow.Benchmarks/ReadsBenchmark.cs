using System.Diagnostics;
using System.Globalization;

namespace RestorationWorkflow.Benchmarks;

/// <summary>
/// Project reads per second through the whole app (a child process) over HTTP: each client signs in as the
/// project manager with its own bearer token and repeats <c>GET /api/projects/{id}</c> on its own project.
/// </summary>
internal static class ReadsBenchmark
{
    public static async Task<int> RunAsync(LoadSettings settings)
    {
        var appDll = await AppProcess.FindOrBuildAsync(settings.AppPath);
        var root = AppProcess.RegisterTempFolder(Path.Combine(Path.GetTempPath(), "rw-bench", Guid.NewGuid().ToString("N")));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"reads: {settings.Clients} clients, {settings.Seconds} s measured after {settings.WarmupSeconds} s warm-up, {Environment.ProcessorCount} cores, storage {root}"));
        try
        {
            WindowResult result;
            await using (var app = await LoadRun.StartAppAsync(appDll, Path.Combine(root, "app")))
            {
                using var client = LoadRun.CreateHttpClient(app.BaseAddress, settings.Clients);
                var api = new ApiClient(client);
                var setup = Stopwatch.StartNew();
                var manager = await api.LoginAsync(TransitionsBenchmark.ManagerEmail, TransitionsBenchmark.DemoPassword);
                var clients = await Task.WhenAll(Enumerable.Range(1, settings.Clients).Select(async i =>
                {
                    var project = await api.CreateProjectAsync(manager, string.Create(CultureInfo.InvariantCulture, $"Benchmark project {i:D3}"));
                    var token = await api.LoginAsync(TransitionsBenchmark.ManagerEmail, TransitionsBenchmark.DemoPassword);
                    return (LoadClient)new ReadClient(api, token, project.Id);
                }));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"setup: {clients.Length} projects created, {clients.Length} clients signed in after {setup.ElapsedMilliseconds} ms"));
                result = await LoadRun.WarmUpAndMeasureAsync(clients, settings, "reads", app);
                LoadRun.Report(result, "reads", app.Pid);
            }
            return await LoadRun.FinishAsync(result, "reads", "reads");
        }
        finally
        {
            AppProcess.TryDelete(root);
        }
    }

    /// <summary>One client: GET /api/projects/{id} of its own project, with its own token; a 200 counts.</summary>
    private sealed class ReadClient(ApiClient api, string token, Guid projectId) : LoadClient
    {
        protected override async Task StepAsync()
        {
            await MeasureOkAsync(() => api.ReadProjectAsync(token, projectId));
        }
    }
}
