using System.Diagnostics;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using RestorationWorkflow.IntegrationTests.Infrastructure;
using RestorationWorkflow.Web.Features.Reminders.Delivery;

namespace RestorationWorkflow.IntegrationTests.MultiNode;

/// <summary>
/// A recurring job runs once per occurrence across the cluster (issue 21, decision 0041): two nodes, each with its own
/// Hangfire server (workers and recurring-job scheduler) on the shared PostgreSQL job storage, register the same
/// reminder scan; each occurrence is enqueued and run by one of them.
/// </summary>
public sealed class RecurringJobAcrossNodesTests
{
    /// <summary>Every 5 s (Hangfire reads a six-field cron with seconds), so a few occurrences pass in a short test.</summary>
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(5);

    [PostgresFact]
    public async Task TheRecurringScan_WithAServerOnEachOfTwoNodes_RunsOncePerOccurrence()
    {
        var database = PostgresCluster.Shared.CreateDatabase();
        await using var a = new ServerNode { PostgreSql = database };
        await using var b = new ServerNode { PostgreSql = database };
        await Task.WhenAll(Task.Run(() => a.Server), Task.Run(() => b.Server));
        // Each Hangfire server announces itself in the background once started: wait for both (at most 15 s).
        var servers = await ScalarAsync(database, "SELECT count(*) FROM hangfire.server");
        for (var i = 0; i < 150 && servers < 2; i++)
        {
            await Task.Delay(100);
            servers = await ScalarAsync(database, "SELECT count(*) FROM hangfire.server");
        }
        Assert.Equal(2, servers);

        // Eight periods counted from a moment both nodes are up; then no more occurrences, and every job enqueued by
        // then is left to finish.
        var from = DateTime.UtcNow;
        await Task.Delay(Period * 8);
        var to = DateTime.UtcNow;
        a.Services.GetRequiredService<IRecurringJobManager>().RemoveIfExists(RemindersFeature.ScanJobId);
        var watch = Stopwatch.StartNew();
        while (await ScalarAsync(database, ScanJobs + " AND j.statename <> 'Succeeded'") > 0 && watch.Elapsed < TimeSpan.FromSeconds(60))
            await Task.Delay(250);

        var all = await ScanJobsAsync(database);
        Assert.All(all, job => Assert.Equal("Succeeded", job.State));
        // One job per occurrence: the jobs created in the window are no more than the occurrences that could have
        // produced them — those in the window and up to two periods before it (a node under load enqueues late;
        // a late node finding several missed occurrences enqueues one). Two nodes each enqueuing every occurrence
        // would create about twice as many.
        var jobs = all.Where(j => j.CreatedAt >= from && j.CreatedAt <= to).ToList();
        var occurrences = Occurrences(from - Period * 2, to);
        Assert.True(jobs.Count >= 4, $"Only {jobs.Count} scan(s) ran in {Period * 8}.");
        Assert.True(jobs.Count <= occurrences,
            $"{jobs.Count} scans for {occurrences} occurrences, created at {string.Join(", ", jobs.Select(j => j.CreatedAt.ToString("HH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture)))}.");
    }

    /// <summary>How many multiples of <see cref="Period"/> fall in (<paramref name="after"/>, <paramref name="until"/>].</summary>
    private static long Occurrences(DateTime after, DateTime until) => (until.Ticks / Period.Ticks) - (after.Ticks / Period.Ticks);

    private const string ScanJobs = "SELECT count(*) FROM hangfire.job j WHERE j.invocationdata::text LIKE '%ReminderScan%'";

    private static async Task<long> ScalarAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<List<(DateTime CreatedAt, string State)>> ScanJobsAsync(string database)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT j.createdat, j.statename FROM hangfire.job j WHERE j.invocationdata::text LIKE '%ReminderScan%' ORDER BY j.createdat", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var jobs = new List<(DateTime, string)>();
        while (await reader.ReadAsync())
            jobs.Add((reader.GetDateTime(0), reader.IsDBNull(1) ? "" : reader.GetString(1)));
        return jobs;
    }

    /// <summary>A node with Hangfire's background server on (the other tests run jobs themselves), polling every second.</summary>
    private sealed class ServerNode : AppFactory
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Reminders:RunServer"] = "true",
            ["Reminders:ScanCron"] = "*/5 * * * * *",
            ["Reminders:PollSeconds"] = "1",
        };
    }
}
