using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using RestorationWorkflow.IntegrationTests.Infrastructure;
using RestorationWorkflow.Web.Infrastructure;

namespace RestorationWorkflow.IntegrationTests.Platform;

/// <summary>
/// glibc's malloc, tuned by the app (decision 0058): one arena per core, and the free memory inside the arenas given
/// back to the system every <c>NativeHeap:TrimSeconds</c>.
/// </summary>
public sealed class NativeHeapTests
{
    [Fact]
    public void TheTestMachine_RunsOnGlibc() =>
        // Debian, as CI: the tests below would prove nothing on another C library.
        Assert.True(NativeHeap.IsGlibc, "libc.so.6 (glibc) was not found: the native-heap tests need glibc");

    [Fact]
    public void Trim_GivesTheFreeMemoryBetweenBlocksInUseBackToTheSystem()
    {
        // 64 MiB in blocks of 32 KiB (below glibc's mmap threshold, so they come from an arena), every page written;
        // then every block freed but one in sixteen, so the free space lies between blocks in use, where free() alone
        // never gives it back. The test hosts of this process do not trim (AppFactory sets NativeHeap:TrimSeconds 0),
        // so only this test's trim can release those pages. mincore() tells which of them are resident: the process's
        // RssAnon is shared with every test running meanwhile.
        const int blockSize = 32 * 1024;
        const int blocks = 2048;
        var kept = new List<IntPtr>();
        var freed = new List<IntPtr>();
        var ones = Enumerable.Repeat((byte)1, blockSize).ToArray();
        var all = new IntPtr[blocks];
        for (var i = 0; i < blocks; i++)
        {
            all[i] = Marshal.AllocHGlobal(blockSize);
            Marshal.Copy(ones, 0, all[i], blockSize);
        }
        try
        {
            for (var i = 0; i < blocks; i++)
            {
                if (i % 16 == 15)
                {
                    kept.Add(all[i]);
                }
                else
                {
                    Marshal.FreeHGlobal(all[i]);
                    freed.Add(all[i]);
                }
            }
            var (before, pages) = ResidentPages(freed, blockSize);
            NativeHeap.Trim();
            var (after, _) = ResidentPages(freed, blockSize);

            // Freed, the pages stay resident; trimmed, they are gone, but for the few that other threads of this
            // process allocated again in the meantime.
            Assert.True(before >= pages * 8 / 10, $"Only {before} of the {pages} freed pages were resident before the trim");
            Assert.True(after <= pages / 5, $"{after} of the {pages} freed pages were still resident after the trim ({before} before)");
        }
        finally
        {
            foreach (var block in kept)
                Marshal.FreeHGlobal(block);
        }
    }

    [Fact]
    public void LimitArenas_SetsOnePerCore_AtLeastTwo()
    {
        Assert.Equal(2, NativeHeap.ArenaLimit(1));
        Assert.Equal(2, NativeHeap.ArenaLimit(2));
        Assert.Equal(16, NativeHeap.ArenaLimit(16));

        // glibc takes the setting (mallopt answers 1); this process is the one limited.
        var limit = NativeHeap.LimitArenas(_ => null, 2);
        Assert.Equal(new NativeHeapLimit(NativeHeapLimitKind.Limited, 2), limit);
        Assert.Equal("glibc malloc limited to 2 arenas (MALLOC_ARENA_MAX overrides)", limit.Describe());
    }

    [Fact]
    public void LimitArenas_LeavesAnOperatorsMallocArenaMaxAlone()
    {
        var limit = NativeHeap.LimitArenas(name => name == "MALLOC_ARENA_MAX" ? "8" : null, 2);

        Assert.Equal(NativeHeapLimitKind.SetByEnvironment, limit.Kind);
        Assert.Null(limit.Arenas);
    }

    [Theory]
    [InlineData(null, 10)]
    [InlineData("", 10)]
    [InlineData("0", 0)]
    [InlineData(" 30 ", 30)]
    [InlineData("3600", 3600)]
    public void TrimSeconds_IsReadInRange(string? value, int expected) =>
        Assert.Equal(expected, NativeHeapOptions.Read(Configuration(value)).TrimSeconds);

    [Theory]
    [InlineData("-1")]
    [InlineData("3601")]
    [InlineData("10s")]
    [InlineData("1.5")]
    public void A_TrimSeconds_OutOfRange_StopsStartUpNamingTheSetting(string value)
    {
        var error = Assert.Throws<StartupException>(() => NativeHeapOptions.Read(Configuration(value)));

        Assert.Contains("NativeHeap:TrimSeconds", error.Message, StringComparison.Ordinal);
        Assert.Contains(value, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheTrimmer_TrimsOnEveryTick_AndNeverWhenSetToZero()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-27T12:00:00Z", CultureInfo.InvariantCulture));
        var trims = 0;
        var offTrims = 0;
        using var trimmer = new NativeHeapTrimmer(new NativeHeapOptions { TrimSeconds = 10 }, time, NullLogger<NativeHeapTrimmer>.Instance, () => Interlocked.Increment(ref trims) > 0);
        using var off = new NativeHeapTrimmer(new NativeHeapOptions { TrimSeconds = 0 }, time, NullLogger<NativeHeapTrimmer>.Instance, () => Interlocked.Increment(ref offTrims) > 0);
        await trimmer.StartAsync(CancellationToken.None);
        await off.StartAsync(CancellationToken.None);

        time.Advance(TimeSpan.FromSeconds(9));
        await Task.Delay(50);
        Assert.Equal(0, Volatile.Read(ref trims));
        for (var tick = 1; tick <= 3; tick++)
        {
            time.Advance(TimeSpan.FromSeconds(tick == 1 ? 1 : 10));
            await WaitForAsync(() => Volatile.Read(ref trims) == tick, $"trim {tick}");
        }

        Assert.Equal(0, Volatile.Read(ref offTrims));
        Assert.True(off.ExecuteTask?.IsCompleted, "With NativeHeap:TrimSeconds 0 the trimmer does not run");
        await trimmer.StopAsync(CancellationToken.None);
        await off.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task TheApp_RunsTheTrimmer_WithTheConfiguredInterval()
    {
        // An hour: this host runs its trimmer but does not trim while the test above measures.
        await using var factory = new HourlyTrimApp();
        var options = factory.Services.GetRequiredService<NativeHeapOptions>();
        var hosted = factory.Services.GetServices<IHostedService>().OfType<NativeHeapTrimmer>().Single();

        Assert.Equal(3600, options.TrimSeconds);
        Assert.Same(factory.Services.GetRequiredService<NativeHeapTrimmer>(), hosted);
        Assert.False(hosted.ExecuteTask?.IsCompleted ?? true, "The app's trimmer is not running");
    }

    private sealed class HourlyTrimApp : AppFactory
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["NativeHeap:TrimSeconds"] = "3600" };
    }

    private static IConfiguration Configuration(string? trimSeconds) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["NativeHeap:TrimSeconds"] = trimSeconds }).Build();

    /// <summary>
    /// The pages wholly inside the <paramref name="blocks"/> (past the first 64 bytes, where glibc keeps a free chunk's
    /// header) that are resident, and how many pages there are.
    /// </summary>
    private static (int Resident, int Pages) ResidentPages(IEnumerable<IntPtr> blocks, int blockSize)
    {
        var page = (nint)Environment.SystemPageSize;
        var resident = 0;
        var pages = 0;
        foreach (var block in blocks)
        {
            var start = (block + 64 + page - 1) & ~(page - 1);
            var end = (block + blockSize) & ~(page - 1);
            if (end <= start)
                continue;
            var vector = new byte[(end - start) / page];
            Assert.True(Mincore(start, (nuint)(end - start), vector) == 0, $"mincore failed: {Marshal.GetLastPInvokeError()}");
            pages += vector.Length;
            resident += vector.Count(b => (b & 1) != 0);
        }
        return (resident, pages);
    }

    [DllImport("libc.so.6", EntryPoint = "mincore", SetLastError = true)]
    private static extern int Mincore(IntPtr address, nuint length, byte[] vector);

    private static async Task WaitForAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for {what}");
            await Task.Delay(10);
        }
    }
}
