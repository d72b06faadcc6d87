using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RestorationWorkflow.Data;

namespace RestorationWorkflow.IntegrationTests.Infrastructure;

/// <summary>
/// The app on its own real SQLite file under a fresh temp <c>Storage:Root</c>, with the demo users.
/// One instance per test class (IClassFixture), so classes run in parallel without sharing a database.
/// With <c>RW_TEST_DATABASE=postgresql</c> (or <see cref="PostgreSql"/> set) it runs on a database of its own in the
/// run's <see cref="PostgresCluster"/> instead (decision 0041).
/// </summary>
public class AppFactory : WebApplicationFactory<Program>
{
    /// <summary>The demo users' password (<see cref="DemoUsers.Password"/>).</summary>
    public const string DemoPassword = DemoUsers.Password;

    public string StorageRoot { get; } = Path.Combine(Path.GetTempPath(), "rw-tests", Guid.NewGuid().ToString("N"));

    /// <summary>
    /// The PostgreSQL database this host runs on: set it to put two hosts on one database (two nodes); left null, a
    /// run with <c>RW_TEST_DATABASE=postgresql</c> creates one per host (dropped on dispose), else the host is on SQLite.
    /// </summary>
    public string? PostgreSql { get; set; }

    private bool _ownsPostgreSqlDatabase;

    /// <summary>Extra settings a derived fixture adds (e.g. <c>Workflows:Path</c>).</summary>
    protected virtual IDictionary<string, string?> Settings => new Dictionary<string, string?>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        Directory.CreateDirectory(StorageRoot);
        builder.UseEnvironment("Testing");
        var settings = new Dictionary<string, string?>
        {
            ["Storage:Root"] = StorageRoot,
            ["Seed:DemoUsers"] = "true",
            // The demo projects only when a test asks for them (DemoSeedTests): other tests start on an empty database.
            ["Seed:DemoProjects"] = "false",
            // A test-only key for the audit-chain head seal (decision 0007).
            ["Audit:HeadKey"] = "RnxGMwQWVlJAf1qKwGAbA7lNyCJULG6fPpRIIXFkKq4=",
            ["Logging:Console:FormatterName"] = "simple",
            ["Logging:LogLevel:Default"] = "Warning",
            // The demo users sign in many times per test class, all from one test client: sign-in rate limits
            // far above what the suite uses (SignInRateLimitTests sets low ones on a factory of its own).
            ["Identity:SignInRateLimit:PerClient:PermitLimit"] = "100000",
            ["Identity:SignInRateLimit:PerAccount:PermitLimit"] = "100000",
            // No Hangfire background server per test host: tests run the reminder jobs themselves (decision 0028).
            ["Reminders:RunServer"] = "false",
            // No trims of glibc's heap (decision 0058): the test hosts share this process, and NativeHeapTests measures
            // what one trim gives back.
            ["NativeHeap:TrimSeconds"] = "0",
        };
        var fromTemplate = StartsFromTemplate && !Settings.Keys.Any(TemplateSettings.Contains);
        if (PostgreSql is null && TestDatabase.IsPostgreSql)
        {
            PostgreSql = PostgresCluster.Shared.CreateDatabase(fromTemplate ? DatabaseTemplate.PostgreSql : null);
            _ownsPostgreSqlDatabase = true;
        }
        else if (PostgreSql is null && fromTemplate)
        {
            var file = Path.Combine(StorageRoot, "restoration.db");
            if (!File.Exists(file))
                File.Copy(DatabaseTemplate.Sqlite, file);
        }
        if (PostgreSql is not null)
        {
            settings["Database:Provider"] = "PostgreSql";
            settings["ConnectionStrings:PostgreSql"] = PostgreSql;
        }
        foreach (var (key, value) in Settings)
            settings[key] = value;
        // Host configuration is read before Program's builder runs, so Storage:Root is in place for AddPersistence.
        foreach (var (key, value) in settings)
            builder.UseSetting(key, value);
        builder.ConfigureAppConfiguration(c => c.AddInMemoryCollection(settings));
        builder.ConfigureLogging(logging => logging.AddProvider(new ErrorLogFile()));
        builder.ConfigureServices(services =>
        {
            // Applied after the app's own AddDbContextPool configuration, so the pool's options carry it too.
            services.ConfigureDbContext<AppDbContext>(o => o.AddInterceptors(Sql), ServiceLifetime.Singleton);
            ConfigureTestServices(services);
        });
    }

    /// <summary>Records the SQL the app sends while a recording is open: <c>using var sql = factory.Sql.Record();</c>.</summary>
    public SqlCounter Sql { get; } = new();

    protected virtual void ConfigureTestServices(IServiceCollection services)
    {
    }

    /// <summary>
    /// Whether the host starts on a copy of the run's migrated database with the demo users (<see cref="DatabaseTemplate"/>)
    /// instead of migrating and seeding an empty one: about 1.5–2 s less per test class. Off where a test is about what
    /// start-up does to an empty database, and whenever <see cref="Settings"/> sets one of <see cref="TemplateSettings"/>.
    /// </summary>
    protected virtual bool StartsFromTemplate => true;

    /// <summary>Settings that change what start-up writes to the database or where it is: no template with them.</summary>
    public static readonly IReadOnlySet<string> TemplateSettings = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "Storage:Root", "Database:Provider", "ConnectionStrings:Sqlite", "ConnectionStrings:PostgreSql", "ConnectionStrings:SqlServer",
        "Seed:DemoUsers", "Seed:DemoProjects",
    };

    /// <summary>A client that does not follow redirects and carries a bearer token for <paramref name="email"/>.</summary>
    public async Task<HttpClient> ClientForAsync(string email, string password = DemoPassword)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = ClientOptions.BaseAddress });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TokenForAsync(email, password));
        return client;
    }

    public async Task<string> TokenForAsync(string email, string password = DemoPassword)
    {
        using var client = CreateClient();
        var response = await client.PostAsJsonAsync("/api/auth/login", new { email, password });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<TokenResponse>();
        return body!.AccessToken;
    }

    /// <summary>A scope on the app's services, for arranging or inspecting the database directly.</summary>
    public AsyncServiceScope Scope() => Services.CreateAsyncScope();

    public async Task WithDbAsync(Func<AppDbContext, Task> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        await using var scope = Scope();
        await action(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (_ownsPostgreSqlDatabase && PostgreSql is not null)
                PostgresCluster.Shared.DropDatabase(PostgreSql);
            try
            {
                Directory.Delete(StorageRoot, recursive: true);
            }
            catch (IOException)
            {
                // A file still open on a slow machine: the temp folder is cleaned by the OS later.
            }
        }
    }

    private sealed record TokenResponse(string AccessToken);
}
