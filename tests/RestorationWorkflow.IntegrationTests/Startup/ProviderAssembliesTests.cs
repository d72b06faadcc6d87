using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using RestorationWorkflow.IntegrationTests.Infrastructure;

namespace RestorationWorkflow.IntegrationTests.Startup;

/// <summary>
/// The built app as a process on SQLite (decision 0054): the servers' clients and Hangfire storages are named only in
/// methods the SQL Server and PostgreSQL paths call, so a node on SQLite does not map them. Each loaded assembly costs
/// its file's pages and its types' tables in the app's memory. Read from <c>/proc/&lt;pid&gt;/maps</c>: Linux only, as
/// the rest of the suite.
/// </summary>
public sealed class ProviderAssembliesTests : IDisposable
{
    private static readonly string[] ServerAssemblies =
        ["Npgsql.dll", "Microsoft.Data.SqlClient.dll", "Hangfire.SqlServer.dll", "Hangfire.PostgreSql.dll"];

    private readonly string _root = Path.Combine(Path.GetTempPath(), "rw-assemblies", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task ANodeOnSqlite_ServingRequests_MapsNoServerClient()
    {
        Assert.True(OperatingSystem.IsLinux(), "reads /proc/<pid>/maps");
        await using var app = await AppProcess.StartAsync(new Dictionary<string, string>
        {
            ["Storage__Root"] = _root,
            ["Seed__DemoUsers"] = "true",
        });
        using var http = new HttpClient { BaseAddress = app.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };

        // Sign in and read: Identity, the command path's reads and the list run on the node before it is looked at.
        using var login = await http.PostAsJsonAsync("/api/auth/login", new { email = "pm@example.org", password = DemoUsers.Password });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var token = JsonDocument.Parse(await login.Content.ReadAsStringAsync()).RootElement.GetProperty("accessToken").GetString();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var list = await http.GetAsync("/api/projects");
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        using var missing = await http.GetAsync($"/api/projects/{Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

        var mapped = File.ReadAllLines($"/proc/{app.Id}/maps")
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "")
            .Where(path => path.EndsWith(".dll", StringComparison.Ordinal))
            .Select(Path.GetFileName)
            .ToHashSet(StringComparer.Ordinal);
        Assert.Contains("Microsoft.Data.Sqlite.dll", mapped);
        Assert.Contains("Hangfire.InMemory.dll", mapped);
        Assert.All(ServerAssemblies, name => Assert.DoesNotContain(name, mapped));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean.
        }
    }
}
