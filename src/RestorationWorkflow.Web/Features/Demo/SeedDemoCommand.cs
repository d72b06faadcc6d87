using System.Globalization;

namespace RestorationWorkflow.Web.Features.Demo;

/// <summary>
/// <c>dotnet run --project src/RestorationWorkflow.Web -- seed-demo</c>: creates the demo projects (<see cref="DemoCatalogue"/>)
/// that are not in the database yet, prints what it did and exits. Development only (exit code 1 elsewhere); running it
/// again creates nothing and says the projects exist. A step a command refuses stops it with exit code 1 and the refusal.
/// </summary>
public static class SeedDemoCommand
{
    public const string Name = "seed-demo";

    public static bool IsInvoked(string[] args) => args is [Name, ..];

    /// <summary>Arguments for the web host: the command's own are removed.</summary>
    public static string[] HostArgs(string[] args) => IsInvoked(args) ? [] : args;

    public static async Task<int> RunAsync(IServiceProvider services, TextWriter output, TextWriter error, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var environment = services.GetRequiredService<IHostEnvironment>();
        if (!environment.IsDevelopment())
        {
            await error.WriteLineAsync(DemoProjectSeeder.NotDevelopment(environment.EnvironmentName));
            return 1;
        }
        DemoSeedResult result;
        try
        {
            await output.WriteLineAsync("seed-demo: creating the demo projects through the project commands, as the demo users…");
            result = await services.GetRequiredService<DemoProjectSeeder>().SeedAsync(output, ct);
        }
        catch (DemoSeedException ex)
        {
            await error.WriteLineAsync($"seed-demo stopped: {ex.Message}");
            return 1;
        }
        if (result.Existing.Count > 0)
            await output.WriteLineAsync($"seed-demo: {result.Existing.Count} demo projects exist already ({string.Join(", ", result.Existing.Order(StringComparer.Ordinal))}); they were left as they are.");
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"seed-demo: {result.Created.Count} demo projects created in {result.Elapsed.TotalSeconds:F1} s. Sign in as {DemoActors.Pm} (password in the README)."));
        return 0;
    }
}
