using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.IntegrationTests.Infrastructure;

namespace RestorationWorkflow.IntegrationTests.Measurements;

/// <summary>
/// <c>/api/projects/{id}/targets/{targetId}/measurements</c>: a manager records, corrects and deletes measurements through
/// the command path (audited old → new, 409 on a stale version); the unit must be the target's; every reader sees them
/// with the target's progress; measurements are taken from planning on and after closure, not before or when cancelled.
/// </summary>
public sealed class MeasurementsApiTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task Record_Read_Correct_Delete_AuditedOldToNew_WithTheProgress()
    {
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        var (id, biomass, _, version) = await pm.MonitoredProjectAsync(app);

        var response = await pm.PostAsJsonAsync(MeasurementsApi.Path(id, biomass), MeasurementsApi.Measurement(version));
        var created = await response.ExpectAsync(HttpStatusCode.Created);
        var measurementId = created.GetProperty("measurement").GetProperty("id").GetGuid();
        Assert.Equal($"{MeasurementsApi.Path(id, biomass)}/{measurementId}", response.Headers.Location?.OriginalString);
        Assert.Equal(version + 1, created.Number("version"));
        // 2026-06-01 is 365 of 2220 days from the baseline to the deadline: 43.288 t/ha expected, 43.3 measured.
        var progress = created.GetProperty("progress");
        Assert.Equal("onTrack", progress.Str("status"));
        Assert.Equal("进展正常", progress.GetProperty("statusLabel").Str("zh-Hans"));
        Assert.Equal(60m, progress.GetProperty("targetValue").GetDecimal());
        Assert.Equal(43.2883m, progress.GetProperty("expectedAtLatest").GetDecimal());

        using var auditor = await app.ClientForAsync(DemoUsers.Auditor);
        var list = await (await auditor.GetAsync(MeasurementsApi.Path(id, biomass))).ExpectAsync(HttpStatusCode.OK);
        var item = Assert.Single(list.GetProperty("items").EnumerateArray());
        Assert.Equal("2026-06-01", item.Str("measuredOn"));
        Assert.Equal(43.3m, item.GetProperty("value").GetDecimal());
        Assert.Equal("A. Wanjiru", item.Str("measuredBy"));
        Assert.Equal("t/ha", list.Str("unit"));

        // A stale version is a 409 and changes nothing.
        var stale = await pm.PutAsJsonAsync($"{MeasurementsApi.Path(id, biomass)}/{measurementId}", MeasurementsApi.Measurement(version, value: 41m));
        Assert.Equal(version + 1, (await stale.ExpectProblemAsync(HttpStatusCode.Conflict)).Number("currentVersion"));

        // Falling behind: 40.5 t/ha is 0.15 of the expected change, off track.
        var corrected = await (await pm.PutAsJsonAsync($"{MeasurementsApi.Path(id, biomass)}/{measurementId}",
            MeasurementsApi.Measurement(version + 1, value: 40.5m))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("offTrack", corrected.GetProperty("progress").Str("status"));
        var changes = await app.QueryDbAsync(db => db.AuditEvents.Where(e => e.ProjectId == id && e.Action == "measurement.corrected").Select(e => e.Changes).SingleAsync());
        using (var json = JsonDocument.Parse(changes))
        {
            var value = json.RootElement.GetProperty($"measurements.{measurementId}.value");
            Assert.Equal(("43.3", "40.5"), (value.Str("old"), value.Str("new")));
            Assert.Single(json.RootElement.EnumerateObject());
        }

        var deleted = await (await pm.DeleteAsync($"{MeasurementsApi.Path(id, biomass)}/{measurementId}?expectedVersion={version + 2}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("noData", deleted.GetProperty("progress").Str("status"));
        Assert.Equal(0, await app.MeasurementCountAsync(id));
        Assert.Equal(["measurement.recorded", "measurement.corrected", "measurement.deleted"],
            (await app.AuditActionsAsync(id)).Where(a => a.StartsWith("measurement", StringComparison.Ordinal)));

        // The audit chain still verifies.
        var verify = await (await auditor.GetAsync($"/api/projects/{id}/audit/verify")).ExpectAsync(HttpStatusCode.OK);
        Assert.True(verify.GetProperty("valid").GetBoolean(), verify.ToString());
    }

    [Fact]
    public async Task A_unit_other_than_the_targets_is_refused_under_unit_and_nothing_is_written()
    {
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        var (id, biomass, jobs, version) = await pm.MonitoredProjectAsync(app);

        var problem = await (await pm.PostAsJsonAsync(MeasurementsApi.Path(id, biomass), MeasurementsApi.Measurement(version, change: b => b["unit"] = "kg/ha")))
            .ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["unit"], problem.ErrorFields());
        Assert.Contains("t/ha", problem.ErrorsOf("unit")[0], StringComparison.Ordinal);
        // The jobs target counts in jobs.
        var jobsProblem = await (await pm.PostAsJsonAsync(MeasurementsApi.Path(id, jobs), MeasurementsApi.Measurement(version)))
            .ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["unit"], jobsProblem.ErrorFields());
        var missing = await (await pm.PostAsJsonAsync(MeasurementsApi.Path(id, biomass), MeasurementsApi.Measurement(version, change: b =>
        {
            b.Remove("unit");
            b.Remove("measuredBy");
            b["measuredOn"] = "2999-01-01";
        }))).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["measuredBy", "measuredOn", "unit"], missing.ErrorFields().Order(StringComparer.Ordinal));

        Assert.Equal(0, await app.MeasurementCountAsync(id));
        Assert.Equal(version, (await app.SnapshotAsync(id)).Version);
    }

    [Fact]
    public async Task An_evidence_file_of_another_project_is_refused()
    {
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        var (id, biomass, _, version) = await pm.MonitoredProjectAsync(app);

        var problem = await (await pm.PostAsJsonAsync(MeasurementsApi.Path(id, biomass), MeasurementsApi.Measurement(version, change: b => b["evidenceFileId"] = Guid.NewGuid())))
            .ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["evidenceFileId"], problem.ErrorFields());
    }

    [Fact]
    public async Task Approvers_and_auditors_read_but_never_write_and_unknown_targets_are_404()
    {
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        var (id, biomass, _, version) = await pm.MonitoredProjectAsync(app);
        using var auditor = await app.ClientForAsync(DemoUsers.Auditor);
        using var approver = await app.ClientForAsync(DemoUsers.Approver1);
        using var pm2 = await app.ClientForAsync(DemoUsers.Pm2);

        foreach (var client in new[] { auditor, approver, pm2 })
        {
            var forbidden = await (await client.PostAsJsonAsync(MeasurementsApi.Path(id, biomass), MeasurementsApi.Measurement(version)))
                .ExpectProblemAsync(HttpStatusCode.Forbidden);
            Assert.Contains("roleMember", forbidden.Guards("reasons"));
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(MeasurementsApi.Path(id, biomass))).StatusCode);
        }
        var import = await auditor.ImportAsync(id, "target,date,value,unit,method,measuredBy\nvegetationBiomass,2026-06-01,41,t/ha,Plot,A\n", preview: true);
        await import.ExpectProblemAsync(HttpStatusCode.Forbidden);

        Assert.Equal(HttpStatusCode.NotFound, (await auditor.GetAsync(MeasurementsApi.Path(id, Guid.NewGuid()))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await auditor.GetAsync(MeasurementsApi.Path(Guid.NewGuid(), biomass))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await pm.PostAsJsonAsync(MeasurementsApi.Path(id, Guid.NewGuid()), MeasurementsApi.Measurement(version))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await pm.PutAsJsonAsync($"{MeasurementsApi.Path(id, biomass)}/{Guid.NewGuid()}", MeasurementsApi.Measurement(version))).StatusCode);
        using var anonymous = app.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(MeasurementsApi.Path(id, biomass))).StatusCode);
        Assert.Equal(0, await app.MeasurementCountAsync(id));
    }

    [Theory]
    [InlineData("Planning", true)]
    [InlineData("PlanReview", true)]
    [InlineData("Monitoring", true)]
    [InlineData("EvaluationReview", true)]
    [InlineData("Closed", true)]
    [InlineData("Assessment", false)]
    [InlineData("Suspended", false)]
    [InlineData("Cancelled", false)]
    public async Task Measurements_are_taken_from_planning_on_and_after_closure(string state, bool accepted)
    {
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        var (id, biomass, _, version) = await pm.MonitoredProjectAsync(app, state);

        var response = await pm.PostAsJsonAsync(MeasurementsApi.Path(id, biomass), MeasurementsApi.Measurement(version));

        if (accepted)
        {
            await response.ExpectAsync(HttpStatusCode.Created);
            Assert.Equal(1, await app.MeasurementCountAsync(id));
        }
        else
        {
            var problem = await response.ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
            Assert.Equal(["state"], problem.Guards("unmet"));
            Assert.Equal(0, await app.MeasurementCountAsync(id));
        }
    }

    [Fact]
    public async Task A_target_with_measurements_is_not_removed()
    {
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        var (id, biomass, _, version) = await pm.MonitoredProjectAsync(app, "Planning");
        var recorded = await pm.RecordAsync(id, biomass, MeasurementsApi.Measurement(version));

        var problem = await (await pm.DeleteAsync($"/api/projects/{id}/targets/{biomass}?expectedVersion={recorded.Number("version")}"))
            .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(["measurements"], problem.Guards("unmet"));
        Assert.Equal(1, await app.MeasurementCountAsync(id));
    }
}
