using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace RestorationWorkflow.Benchmarks;

/// <summary>
/// The real app (its own <c>Program</c>: migrations, seeding, middleware, endpoints) on Kestrel bound to
/// 127.0.0.1 on a free port, on its own SQLite file under <see cref="StorageRoot"/>, in the Production
/// environment with the demo users seeded and logging at Warning.
/// </summary>
internal sealed class BenchmarkAppFactory : WebApplicationFactory<global::Program>
{
    public BenchmarkAppFactory(string storageRoot)
    {
        StorageRoot = storageRoot;
        UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
    }

    public string StorageRoot { get; }

    /// <summary>The SQLite file the app writes (the default <c>{Storage:Root}/restoration.db</c>).</summary>
    public string DatabasePath => Path.Combine(StorageRoot, "restoration.db");

    /// <summary>Starts the server and answers its address, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public Uri Start()
    {
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses
            ?? throw new InvalidOperationException("Kestrel reports no addresses.");
        return new Uri(addresses.Single());
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        Directory.CreateDirectory(StorageRoot);
        builder.UseContentRoot(WebProjectFolder());
        builder.UseEnvironment("Production");
        var settings = new Dictionary<string, string?>
        {
            ["Storage:Root"] = StorageRoot,
            ["Seed:DemoUsers"] = "true",
            ["Logging:Console:FormatterName"] = "simple",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
            ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Warning",
        };
        // Host settings are read before the app's builder runs, so Storage:Root is in place for AddPersistence.
        foreach (var (key, value) in settings)
            builder.UseSetting(key, value);
        builder.ConfigureAppConfiguration(c => c.AddInMemoryCollection(settings));
    }

    /// <summary>
    /// The app's project folder from the manifest the Mvc.Testing targets write beside this program. The factory
    /// itself looks for the manifest in the current directory only, which is not the output folder under dotnet run.
    /// </summary>
    private static string WebProjectFolder()
    {
        var manifest = Path.Combine(AppContext.BaseDirectory, "MvcTestingAppManifest.json");
        var key = typeof(global::Program).Assembly.FullName!;
        var folders = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(manifest));
        return folders?.GetValueOrDefault(key) is { } folder && Directory.Exists(folder)
            ? folder
            : throw new InvalidOperationException($"{manifest} names no folder for {key}.");
    }
}
