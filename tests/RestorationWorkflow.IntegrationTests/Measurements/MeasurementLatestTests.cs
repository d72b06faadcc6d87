using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.IntegrationTests.Infrastructure;

namespace RestorationWorkflow.IntegrationTests.Measurements;

/// <summary>
/// Each target row keeps its latest measurement (day, id, value) for the portfolio (decision 0037): every measurement
/// command — record, correct (also to an older day), delete, CSV import — leaves it equal to the true latest of the
/// stored measurements (the latest day, then the highest id, in the database's order), in the command's transaction.
/// </summary>
public sealed class MeasurementLatestTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task Record_correct_to_an_older_day_and_delete_the_latest_keep_the_target_rows_latest_true()
    {
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        var (id, biomass, jobs, version) = await pm.MonitoredProjectAsync(app);
        Assert.Null(await LatestAsync(biomass));

        var january = await pm.RecordAsync(id, biomass, MeasurementsApi.Measurement(version, "2026-01-15", 41.5m));
        var januaryId = january.GetProperty("measurement").GetProperty("id").GetGuid();
        Assert.Equal(new Latest(new DateOnly(2026, 1, 15), januaryId, 41.5m), await LatestAsync(biomass));

        var june = await pm.RecordAsync(id, biomass, MeasurementsApi.Measurement(version + 1, "2026-06-01", 43.3m));
        var juneId = june.GetProperty("measurement").GetProperty("id").GetGuid();
        Assert.Equal(new Latest(new DateOnly(2026, 6, 1), juneId, 43.3m), await LatestAsync(biomass));
        await AssertTrueAsync(biomass);
        // The other target is untouched.
        Assert.Null(await LatestAsync(jobs));

        // Corrected to a day before January's: January's is the latest now.
        await (await pm.PutAsJsonAsync($"{MeasurementsApi.Path(id, biomass)}/{juneId}", MeasurementsApi.Measurement(version + 2, "2025-12-01", 42m)))
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(new Latest(new DateOnly(2026, 1, 15), januaryId, 41.5m), await LatestAsync(biomass));
        await AssertTrueAsync(biomass);

        // A correction of the latest's value only moves the value.
        await (await pm.PutAsJsonAsync($"{MeasurementsApi.Path(id, biomass)}/{januaryId}", MeasurementsApi.Measurement(version + 3, "2026-01-15", 41.7m)))
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(new Latest(new DateOnly(2026, 1, 15), januaryId, 41.7m), await LatestAsync(biomass));

        // Deleting the latest falls back to the one before; deleting the last leaves none.
        await (await pm.DeleteAsync($"{MeasurementsApi.Path(id, biomass)}/{januaryId}?expectedVersion={version + 4}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(new Latest(new DateOnly(2025, 12, 1), juneId, 42m), await LatestAsync(biomass));
        await AssertTrueAsync(biomass);
        await (await pm.DeleteAsync($"{MeasurementsApi.Path(id, biomass)}/{juneId}?expectedVersion={version + 5}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Null(await LatestAsync(biomass));
    }

    [Fact]
    public async Task Two_on_the_latest_day_keep_the_highest_id_and_a_refused_command_changes_nothing()
    {
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        var (id, biomass, _, version) = await pm.MonitoredProjectAsync(app);
        await pm.RecordAsync(id, biomass, MeasurementsApi.Measurement(version, "2026-03-01", 41m));
        await pm.RecordAsync(id, biomass, MeasurementsApi.Measurement(version + 1, "2026-03-01", 42m));
        await pm.RecordAsync(id, biomass, MeasurementsApi.Measurement(version + 2, "2026-03-01", 40m));
        await AssertTrueAsync(biomass);
        var before = await LatestAsync(biomass);

        // A refused measurement (another unit) writes nothing, the latest included.
        await (await pm.PostAsJsonAsync(MeasurementsApi.Path(id, biomass), MeasurementsApi.Measurement(version + 3, "2026-09-01", change: b => b["unit"] = "kg/ha")))
            .ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(before, await LatestAsync(biomass));
    }

    [Fact]
    public async Task An_import_sets_each_targets_latest_among_the_stored_and_the_imported_rows()
    {
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        var (id, biomass, jobs, version) = await pm.MonitoredProjectAsync(app);
        var stored = await pm.RecordAsync(id, biomass, MeasurementsApi.Measurement(version, "2026-08-01", 44m));
        var csv = string.Join("\n",
            "target,date,value,unit,method,measuredBy,notes",
            "vegetationBiomass,2026-01-15,41.5,t/ha,Plot survey,A. Wanjiru,",
            "vegetationBiomass,2026-06-01,43.4,t/ha,Plot survey,A. Wanjiru,",
            "jobsCreated,2026-03-31,5,jobs,Payroll records,B. Otieno,",
            "jobsCreated,2026-06-30,7,jobs,Payroll records,B. Otieno,") + "\n";

        await (await pm.ImportAsync(id, csv, preview: false, version + 1)).ExpectAsync(HttpStatusCode.Created);

        // The stored August measurement stays the biomass target's latest; the jobs target's is the imported June row.
        Assert.Equal(new Latest(new DateOnly(2026, 8, 1), stored.GetProperty("measurement").GetProperty("id").GetGuid(), 44m), await LatestAsync(biomass));
        var jobsLatest = await LatestAsync(jobs);
        Assert.Equal((new DateOnly(2026, 6, 30), 7m), (jobsLatest!.MeasuredOn, jobsLatest.Value));
        await AssertTrueAsync(biomass);
        await AssertTrueAsync(jobs);
    }

    private sealed record Latest(DateOnly MeasuredOn, Guid Id, decimal Value);

    private Task<Latest?> LatestAsync(Guid targetId) =>
        app.QueryDbAsync(db => db.RestorationTargets.AsNoTracking().Where(t => t.Id == targetId)
            .Select(t => t.LatestMeasuredOn == null ? null : new Latest(t.LatestMeasuredOn.Value, t.LatestMeasurementId!.Value, t.LatestValue!.Value))
            .SingleAsync());

    /// <summary>The target row's latest equals the latest of its measurements as the database orders them.</summary>
    private async Task AssertTrueAsync(Guid targetId)
    {
        var truth = await app.QueryDbAsync(db => db.Measurements.AsNoTracking().Where(m => m.TargetId == targetId)
            .OrderByDescending(m => m.MeasuredOn).ThenByDescending(m => m.Id)
            .Select(m => new Latest(m.MeasuredOn, m.Id, m.Value)).FirstOrDefaultAsync());
        Assert.Equal(truth, await LatestAsync(targetId));
    }
}
