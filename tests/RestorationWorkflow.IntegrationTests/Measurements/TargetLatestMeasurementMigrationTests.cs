using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.IntegrationTests.Infrastructure;

namespace RestorationWorkflow.IntegrationTests.Measurements;

/// <summary>
/// A database upgraded from before decision 0037 gets each target's latest measurement filled in by the migration
/// <c>TargetLatestMeasurement</c> itself (its UPDATE), equal to what the measurement commands keep: the latest day,
/// then the highest id in the database's order; a target without measurements stays empty. The test rolls a database
/// with measurements back to the migration before (the three columns are gone, as on a database of that release) and
/// upgrades it again. SQLite's migrations (SQL Server's backfill is the same statement in T-SQL, checked by its script;
/// PostgreSQL starts at a single Initial migration that has nothing to backfill).
/// </summary>
[Trait(TestDatabase.Trait, TestDatabase.SqliteOnly)]
public sealed class TargetLatestMeasurementMigrationTests(AppFactory app) : IClassFixture<AppFactory>
{
    private const string MigrationBefore = "20261126060948_AddReports";

    [Fact]
    public async Task Upgrading_a_database_with_measurements_backfills_each_targets_latest()
    {
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        var (id, biomass, jobs, version) = await pm.MonitoredProjectAsync(app);
        await pm.RecordAsync(id, biomass, MeasurementsApi.Measurement(version, "2026-01-15", 41.5m));
        // Two on the latest day: the higher id is the latest, whichever was recorded last.
        await pm.RecordAsync(id, biomass, MeasurementsApi.Measurement(version + 1, "2026-06-01", 43.3m));
        await pm.RecordAsync(id, biomass, MeasurementsApi.Measurement(version + 2, "2026-06-01", 42.9m));
        await pm.RecordAsync(id, biomass, MeasurementsApi.Measurement(version + 3, "2025-11-01", 40m));
        var kept = await LatestAsync(biomass);
        Assert.NotNull(kept);
        Assert.Null(await LatestAsync(jobs));

        await app.MigrateToAsync(MigrationBefore);
        Assert.DoesNotContain("LatestMeasuredOn", await app.SqliteColumnsAsync("RestorationTargets"));

        await app.MigrateToAsync(null);
        Assert.Contains("LatestMeasuredOn", await app.SqliteColumnsAsync("RestorationTargets"));
        Assert.Equal(kept, await LatestAsync(biomass));
        Assert.Null(await LatestAsync(jobs));
        var truth = await app.QueryDbAsync(db => db.Measurements.AsNoTracking().Where(m => m.TargetId == biomass)
            .OrderByDescending(m => m.MeasuredOn).ThenByDescending(m => m.Id)
            .Select(m => new Latest(m.MeasuredOn, m.Id, m.Value)).FirstAsync());
        Assert.Equal(truth, await LatestAsync(biomass));
    }

    private sealed record Latest(DateOnly MeasuredOn, Guid Id, decimal Value);

    private Task<Latest?> LatestAsync(Guid targetId) =>
        app.QueryDbAsync(db => db.RestorationTargets.AsNoTracking().Where(t => t.Id == targetId)
            .Select(t => t.LatestMeasuredOn == null ? null : new Latest(t.LatestMeasuredOn.Value, t.LatestMeasurementId!.Value, t.LatestValue!.Value))
            .SingleAsync());
}
