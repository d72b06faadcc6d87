using System.Net;
using System.Net.Http.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using RestorationWorkflow.Data;
using Microsoft.Extensions.DependencyInjection;
using RestorationWorkflow.IntegrationTests.Infrastructure;
using RestorationWorkflow.Web.Infrastructure.Persistence;

namespace RestorationWorkflow.IntegrationTests.Persistence;

/// <summary>
/// SQLite connections stay open with their prepared statements (decision 0017): a repeated request prepares nothing
/// new, and an idle kept-open connection holds no lock on the file.
/// </summary>
[Trait(TestDatabase.Trait, TestDatabase.SqliteOnly)]
public sealed class StatementCacheTests(AppFactory factory) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task RepeatedRead_RunsOnStatementsPreparedBefore()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        var cache = factory.Services.GetRequiredService<SqliteStatementCacheCounts>();

        // Warm every pooled context and connection this client may get (requests run one at a time, but background
        // work — the sign-in audit, the account-status cache — may hold one for a moment on a loaded machine).
        for (var i = 0; i < 15; i++)
            (await pm.GetAsync($"/api/projects/{id}")).EnsureSuccessStatusCode();
        // The counters are the host's: a background statement (a first-time query of a host job) can land inside a
        // window. Requests that prepared their statements anew would prepare in every window, so one clean window of
        // three is the proof, and each window must reuse at least one statement per request.
        var windows = new List<(long Prepared, long Reused)>();
        for (var window = 0; window < 3; window++)
        {
            var prepared = cache.Prepared;
            var reused = cache.Reused;
            for (var i = 0; i < 20; i++)
                (await pm.GetAsync($"/api/projects/{id}")).EnsureSuccessStatusCode();
            windows.Add((cache.Prepared - prepared, cache.Reused - reused));
            if (windows[^1].Prepared == 0)
                break;
        }

        Assert.True(windows[^1].Prepared == 0, $"Every window of 20 repeated reads prepared statements: {string.Join(", ", windows.Select(w => w.Prepared))}.");
        // In the clean window every request ran on statements prepared before (a window with a background preparation
        // can lose a reuse to a connection the pool just opened).
        Assert.True(windows[^1].Reused >= 20, $"Expected at least 20 reused executions in the clean window, got {windows[^1].Reused}.");
    }

    /// <summary>
    /// The app registers no command interceptor on SQLite (the tests' own <see cref="SqlCounter"/> is the only one):
    /// with one, EF Core builds an event object for every event of every command (decision 0066). Its commands are
    /// the statement cache's, its connection has EF Core's SQL functions, and storage faults of a commit are still
    /// recorded by a transaction interceptor.
    /// </summary>
    [Fact]
    public async Task TheAppsContext_HasNoCommandInterceptor_AndItsCommandsRunOnCachedStatements()
    {
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var interceptors = db.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()?.Interceptors ?? [];

        Assert.All(interceptors.OfType<IDbCommandInterceptor>(), i => Assert.IsType<SqlCounter>(i));
        Assert.Contains(interceptors, i => i is StorageFaultTransactionInterceptor);
        await db.Database.OpenConnectionAsync();
        try
        {
            using var command = db.Database.GetDbConnection().CreateCommand();
            Assert.IsType<CachedSqliteCommand>(command);
            // The connection carries EF Core's SQL functions, as EF Core's own would: its decimal comparisons use them.
            command.CommandText = "SELECT ef_compare(1.5, 2.5)";
            Assert.Equal(-1L, command.ExecuteScalar());
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    [Fact]
    public void TheCache_KeepsTheMostRecentlyUsedStatements_UpToItsCapacity()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        var cache = SqliteStatementCache.For(connection);
        static string Sql(int i) => $"SELECT {i}";
        bool Run(int i)
        {
            var command = cache.Rent(connection, Sql(i), out var reused);
            Assert.Equal((long)i, command.ExecuteScalar());
            cache.Return(command);
            return reused;
        }

        // Eight more statements than it keeps: the first eight are dropped.
        for (var i = 0; i < SqliteStatementCache.Capacity + 8; i++)
            Assert.False(Run(i));
        Assert.Equal(SqliteStatementCache.Capacity, cache.Count);

        // Statement 8, the oldest kept, is used again and becomes the most recent; a new statement then drops 9.
        Assert.True(Run(8));
        Assert.False(Run(1000));
        Assert.Equal(SqliteStatementCache.Capacity, cache.Count);
        Assert.True(Run(8));
        Assert.True(Run(1000));
        Assert.True(Run(SqliteStatementCache.Capacity + 7));
        Assert.False(Run(9));
        Assert.False(Run(0));
        Assert.Equal(SqliteStatementCache.Capacity, cache.Count);

        // Closing the connection empties it.
        connection.Close();
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public async Task ReusedStatements_BindNewValues_AndKeepTheVersionCheck()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var first = await pm.CreateProjectAsync("Cached statements one");
        var second = await pm.CreateProjectAsync("Cached statements two");

        // The same query text with other parameters returns the other row.
        Assert.Equal("Cached statements one", (await pm.GetProjectAsync(first)).Str("name"));
        Assert.Equal("Cached statements two", (await pm.GetProjectAsync(second)).Str("name"));

        // The same UPDATE twice: the second, with a stale version, changes nothing.
        var version = await pm.SetStepAsync(first, "A1", expectedVersion: 1, status: "open", note: "first");
        var stale = await pm.PutAsJsonAsync($"/api/projects/{first}/checklist/A1", new { status = "open", note = "second", expectedVersion = 1 });
        var problem = await stale.ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(version, problem.Number("currentVersion"));
    }

    [Fact]
    public async Task IdleKeptOpenConnections_HoldNoLock()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        (await pm.GetAsync($"/api/projects/{id}")).EnsureSuccessStatusCode();

        // Another process's writer takes the write lock at once and commits: no pooled connection holds a
        // transaction or an unfinished statement between requests.
        var file = Path.Combine(factory.StorageRoot, "restoration.db");
        await using var other = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Pooling = false, DefaultTimeout = 1 }.ToString());
        await other.OpenAsync();
        await using var command = other.CreateCommand();
        command.CommandText = "PRAGMA busy_timeout=0; BEGIN IMMEDIATE; UPDATE Projects SET Name = Name WHERE Id = $id; COMMIT;";
        command.Parameters.AddWithValue("$id", id.ToString().ToUpperInvariant());
        await command.ExecuteNonQueryAsync();

        // And a WAL checkpoint can complete (no reader pins an old snapshot).
        command.Parameters.Clear();
        command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(0L, reader.GetInt64(0)); // not busy
    }
}
