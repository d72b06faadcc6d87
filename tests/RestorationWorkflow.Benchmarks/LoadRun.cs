using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace RestorationWorkflow.Benchmarks;

/// <summary>Seconds measured, concurrent clients, seconds of warm-up before (not counted): common to every load scenario.</summary>
internal sealed record LoadSettings(int Seconds, int Clients, int WarmupSeconds, string? AppPath);

/// <summary>
/// One concurrent client of the load generator: a loop of operations, one request in flight at a time. Counters
/// are written by the client's own loop only and read by the progress line without locks.
/// </summary>
internal abstract class LoadClient
{
    private long _successes;
    private long _errors;
    private long _requests;

    public long Successes => Volatile.Read(ref _successes);

    public long Errors => Volatile.Read(ref _errors);

    /// <summary>Every HTTP request, counted operations and follow-ups (a re-read after an error) alike.</summary>
    public long Requests => Volatile.Read(ref _requests);

    public Dictionary<HttpStatusCode, long> ErrorsByStatus { get; } = [];

    /// <summary>Which app process (node) of the run this client talks to: an index into the apps given to <see cref="LoadRun.RunAsync(LoadClient[], TimeSpan, string, string, IReadOnlyList{AppProcess}, Func{TimeSpan?})"/>.</summary>
    public int Node { get; init; }

    /// <summary>The latency of every counted operation (successful or not), in milliseconds.</summary>
    public List<double> LatenciesMs { get; } = new(capacity: 65_536);

    /// <summary>One operation: its request(s), then <see cref="Succeeded"/> or <see cref="Failed"/>.</summary>
    protected abstract Task StepAsync();

    public async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
            await StepAsync();
    }

    public void Reset()
    {
        Volatile.Write(ref _successes, 0);
        Volatile.Write(ref _errors, 0);
        Volatile.Write(ref _requests, 0);
        ErrorsByStatus.Clear();
        LatenciesMs.Clear();
    }

    protected void Succeeded(long startedTimestamp)
    {
        LatenciesMs.Add(Stopwatch.GetElapsedTime(startedTimestamp).TotalMilliseconds);
        Interlocked.Increment(ref _requests);
        Interlocked.Increment(ref _successes);
    }

    /// <summary>A failed operation; <paramref name="status"/> is 0 when no answer came (connection error).</summary>
    protected void Failed(long startedTimestamp, HttpStatusCode status)
    {
        LatenciesMs.Add(Stopwatch.GetElapsedTime(startedTimestamp).TotalMilliseconds);
        Interlocked.Increment(ref _requests);
        Interlocked.Increment(ref _errors);
        ErrorsByStatus[status] = ErrorsByStatus.GetValueOrDefault(status) + 1;
    }

    /// <summary>A request that is not an operation of its own (re-reading a project after a failed transition).</summary>
    protected void CountedFollowUp() => Interlocked.Increment(ref _requests);

    /// <summary>
    /// One operation of one request that counts when it answers 200 OK. No answer at all (a refused connection, a
    /// timeout) counts as failed with status 0, and the client pauses 100 ms so a dead app is not spun against.
    /// </summary>
    protected async Task MeasureOkAsync(Func<Task<HttpStatusCode>> send)
    {
        ArgumentNullException.ThrowIfNull(send);
        var started = Stopwatch.GetTimestamp();
        HttpStatusCode status;
        try
        {
            status = await send();
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            status = default;
        }
        if (status == HttpStatusCode.OK)
        {
            Succeeded(started);
            return;
        }
        Failed(started, status);
        if (status == default)
            await Task.Delay(TimeSpan.FromMilliseconds(100), CancellationToken.None);
    }

    /// <summary>GET <paramref name="path"/> with a bearer token, reading the whole body; its status.</summary>
    protected static async Task<HttpStatusCode> GetAsync(HttpClient http, string path, string token)
    {
        ArgumentNullException.ThrowIfNull(http);
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead);
        return response.StatusCode;
    }
}

/// <summary>What one measured (or warm-up) window produced, with the app's and the load generator's resources.</summary>
internal sealed record WindowResult(
    long Successes,
    long Errors,
    long Requests,
    TimeSpan Elapsed,
    double[] SortedLatenciesMs,
    IReadOnlyDictionary<HttpStatusCode, long> ErrorsByStatus,
    TimeSpan? AppCpu,
    TimeSpan? LoadGeneratorCpu,
    double? MachineBusy,
    ProcessSample? AppAtEnd,
    long AppMaxRssSampledKiB)
{
    /// <summary>Per app process when the run had several (each with its own clients); empty for one.</summary>
    public IReadOnlyList<NodeWindow> Nodes { get; init; } = [];

    /// <summary>CPU time of the database server's processes in the window, where the run started the server.</summary>
    public TimeSpan? ServerCpu { get; init; }

    /// <summary>The share of the machine's time (all cores) the hypervisor took in the window (<c>steal</c>), where Linux reports it.</summary>
    public double? MachineSteal { get; init; }

    /// <summary>A random read in 4 MiB (<see cref="MemoryProbe"/>) just before and just after the window, in ns.</summary>
    public (double Before, double After)? MemoryReadNs { get; init; }

    public double Rate => Successes / Elapsed.TotalSeconds;

    public double RequestRate => Requests / Elapsed.TotalSeconds;

    public double ErrorRate => Successes + Errors == 0 ? 1 : (double)Errors / (Successes + Errors);

    public double P(double p) => LoadRun.Percentile(SortedLatenciesMs, p);
}

/// <summary>One app process's share of a window: its clients' operations and its own CPU and memory.</summary>
internal sealed record NodeWindow(
    int Pid,
    Uri BaseAddress,
    int Clients,
    long Successes,
    long Errors,
    double[] SortedLatenciesMs,
    TimeSpan? Cpu,
    ProcessSample? AtEnd,
    long MaxRssSampledKiB)
{
    public double P(double p) => LoadRun.Percentile(SortedLatenciesMs, p);
}

/// <summary>Runs the clients for a while with a progress line a second, and reports what the app and the load generator used.</summary>
internal static class LoadRun
{
    /// <summary>More than this share of failed operations fails the run (exit code 1).</summary>
    public const double MaxErrorRate = 0.01;

    public static HttpClient CreateHttpClient(Uri baseAddress, int clients) => new(new SocketsHttpHandler
    {
        // One keep-alive connection per concurrent client (and a few for set-up), never recycled during a run.
        MaxConnectionsPerServer = clients + 4,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        UseCookies = false,
        AllowAutoRedirect = false,
        UseProxy = false,
    })
    {
        BaseAddress = baseAddress,
        Timeout = TimeSpan.FromSeconds(60),
    };

    /// <summary>The paths polled until the app answers 200: /health/live, or /health on builds without it.</summary>
    public static readonly string[] LivenessPaths = ["/health/live", "/health"];

    /// <summary>
    /// Starts the app as a child process with the benchmark environment (<see cref="AppProcess.BenchmarkEnvironment"/>)
    /// and waits until it is healthy; the caller disposes it (which kills it).
    /// </summary>
    public static async Task<AppProcess> StartAppAsync(string appDll, string storageRoot, IReadOnlyDictionary<string, string>? settings = null)
    {
        var environment = AppProcess.BenchmarkEnvironment(storageRoot);
        foreach (var (name, value) in settings ?? new Dictionary<string, string>())
            environment[name] = value;
        var app = AppProcess.Start(appDll, storageRoot, environment);
        try
        {
            using var probe = new HttpClient(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.Zero })
            {
                Timeout = TimeSpan.FromSeconds(5),
            };
            var (path, since) = await app.WaitHealthyAsync(probe, LivenessPaths, TimeSpan.FromSeconds(90), TimeSpan.FromMilliseconds(20));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"app: pid {app.Pid}, dotnet {appDll}, Production{(environment.GetValueOrDefault("Seed__DemoUsers") == "true" ? " with demo users" : "")}; {path} answered 200 after {since.TotalMilliseconds:F0} ms on {app.BaseAddress}; rss {(app.Sample() is { } s ? ProcFs.MiB(s.RssKiB) : "n/a")}"));
            return app;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>The warm-up (when asked for) and then the measured window; answers the measured one.</summary>
    public static Task<WindowResult> WarmUpAndMeasureAsync(LoadClient[] clients, LoadSettings settings, string unit, AppProcess app) =>
        WarmUpAndMeasureAsync(clients, settings, unit, [app]);

    /// <summary>
    /// As <see cref="WarmUpAndMeasureAsync(LoadClient[], LoadSettings, string, AppProcess)"/> with several app processes
    /// (each client on <c>apps[client.Node]</c>) and, optionally, the database server's CPU time to report beside them.
    /// </summary>
    public static async Task<WindowResult> WarmUpAndMeasureAsync(
        LoadClient[] clients, LoadSettings settings, string unit, IReadOnlyList<AppProcess> apps, Func<TimeSpan?>? serverCpu = null)
    {
        ArgumentNullException.ThrowIfNull(clients);
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.WarmupSeconds > 0)
        {
            var warm = await RunAsync(clients, TimeSpan.FromSeconds(settings.WarmupSeconds), "warm-up", unit, apps, serverCpu);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"warm-up: {warm.Successes} {unit}, {warm.Errors} errors in {warm.Elapsed.TotalSeconds:F2} s (not counted); app {CpuPerOp(warm.AppCpu, warm.Successes, unit)}"));
            foreach (var client in clients)
                client.Reset();
        }
        // The machine's memory speed just before and just after the window, with no load running (MemoryProbe).
        var before = MemoryProbe.NanosecondsPerRead();
        var measured = await RunAsync(clients, TimeSpan.FromSeconds(settings.Seconds), "http", unit, apps, serverCpu);
        return measured with { MemoryReadNs = (before, MemoryProbe.NanosecondsPerRead()) };
    }

    public static Task<WindowResult> RunAsync(LoadClient[] clients, TimeSpan duration, string label, string unit, AppProcess app) =>
        RunAsync(clients, duration, label, unit, [app]);

    /// <summary>
    /// Runs <paramref name="clients"/> for <paramref name="duration"/> against <paramref name="apps"/> (client
    /// <c>c</c> on <c>apps[c.Node]</c>). With one app the progress lines and result are those of a one-node run; with
    /// several, the app's CPU and RSS columns list every node ("a+b", "x/y") and the result has one
    /// <see cref="NodeWindow"/> per node, its CPU the sum of theirs.
    /// </summary>
    public static async Task<WindowResult> RunAsync(
        LoadClient[] clients, TimeSpan duration, string label, string unit, IReadOnlyList<AppProcess> apps, Func<TimeSpan?>? serverCpu = null)
    {
        ArgumentNullException.ThrowIfNull(clients);
        ArgumentNullException.ThrowIfNull(apps);
        using var stop = new CancellationTokenSource();
        var appStart = apps.Select(a => a.Sample()).ToArray();
        var loadStart = ProcFs.Sample(Environment.ProcessId);
        var serverStart = serverCpu?.Invoke();
        var machineStart = ProcFs.Machine();
        var maxRss = appStart.Select(a => a?.RssKiB ?? 0).ToArray();
        var stopwatch = Stopwatch.StartNew();
        var tasks = clients.Select(c => Task.Run(() => c.RunAsync(stop.Token))).ToArray();
        var all = Task.WhenAll(tasks);

        long last = 0;
        var lastAt = TimeSpan.Zero;
        var lastApp = appStart;
        var lastLoad = loadStart;
        var lastServer = serverStart;
        var lastMachine = machineStart;
        for (var tick = 1; stopwatch.Elapsed < duration && !all.IsCompleted; tick++)
        {
            // Until the next whole second (or the end); at least 1 ms a wait, as shorter delays return at once.
            var target = TimeSpan.FromSeconds(Math.Min(tick, duration.TotalSeconds));
            while (stopwatch.Elapsed < target && !all.IsCompleted)
                await Task.WhenAny(all, Task.Delay(TimeSpan.FromMilliseconds(Math.Max(1, (target - stopwatch.Elapsed).TotalMilliseconds))));
            var now = stopwatch.Elapsed;
            var appNow = apps.Select(a => a.Sample()).ToArray();
            var loadNow = ProcFs.Sample(Environment.ProcessId);
            var serverNow = serverCpu?.Invoke();
            var machineNow = ProcFs.Machine();
            for (var i = 0; i < apps.Count; i++)
                maxRss[i] = Math.Max(maxRss[i], appNow[i]?.RssKiB ?? 0);
            var total = clients.Sum(c => c.Successes);
            var errors = clients.Sum(c => c.Errors);
            var seconds = (now - lastAt).TotalSeconds;
            var appCpu = string.Join('+', appNow.Select((a, i) => CoreShare(lastApp[i], a, seconds)));
            var appRss = string.Join('/', appNow.Select(a => a is { } s ? ProcFs.MiB(s.RssKiB) : "n/a"));
            var server = serverCpu is null ? "" : " db-cpu=" + Share(serverNow - lastServer, TimeSpan.FromSeconds(seconds));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{label}: t={now.TotalSeconds,5:F1}s {unit}={total,7} errors={errors} rate={(total - last) / seconds,7:F0}/s app-cpu={appCpu} loadgen-cpu={CoreShare(lastLoad, loadNow, seconds)}{server} steal={Percent(ProcFs.StealShare(lastMachine, machineNow))} app-rss={appRss}"));
            last = total;
            lastAt = now;
            lastApp = appNow;
            lastLoad = loadNow;
            lastServer = serverNow;
            lastMachine = machineNow;
            if (apps.FirstOrDefault(a => a.HasExited) is { } exited)
            {
                await stop.CancelAsync();
                throw new AppFailedException("the app exited during the run", exited);
            }
        }
        await stop.CancelAsync();
        await all;
        var elapsed = stopwatch.Elapsed;
        var appEnd = apps.Select(a => a.Sample()).ToArray();
        var loadEnd = ProcFs.Sample(Environment.ProcessId);
        var serverEnd = serverCpu?.Invoke();
        var machineEnd = ProcFs.Machine();

        var latencies = clients.SelectMany(c => c.LatenciesMs).Order().ToArray();
        var errorsByStatus = clients.SelectMany(c => c.ErrorsByStatus)
            .GroupBy(e => e.Key).ToDictionary(g => g.Key, g => g.Sum(e => e.Value));
        var nodes = apps.Select((app, i) =>
        {
            var own = clients.Where(c => c.Node == i).ToArray();
            return new NodeWindow(app.Pid, app.BaseAddress, own.Length, own.Sum(c => c.Successes), own.Sum(c => c.Errors),
                [.. own.SelectMany(c => c.LatenciesMs).Order()], CpuBetween(appStart[i], appEnd[i]), appEnd[i],
                Math.Max(maxRss[i], appEnd[i]?.RssKiB ?? 0));
        }).ToArray();
        var appsCpu = nodes.All(n => n.Cpu is not null) ? nodes.Aggregate(TimeSpan.Zero, (sum, n) => sum + n.Cpu!.Value) : (TimeSpan?)null;
        return new WindowResult(
            clients.Sum(c => c.Successes), clients.Sum(c => c.Errors), clients.Sum(c => c.Requests), elapsed, latencies, errorsByStatus,
            appsCpu, CpuBetween(loadStart, loadEnd), ProcFs.BusyShare(machineStart, machineEnd), appEnd[0], nodes.Max(n => n.MaxRssSampledKiB))
        {
            Nodes = nodes.Length > 1 ? nodes : [],
            ServerCpu = serverEnd - serverStart,
            MachineSteal = ProcFs.StealShare(machineStart, machineEnd),
        };
    }

    /// <summary>
    /// The end of a one-window scenario: FAILED on stderr when more than <see cref="MaxErrorRate"/> of the operations
    /// failed, then the last line <c>{label}/s=… p50-ms=… p95-ms=…</c>; the exit code (1 when failed).
    /// </summary>
    public static async Task<int> FinishAsync(WindowResult result, string unit, string label)
    {
        ArgumentNullException.ThrowIfNull(result);
        var failed = result.ErrorRate > MaxErrorRate;
        if (failed)
        {
            await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"FAILED: {result.Errors} of {result.Successes + result.Errors} {unit} failed ({result.ErrorRate:P2}, limit {MaxErrorRate:P0})."));
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{label}/s={result.Rate:F0} p50-ms={result.P(0.50):F2} p95-ms={result.P(0.95):F2}"));
        return failed ? 1 : 0;
    }

    /// <summary>The summary lines every load scenario prints before its last line.</summary>
    public static void Report(WindowResult r, string unit, int pid)
    {
        var cores = Environment.ProcessorCount;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"http: {r.Successes} {unit}, {r.Errors} errors ({r.ErrorRate:P2}) in {r.Elapsed.TotalSeconds:F2} s: {r.Rate:F0} {unit}/s, {r.RequestRate:F0} requests/s"));
        foreach (var (status, count) in r.ErrorsByStatus.OrderBy(e => e.Key))
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"http: {count} x {(status == 0 ? "no answer" : ((int)status).ToString(CultureInfo.InvariantCulture))}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"latency: p50={r.P(0.50):F2} ms p95={r.P(0.95):F2} ms p99={r.P(0.99):F2} ms max={r.P(1):F2} ms"));
        if (r.Nodes.Count == 0)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"app (pid {pid}): {CpuPerOp(r.AppCpu, r.Successes, unit)}, {Share(r.AppCpu, r.Elapsed)} of {cores} cores; rss at end {(r.AppAtEnd is { } end ? ProcFs.MiB(end.RssKiB) : "n/a")}, peak {(r.AppAtEnd is { } peak ? ProcFs.MiB(peak.PeakRssKiB) : "n/a")} (VmHWM since start), {ProcFs.MiB(r.AppMaxRssSampledKiB)} highest sampled in this window"));
        }
        else
        {
            for (var i = 0; i < r.Nodes.Count; i++)
            {
                var n = r.Nodes[i];
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"node {i + 1} (pid {n.Pid}, {n.BaseAddress}, {n.Clients} clients): {n.Successes} {unit}, {n.Errors} errors: {n.Successes / r.Elapsed.TotalSeconds:F0} {unit}/s; p50={n.P(0.50):F2} ms p95={n.P(0.95):F2} ms p99={n.P(0.99):F2} ms; {CpuPerOp(n.Cpu, n.Successes, unit)}, {Share(n.Cpu, r.Elapsed)} of {cores} cores; rss at end {(n.AtEnd is { } end ? ProcFs.MiB(end.RssKiB) : "n/a")}, peak {(n.AtEnd is { } peak ? ProcFs.MiB(peak.PeakRssKiB) : "n/a")}"));
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"apps ({r.Nodes.Count} nodes together): {CpuPerOp(r.AppCpu, r.Successes, unit)}, {Share(r.AppCpu, r.Elapsed)} of {cores} cores"));
        }
        if (r.ServerCpu is { } server)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"database server (postmaster and backends): {CpuPerOp(server, r.Successes, unit)}, {Share(server, r.Elapsed)} of {cores} cores"));
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"load generator (pid {Environment.ProcessId}): {CpuPerOp(r.LoadGeneratorCpu, r.Successes, unit)}, {Share(r.LoadGeneratorCpu, r.Elapsed)} of {cores} cores"));
        if (r.MachineBusy is { } busy)
        {
            var others = busy - (Fraction(r.AppCpu, r.Elapsed) ?? 0) - (Fraction(r.LoadGeneratorCpu, r.Elapsed) ?? 0) - (Fraction(r.ServerCpu, r.Elapsed) ?? 0);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"machine: {busy:P0} of {cores} cores busy; other processes about {Math.Max(0, others):P0}; taken by the hypervisor (steal) {Percent(r.MachineSteal)}"));
        }
        if (r.MemoryReadNs is { } memory)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"memory: a random read in 4 MiB took {memory.Before:F0} ns just before the window, {memory.After:F0} ns just after (one thread, no load)"));
        }
    }

    public static string CpuPerOp(TimeSpan? cpu, long operations, string unit)
    {
        var singular = unit.EndsWith('s') ? unit[..^1] : unit;
        return cpu is { } c
            ? string.Create(CultureInfo.InvariantCulture, $"cpu {(operations == 0 ? 0 : c.TotalMilliseconds / operations):F3} ms/{singular}")
            : "cpu n/a";
    }

    /// <summary>A share as "12 %", or "n/a".</summary>
    private static string Percent(double? share) =>
        share is { } f ? string.Create(CultureInfo.InvariantCulture, $"{f:P0}") : "n/a";

    /// <summary>The share of all cores a CPU time over a wall-clock time is, e.g. "85 %".</summary>
    public static string Share(TimeSpan? cpu, TimeSpan elapsed) => Percent(Fraction(cpu, elapsed));

    private static double? Fraction(TimeSpan? cpu, TimeSpan elapsed) =>
        cpu is { } c && elapsed > TimeSpan.Zero ? c.TotalSeconds / elapsed.TotalSeconds / Environment.ProcessorCount : null;

    private static TimeSpan? CpuBetween(ProcessSample? from, ProcessSample? to) =>
        from is { } a && to is { } b ? b.Cpu - a.Cpu : null;

    private static string CoreShare(ProcessSample? from, ProcessSample? to, double seconds) =>
        Share(CpuBetween(from, to), TimeSpan.FromSeconds(seconds));

    public static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}
