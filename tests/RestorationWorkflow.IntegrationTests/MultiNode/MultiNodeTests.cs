using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Logging;
using RestorationWorkflow.IntegrationTests.Infrastructure;
using RestorationWorkflow.IntegrationTests.Reminders;

namespace RestorationWorkflow.IntegrationTests.MultiNode;

/// <summary>
/// Two app hosts (two nodes) on one real PostgreSQL database (decision 0041): what one node issues the other accepts,
/// concurrent writers from both nodes cannot fork a project's chain, starting both at once migrates once, and two
/// nodes' reminder scans at the same moment send each reminder once.
/// </summary>
public sealed partial class MultiNodeTests
{
    [PostgresFact]
    public async Task ABearerTokenAndASignInCookieFromNodeA_AreAcceptedByNodeB()
    {
        var database = PostgresCluster.Shared.CreateDatabase();
        await using var a = new AppFactory { PostgreSql = database };
        await using var b = new AppFactory { PostgreSql = database };
        _ = a.Server;
        _ = b.Server;

        // The token, issued by A.
        var token = await a.TokenForAsync(DemoUsers.Pm);
        using var apiOnB = b.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var anonymous = await apiOnB.GetAsync("/api/projects");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        apiOnB.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var withToken = await apiOnB.GetAsync("/api/projects");
        Assert.Equal(HttpStatusCode.OK, withToken.StatusCode);

        // The cookie, issued by A's sign-in page.
        var cookie = await SignInCookieAsync(a, DemoUsers.Pm);
        using var pagesOnB = b.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        using var signedOut = await pagesOnB.GetAsync("/Projects");
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/Projects");
        request.Headers.Add("Cookie", cookie);
        using var signedIn = await pagesOnB.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        // Signed in on B: the layout offers signing out.
        Assert.Contains("action=\"/Account/Logout\"", await signedIn.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [PostgresFact]
    public async Task TheSameTransitionFromBothNodesAtTheSameVersion_OneWinsOneGets409_OneEvent_TheChainVerifies()
    {
        var database = PostgresCluster.Shared.CreateDatabase();
        await using var a = new AppFactory { PostgreSql = database };
        await using var b = new AppFactory { PostgreSql = database };
        using var onA = await a.ClientForAsync(DemoUsers.Pm);
        using var onB = await b.ClientForAsync(DemoUsers.Pm);

        // Several rounds: the requests race for the row in different orders.
        for (var round = 0; round < 5; round++)
        {
            var id = await onA.CreateProjectAsync($"Two nodes {round}");
            var responses = await Task.WhenAll(
                onA.PostAsJsonAsync($"/api/projects/{id}/transitions", new { trigger = "StartAssessment", expectedVersion = 1 }),
                onB.PostAsJsonAsync($"/api/projects/{id}/transitions", new { trigger = "StartAssessment", expectedVersion = 1 }));

            var statuses = responses.Select(r => r.StatusCode).Order().ToList();
            Assert.True(statuses.SequenceEqual([HttpStatusCode.OK, HttpStatusCode.Conflict]),
                $"Expected one 200 and one 409, got {string.Join(", ", statuses)}: {string.Join(" | ", await Task.WhenAll(responses.Select(r => r.Content.ReadAsStringAsync())))}");
            var problem = await responses.Single(r => r.StatusCode == HttpStatusCode.Conflict).ExpectProblemAsync(HttpStatusCode.Conflict);
            Assert.Equal(2, problem.Number("currentVersion"));
            Assert.Equal(new ProjectSnapshot("Assessment", 2, WorkflowsApi.LatestVersion, 2), await a.SnapshotAsync(id));
            Assert.Equal(1, await a.QueryDbAsync(db => db.AuditEvents.CountAsync(e => e.ProjectId == id && e.Action == "workflow.transition")));
            Assert.Equal([1, 2], await a.QueryDbAsync(db => db.AuditEvents.Where(e => e.ProjectId == id).OrderBy(e => e.Sequence).Select(e => e.Sequence).ToListAsync()));
            foreach (var node in new[] { onA, onB })
            {
                var verify = await (await node.GetAsync($"/api/projects/{id}/audit/verify")).ExpectAsync(HttpStatusCode.OK);
                Assert.True(verify.GetProperty("valid").GetBoolean(), verify.ToString());
            }
            foreach (var response in responses)
                response.Dispose();
        }
    }

    [PostgresFact]
    public async Task BothNodesStartedAtOnceOnAnEmptyDatabase_MigrateOnce_SeedOnce_AndServe()
    {
        var database = PostgresCluster.Shared.CreateDatabase();
        await using var a = new MigrationWatchingApp { PostgreSql = database };
        await using var b = new MigrationWatchingApp { PostgreSql = database };

        await Task.WhenAll(Task.Run(() => a.Server), Task.Run(() => b.Server));

        var migrations = await a.QueryDbAsync(db => Task.FromResult(db.Database.GetMigrations().ToList()));
        Assert.NotEmpty(migrations);
        // One node applied every migration, the other none (it waited and found nothing pending).
        Assert.Equal(migrations.Order(StringComparer.Ordinal), a.Applied.Concat(b.Applied).Order(StringComparer.Ordinal));
        Assert.True(a.Applied.IsEmpty || b.Applied.IsEmpty, $"Both nodes applied migrations: A {a.Applied.Count}, B {b.Applied.Count}.");
        Assert.Equal(migrations, await b.QueryDbAsync(async db => (await db.Database.GetAppliedMigrationsAsync()).ToList()));
        // The demo users were created once (the second node found them).
        var users = await a.QueryDbAsync(db => db.Users.Select(u => u.NormalizedEmail).ToListAsync());
        Assert.Equal(users.Distinct().Count(), users.Count);
        Assert.Contains(DemoUsers.Pm.ToUpperInvariant(), users);
        foreach (var node in new AppFactory[] { a, b })
        {
            using var client = node.CreateClient();
            using var ready = await client.GetAsync("/health/ready");
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }
    }

    [PostgresFact]
    public async Task TwoNodesScanningAtTheSameMoment_SendEachReminderOnce()
    {
        var database = PostgresCluster.Shared.CreateDatabase();
        using var a = new ReminderApp { PostgreSql = database };
        using var b = new ReminderApp { PostgreSql = database };
        _ = a.Server;
        _ = b.Server;
        using var pm = await a.ClientForAsync(DemoUsers.Pm);
        var projects = new[] { await pm.CreateProjectAsync("Scanned from two nodes A"), await pm.CreateProjectAsync("Scanned from two nodes B") };
        var items = new List<Guid>();
        for (var i = 0; i < 40; i++)
            items.Add(await a.AddDueItemAsync(projects[i % 2], a.Today.AddDays(i % 4 == 0 ? 0 : 3), title: $"Item {i}"));

        var results = await Task.WhenAll(a.ScanAsync(), b.ScanAsync(), a.ScanAsync(), b.ScanAsync());

        Assert.Equal(40, results.Sum(r => r.Reminders));
        foreach (var item in items)
            Assert.Single(await a.SentAsync(item));
        Assert.Equal(40, await b.WithDbAsync(db => db.Notifications.CountAsync()));
        Assert.Equal(40, await b.WithDbAsync(db => db.ReminderEmails.CountAsync()));
        var deliveries = a.Jobs.DeliveryIds.Concat(b.Jobs.DeliveryIds).ToList();
        Assert.Equal(40, deliveries.Count);
        Assert.Equal(40, deliveries.Distinct().Count());
    }

    /// <summary>Signs in through A's page and answers the <c>Cookie</c> header a browser would send next.</summary>
    internal static async Task<string> SignInCookieAsync(AppFactory app, string email)
    {
        var cookies = new CookieContainer();
        var origin = new Uri("http://localhost/");
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        using var page = await client.GetAsync("/Account/Login");
        Keep(page);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = AppFactory.DemoPassword,
            ["__RequestVerificationToken"] = PageSession.Token(await page.Content.ReadAsStringAsync()),
        });
        using var post = new HttpRequestMessage(HttpMethod.Post, "/Account/Login") { Content = form };
        post.Headers.Add("Cookie", cookies.GetCookieHeader(origin));
        using var signedIn = await client.SendAsync(post);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Keep(signedIn);
        return cookies.GetCookieHeader(origin);

        void Keep(HttpResponseMessage response)
        {
            if (response.Headers.TryGetValues("Set-Cookie", out var values))
            {
                foreach (var value in values)
                    cookies.SetCookies(origin, value);
            }
        }
    }

    /// <summary>An app host that records the migrations it applied itself (EF Core's "Applying migration" events).</summary>
    private sealed class MigrationWatchingApp : AppFactory
    {
        public ConcurrentQueue<string> Applied { get; } = new();

        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Microsoft.EntityFrameworkCore.Migrations"] = "Information",
        };

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureLogging(logging => logging.AddProvider(new AppliedMigrations(Applied)));
        }
    }

    private sealed class AppliedMigrations(ConcurrentQueue<string> applied) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(categoryName == DbLoggerCategory.Migrations.Name ? applied : null);

        public void Dispose()
        {
        }

        private sealed class Logger(ConcurrentQueue<string>? applied) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => applied is not null;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                // "Applying migration '20261126073710_Initial'."
                if (applied is not null && eventId.Id == RelationalEventId.MigrationApplying.Id
                    && MigrationName().Match(formatter(state, exception)) is { Success: true } match)
                    applied.Enqueue(match.Groups["name"].Value);
            }
        }
    }

    [GeneratedRegex("'(?<name>[^']+)'")]
    private static partial Regex MigrationName();
}
