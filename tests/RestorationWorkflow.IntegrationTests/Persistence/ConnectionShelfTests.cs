using System.Net;
using System.Net.Http.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RestorationWorkflow.Data;
using RestorationWorkflow.IntegrationTests.Infrastructure;
using RestorationWorkflow.Web.Infrastructure;
using RestorationWorkflow.Web.Infrastructure.Persistence;

namespace RestorationWorkflow.IntegrationTests.Persistence;

/// <summary>
/// A context holds an open SQLite connection only while it reads (decision 0060): a command waiting for the group
/// commit and a context back in the pool leave theirs on the node's shelf, where the next context takes it with its
/// prepared statements.
/// </summary>
[Trait(TestDatabase.Trait, TestDatabase.SqliteOnly)]
public sealed class ConnectionShelfTests(AppFactory factory) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task CommandsWaitingForTheirCommit_HoldNoConnection()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var ids = new List<Guid>();
        for (var i = 0; i < 4; i++)
            ids.Add(await pm.CreateProjectAsync());
        var shelf = factory.Services.GetRequiredService<SqliteConnectionShelf>();
        var committer = Assert.IsType<SqliteGroupCommitter>(factory.Services.GetRequiredService<ICommandCommitter>());
        var gate = factory.Services.GetRequiredService<SqliteWriteGate>();

        Task<HttpResponseMessage[]> updates;
        // The writer cannot take the write lock: every command loads, authorizes and then waits for its batch.
        using (await gate.EnterAsync())
        {
            updates = Task.WhenAll(ids.Select(id =>
                pm.PutAsJsonAsync($"/api/projects/{id}/checklist/{ProjectsApi.ChecklistOnlySteps[0]}", new { status = "done", expectedVersion = 1 })));
            await Eventually(() => committer.Waiting == ids.Count, "four commands waiting for the commit");
            Assert.Equal(0, shelf.Lent);
            Assert.True(shelf.Idle >= 1, $"The shelf has {shelf.Idle} idle connections.");
        }

        var responses = await updates;
        foreach (var response in responses)
            Assert.Equal(2, (await response.ExpectAsync(HttpStatusCode.OK)).Number("version"));
        // Once the requests have ended, their contexts are back in the pool and every connection is on the shelf.
        await Eventually(() => shelf.Lent == 0, "every connection back on the shelf");
    }

    [Fact]
    public void TheShelfKeepsAsManyIdleConnectionsAsRequestsWorkedOnAtOnce_OrTheDefault()
    {
        var byDefault = RequestLimitOptions.DefaultPerProcessor * Environment.ProcessorCount;
        Assert.Equal(byDefault, factory.Services.GetRequiredService<SqliteConnectionShelf>().Capacity);
        Assert.Equal(5, PersistenceExtensions.ShelfCapacity(new RequestLimitOptions { MaxConcurrent = 5 }));
        // 0 is no limit on requests: the shelf keeps the default number.
        Assert.Equal(byDefault, PersistenceExtensions.ShelfCapacity(new RequestLimitOptions { MaxConcurrent = 0 }));
        Assert.Equal(byDefault, PersistenceExtensions.ShelfCapacity(null));
    }

    [Fact]
    public async Task AReleasedConnection_ServesTheNextContext_StillOpen()
    {
        SqliteConnection first;
        using (var scope = factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            await db.Projects.CountAsync();
            first = Assert.IsAssignableFrom<SqliteConnection>(db.Database.GetDbConnection());
            KeptOpenSqliteConnection.Release(db);
            Assert.Equal(System.Data.ConnectionState.Open, first.State);

            // The context takes a connection again when it reads again.
            await db.Projects.CountAsync();
            Assert.Same(first, db.Database.GetDbConnection());
        }

        // Back in the pool, the context left it on the shelf (the last one in, the first out).
        using (var scope = factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            await db.Projects.CountAsync();
            Assert.Same(first, db.Database.GetDbConnection());
            Assert.Equal(System.Data.ConnectionState.Open, first.State);
        }
    }

    [Fact]
    public async Task ARequestScopeDisposedAsynchronously_LeavesItsConnectionOnTheShelf()
    {
        var shelf = factory.Services.GetRequiredService<SqliteConnectionShelf>();
        await Eventually(() => shelf.Lent == 0, "no connection lent before the scope");
        // ASP.NET Core disposes a request's services asynchronously: the context goes back to the pool by ResetStateAsync.
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            await db.Projects.CountAsync();
            Assert.True(shelf.Lent >= 1, $"{shelf.Lent} connection(s) lent while the context reads.");
        }
        await Eventually(() => shelf.Lent == 0, "the context's connection back on the shelf");
    }

    [Fact]
    public async Task AConnectionLeftOpen_GoesToTheShelf_WhenItsContextReturnsToThePool()
    {
        SqliteConnection left;
        using (var scope = factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            await db.Database.OpenConnectionAsync(); // and never closed: the pool's (synchronous) reset forgets it
            left = Assert.IsAssignableFrom<SqliteConnection>(db.Database.GetDbConnection());
        }

        using var next = factory.Services.CreateScope();
        var other = next.ServiceProvider.GetRequiredService<AppDbContext>();
        await other.Projects.CountAsync();
        Assert.Same(left, other.Database.GetDbConnection());
    }

    [Fact]
    public async Task AContextInATransaction_KeepsItsConnection()
    {
        var shelf = factory.Services.GetRequiredService<SqliteConnectionShelf>();
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync();
        await db.Projects.CountAsync();
        var connection = db.Database.GetDbConnection();
        var idle = shelf.Idle;

        KeptOpenSqliteConnection.Release(db);

        Assert.Same(connection, db.Database.GetDbConnection());
        Assert.Same(transaction, db.Database.CurrentTransaction);
        Assert.Equal(idle, shelf.Idle);
        await transaction.CommitAsync();
    }

    [Fact]
    public void TheShelf_KeepsOnlyIdleOpenConnections_UpToItsCapacity()
    {
        const string Database = "Data Source=shelf-test;Mode=Memory;Cache=Shared";
        using var shelf = new SqliteConnectionShelf(capacity: 1);
        using var first = Opened(Database);
        using var second = Opened(Database);
        using var closed = new SqliteConnection(Database);
        using var busy = Opened(Database);
        using var transaction = busy.BeginTransaction();

        // Two contexts opened a connection each (the shelf was empty).
        Assert.Null(shelf.TryTake(Database));
        shelf.Lend();
        shelf.Lend();

        Assert.False(shelf.Return(Database, closed));
        Assert.False(shelf.Return(Database, busy));
        Assert.True(shelf.Return(Database, first));
        Assert.False(shelf.Return(Database, second)); // full: the caller closes it
        shelf.Closed();
        Assert.Equal((1, 0), (shelf.Idle, shelf.Lent));

        Assert.Null(shelf.TryTake("Data Source=another"));
        Assert.Same(first, shelf.TryTake(Database));
        Assert.Null(shelf.TryTake(Database));
        Assert.Equal((0, 1), (shelf.Idle, shelf.Lent));

        // Disposed (the host stops), it closes what it keeps and keeps nothing more.
        Assert.True(shelf.Return(Database, first));
        shelf.Dispose();
        Assert.Equal(System.Data.ConnectionState.Closed, first.State);
        Assert.False(shelf.Return(Database, second));
    }

    private static SqliteConnection Opened(string connectionString)
    {
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        return connection;
    }

    private static async Task Eventually(Func<bool> condition, string what)
    {
        for (var waited = 0; waited < 200 && !condition(); waited++)
            await Task.Delay(50);
        Assert.True(condition(), $"Still not true after 10 s: {what}.");
    }
}
