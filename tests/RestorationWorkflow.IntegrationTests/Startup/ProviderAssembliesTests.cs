using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
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
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        var dll = Path.Combine(AppContext.BaseDirectory, "RestorationWorkflow.Web.dll");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}"));
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["Storage__Root"] = _root;
        start.Environment["Seed__DemoUsers"] = "true";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var output = new List<string>();
        process.OutputDataReceived += (_, e) => { lock (output) output.Add(e.Data ?? ""); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.Add(e.Data ?? ""); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}")), Timeout = TimeSpan.FromSeconds(10) };
            await WaitReadyAsync(http, process, output);

            // Sign in and read: Identity, the command path's reads and the list run on the node before it is looked at.
            using var login = await http.PostAsJsonAsync("/api/auth/login", new { email = "pm@example.org", password = DemoUsers.Password });
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);
            var token = JsonDocument.Parse(await login.Content.ReadAsStringAsync()).RootElement.GetProperty("accessToken").GetString();
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var list = await http.GetAsync("/api/projects");
            Assert.Equal(HttpStatusCode.OK, list.StatusCode);
            using var missing = await http.GetAsync($"/api/projects/{Guid.NewGuid()}");
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

            var mapped = File.ReadAllLines($"/proc/{process.Id}/maps")
                .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "")
                .Where(path => path.EndsWith(".dll", StringComparison.Ordinal))
                .Select(Path.GetFileName)
                .ToHashSet(StringComparer.Ordinal);
            Assert.Contains("Microsoft.Data.Sqlite.dll", mapped);
            Assert.Contains("Hangfire.InMemory.dll", mapped);
            Assert.All(ServerAssemblies, name => Assert.DoesNotContain(name, mapped));
        }
        finally
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    private static async Task WaitReadyAsync(HttpClient http, Process process, List<string> output)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(120))
        {
            Assert.False(process.HasExited, $"The app exited: {string.Join('\n', output)}");
            try
            {
                using var ready = await http.GetAsync("/health/ready");
                if (ready.StatusCode == HttpStatusCode.OK)
                    return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Listening, not answering yet.
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"The app was not ready within 120 s: {string.Join('\n', output.TakeLast(40))}");
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
