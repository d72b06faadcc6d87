using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RestorationWorkflow.Approvals;
using RestorationWorkflow.Data;
using RestorationWorkflow.Identity;
using RestorationWorkflow.IntegrationTests.Demo;
using RestorationWorkflow.IntegrationTests.Infrastructure;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Web.Features.Projects;
using RestorationWorkflow.Workflows;
using RestorationWorkflow.Workflows.Guards;

namespace RestorationWorkflow.IntegrationTests.Projects;

/// <summary>
/// Guard data reused while the project's content stamp stays (decision 0069): a stamped provider may read only rows
/// the stamp covers; a plan submitted again after a rejection that changed nothing reads none of it; a row changed
/// around the app moves the stamp, and the guards see the change; a command that wrote stamped rows leaves its copy of
/// the project with no stamp, so nothing later in its scope is given data kept under the old one.
/// </summary>
public sealed partial class StampedGuardDataTests(DevelopmentAppFactory factory) : IClassFixture<DevelopmentAppFactory>
{
    /// <summary>
    /// Every provider that says it is stamped, asked for a demo project with rows in every stamped table, reads only
    /// those tables: a provider that reads another table (or the clock) must not say so, or its data would outlive
    /// a change the stamp does not see.
    /// </summary>
    [Fact]
    public async Task EveryStampedProvider_ReadsOnlyTablesTheStampCovers()
    {
        await using var scope = factory.Scope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var stamped = CoveredContent.StampedEntities.Select(t => db.Model.FindEntityType(t)!.GetTableName()!).ToHashSet(StringComparer.Ordinal);
        var project = await DemoProjectWithPlanAsync(db);
        var checkedProviders = 0;

        foreach (var provider in Providers(scope.ServiceProvider))
        {
            if (!provider.Stamped)
                continue;
            using var recording = factory.Sql.Record();
            await provider.LoadAsync(project, CancellationToken.None);
            var read = recording.Commands.SelectMany(c => TableRead().Matches(c).Select(m => m.Groups[1].Value)).ToHashSet(StringComparer.Ordinal);
            Assert.True(read.Count > 0, $"The stamped provider of '{provider.Key.Name}' read no table.");
            Assert.True(read.IsSubsetOf(stamped),
                $"The stamped provider of '{provider.Key.Name}' reads {string.Join(", ", read.Except(stamped))}, which the content stamp does not cover.");
            checkedProviders++;
        }
        // The checklist, step forms, participation, consent, targets and safeguard findings.
        Assert.Equal(6, checkedProviders);
    }

    [Fact]
    public async Task APlanSubmittedAgain_AfterARejectionThatChangedNothing_ReadsNoGuardData_AndAfterAWriteAroundTheApp_SeesIt()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        using var approver1 = await factory.ClientForAsync(DemoUsers.Approver1);
        using var approver2 = await factory.ClientForAsync(DemoUsers.Approver2);
        var project = await pm.ToPlanApprovedOnceAsync(approver1);
        var guardSql = await GuardSqlAsync(project.Id);
        Assert.NotEmpty(guardSql);
        var version = (await (await approver2.DecideRawAsync(project.RequestId, "reject", "Budget lines are missing.")).ExpectAsync(HttpStatusCode.Created))
            .Number("projectVersion");

        using (var recording = factory.Sql.Record())
        {
            version = await pm.FireAsync(project.Id, "SubmitPlan", version);
            Assert.Empty(recording.Commands.Intersect(guardSql));
        }
        var request = (await pm.OpenRequestAsync(project.Id, "plan")).GetProperty("id").GetGuid();
        version = (await (await approver2.DecideRawAsync(request, "reject", "Still missing.")).ExpectAsync(HttpStatusCode.Created)).Number("projectVersion");

        // The plan's targets deleted by hand: no command, no audit event, no new version; the stamp moves all the same.
        await factory.WithDbAsync(db => db.RestorationTargets.Where(t => t.ProjectId == project.Id).ExecuteDeleteAsync());
        using (var recording = factory.Sql.Record())
        {
            var refused = await (await pm.PostAsJsonAsync($"/api/projects/{project.Id}/transitions", new { trigger = "SubmitPlan", expectedVersion = version }))
                .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
            Assert.Contains("planHasSmartTargets", refused.Guards("unmet"));
            Assert.NotEmpty(recording.Commands.Intersect(guardSql));
        }
    }

    [Fact]
    public async Task ACommandThatWritesStampedRows_LeavesItsProjectWithNoStamp_AndItsScopeReadsTheGuardDataAgain()
    {
        await using var scope = factory.Scope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<AppDbContext>();
        var cache = services.GetRequiredService<StampedGuardDataCache>();
        // The demo project in Planning, whose checklist its managers may change.
        var project = await db.Projects.AsNoTracking().Include(p => p.Members).SingleAsync(p => p.State == "Planning" && p.Code.StartsWith("DEMO-"));
        var manager = await ManagerOfAsync(db, project);
        var commands = services.GetRequiredService<ProjectCommands>();
        var evaluator = services.GetRequiredService<TransitionEvaluator>();
        var definition = services.GetRequiredService<WorkflowCatalog>().DefinitionOf(project);
        var guardSql = await GuardSqlAsync(project.Id);

        // A checklist row is stamped: the commit moves the database's stamp, and the command's copy cannot know to what.
        var result = await commands.ExecuteAsync(new UpdateChecklistItem(project.Id, "A3", new UpdateChecklistRequest("done", "Checked again.", project.Version)), manager);
        Assert.True(result.Succeeded, $"{result.Status}: {result.Code} {result.Detail}");
        var loaded = result.Value!;
        Assert.Equal(CoveredContent.UnknownStamp, loaded.ContentStamp);
        Assert.Null(CoveredContent.StampOf(loaded));
        // Never written: the database still has its own stamp, which the commit moved.
        var stored = await db.Projects.AsNoTracking().Where(p => p.Id == project.Id).Select(p => p.ContentStamp).SingleAsync();
        Assert.True(stored > project.ContentStamp);

        // Evaluated twice in the same scope, with that copy: nothing kept is given, and nothing is kept.
        var (hits, misses) = (cache.Hits, cache.Misses);
        await evaluator.EvaluateAllAsync(loaded, definition, manager, CancellationToken.None);
        await evaluator.EvaluateAllAsync(loaded, definition, manager, CancellationToken.None);
        Assert.Equal(hits, cache.Hits);
        Assert.True(cache.Misses > misses, "The evaluation of the project with no stamp asked the cache nothing.");

        // A fresh read of the project has the stamp again: the first evaluation reads and keeps, the second takes.
        var fresh = await services.GetRequiredService<ProjectStore>().FindAsync(project.Id, CancellationToken.None);
        Assert.Equal(stored, fresh!.ContentStamp);
        await evaluator.EvaluateAllAsync(fresh, definition, manager, CancellationToken.None);
        hits = cache.Hits;
        using var recording = factory.Sql.Record();
        await evaluator.EvaluateAllAsync(fresh, definition, manager, CancellationToken.None);
        Assert.True(cache.Hits > hits);
        Assert.Empty(recording.Commands.Intersect(guardSql));
    }

    /// <summary>The SQL every stamped provider sends for <paramref name="projectId"/>, as the app sends it.</summary>
    private async Task<HashSet<string>> GuardSqlAsync(Guid projectId)
    {
        await using var scope = factory.Scope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var project = await db.Projects.AsNoTracking().Include(p => p.Members).SingleAsync(p => p.Id == projectId);
        using var recording = factory.Sql.Record();
        foreach (var provider in Providers(scope.ServiceProvider).Where(p => p.Stamped))
            await provider.LoadAsync(project, CancellationToken.None);
        return recording.Commands.ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The provider of every kind of data a registered guard needs.</summary>
    private static IEnumerable<IGuardDataProvider> Providers(IServiceProvider services) =>
        services.GetRequiredService<GuardRegistry>() is var registry ? registry.Types.Select(registry.Get).SelectMany(g => g.Needs).Select(k => k.Name).Distinct(StringComparer.Ordinal)
            .Select(name => services.GetRequiredKeyedService<IGuardDataProvider>(name)) : [];

    /// <summary>The first demo project whose plan has targets and species (and consents, participation, safeguard answers).</summary>
    private static Task<Project> DemoProjectWithPlanAsync(AppDbContext db) =>
        db.Projects.AsNoTracking().Include(p => p.Members)
            .Where(p => db.RestorationTargets.Any(t => t.ProjectId == p.Id) && db.PlannedSpecies.Any(s => s.ProjectId == p.Id))
            .OrderBy(p => p.Code).FirstAsync();

    private static async Task<ClaimsPrincipal> ManagerOfAsync(AppDbContext db, Project project)
    {
        var id = project.Members.First(m => m.Role == ProjectMemberRole.Manager).UserId;
        var name = await db.Users.Where(u => u.Id == id).Select(u => u.UserName).SingleAsync();
        return new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, id), new Claim(ClaimTypes.Name, name!), new Claim(ClaimTypes.Role, AppRoles.ProjectManager)], "test"));
    }

    [GeneratedRegex(@"(?:FROM|JOIN) ""(\w+)""")]
    private static partial Regex TableRead();
}
