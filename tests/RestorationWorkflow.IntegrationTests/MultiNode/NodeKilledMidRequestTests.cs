using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using RestorationWorkflow.IntegrationTests.Infrastructure;

namespace RestorationWorkflow.IntegrationTests.MultiNode;

/// <summary>
/// A node killed (SIGKILL) in the middle of a write leaves nothing half-written (issue 21, decision 0041): the killed
/// node is the built app as a real child process on the same PostgreSQL database as an in-process node B.
/// </summary>
public sealed class NodeKilledMidRequestTests
{
    private const int Rows = 400;
    private const string KilledNode = "rw-killed-node";

    /// <summary>
    /// The test holds <c>LOCK TABLE "AuditEvents" IN EXCLUSIVE MODE</c> (reads go on, inserts wait) while the killed node
    /// imports 400 measurements: the import's reads pass, its writes reach the database and its audit event's insert
    /// waits for the lock — the node is mid-transaction. The node is killed there, the lock released. Because the
    /// command path writes the measurements, the project's new version and the audit event in one transaction, nothing
    /// of it exists afterwards. Were the measurements (or the version) written in a transaction of their own before the
    /// audit event, that first transaction would have committed before the node reached the locked table, and the
    /// measurement count or the project's version would show it here.
    /// </summary>
    [PostgresFact]
    public async Task ANodeKilledWhileItsImportIsInFlight_WritesNothing_AndTheOtherNodeThenImportsTheSameFile()
    {
        var database = PostgresCluster.Shared.CreateDatabase();
        await using var b = new AppFactory { PostgreSql = database };
        _ = b.Server;
        using var pmOnB = await b.ClientForAsync(DemoUsers.Pm);
        var (id, _, _, version) = await pmOnB.MonitoredProjectAsync(b);
        var before = await b.SnapshotAsync(id);
        var csv = new StringBuilder("target,date,value,unit,method,measuredBy,notes\n");
        for (var i = 0; i < Rows; i++)
        {
            csv.Append(CultureInfo.InvariantCulture,
                $"vegetationBiomass,{new DateOnly(2025, 6, 2).AddDays(i):yyyy-MM-dd},{40 + (i % 50) / 10m},t/ha,Plot survey,A. Wanjiru,Row {i}\n");
        }

        var killedRoot = b.StorageRoot + "-killed";
        await using var node = await AppProcess.StartAsync(new Dictionary<string, string>
        {
            ["Database__Provider"] = "PostgreSql",
            ["ConnectionStrings__PostgreSql"] = new NpgsqlConnectionStringBuilder(database) { ApplicationName = KilledNode }.ConnectionString,
            ["Storage__Root"] = killedRoot,
            // The cluster's audit head key, as the in-process nodes have it (AppFactory).
            ["Audit__HeadKey"] = "RnxGMwQWVlJAf1qKwGAbA7lNyCJULG6fPpRIIXFkKq4=",
            ["Reminders__RunServer"] = "false",
        });
        using var http = new HttpClient { BaseAddress = node.BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
        using var login = await http.PostAsJsonAsync("/api/auth/login", new { email = DemoUsers.Pm, password = AppFactory.DemoPassword });
        login.EnsureSuccessStatusCode();
        var token = (await login.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("accessToken").GetString();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        await using (var holder = new NpgsqlConnection(database))
        {
            await holder.OpenAsync();
            await using var hold = await holder.BeginTransactionAsync();
            await using (var lockTable = new NpgsqlCommand("LOCK TABLE \"AuditEvents\" IN EXCLUSIVE MODE", holder, hold))
                await lockTable.ExecuteNonQueryAsync();

            var import = http.PostAsync($"/api/projects/{id}/measurements/import?preview=false&expectedVersion={version}",
                new StringContent(csv.ToString(), Encoding.UTF8, "text/csv"));
            // The node's session waits for a lock on "AuditEvents" (to insert: RowExclusiveLock). pg_stat_activity's query
            // text can still be the connection's previous statement while a prepared one waits in Bind: pg_locks tells.
            var blocked = await WaitForAsync(holder, hold,
                $"""
                SELECT l.mode FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
                WHERE a.application_name = '{KilledNode}' AND NOT l.granted AND l.relation = '"AuditEvents"'::regclass
                """, TimeSpan.FromSeconds(90));
            Assert.True(blocked is not null, $"The killed node's import never waited for the lock. Import: {(import.IsCompleted ? import.Status.ToString() : "in flight")}. Output: {node.Output}");
            Assert.Equal("RowExclusiveLock", blocked);

            node.Kill();
            await Assert.ThrowsAnyAsync<Exception>(() => import);
            await hold.RollbackAsync();
            // The killed node's server processes end once they find their client gone.
            Assert.True(await WaitForAsync(holder, null,
                $"SELECT 'gone' WHERE NOT EXISTS (SELECT 1 FROM pg_stat_activity WHERE application_name = '{KilledNode}')", TimeSpan.FromSeconds(60)) is not null,
                "The killed node's server processes are still there.");
        }

        Assert.Equal(0, await b.MeasurementCountAsync(id));
        Assert.Equal(before, await b.SnapshotAsync(id));
        // The hash chain verifies from B: no broken event, the same events. (Its "valid" also compares the stored state
        // with the events, and MonitoredProjectAsync put the project in Implementation directly.)
        var verify = await (await pmOnB.GetAsync($"/api/projects/{id}/audit/verify")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Null, verify.GetProperty("brokenEventId").ValueKind);
        Assert.Equal(before.AuditEvents, verify.GetProperty("eventCount").GetInt32());

        // The same command at the same version from the node that lives: accepted, all of it.
        var imported = await (await pmOnB.ImportAsync(id, csv.ToString(), preview: false, version)).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(Rows, imported.Number("imported"));
        Assert.Equal(Rows, await b.MeasurementCountAsync(id));
        Assert.Equal(before with { Version = version + 1, AuditEvents = before.AuditEvents + 1 }, await b.SnapshotAsync(id));
        verify = await (await pmOnB.GetAsync($"/api/projects/{id}/audit/verify")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Null, verify.GetProperty("brokenEventId").ValueKind);
        Assert.Equal(before.AuditEvents + 1, verify.GetProperty("eventCount").GetInt32());
        Directory.Delete(killedRoot, recursive: true);
    }

    /// <summary>Runs <paramref name="sql"/> until it answers a row (its first column, "" for NULL); null at the timeout.</summary>
    private static async Task<string?> WaitForAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < timeout)
        {
            await using (var command = new NpgsqlCommand(sql, connection, transaction))
            await using (var reader = await command.ExecuteReaderAsync())
            {
                if (await reader.ReadAsync())
                    return reader.IsDBNull(0) ? "" : reader.GetString(0);
            }
            await Task.Delay(100);
        }
        return null;
    }
}
