using Microsoft.Extensions.Options;
using RestorationWorkflow.Web.Features.Portfolio;

namespace RestorationWorkflow.IntegrationTests.Portfolio;

/// <summary>
/// How the dashboard cache computes a miss (decision 0052): readers missing on one key at once share one computation;
/// no more computations run at once than <see cref="PortfolioOptions.Computations"/>; a reader waiting on another's
/// computation computes itself when that one is cancelled.
/// </summary>
public sealed class PortfolioComputationTests
{
    private static readonly PortfolioCacheKey Key = new("all", new PortfolioFilter(null, null, null, null), new DateOnly(2026, 11, 27), new PortfolioStamp(42, 0));

    private static PortfolioFigures Figures(int projects) => new(projects, 0m, 0m, [], [], [], [], [], [], []);

    private static PortfolioCache Cache(int entries, int computations) =>
        new(Options.Create(new PortfolioOptions { CacheEntries = entries, Computations = computations }));

    [Fact]
    public async Task Readers_missing_on_one_key_at_once_share_one_computation()
    {
        using var cache = Cache(entries: 16, computations: 4);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var computed = 0;
        async Task<PortfolioFigures> Compute()
        {
            Interlocked.Increment(ref computed);
            await release.Task;
            return Figures(7);
        }

        var first = cache.GetOrComputeAsync(Key, Compute);
        var others = Enumerable.Range(0, 3).Select(_ => cache.GetOrComputeAsync(Key, Compute)).ToList();
        await Task.Delay(50);
        Assert.Equal(1, computed);
        release.SetResult();
        var figures = await Task.WhenAll([first, .. others]);

        Assert.Equal(1, computed);
        Assert.All(figures, f => Assert.Same(figures[0], f));
        Assert.Equal((1L, 3L, 0L), (cache.Misses, cache.Shared, cache.Hits));
        Assert.Same(figures[0], await cache.GetOrComputeAsync(Key, Compute));
        Assert.Equal(1L, cache.Hits);
    }

    [Fact]
    public async Task No_more_dashboards_are_computed_at_once_than_the_limit_and_every_one_is_computed_in_its_turn()
    {
        using var cache = Cache(entries: 0, computations: 2);
        Assert.Equal(2, cache.Computations);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var (running, most, computed) = (0, 0, 0);
        var sync = new object();
        async Task<PortfolioFigures> Compute()
        {
            lock (sync)
            {
                running++;
                computed++;
                most = Math.Max(most, running);
            }
            await release.Task;
            await Task.Yield();
            lock (sync)
                running--;
            return Figures(1);
        }

        var readers = Enumerable.Range(0, 5).Select(_ => cache.GetOrComputeAsync(null, Compute)).ToList();
        await Task.Delay(50);
        lock (sync)
            Assert.Equal((2, 2), (running, computed));
        release.SetResult();
        await Task.WhenAll(readers);

        Assert.Equal((2, 5), (most, computed));
        Assert.Equal(5L, cache.Misses);
    }

    [Fact]
    public async Task A_reader_waiting_on_a_computation_its_reader_abandons_computes_itself()
    {
        using var cache = Cache(entries: 16, computations: 2);
        using var gone = new CancellationTokenSource();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        async Task<PortfolioFigures> Abandoned()
        {
            started.SetResult();
            await Task.Delay(Timeout.Infinite, gone.Token);
            return Figures(0);
        }

        var first = cache.GetOrComputeAsync(Key, Abandoned, gone.Token);
        await started.Task;
        var second = cache.GetOrComputeAsync(Key, () => Task.FromResult(Figures(3)));
        await Task.Delay(50);
        Assert.False(second.IsCompleted);
        await gone.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        Assert.Equal(3, (await second).Projects);
        Assert.Equal((2L, 0L), (cache.Misses, cache.Shared));
    }

    [Fact]
    public void The_default_is_one_computation_per_processor() =>
        Assert.Equal(Environment.ProcessorCount, Cache(entries: 16, computations: 0).Computations);
}
