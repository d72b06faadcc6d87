using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.Data;
using RestorationWorkflow.Identity;
using RestorationWorkflow.Web.Infrastructure.Persistence;

namespace RestorationWorkflow.Benchmarks;

/// <summary>
/// <c>queries</c>: what one execution of a compiled EF Core query costs in this process, with EF Core's own
/// liftable-constant processor and with the app's (<c>CreateQueryDelegatesOnce</c>, decision 0067), in turn. No app and
/// no HTTP: a temp SQLite file with the app's model and migrations, one user row, and one context per processor with its
/// connection held open; the query reads that row by its key, untracked. Each round runs each processor's query
/// <c>--executions</c> times on this thread, after a warm-up of the same length (tiered JIT). Reported per execution:
/// microseconds and bytes allocated (the process's, precise). Last line:
/// <c>query-us ef-core=N app=M bytes ef-core=A app=B</c> (medians of the rounds).
/// </summary>
internal static class QueryBenchmark
{
    private const string UserId = "queries-benchmark-user";

    // One compiled query per processor: each context's options build their own model, and a compiled query compiles again
    // whenever it meets another model.
    private static readonly Func<AppDbContext, string, CancellationToken, Task<AppUser?>> WithEfCoreProcessor = ByKey();
    private static readonly Func<AppDbContext, string, CancellationToken, Task<AppUser?>> WithAppProcessor = ByKey();

    private static Func<AppDbContext, string, CancellationToken, Task<AppUser?>> ByKey() =>
        EF.CompileAsyncQuery((AppDbContext c, string id, CancellationToken _) => c.Users.AsNoTracking().FirstOrDefault(u => u.Id == id));

    public static async Task<int> RunAsync(int executions, int rounds)
    {
        var folder = Path.Combine(Path.GetTempPath(), "rw-queries-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var connection = $"Data Source={Path.Combine(folder, "queries.db")};Pooling=False";
        try
        {
            await using (var setup = Create(connection, appProcessor: true))
            {
                await setup.Database.MigrateAsync();
                setup.Users.Add(new AppUser
                {
                    Id = UserId, UserName = "queries@example.org", NormalizedUserName = "QUERIES@EXAMPLE.ORG",
                    Email = "queries@example.org", NormalizedEmail = "QUERIES@EXAMPLE.ORG", DisplayName = "Queries benchmark",
                    CreatedAt = DateTimeOffset.UnixEpoch,
                });
                await setup.SaveChangesAsync();
            }

            await using var efCore = Create(connection, appProcessor: false);
            await using var app = Create(connection, appProcessor: true);
            await efCore.Database.OpenConnectionAsync();
            await app.Database.OpenConnectionAsync();
            Console.WriteLine($"queries: a user row by its key, untracked; {rounds} rounds of {executions:N0} executions per processor, each after a warm-up as long");

            var results = new Dictionary<string, List<(double Micros, double Bytes)>> { ["ef-core"] = [], ["app"] = [] };
            for (var round = 1; round <= rounds; round++)
            {
                foreach (var (name, db, query) in new[] { ("ef-core", efCore, WithEfCoreProcessor), ("app", app, WithAppProcessor) })
                {
                    await TimeAsync(db, query, executions);
                    var (micros, bytes) = await TimeAsync(db, query, executions);
                    results[name].Add((micros, bytes));
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  round {round}, {name}: {micros:F2} µs and {bytes:F0} bytes per execution"));
                }
            }

            static double Median(IEnumerable<double> values)
            {
                var sorted = values.Order().ToList();
                return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"query-us ef-core={Median(results["ef-core"].Select(r => r.Micros)):F2} app={Median(results["app"].Select(r => r.Micros)):F2} "
                + $"bytes ef-core={Median(results["ef-core"].Select(r => r.Bytes)):F0} app={Median(results["app"].Select(r => r.Bytes)):F0}"));
            return 0;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static AppDbContext Create(string connection, bool appProcessor)
    {
        var options = new DbContextOptionsBuilder<AppDbContext>()
            .UseSqlite(connection, o => o.MigrationsAssembly(PersistenceExtensions.SqliteMigrationsAssembly));
        if (appProcessor)
            options.CreateQueryDelegatesOnce();
        return new AppDbContext(options.Options);
    }

    /// <summary>Runs the query <paramref name="executions"/> times; microseconds and bytes allocated per execution.</summary>
    private static async Task<(double Micros, double Bytes)> TimeAsync(
        AppDbContext db, Func<AppDbContext, string, CancellationToken, Task<AppUser?>> query, int executions)
    {
        var bytes = GC.GetTotalAllocatedBytes(precise: true);
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < executions; i++)
        {
            if (await query(db, UserId, CancellationToken.None) is null)
                throw new InvalidOperationException("The benchmark's user row was not read.");
        }
        watch.Stop();
        return (watch.Elapsed.TotalMicroseconds / executions, (double)(GC.GetTotalAllocatedBytes(precise: true) - bytes) / executions);
    }
}
