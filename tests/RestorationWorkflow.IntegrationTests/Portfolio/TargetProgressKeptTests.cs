using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RestorationWorkflow.Data;
using RestorationWorkflow.IntegrationTests.Infrastructure;
using RestorationWorkflow.Projects.Targets;
using RestorationWorkflow.Web.Features.Measurements;
using RestorationWorkflow.Web.Features.Portfolio;

namespace RestorationWorkflow.IntegrationTests.Portfolio;

/// <summary>
/// Each target keeps the status of the rule of decision 0031 on its row (decision 0044), decided when it is saved, on
/// the database under test: targets built to sit on every edge of the rule (exactly on a threshold, on the band's edge,
/// before and on the baseline date, at and after the deadline, a deadline on the baseline date, no quantity, a zero
/// quantity, percentages of a zero or negative baseline) and seeded random ones. The portfolio's grouped counts, the
/// per-project statuses and the project filter agree with the rule, also for rows decided under other thresholds or never,
/// which the start-up pass then decides.
/// </summary>
public sealed class TargetProgressKeptTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static readonly DateOnly Baseline = new(2022, 1, 1);

    private static IEnumerable<(decimal B, string Action, decimal? Q, bool Percent, DateOnly Deadline, DateOnly? On, decimal? M, string Source)> Cases()
    {
        decimal[] baselines = [0m, 0.1m, 12.5m, -40m, 1234.5678m];
        (decimal? Q, bool Percent)[] quantities = [(null, false), (0m, false), (0m, true), (0.2m, false), (25m, true), (3.3333m, true)];
        DateOnly[] deadlines = [Baseline, new(2027, 1, 1), new(2021, 6, 1)];
        double[] ratios = [0.8, 0.5, 1.25, -0.3];
        foreach (var b in baselines)
        {
            foreach (var (q, percent) in quantities)
            {
                foreach (var deadline in deadlines)
                {
                    foreach (var action in new[] { TargetActions.Increase, TargetActions.Reduce, TargetActions.Maintain })
                    {
                        var details = Details(b, action, q, percent, deadline);
                        var (aim, band) = TargetProgress.Aim(details, new ProgressThresholds());
                        yield return (b, action, q, percent, deadline, null, null, "Edge");
                        yield return (b, action, q, percent, deadline, Baseline.AddDays(-1), decimal.Round(aim, 4), "Edge");
                        foreach (var day in new[] { Baseline, deadline, deadline.AddDays(30), new DateOnly(2024, 7, 1) })
                        {
                            var expected = TargetProgress.ExpectedAt(details, aim, day);
                            foreach (var r in ratios)
                            {
                                // Increase, reduce: measured change = ratio × expected change. Maintain: on the band's edge,
                                // or as far out as the ratio says (deviation = band ÷ ratio).
                                var m = band is { } half
                                    ? r > 0 ? aim + half / (decimal)r : aim + half
                                    : b + (decimal)r * (expected - b);
                                // Four decimals, as every value the app accepts (and as PostgreSQL and SQL Server keep them).
                                yield return (b, action, q, percent, deadline, day, decimal.Round(m, 4), "Edge");
                            }
                        }
                    }
                }
            }
        }
        var random = new Random(20261126);
        for (var i = 0; i < 500; i++)
        {
            var b = Math.Round((decimal)(random.NextDouble() * 2000 - 500), random.Next(0, 5));
            var action = new[] { TargetActions.Increase, TargetActions.Reduce, TargetActions.Maintain }[random.Next(3)];
            decimal? q = random.Next(5) == 0 ? null : Math.Round((decimal)(random.NextDouble() * 300), random.Next(0, 5));
            var deadline = Baseline.AddDays(random.Next(-100, 4000));
            var on = Baseline.AddDays(random.Next(-50, 4500));
            var m = Math.Round(b + (decimal)(random.NextDouble() * 600 - 200), random.Next(0, 5));
            yield return (b, action, q, random.Next(2) == 0, deadline, on, m, RandomSource);
        }
    }

    /// <summary>The random targets' baseline source (the others are "Edge").</summary>
    private const string RandomSource = "Random";

    private static TargetDetails Details(decimal b, string action, decimal? q, bool percent, DateOnly deadline, string source = "Edge") =>
        new("biodiversity", "custom", "Status test", "ha", new TargetBaseline(b, Baseline, source), action, q, percent, deadline, 12, []);

    [Fact]
    public async Task Every_saved_target_keeps_the_rule_s_status_and_the_counts_and_the_filter_agree_even_for_rows_not_yet_decided()
    {
        var pm = await app.ClientForAsync("pm@example.org");
        var projectId = await pm.CreateProjectAsync("Kept status");
        var cases = Cases().ToList();
        var now = DateTimeOffset.UtcNow;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            foreach (var c in cases)
            {
                var target = RestorationTarget.Create(projectId, Details(c.B, c.Action, c.Q, c.Percent, c.Deadline, c.Source), now);
                if (c.On is { } on)
                    target.SetLatest(on, Guid.CreateVersion7(), c.M);
                db.RestorationTargets.Add(target);
            }
            await db.SaveChangesAsync();
        }

        await using var read = app.Services.CreateAsyncScope();
        var context = read.ServiceProvider.GetRequiredService<AppDbContext>();
        var targets = read.ServiceProvider.GetRequiredService<PortfolioTargets>();
        var thresholds = targets.Thresholds;
        var project = context.Projects.AsNoTracking().Where(p => p.Id == projectId);
        // The rule on the values as the database keeps them (PostgreSQL rounds to the column's four decimals).
        async Task<List<RestorationTarget>> StoredAsync() =>
            await context.RestorationTargets.AsNoTracking().Where(t => t.ProjectId == projectId).ToListAsync();
        ProgressStatus Rule(RestorationTarget t) => TargetProgress.Evaluate(t.Details,
            t.LatestMeasuredOn is { } on && t.LatestValue is { } value ? [new MeasuredPoint(on, value)] : [], thresholds).Status;
        var stored = await StoredAsync();
        Assert.Equal(cases.Count, stored.Count);
        var rule = stored.ToDictionary(t => t.Id, Rule);
        foreach (var status in Enum.GetValues<ProgressStatus>())
            Assert.Contains(status, rule.Values);

        // Saving decided every target (the save interceptor), under the configured thresholds.
        var wrong = stored.Where(t => t.Progress != rule[t.Id] || t.ProgressRule != thresholds.Key)
            .Select(t => $"{t.Action} b={t.BaselineValue} q={t.Quantity}{(t.QuantityIsPercent ? "%" : "")} deadline={t.Deadline} on={t.LatestMeasuredOn} m={t.LatestValue}: kept {t.Progress} ({t.ProgressRule}), rule {rule[t.Id]}")
            .ToList();
        Assert.True(wrong.Count == 0, $"{wrong.Count} targets keep another status:\n" + string.Join("\n", wrong.Take(20)));
        await AgreeAsync();

        // Rows decided under other thresholds, or never (a bulk load), and wrongly: the figures still follow the rule.
        var some = stored.Where((t, i) => i % 3 == 0).Select(t => t.Id).ToList();
        await context.RestorationTargets.Where(t => some.Contains(t.Id) && t.Progress == ProgressStatus.OnTrack)
            .ExecuteUpdateAsync(u => u.SetProperty(t => t.Progress, ProgressStatus.OffTrack).SetProperty(t => t.ProgressRule, "0.9/0.1/5"));
        await context.RestorationTargets.Where(t => some.Contains(t.Id) && t.Progress != ProgressStatus.OffTrack)
            .ExecuteUpdateAsync(u => u.SetProperty(t => t.Progress, (ProgressStatus?)null).SetProperty(t => t.ProgressRule, (string?)null));
        Assert.Contains(await StoredAsync(), t => t.ProgressRule == null);
        await AgreeAsync();

        // The start-up pass decides them again; a second pass finds nothing left.
        var backfill = read.ServiceProvider.GetRequiredService<TargetProgressBackfill>();
        Assert.Equal(some.Count(id => rule[id] != ProgressStatus.OffTrack), await backfill.RunAsync(default));
        Assert.All(await StoredAsync(), t => Assert.True(t.Progress == rule[t.Id] && t.ProgressRule == thresholds.Key, $"{t.Id}: {t.Progress} ({t.ProgressRule})"));
        Assert.Equal(0, await backfill.RunAsync(default));
        await AgreeAsync();

        async Task AgreeAsync()
        {
            var counts = await targets.CountsAsync(new PortfolioProjects(project, project, Every: false), default);
            foreach (var status in Enum.GetValues<ProgressStatus>())
            {
                var expected = rule.Values.Count(s => s == status);
                Assert.Equal((expected, expected > 0 ? 1 : 0), counts.GetValueOrDefault(status));
            }
            var statuses = await targets.StatusesAsync(project, default);
            Assert.Equal(rule.Values.Order(), statuses.Select(s => s.Status).Order());
            foreach (var status in Enum.GetValues<ProgressStatus>())
            {
                var filtered = await (await targets.WithStatusAsync(project, TargetProgress.Code(status), default)).Select(p => p.Id).ToListAsync();
                Assert.Equal([projectId], filtered);
            }
        }
    }
}
