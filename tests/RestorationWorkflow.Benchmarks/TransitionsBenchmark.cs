using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using RestorationWorkflow.Web.Features.Identity;
using RestorationWorkflow.Web.Features.Projects;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Benchmarks;

internal sealed record TransitionsSettings(int Seconds, int Clients, int WarmupSeconds);

/// <summary>
/// Workflow transitions per second through the whole app over HTTP, against bare SQLite commits of the
/// same writes (<see cref="BareSqliteBenchmark"/>), from the same number of concurrent clients.
/// </summary>
internal static class TransitionsBenchmark
{
    public const string ManagerEmail = "pm@example.org";
    public const string ApproverEmail = "approver1@example.org";

    /// <summary>The states the measured loop moves between, and the triggers that do it (workflows/staper-restoration.v1.json).</summary>
    public const string LoopState = "Monitoring";
    public const string ForwardTrigger = "StartEvaluation";
    public const string BackTrigger = "NextMonitoringCycle";

    /// <summary>The advance and approve transitions from the initial state to <see cref="LoopState"/>.</summary>
    private static readonly string[] PathToLoopState =
        ["StartAssessment", "SubmitAssessment", "ApproveConsent", "StartPlanning", "SubmitPlan", "ApprovePlan", "StartMonitoring"];

    /// <summary>More than this share of failed transitions fails the run.</summary>
    private const double MaxErrorRate = 0.01;

    public static async Task<int> RunAsync(TransitionsSettings settings)
    {
        var root = Path.Combine(Path.GetTempPath(), "rw-bench", Guid.NewGuid().ToString("N"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"transitions: {settings.Clients} clients, {settings.Seconds} s measured after {settings.WarmupSeconds} s warm-up, {Environment.ProcessorCount} cores, storage {root}"));
        try
        {
            var http = await MeasureHttpAsync(settings, root);
            var bare = BareSqliteBenchmark.Run(settings, Path.Combine(root, "bare"), http.DatabasePath);

            var transitionsPerSecond = http.Successes / http.Elapsed.TotalSeconds;
            var commitsPerSecond = bare.Commits / bare.Elapsed.TotalSeconds;
            var ratio = commitsPerSecond > 0 ? transitionsPerSecond / commitsPerSecond : 0;
            var attempts = http.Successes + http.Errors;
            var errorRate = attempts == 0 ? 1 : (double)http.Errors / attempts;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"http: {http.Successes} transitions, {http.Errors} errors ({errorRate:P2}) in {http.Elapsed.TotalSeconds:F2} s; latency p50={http.P50:F2} ms p99={http.P99:F2} ms; {CpuSummary(http.Cpu, http.Successes, http.Elapsed)} (app + load generator), {http.JitCompilations} methods JIT-compiled meanwhile"));
            foreach (var (status, count) in http.ErrorsByStatus.OrderBy(e => e.Key))
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"http: {count} x {status}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"bare: {bare.Commits} commits, {bare.Errors} errors in {bare.Elapsed.TotalSeconds:F2} s; {CpuSummary(bare.Cpu, bare.Commits, bare.Elapsed)}"));

            var failed = errorRate > MaxErrorRate || bare.Errors > 0;
            if (failed)
            {
                await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"FAILED: {http.Errors} of {attempts} transitions failed ({errorRate:P2}, limit {MaxErrorRate:P0}); {bare.Errors} bare commits failed."));
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"transitions/s={transitionsPerSecond:F0} bare-commits/s={commitsPerSecond:F0} ratio={ratio:F2}"));
            return failed ? 1 : 0;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            TryDelete(root);
        }
    }

    private sealed record HttpResult(long Successes, long Errors, TimeSpan Elapsed, double P50, double P99,
        IReadOnlyDictionary<HttpStatusCode, long> ErrorsByStatus, TimeSpan Cpu, long JitCompilations, string DatabasePath);

    private static async Task<HttpResult> MeasureHttpAsync(TransitionsSettings settings, string root)
    {
        var startup = Stopwatch.StartNew();
        await using var factory = new BenchmarkAppFactory(Path.Combine(root, "app"));
        var baseAddress = factory.Start();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"app: listening on {baseAddress} after {startup.ElapsedMilliseconds} ms, database {factory.DatabasePath}"));

        var catalog = factory.Services.GetRequiredService<WorkflowCatalog>();
        var definition = catalog.Latest(ProjectService.DefaultWorkflowId)
            ?? throw new InvalidOperationException($"The workflow '{ProjectService.DefaultWorkflowId}' is not loaded.");

        using var http = ApiClient.CreateHttpClient(baseAddress);
        var api = new ApiClient(http);
        var tokens = new Tokens(
            await api.LoginAsync(ManagerEmail, DemoUserSeeder.Password),
            await api.LoginAsync(ApproverEmail, DemoUserSeeder.Password));

        var setup = Stopwatch.StartNew();
        var projects = await Task.WhenAll(Enumerable.Range(1, settings.Clients)
            .Select(i => DriveToLoopStateAsync(api, definition, tokens, $"Benchmark project {i:D3}")));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"setup: {projects.Length} projects in {LoopState} after {setup.ElapsedMilliseconds} ms (sign-in, create, checklist, transitions, approvals over HTTP)"));

        var clients = projects.Select(p => new LoopClient(api, tokens.Manager, p)).ToArray();
        if (settings.WarmupSeconds > 0)
        {
            var warm = await RunLoopAsync(clients, TimeSpan.FromSeconds(settings.WarmupSeconds), "warm-up");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"warm-up: {warm.Successes} transitions, {warm.Errors} errors in {warm.Elapsed.TotalSeconds:F2} s (not counted)"));
            foreach (var client in clients)
                client.Reset();
        }
        var measured = await RunLoopAsync(clients, TimeSpan.FromSeconds(settings.Seconds), "http");
        return measured with { DatabasePath = factory.DatabasePath };
    }

    private sealed record Tokens(string Manager, string Approver);

    /// <summary>
    /// Creates a project and fires the path to <see cref="LoopState"/>, completing before each transition the
    /// checklist steps its <c>checklistComplete</c> guards name; approvals are fired by the approver.
    /// Then completes the steps the loop's own guards need (D1 for StartEvaluation).
    /// </summary>
    private static async Task<ProjectVersion> DriveToLoopStateAsync(ApiClient api, WorkflowDefinition definition, Tokens tokens, string name)
    {
        var project = await api.CreateProjectAsync(tokens.Manager, name);
        var done = new HashSet<string>(StringComparer.Ordinal);
        foreach (var trigger in PathToLoopState)
        {
            var transition = definition.FindTransition(project.State, trigger)
                ?? throw new InvalidOperationException($"{definition.Key} has no transition {trigger} from {project.State}.");
            var version = await CompleteGuardStepsAsync(api, tokens.Manager, project, transition, done);
            var token = transition.Roles.Contains("ProjectManager") ? tokens.Manager : tokens.Approver;
            project = await api.FireOrThrowAsync(token, project.Id, trigger, version,
                transition.RequiresComment ? "Benchmark set-up." : null);
        }
        if (project.State != LoopState)
            throw new InvalidOperationException($"Project {project.Id} ended set-up in {project.State}, not {LoopState}.");

        foreach (var (from, trigger) in new[] { (LoopState, ForwardTrigger), (LoopClient.OtherState(definition), BackTrigger) })
        {
            var transition = definition.FindTransition(from, trigger)
                ?? throw new InvalidOperationException($"{definition.Key} has no transition {trigger} from {from}.");
            if (transition.RequiresComment)
                throw new InvalidOperationException($"{trigger} requires a comment; the loop fires {{trigger, expectedVersion}} only.");
            project = project with { Version = await CompleteGuardStepsAsync(api, tokens.Manager, project, transition, done) };
        }
        return project;
    }

    private static async Task<int> CompleteGuardStepsAsync(ApiClient api, string token, ProjectVersion project, TransitionDefinition transition, HashSet<string> done)
    {
        var version = project.Version;
        foreach (var code in transition.Guards.Where(g => g.Type == "checklistComplete").SelectMany(g => g.GetStrings("steps")))
        {
            if (done.Add(code))
                version = await api.CompleteStepAsync(token, project.Id, code, version);
        }
        return version;
    }

    /// <summary>One client: fires Monitoring → Evaluation → Monitoring … on its own project with the version it was given back.</summary>
    private sealed class LoopClient(ApiClient api, string token, ProjectVersion project)
    {
        private ProjectVersion _project = project;

        public long Successes { get; private set; }

        public long Errors { get; private set; }

        public Dictionary<HttpStatusCode, long> ErrorsByStatus { get; } = [];

        public List<double> LatenciesMs { get; } = new(capacity: 32_768);

        public static string OtherState(WorkflowDefinition definition) =>
            definition.FindTransition(LoopState, ForwardTrigger)?.To
                ?? throw new InvalidOperationException($"{definition.Key} has no transition {ForwardTrigger} from {LoopState}.");

        public void Reset()
        {
            Successes = 0;
            Errors = 0;
            ErrorsByStatus.Clear();
            LatenciesMs.Clear();
        }

        public async Task RunAsync(CancellationToken stop)
        {
            while (!stop.IsCancellationRequested)
            {
                var trigger = _project.State == LoopState ? ForwardTrigger : BackTrigger;
                var started = Stopwatch.GetTimestamp();
                HttpStatusCode status;
                ProjectVersion? result;
                try
                {
                    (status, result, _) = await api.FireAsync(token, _project.Id, trigger, _project.Version);
                }
                catch (HttpRequestException)
                {
                    (status, result) = (default, null);
                }
                LatenciesMs.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (status == HttpStatusCode.OK && result is not null)
                {
                    Successes++;
                    _project = result;
                    continue;
                }
                Errors++;
                ErrorsByStatus[status] = ErrorsByStatus.GetValueOrDefault(status) + 1;
                try
                {
                    // Carry on from what the server has (a 409 says the version moved under us).
                    _project = await api.GetProjectAsync(token, _project.Id);
                }
                catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException)
                {
                    // The next attempt counts again; do not spin while the server cannot answer.
                    await Task.Delay(TimeSpan.FromMilliseconds(100), CancellationToken.None);
                }
            }
        }
    }

    private static async Task<HttpResult> RunLoopAsync(LoopClient[] clients, TimeSpan duration, string label)
    {
        using var stop = new CancellationTokenSource();
        var cpu = CpuTime();
        var jitted = System.Runtime.JitInfo.GetCompiledMethodCount();
        var stopwatch = Stopwatch.StartNew();
        var tasks = clients.Select(c => Task.Run(() => c.RunAsync(stop.Token))).ToArray();
        var all = Task.WhenAll(tasks);
        long last = 0;
        var lastAt = TimeSpan.Zero;
        for (var tick = 1; stopwatch.Elapsed < duration && !all.IsCompleted; tick++)
        {
            var wait = TimeSpan.FromSeconds(Math.Min(tick, duration.TotalSeconds)) - stopwatch.Elapsed;
            if (wait > TimeSpan.Zero)
                await Task.WhenAny(all, Task.Delay(wait));
            var now = stopwatch.Elapsed;
            // Counters are read without locks: a progress line may be off by a request, the totals are not.
            var total = clients.Sum(c => c.Successes);
            var errors = clients.Sum(c => c.Errors);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{label}: t={now.TotalSeconds,5:F1}s transitions={total,7} errors={errors} rate={(total - last) / (now - lastAt).TotalSeconds,7:F0}/s"));
            last = total;
            lastAt = now;
        }
        stop.Cancel();
        await all;
        var elapsed = stopwatch.Elapsed;
        cpu = CpuTime() - cpu;
        jitted = System.Runtime.JitInfo.GetCompiledMethodCount() - jitted;
        var latencies = clients.SelectMany(c => c.LatenciesMs).Order().ToArray();
        var errorsByStatus = clients.SelectMany(c => c.ErrorsByStatus)
            .GroupBy(e => e.Key).ToDictionary(g => g.Key, g => g.Sum(e => e.Value));
        return new HttpResult(clients.Sum(c => c.Successes), clients.Sum(c => c.Errors), elapsed,
            Percentile(latencies, 0.50), Percentile(latencies, 0.99), errorsByStatus, cpu, jitted, "");
    }

    /// <summary>CPU time of this process (app and load generator together) so far.</summary>
    internal static TimeSpan CpuTime()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    /// <summary>Milliseconds of CPU per operation and the share of the machine's cores used.</summary>
    internal static string CpuSummary(TimeSpan cpu, long operations, TimeSpan elapsed) => string.Create(CultureInfo.InvariantCulture,
        $"cpu {(operations == 0 ? 0 : cpu.TotalMilliseconds / operations):F3} ms/op, {cpu.TotalSeconds / elapsed.TotalSeconds / Environment.ProcessorCount:P0} of {Environment.ProcessorCount} cores");

    internal static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    internal static void TryDelete(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
                Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still open: the temp folder is cleaned by the OS later.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
