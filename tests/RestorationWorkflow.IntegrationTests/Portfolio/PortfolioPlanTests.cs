using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RestorationWorkflow.Data;
using RestorationWorkflow.Identity;
using RestorationWorkflow.IntegrationTests.Infrastructure;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Web.Features.Portfolio;

namespace RestorationWorkflow.IntegrationTests.Portfolio;

/// <summary>
/// How SQLite runs three of the dashboard's statements (decision 0052), read from its own plan of what the reader sends:
/// the recent decisions walk the decisions' date index and stop before their projects are read, instead of scanning every
/// project and sorting their decisions (what SQLite did once the projects outnumbered the decisions); whether any target
/// is undecided is three range seeks of the status index, not a scan of it; a scope's targets by status are probed
/// against the set of its project ids, read once, not each target's project looked up. A manager's own dashboard (decision
/// 0053) looks each of the team's projects up once, and its targets and due items not at all; every project's hectares by
/// state read an index.
/// </summary>
[Trait(TestDatabase.Trait, TestDatabase.SqliteOnly)]
public sealed class PortfolioPlanTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task Recent_decisions_walk_their_date_index_and_the_undecided_check_seeks_the_status_index()
    {
        await using var scope = app.Scope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var reader = scope.ServiceProvider.GetRequiredService<PortfolioReader>();
        List<string> commands;
        using (var recording = app.Sql.Record())
        {
            await reader.ReadAsync(new PortfolioProjects(db.Projects.AsNoTracking(), db.Projects.AsNoTracking(), Every: true), CancellationToken.None);
            commands = [.. recording.Commands];
        }

        var decisions = Assert.Single(commands, c => c.Contains("FROM \"AdaptiveDecisions\"", StringComparison.Ordinal));
        var plan = await SqlitePlans.OfAsync(db, decisions);
        // The newest decisions are limited on their own (a subquery SQLite materializes), whatever it knows of the tables'
        // sizes: joined to the projects before the limit, it scans the projects once they outnumber the decisions.
        Assert.Contains(plan, step => step.StartsWith("MATERIALIZE", StringComparison.Ordinal) || step.StartsWith("CO-ROUTINE", StringComparison.Ordinal));
        Assert.Contains(plan, step => step.Contains("IX_AdaptiveDecisions_DecidedAt", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, step => step.StartsWith("SCAN p", StringComparison.Ordinal));

        // Every project's hectares by state read the index by state that holds the area columns, not the project rows (decision 0053).
        var hectares = Assert.Single(commands, c => c.Contains("SiteHectares_", StringComparison.Ordinal) && c.Contains("GROUP BY", StringComparison.Ordinal));
        var hectaresPlan = await SqlitePlans.OfAsync(db, hectares);
        Assert.Contains(hectaresPlan, step => step == "SCAN p USING COVERING INDEX " + SiteAreas.StateIndexName);

        var undecided = commands.Where(c => c.Contains("FROM \"RestorationTargets\"", StringComparison.Ordinal) && c.Contains("EXISTS", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, undecided.Count);
        foreach (var statement in undecided)
        {
            var steps = await SqlitePlans.OfAsync(db, statement);
            Assert.Contains(steps, step => step.StartsWith("SEARCH", StringComparison.Ordinal) && step.Contains("IX_RestorationTargets_ProgressRule_Progress_ProjectId", StringComparison.Ordinal));
            Assert.DoesNotContain(steps, step => step.StartsWith("SCAN r", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task A_scopes_targets_are_counted_against_the_set_of_its_project_ids_not_one_lookup_per_target()
    {
        await using var scope = app.Scope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var reader = scope.ServiceProvider.GetRequiredService<PortfolioReader>();
        var me = Guid.NewGuid().ToString();
        var lookups = db.Projects.AsNoTracking().Where(p => p.Members.Any(m => m.UserId == me));
        var scans = db.Projects.AsNoTracking().Where(p => db.ProjectMembers.Where(m => m.UserId == me).Select(m => m.ProjectId).Contains(p.Id));
        List<string> commands;
        using (var recording = app.Sql.Record())
        {
            await reader.ReadAsync(new PortfolioProjects(lookups, scans, Every: false), CancellationToken.None);
            commands = [.. recording.Commands];
        }

        var byStatus = Assert.Single(commands, c => c.Contains("FROM \"RestorationTargets\"", StringComparison.Ordinal) && c.Contains("GROUP BY", StringComparison.Ordinal));
        var plan = await SqlitePlans.OfAsync(db, byStatus);
        Assert.Contains(plan, step => step.StartsWith("LIST SUBQUERY", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, step => step.StartsWith("CORRELATED", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_managers_dashboard_looks_each_project_up_once_and_matches_targets_and_due_items_against_the_team_alone()
    {
        await using var scope = app.Scope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var portfolio = scope.ServiceProvider.GetRequiredService<PortfolioService>();
        var manager = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, Guid.NewGuid().ToString()), new Claim(ClaimTypes.Role, AppRoles.ProjectManager)], "test"));
        List<string> commands;
        using (var recording = app.Sql.Record())
        {
            await portfolio.FiguresAsync(new PortfolioFilter(null, null, null, null), manager, CancellationToken.None);
            commands = [.. recording.Commands];
        }

        // The counts by state and country and the hectares: one statement over the team's projects.
        var grouped = Assert.Single(commands, c => c.Contains("FROM \"Projects\" AS", StringComparison.Ordinal) && c.Contains("GROUP BY", StringComparison.Ordinal));
        Assert.Contains("\"Country\"", grouped[grouped.IndexOf("GROUP BY", StringComparison.Ordinal)..], StringComparison.Ordinal);
        Assert.Contains("SiteHectares_", grouped, StringComparison.Ordinal);
        var groupedPlan = await SqlitePlans.OfAsync(db, grouped);
        Assert.Contains(groupedPlan, step => step.Contains("COVERING INDEX IX_ProjectMembers_UserId_ProjectId", StringComparison.Ordinal));

        // The targets by status: the team's ids, from the membership index alone, against a target index that holds the
        // status (which one SQLite takes depends on its statistics: the project's on a large file, the status's here).
        var byStatus = Assert.Single(commands, c => c.Contains("FROM \"RestorationTargets\"", StringComparison.Ordinal) && c.Contains("GROUP BY", StringComparison.Ordinal));
        Assert.DoesNotContain("FROM \"Projects\"", byStatus, StringComparison.Ordinal);
        var targetsPlan = await SqlitePlans.OfAsync(db, byStatus);
        Assert.Contains(targetsPlan, step => step.StartsWith("SEARCH r USING COVERING INDEX", StringComparison.Ordinal));
        Assert.Contains(targetsPlan, step => step.Contains("COVERING INDEX IX_ProjectMembers_UserId_ProjectId", StringComparison.Ordinal));

        // The overdue items by kind: whether the caller is on each item's project's team, no project row read.
        var overdue = Assert.Single(commands, c => c.Contains("FROM \"DueItems\"", StringComparison.Ordinal) && c.Contains("GROUP BY", StringComparison.Ordinal));
        Assert.DoesNotContain("FROM \"Projects\"", overdue, StringComparison.Ordinal);
        Assert.Contains("\"ProjectMembers\"", overdue, StringComparison.Ordinal);
    }
}
