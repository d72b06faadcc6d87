using System.Diagnostics;

namespace RestorationWorkflow.Benchmarks;

/// <summary>
/// How fast this machine's memory answers now: the mean time of one dependent random read in a 4 MiB array (one
/// thread, a single cycle through every element, so each read waits for the one before). On the VM we measure on,
/// the same build's CPU per transition varied 2.6 times from one minute to the next while the hypervisor took little
/// (steal 0–12 %) and SHA-256 ran at one speed; this probe read under 65 ns in the fast minutes measured and over
/// 90 ns in the slow ones (docs/performance.md). It is printed
/// before and after each measured window so that runs can be compared under like conditions.
/// </summary>
internal static class MemoryProbe
{
    private const int Elements = 1 << 20; // 4 MiB of int
    private const int Reads = 1_000_000;

    /// <summary>Built, and walked once unmeasured, on first use: the measured walks all run the JIT's optimized loop.</summary>
    private static readonly Lazy<int[]> Cycle = new(() =>
    {
        var next = Build();
        Walk(next);
        return next;
    });

    /// <summary>Nanoseconds per read (about 0.05–0.3 s in all).</summary>
    public static double NanosecondsPerRead()
    {
        var next = Cycle.Value;
        var clock = Stopwatch.StartNew();
        Walk(next);
        clock.Stop();
        return clock.Elapsed.TotalNanoseconds / Reads;
    }

    private static void Walk(int[] next)
    {
        var at = 0;
        for (var i = 0; i < Reads; i++)
            at = next[at];
        GC.KeepAlive(at);
    }

    /// <summary>Sattolo's shuffle: one cycle through all elements, from a fixed seed.</summary>
    private static int[] Build()
    {
        var next = new int[Elements];
        for (var i = 0; i < Elements; i++)
            next[i] = i;
        var random = new Random(42);
        for (var i = Elements - 1; i > 0; i--)
        {
            var j = random.Next(i);
            (next[i], next[j]) = (next[j], next[i]);
        }
        return next;
    }
}
