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
        // 64 MiB in blocks of 32 KiB (below glibc's mmap threshold, so they come from an arena), every page touched;
        // then every block freed but one in sixteen, so the free space lies between blocks in use, where free() alone
        // never gives it back.
        const int blockSize = 32 * 1024;
        const int blocks = 2048;
        var kept = new List<IntPtr>();
        var all = new IntPtr[blocks];
        var ones = Enumerable.Repeat((byte)1, blockSize).ToArray();
        for (var i = 0; i < blocks; i++)
        {
            all[i] = Marshal.AllocHGlobal(blockSize);
            Marshal.Copy(ones, 0, all[i], blockSize);
        }
        for (var i = 0; i < blocks; i++)
        {
            if (i % 16 == 15)
                kept.Add(all[i]);
            else
                Marshal.FreeHGlobal(all[i]);
        }
        try
        {
            var before = RssAnonKiB();
            NativeHeap.Trim();
            var after = RssAnonKiB();

            // About 60 MiB were free; other tests of this process allocate meanwhile, so half of it is the bar.
            Assert.True(before - after >= 30 * 1024, $"RssAnon went from {before} KiB to {after} KiB: the trim gave back less than 30 MiB");
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
        using var trimmer = new NativeHeapTrimmer(new NativeHeapOptions { TrimSeconds = 10 }, time, NullLogger<NativeHeapTrimmer>.Instance);
        using var off = new NativeHeapTrimmer(new NativeHeapOptions { TrimSeconds = 0 }, time, NullLogger<NativeHeapTrimmer>.Instance);
        await trimmer.StartAsync(CancellationToken.None);
        await off.StartAsync(CancellationToken.None);

        time.Advance(TimeSpan.FromSeconds(9));
        await Task.Delay(50);
        Assert.Equal(0, trimmer.Trims);
        for (var tick = 1; tick <= 3; tick++)
        {
            time.Advance(TimeSpan.FromSeconds(tick == 1 ? 1 : 10));
            await WaitForAsync(() => trimmer.Trims == tick, $"trim {tick}");
        }

        Assert.Equal(0, off.Trims);
        Assert.True(off.ExecuteTask?.IsCompleted, "With NativeHeap:TrimSeconds 0 the trimmer does not run");
        await trimmer.StopAsync(CancellationToken.None);
        await off.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task TheApp_RunsTheTrimmer_WithTheConfiguredInterval()
    {
        await using var factory = new AppFactory();
        var options = factory.Services.GetRequiredService<NativeHeapOptions>();
        var hosted = factory.Services.GetServices<IHostedService>().OfType<NativeHeapTrimmer>().Single();

        Assert.Equal(10, options.TrimSeconds);
        Assert.Same(factory.Services.GetRequiredService<NativeHeapTrimmer>(), hosted);
        Assert.False(hosted.ExecuteTask?.IsCompleted ?? true, "The app's trimmer is not running");
    }

    private static IConfiguration Configuration(string? trimSeconds) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["NativeHeap:TrimSeconds"] = trimSeconds }).Build();

    private static long RssAnonKiB()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("RssAnon:", StringComparison.Ordinal))
                return long.Parse(line["RssAnon:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        }
        throw new InvalidOperationException("/proc/self/status has no RssAnon line");
    }

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
