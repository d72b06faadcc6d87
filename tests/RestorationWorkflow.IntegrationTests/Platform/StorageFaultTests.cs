using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using RestorationWorkflow.Data;
using RestorationWorkflow.IntegrationTests.Infrastructure;

namespace RestorationWorkflow.IntegrationTests.Platform;

/// <summary>
/// A real storage fault for each provider. SQLite: while <see cref="Armed"/>, every connection the app runs a statement
/// on gets <c>PRAGMA max_page_count</c> set to the file's current size, so a write that needs a new page fails with
/// SQLITE_FULL (error 13) exactly as on a full disk; applied before statements, not on open: the app keeps its
/// connections open (decision 0017). PostgreSQL (<c>RW_TEST_DATABASE=postgresql</c>): every statement's transaction
/// and session become read-only, so a write fails with SQLSTATE 25006 (read_only_sql_transaction) as on a server
/// switched to read-only — another of the storage faults the app answers with 503 (decision 0041).
/// </summary>
public sealed class DiskFullInterceptor : DbCommandInterceptor
{
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<DbConnection, object> _applied = [];
    private int _armed;

    public bool Armed
    {
        get => Volatile.Read(ref _armed) == 1;
        set => Volatile.Write(ref _armed, value ? 1 : 0);
    }

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Apply(command);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Apply(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        Apply(command);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Apply(command);
        return ValueTask.FromResult(result);
    }

    private void Apply(DbCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var connection = command.Connection!;
        var armed = Armed;
        var postgreSql = connection is Npgsql.NpgsqlConnection;
        // PostgreSQL's read-only mode is per transaction: set before every statement while armed.
        if (!(postgreSql && armed) && _applied.TryGetValue(connection, out var state) && (bool)state == armed)
            return;
        using var setting = connection.CreateCommand();
        setting.Transaction = command.Transaction;
        setting.CommandText = postgreSql
            // Switching a transaction to read-only is allowed at any point in it (only the reverse is refused).
            ? armed ? "SET default_transaction_read_only = on; SET transaction_read_only = on;" : "SET default_transaction_read_only = off;"
            // Lower than the file is clamped to its size; the default maximum otherwise.
            : armed ? "PRAGMA max_page_count = 1;" : "PRAGMA max_page_count = 4294967294;";
        setting.ExecuteNonQuery();
        _applied.AddOrUpdate(connection, armed);
    }
}

/// <summary>The app in Development (where a 500 would carry the stack trace) with <see cref="DiskFullInterceptor"/> and a fake clock.</summary>
public sealed class DiskFullAppFactory : AppFactory
{
    public DiskFullInterceptor DiskFull { get; } = new();

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseEnvironment("Development");
    }

    protected override void ConfigureTestServices(IServiceCollection services)
    {
        services.AddSingleton<TimeProvider>(Time);
        services.ConfigureDbContext<AppDbContext>(o => o.AddInterceptors(DiskFull), ServiceLifetime.Singleton);
    }
}

public sealed class StorageFaultTests(DiskFullAppFactory factory) : IClassFixture<DiskFullAppFactory>
{
    /// <summary>4,000 characters of three UTF-8 bytes each: the audit event needs pages the file does not have.</summary>
    private static readonly string LargeText = string.Concat(Enumerable.Repeat("湿地恢复", 1_000));

    [Fact]
    public async Task AWriteOnAFullDisk_Answers503WithoutInternals_WritesNothing_AndReadyReportsIt()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        using var client = factory.CreateClient();
        factory.Time.Advance(TimeSpan.FromSeconds(121)); // past any fault an earlier test of this class left
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);

        HttpResponseMessage response;
        factory.DiskFull.Armed = true;
        try
        {
            response = await pm.PostAsJsonAsync($"/api/projects/{id}/transitions", new { trigger = "StartAssessment", comment = LargeText, expectedVersion = 1 });
        }
        finally
        {
            factory.DiskFull.Armed = false;
        }

        var problem = await response.ExpectProblemAsync(HttpStatusCode.ServiceUnavailable);
        var text = problem.GetRawText();
        foreach (var internals in new[] { "SQLite", "Npgsql", "Exception", " at ", "max_page_count", "read-only", "25006", "full" })
            Assert.DoesNotContain(internals, text, StringComparison.OrdinalIgnoreCase);
        Assert.False(string.IsNullOrEmpty(problem.Str("traceId")));
        Assert.NotNull(response.Headers.RetryAfter);
        // Nothing half-written: the project, its events and the chain are as before.
        Assert.Equal(new ProjectSnapshot("Draft", 1, WorkflowsApi.LatestVersion, 1), await factory.SnapshotAsync(id));

        // Ready reports the fault (live does not: the process is fine) for a while, then recovers.
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/health/ready")).StatusCode);
        Assert.Equal("Unhealthy", await (await client.GetAsync("/health/ready")).Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        factory.Time.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/health/ready")).StatusCode);
        factory.Time.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);

        // With room again the same request succeeds and the chain verifies.
        Assert.Equal(2, await pm.FireAsync(id, "StartAssessment", 1, LargeText));
        var verify = await (await pm.GetAsync($"/api/projects/{id}/audit/verify")).ExpectAsync(HttpStatusCode.OK);
        Assert.True(verify.GetProperty("valid").GetBoolean());
    }

    /// <summary>
    /// A storage fault is recorded where the command fails, not only where the request fails: a caller that catches
    /// the exception still leaves the node not ready. On SQLite the statement cache's command records it
    /// (decision 0066), on PostgreSQL the command interceptor.
    /// </summary>
    [Fact]
    public async Task AStorageFaultThatTheCallerCatches_StillLeavesTheNodeNotReady()
    {
        factory.Time.Advance(TimeSpan.FromSeconds(121)); // past any fault an earlier test of this class left
        var faults = factory.Services.GetRequiredService<RestorationWorkflow.Web.Infrastructure.Persistence.StorageFaults>();
        Assert.Null(faults.Within(TimeSpan.FromSeconds(60)));

        using (var scope = factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            factory.DiskFull.Armed = true;
            try
            {
                await Assert.ThrowsAnyAsync<DbException>(() => db.Database.ExecuteSqlRawAsync("CREATE TABLE storage_fault_probe (x TEXT)"));
            }
            finally
            {
                factory.DiskFull.Armed = false;
            }
        }

        Assert.NotNull(faults.Within(TimeSpan.FromSeconds(60)));
        using var client = factory.CreateClient();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/health/ready")).StatusCode);
    }

    [Fact]
    public async Task APageWriteOnAFullDisk_ShowsTheErrorPageWith503AndNoStackTrace()
    {
        using var session = await PageSession.SignInAsync(factory, DemoUsers.Pm);
        var token = PageSession.Token(await session.GetStringAsync("/Projects/New"));
        var before = await factory.QueryDbAsync(db => db.Projects.CountAsync());
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Name"] = "Written on a full disk",
            ["Description"] = LargeText,
            ["Country"] = "KE",
            ["EcosystemTypes"] = "forest",
            ["AreaHectares"] = "10",
            ["__RequestVerificationToken"] = token,
        });

        HttpResponseMessage response;
        factory.DiskFull.Armed = true;
        try
        {
            response = await session.PostAsync("/Projects/New", form);
        }
        finally
        {
            factory.DiskFull.Armed = false;
        }

        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.DoesNotContain("SqliteException", html, StringComparison.Ordinal);
        Assert.DoesNotContain("PostgresException", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Stack", html, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(before, await factory.QueryDbAsync(db => db.Projects.CountAsync()));
    }
}

/// <summary>A volume with less free space than <c>Storage:MinimumFreeMegabytes</c> makes the node not ready.</summary>
public sealed class LowDiskSpaceAppFactory : AppFactory
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Storage:MinimumFreeMegabytes"] = "1000000000000",
    };
}

public sealed class LowDiskSpaceTests(LowDiskSpaceAppFactory factory) : IClassFixture<LowDiskSpaceAppFactory>
{
    [Fact]
    public async Task Ready_IsUnhealthy_WhenFreeSpaceIsBelowTheMinimum_WhileLiveIsHealthy()
    {
        using var client = factory.CreateClient();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
    }
}
