using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RestorationWorkflow.Approvals;
using RestorationWorkflow.IntegrationTests.Infrastructure;
using RestorationWorkflow.Projects.Targets;
using RestorationWorkflow.Web.Features.Demo;
using RestorationWorkflow.Web.Features.Measurements;
using RestorationWorkflow.Web.Features.Sites;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.IntegrationTests.Demo;

/// <summary>
/// The app as <c>dotnet run</c> starts it for a newcomer: the Development environment, the demo users and
/// <c>Seed:DemoProjects=true</c> (every other test factory sets it false), on a fresh SQLite file, so starting the host
/// seeds the demo projects once for the class. The tests then run <c>seed-demo</c> themselves for the second run.
/// </summary>
public sealed class DevelopmentAppFactory : AppFactory
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Seed:DemoProjects"] = "true" };

    public async Task<CommandRun> RunSeedDemoAsync()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await SeedDemoCommand.RunAsync(Services, output, error);
        return new CommandRun(exitCode, output.ToString(), error.ToString());
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseEnvironment("Development");
    }
}

public sealed record CommandRun(int ExitCode, string Output, string Error);

public sealed class DemoSeedTests(DevelopmentAppFactory factory) : IClassFixture<DevelopmentAppFactory>
{
    private static readonly string[] DemoManagersAndApprovers = [DemoUsers.Pm, DemoUsers.Pm2, DemoUsers.Approver1, DemoUsers.Approver2];

    [Fact]
    public async Task FirstDevelopmentStart_OnAnEmptyDatabase_SeedsTheDemoProjects()
    {
        var codes = await factory.QueryDbAsync(db => db.Projects.Select(p => p.Code).ToListAsync());

        var expected = DemoCatalogue.Projects(DateOnly.FromDateTime(DateTime.UtcNow)).Select(p => p.Code);
        Assert.Equal(expected.Order(StringComparer.Ordinal), codes.Order(StringComparer.Ordinal));
        Assert.Equal(12, codes.Count);
        Assert.All(codes, c => Assert.StartsWith(DemoProject.CodePrefix, c, StringComparison.Ordinal));
    }

    [Fact]
    public async Task SeedDemo_PutsAProjectInEveryStateOfTheCurrentWorkflow()
    {
        await SeededAsync();
        var definition = factory.Services.GetRequiredService<WorkflowCatalog>().Latest("staper-restoration")!;

        var states = await factory.QueryDbAsync(db => db.Projects.Where(p => p.Code.StartsWith(DemoProject.CodePrefix)).Select(p => p.State).ToListAsync());

        Assert.Equal(definition.States.Select(s => s.Code).Order(StringComparer.Ordinal), states.Distinct().Order(StringComparer.Ordinal));
        Assert.InRange(states.Count, 12, 15);
    }

    [Fact]
    public async Task SeedDemo_TheLoopedProjectsTrailShowsBothFeedbackTransitions()
    {
        await SeededAsync();

        var id = await factory.QueryDbAsync(db => db.Projects.Where(p => p.Code == "DEMO-KE-MAU").Select(p => p.Id).SingleAsync());
        var moves = await factory.QueryDbAsync(db => db.AuditEvents.Where(e => e.ProjectId == id && e.Trigger != null)
            .OrderBy(e => e.Sequence).Select(e => new { e.Trigger, e.FromState, e.ToState, e.Comment }).ToListAsync());

        var feedback = moves.Where(m => m.Trigger is "AdaptPlan" or "RevisePlan").ToList();
        Assert.Collection(feedback,
            m => Assert.Equal(("AdaptPlan", "Implementation", "Planning"), (m.Trigger, m.FromState, m.ToState)),
            m => Assert.Equal(("RevisePlan", "Evaluation", "Planning"), (m.Trigger, m.FromState, m.ToState)));
        Assert.All(feedback, m => Assert.False(string.IsNullOrWhiteSpace(m.Comment)));
        // After each loop the plan went through its gate again: three plan approvals in all.
        Assert.Equal(3, moves.Count(m => m.Trigger == "ApprovePlan"));
        Assert.Equal("Monitoring", moves[^1].ToState);
    }

    [Fact]
    public async Task SeedDemo_EvaluatesDecidesAndDrawsLessons_ThroughTheEvaluationCommands()
    {
        await SeededAsync();

        var decisions = await factory.QueryDbAsync(db => db.AdaptiveDecisions
            .Join(db.Projects, d => d.ProjectId, p => p.Id, (d, p) => new { p.Code, d.Kind, d.Trigger, d.FromState, ToState = d.ResultingState, d.EvaluationId })
            .ToListAsync());
        var evaluated = await factory.QueryDbAsync(db => db.Evaluations
            .Join(db.Projects, e => e.ProjectId, p => p.Id, (e, p) => p.Code).ToListAsync());

        // The Kenyan project's second loop and both closures are decisions on a recorded evaluation, not triggers fired by hand.
        Assert.Contains(decisions, d => (d.Code, d.Kind, d.Trigger, d.FromState, d.ToState) == ("DEMO-KE-MAU", "revisePlan", "RevisePlan", "Evaluation", "Planning"));
        Assert.Contains(decisions, d => (d.Code, d.Kind, d.ToState) == ("DEMO-CN-QINGLU", "close", "EvaluationReview"));
        Assert.Contains(decisions, d => (d.Code, d.Kind, d.ToState) == ("DEMO-BR-SERRA", "close", "EvaluationReview"));
        Assert.Equal(3, decisions.Count);
        // The project still evaluating has its evaluation and no decision yet.
        Assert.Equal(["DEMO-BR-SERRA", "DEMO-CN-QINGLU", "DEMO-KE-MAU", "DEMO-VN-CAMAU"], evaluated.Order(StringComparer.Ordinal));

        // The lessons are searchable across projects, as a newcomer would search them.
        using var auditor = await factory.ClientForAsync(DemoUsers.Auditor);
        var all = await (await auditor.GetAsync("/api/lessons?pageSize=100")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(6, all.Number("total"));
        var nursery = await (await auditor.GetAsync("/api/lessons?q=nursery")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("DEMO-BR-SERRA", Assert.Single(nursery.GetProperty("items").EnumerateArray()).GetProperty("projectCode").GetString());
    }

    [Fact]
    public async Task SeedDemo_EveryProjectsAuditChainVerifies()
    {
        await SeededAsync();
        var ids = await DemoProjectIdsAsync();
        using var auditor = await factory.ClientForAsync(DemoUsers.Auditor);

        foreach (var id in ids)
        {
            var result = await (await auditor.GetAsync($"/api/projects/{id}/audit/verify")).ExpectAsync(HttpStatusCode.OK);
            Assert.True(result.GetProperty("valid").GetBoolean(), $"Project {id}: {result}");
            Assert.True(result.Number("eventCount") > 1);
        }
    }

    [Fact]
    public async Task SeedDemo_ActsAsTheDemoUsersOnly_AndThePlanGateHasTwoApprovers()
    {
        await SeededAsync();
        var ids = await DemoProjectIdsAsync();

        var actorIds = await factory.QueryDbAsync(db => db.AuditEvents.Where(e => ids.Contains(e.ProjectId)).Select(e => e.ActorId).Distinct().ToListAsync());
        var actors = await factory.QueryDbAsync(db => db.Users.Where(u => actorIds.Contains(u.Id)).Select(u => u.Email!).ToListAsync());
        var planApprovals = await factory.QueryDbAsync(db => db.ApprovalRequests
            .Where(r => r.Gate == "plan" && r.Status == ApprovalRequestStatus.Approved)
            .Select(r => r.Decisions.Select(d => d.DeciderId).Distinct().Count()).ToListAsync());

        // Every event was written by one of these four users (none by the system, none by an unknown id).
        Assert.Equal(actorIds.Count, actors.Count);
        Assert.Equal(DemoManagersAndApprovers.Order(StringComparer.Ordinal), actors.Order(StringComparer.Ordinal));
        Assert.NotEmpty(planApprovals);
        Assert.All(planApprovals, deciders => Assert.Equal(2, deciders));
    }

    [Fact]
    public async Task SeedDemo_MeasuresOverSeveralYears_WithTargetsOnTrackAtRiskAndOffTrack()
    {
        await SeededAsync();
        var statuses = new List<ProgressStatus>();
        await using (var scope = factory.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<RestorationWorkflow.Data.AppDbContext>();
            var reader = scope.ServiceProvider.GetRequiredService<MeasurementReader>();
            foreach (var id in await DemoProjectIdsAsync())
            {
                var targets = await db.RestorationTargets.AsNoTracking().Where(t => t.ProjectId == id).ToListAsync();
                statuses.AddRange((await reader.ProgressAsync(id, targets, CancellationToken.None)).Values.Select(v => v.Progress.Status));
            }
        }
        var ids = await DemoProjectIdsAsync();
        var days = await factory.QueryDbAsync(db => db.Measurements.Where(m => ids.Contains(m.ProjectId)).Select(m => m.MeasuredOn).ToListAsync());

        Assert.Contains(ProgressStatus.OnTrack, statuses);
        Assert.Contains(ProgressStatus.AtRisk, statuses);
        Assert.Contains(ProgressStatus.OffTrack, statuses);
        Assert.True(days.Count >= 40, $"{days.Count} measurements");
        Assert.True(days.Max().DayNumber - days.Min().DayNumber > 3 * 365, $"measured from {days.Min()} to {days.Max()}");
        Assert.True(days.Max() <= DateOnly.FromDateTime(DateTime.UtcNow));
    }

    [Fact]
    public async Task SeedDemo_SitesLieInsideTheirCountries()
    {
        await SeededAsync();
        await using var scope = factory.Scope();
        var db = scope.ServiceProvider.GetRequiredService<RestorationWorkflow.Data.AppDbContext>();
        var reader = scope.ServiceProvider.GetRequiredService<SiteReader>();
        var projects = await db.Projects.AsNoTracking().Where(p => p.Code.StartsWith(DemoProject.CodePrefix)).ToListAsync();

        var sites = 0;
        foreach (var project in projects)
        {
            foreach (var view in await reader.ListAsync(project, CancellationToken.None))
            {
                sites++;
                Assert.True(view.Warnings.Count == 0, $"{project.Code} / {view.Site.Name}: {string.Join(" ", view.Warnings.Select(w => w.Message.En))}");
            }
            Assert.True(project.AreaHectares > 0, project.Code);
        }
        Assert.True(sites >= 20, $"{sites} sites");
    }

    [Fact]
    public async Task SeedDemo_RunTwice_CreatesNothingAndSaysTheProjectsExist()
    {
        await SeededAsync();
        var before = await CountsAsync();

        var again = await factory.RunSeedDemoAsync();

        Assert.True(again.ExitCode == 0, again.Error);
        Assert.Equal("", again.Error);
        Assert.Contains("12 demo projects exist already", again.Output, StringComparison.Ordinal);
        Assert.Contains("0 demo projects created", again.Output, StringComparison.Ordinal);
        Assert.Equal(before, await CountsAsync());
    }

    /// <summary>The host has started, and with it the seed (a failed seed stops start-up, failing the test here).</summary>
    private Task SeededAsync()
    {
        _ = factory.Services;
        return Task.CompletedTask;
    }

    private Task<List<Guid>> DemoProjectIdsAsync() =>
        factory.QueryDbAsync(db => db.Projects.Where(p => p.Code.StartsWith(DemoProject.CodePrefix)).Select(p => p.Id).ToListAsync());

    private Task<(int Projects, int Events, int Measurements, int Decisions)> CountsAsync() =>
        factory.QueryDbAsync(async db => (await db.Projects.CountAsync(), await db.AuditEvents.CountAsync(), await db.Measurements.CountAsync(), await db.ApprovalDecisions.CountAsync()));
}

/// <summary>Outside Development (the test factory's Testing environment) the seed refuses and writes nothing.</summary>
public sealed class DemoSeedRefusalTests(AppFactory factory) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task SeedDemo_OutsideDevelopment_RefusesWithExitCodeOneAndCreatesNothing()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = await SeedDemoCommand.RunAsync(factory.Services, output, error);

        Assert.Equal(1, exitCode);
        Assert.Contains("Development environment only", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("'Testing'", error.ToString(), StringComparison.Ordinal);
        Assert.False(await factory.QueryDbAsync(db => db.Projects.AnyAsync(p => p.Code.StartsWith(DemoProject.CodePrefix))));
    }

    [Fact]
    public async Task Seeder_OutsideDevelopment_RefusesEvenWhenCalledDirectly()
    {
        var seeder = factory.Services.GetRequiredService<DemoProjectSeeder>();

        var refused = await Assert.ThrowsAsync<DemoSeedException>(() => seeder.SeedAsync(null, CancellationToken.None));

        Assert.Contains("Development environment only", refused.Message, StringComparison.Ordinal);
        Assert.False(await factory.QueryDbAsync(db => db.Projects.AnyAsync()));
    }
}
