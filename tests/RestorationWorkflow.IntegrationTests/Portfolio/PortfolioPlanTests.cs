using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RestorationWorkflow.Data;
using RestorationWorkflow.IntegrationTests.Infrastructure;
using RestorationWorkflow.Web.Features.Portfolio;

namespace RestorationWorkflow.IntegrationTests.Portfolio;

/// <summary>
/// How SQLite runs three of the dashboard's statements (decision 0052), read from its own plan of what the reader sends:
/// the recent decisions walk the decisions' date index and stop before their projects are read, instead of scanning every
/// project and sorting their decisions (what SQLite did once the projects outnumbered the decisions); whether any target
/// is undecided is three range seeks of the status index, not a scan of it; a scope's targets by status are probed
/// against the set of its project ids, read once, not each target's project looked up.
/// </summary>
[Trait(TestDatabase.Trait, TestDatabase.SqliteOnly)]
public sealed partial class PortfolioPlanTests(AppFactory app) : IClassFixture<AppFactory>
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
        var plan = await PlanAsync(db, decisions);
        // The newest decisions are limited on their own (a subquery SQLite materializes), whatever it knows of the tables'
        // sizes: joined to the projects before the limit, it scans the projects once they outnumber the decisions.
        Assert.Contains(plan, step => step.StartsWith("MATERIALIZE", StringComparison.Ordinal) || step.StartsWith("CO-ROUTINE", StringComparison.Ordinal));
        Assert.Contains(plan, step => step.Contains("IX_AdaptiveDecisions_DecidedAt", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, step => step.StartsWith("SCAN p", StringComparison.Ordinal));

        var undecided = commands.Where(c => c.Contains("FROM \"RestorationTargets\"", StringComparison.Ordinal) && c.Contains("EXISTS", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, undecided.Count);
        foreach (var statement in undecided)
        {
            var steps = await PlanAsync(db, statement);
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
        var plan = await PlanAsync(db, byStatus);
        Assert.Contains(plan, step => step.StartsWith("LIST SUBQUERY", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, step => step.StartsWith("CORRELATED", StringComparison.Ordinal));
    }

    /// <summary>SQLite's plan of <paramref name="sql"/>, its parameters left unbound (null): the plan does not depend on their values.</summary>
    private static async Task<List<string>> PlanAsync(AppDbContext db, string sql)
    {
        await db.Database.OpenConnectionAsync();
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = "EXPLAIN QUERY PLAN " + sql;
            foreach (var name in Parameter().Matches(sql).Select(m => m.Value).Distinct(StringComparer.Ordinal))
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = name;
                parameter.Value = DBNull.Value;
                command.Parameters.Add(parameter);
            }
            var plan = new List<string>();
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
                plan.Add(reader.GetString(3).Trim());
            return plan;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    [GeneratedRegex(@"@\w+")]
    private static partial Regex Parameter();
}
