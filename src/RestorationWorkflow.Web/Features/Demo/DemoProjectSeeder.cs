using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RestorationWorkflow.Data;
using RestorationWorkflow.Projects.Targets;
using RestorationWorkflow.Web.Features.Identity;
using RestorationWorkflow.Web.Features.Measurements;

namespace RestorationWorkflow.Web.Features.Demo;

/// <summary>What a seed did: the demo projects it created and those that were there already, by code.</summary>
public sealed record DemoSeedResult(IReadOnlyList<string> Created, IReadOnlyList<string> Existing, TimeSpan Elapsed);

/// <summary>
/// Creates the demo projects of <see cref="DemoCatalogue"/> that are not there yet (found by their codes), each through
/// its story on the command path, as the demo users. Development only: outside it the seed refuses before reading
/// anything. After each story it checks that the project reached its state and that every measured target shows the
/// status its story meant (decision 0031's rule with the configured thresholds); anything else stops the seed.
/// </summary>
public sealed class DemoProjectSeeder(IServiceProvider services, IHostEnvironment environment, TimeProvider time, IOptions<MonitoringOptions> monitoring)
{
    public async Task<DemoSeedResult> SeedAsync(TextWriter? progress, CancellationToken ct)
    {
        if (!environment.IsDevelopment())
            throw new DemoSeedException(NotDevelopment(environment.EnvironmentName));
        var started = Stopwatch.StartNew();
        await using (var scope = services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<DemoUserSeeder>().SeedAsync();
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var catalogue = DemoCatalogue.Projects(today);
        var codes = catalogue.Select(p => p.Code).ToList();
        List<string> existing;
        await using (var scope = services.CreateAsyncScope())
        {
            existing = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Projects.AsNoTracking()
                .Where(p => codes.Contains(p.Code)).Select(p => p.Code).ToListAsync(ct);
        }
        var created = new List<string>();
        var pending = catalogue.Where(p => !existing.Contains(p.Code, StringComparer.Ordinal)).ToList();
        if (pending.Count == 0)
            return new DemoSeedResult(created, existing, started.Elapsed);

        var actors = await DemoActors.LoadAsync(services);
        var thresholds = monitoring.Value.Thresholds;
        foreach (var project in pending)
        {
            var driver = new DemoProjectDriver(services, actors, today, project.Code);
            var story = new DemoStory(project, driver, services, thresholds);
            await project.Story(story, ct);
            await CheckAsync(story, thresholds, ct);
            created.Add(project.Code);
            if (progress is not null)
                await progress.WriteLineAsync($"  {project.Code,-18} {project.ExpectedState,-17} {project.Name}");
        }
        return new DemoSeedResult(created, existing, started.Elapsed);
    }

    public static string NotDevelopment(string environmentName) =>
        $"seed-demo runs in the Development environment only (this is '{environmentName}'): it creates fictional projects as the demo users, whose password is published.";

    /// <summary>The project is in the state its story meant, and each measured target shows the status its trend meant.</summary>
    private async Task CheckAsync(DemoStory story, ProgressThresholds thresholds, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var id = story.Driver.Id;
        var state = await db.Projects.AsNoTracking().Where(p => p.Id == id).Select(p => p.State).SingleAsync(ct);
        if (state != story.Project.ExpectedState)
            throw new DemoSeedException($"{story.Project.Code} ended in {state}, not in {story.Project.ExpectedState} as its story meant.");
        var points = (await db.Measurements.AsNoTracking().Where(m => m.ProjectId == id).Select(m => new { m.TargetId, m.MeasuredOn, m.Value }).ToListAsync(ct))
            .ToLookup(m => m.TargetId, m => new MeasuredPoint(m.MeasuredOn, m.Value));
        foreach (var (demo, stored) in story.Targets.Where(t => t.Demo.Trend != DemoTrend.None))
        {
            var status = TargetProgress.Evaluate(stored.Details, points[stored.Id], thresholds).Status;
            if (status != DemoValues.Expected(demo.Trend))
                throw new DemoSeedException($"{story.Project.Code}: target {stored.Indicator} shows {TargetProgress.Code(status)}, not {demo.Trend} as its story meant.");
        }
    }
}
