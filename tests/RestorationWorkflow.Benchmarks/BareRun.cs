using System.Diagnostics;
using System.Globalization;

namespace RestorationWorkflow.Benchmarks;

/// <summary>
/// One client of a bare-commit baseline (<see cref="BareSqliteBenchmark"/>, <see cref="BarePostgresBenchmark"/>): its
/// own connection and prepared commands, committing until told to stop, counting commits and errors.
/// </summary>
internal abstract class BareWorker
{
    public long Commits;
    public long Errors;

    public string? LastError { get; protected set; }

    public void Reset()
    {
        Commits = 0;
        Errors = 0;
        LastError = null;
    }

    /// <summary>Commits one state change after another until <paramref name="stop"/>, on the calling thread.</summary>
    public abstract void Run(CancellationToken stop);
}

/// <summary>How both bare baselines run their workers: a short warm-up, then the measured window, a line per second.</summary>
internal static class BareRun
{
    public sealed record Result(long Commits, long Errors, TimeSpan Elapsed, TimeSpan Cpu);

    /// <summary>
    /// A warm-up of at most 2 s (little to compile here: it settles the connections and the database's caches), then
    /// <see cref="LoadSettings.Seconds"/> measured. Dedicated threads and synchronous calls: one commit in flight per client.
    /// </summary>
    public static Result WarmUpAndMeasure(IReadOnlyList<BareWorker> workers, LoadSettings settings, string threadName)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var warmup = Math.Min(settings.WarmupSeconds, 2);
        if (warmup > 0)
        {
            var warm = For(workers, TimeSpan.FromSeconds(warmup), "bare warm-up", threadName);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"bare warm-up: {warm.Commits} commits in {warm.Elapsed.TotalSeconds:F2} s (not counted)"));
        }
        return For(workers, TimeSpan.FromSeconds(settings.Seconds), "bare", threadName);
    }

    private static Result For(IReadOnlyList<BareWorker> workers, TimeSpan duration, string label, string threadName)
    {
        foreach (var worker in workers)
            worker.Reset();
        using var stop = new CancellationTokenSource();
        var cpu = CpuTime();
        var stopwatch = Stopwatch.StartNew();
        var threads = workers.Select(w => new Thread(() => w.Run(stop.Token)) { IsBackground = true, Name = threadName }).ToArray();
        foreach (var thread in threads)
            thread.Start();
        long last = 0;
        var lastAt = TimeSpan.Zero;
        for (var tick = 1; stopwatch.Elapsed < duration; tick++)
        {
            // Until the next whole second (or the end); at least 1 ms a sleep, as shorter sleeps return at once.
            var target = TimeSpan.FromSeconds(Math.Min(tick, duration.TotalSeconds));
            while (stopwatch.Elapsed < target)
                Thread.Sleep(TimeSpan.FromMilliseconds(Math.Max(1, (target - stopwatch.Elapsed).TotalMilliseconds)));
            var now = stopwatch.Elapsed;
            var total = workers.Sum(w => Volatile.Read(ref w.Commits));
            var errors = workers.Sum(w => Volatile.Read(ref w.Errors));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{label}: t={now.TotalSeconds,5:F1}s commits={total,7} errors={errors} rate={(total - last) / (now - lastAt).TotalSeconds,7:F0}/s"));
            last = total;
            lastAt = now;
        }
        stop.Cancel();
        foreach (var thread in threads)
            thread.Join();
        var elapsed = stopwatch.Elapsed;
        cpu = CpuTime() - cpu;
        foreach (var worker in workers.Where(w => w.LastError is not null))
            Console.WriteLine($"{label}: error {worker.LastError}");
        return new Result(workers.Sum(w => w.Commits), workers.Sum(w => w.Errors), elapsed, cpu);
    }

    /// <summary>CPU time of this process (the bare clients; the apps have stopped).</summary>
    private static TimeSpan CpuTime()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }
}
