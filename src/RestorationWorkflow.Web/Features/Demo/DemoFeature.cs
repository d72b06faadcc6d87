using System.Globalization;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.Data;
using RestorationWorkflow.Web.Infrastructure;

namespace RestorationWorkflow.Web.Features.Demo;

public static class DemoFeature
{
    /// <summary><c>Seed:DemoProjects</c>: seed the demo projects when a Development start finds no project at all.</summary>
    public const string SeedProjectsSetting = "Seed:DemoProjects";

    public static IHostApplicationBuilder AddDemo(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddTransient<DemoProjectSeeder>();
        return builder;
    }

    /// <summary>
    /// On a Development start with the demo users (<c>Seed:DemoUsers</c>) and no project yet: seeds the demo projects when
    /// <c>Seed:DemoProjects</c> is true (the default of <c>appsettings.Development.json</c>), so a newcomer's first screen
    /// has something on it; otherwise logs the one line that says how. A refusal stops start-up (<see cref="StartupException"/>)
    /// with the step and its reasons: a seed that half-ran must not look like a working demo.
    /// </summary>
    public static async Task SeedDemoProjectsOnStartAsync(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var configuration = app.Configuration;
        if (!app.Environment.IsDevelopment() || !configuration.GetValue<bool>("Seed:DemoUsers"))
            return;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            if (await scope.ServiceProvider.GetRequiredService<AppDbContext>().Projects.AnyAsync())
                return;
        }
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DemoFeature));
        if (!configuration.GetValue<bool>(SeedProjectsSetting))
        {
            logger.LogInformation("No projects yet. For a dozen demo projects in every state: dotnet run --project src/RestorationWorkflow.Web -- seed-demo");
            return;
        }
        logger.LogInformation("No projects yet: seeding the demo projects ({Setting}=true)…", SeedProjectsSetting);
        try
        {
            var result = await app.Services.GetRequiredService<DemoProjectSeeder>().SeedAsync(null, app.Lifetime.ApplicationStopping);
            logger.LogInformation("{Count} demo projects created in {Seconds} s; sign in as {Email}.", result.Created.Count,
                result.Elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture), DemoActors.Pm);
        }
        catch (DemoSeedException ex)
        {
            throw new StartupException($"The demo seed stopped ({SeedProjectsSetting}=false starts without it): {ex.Message}", ex);
        }
    }
}
