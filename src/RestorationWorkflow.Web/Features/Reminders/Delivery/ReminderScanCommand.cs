using System.Diagnostics;
using System.Globalization;

namespace RestorationWorkflow.Web.Features.Reminders.Delivery;

/// <summary>
/// <c>dotnet RestorationWorkflow.Web.dll scan-reminders</c>: runs one reminder scan in this process against the
/// configured database and exits, printing what it did, how long it took and the peak of the managed heap (sampled
/// every 5 ms). For operators (a scan now, without waiting for the schedule) and for the <c>reminders</c> benchmark.
/// The delivery jobs it enqueues go to the configured job storage: with the in-memory storage they leave with this
/// process, and a running node's scan enqueues those e-mails again after <c>Reminders:ReenqueueAfterMinutes</c>.
/// </summary>
public static class ReminderScanCommand
{
    public const string Name = "scan-reminders";

    public static bool IsInvoked(string[] args) => args is [Name, ..];

    /// <summary>Arguments for the web host: the command's own are removed.</summary>
    public static string[] HostArgs(string[] args) => IsInvoked(args) ? [] : args;

    public static async Task<int> RunAsync(IServiceProvider services, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(output);
        long peak = GC.GetTotalMemory(forceFullCollection: true);
        var baseline = peak;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(5));
            while (await timer.WaitForNextTickAsync(sampling.Token).ConfigureAwait(false))
                Interlocked.Exchange(ref peak, Math.Max(Interlocked.Read(ref peak), GC.GetTotalMemory(forceFullCollection: false)));
        });
        var started = Stopwatch.StartNew();
        ReminderScanResult result;
        await using (var scope = services.CreateAsyncScope())
            result = await scope.ServiceProvider.GetRequiredService<ReminderScan>().ScanAsync(CancellationToken.None);
        var elapsed = started.Elapsed;
        await sampling.CancelAsync();
        try
        {
            await sampler;
        }
        catch (OperationCanceledException)
        {
            // The sampler stops here.
        }
        var finalPeak = Math.Max(Interlocked.Read(ref peak), GC.GetTotalMemory(forceFullCollection: false));
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"scan-reminders: {result.Backfilled} projects' due items planned first, {result.ItemsRead} due items read, {result.Reminders} reminders, {result.Notifications} notifications, {result.Emails} e-mails ({result.Enqueued} enqueued, {result.Reenqueued} re-enqueued), {result.Conflicts} taken by another scan; reading {result.Reading.TotalSeconds:F2} s, writing {result.Writing.TotalSeconds:F2} s, enqueuing {result.Enqueuing.TotalSeconds:F2} s"));
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"scan-seconds={elapsed.TotalSeconds:F2} peak-managed-mb={finalPeak / 1048576.0:F1} baseline-managed-mb={baseline / 1048576.0:F1} allocated-mb={GC.GetTotalAllocatedBytes() / 1048576.0:F0}"));
        return 0;
    }
}
