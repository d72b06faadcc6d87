using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.IntegrationTests.Infrastructure;

namespace RestorationWorkflow.IntegrationTests.Measurements;

/// <summary>
/// <c>POST /api/projects/{id}/measurements/import</c>: a preview reads every row and names every bad row's line and
/// reason in both languages without writing; an import with any bad row writes nothing (422 listing them); a good file
/// is recorded in one command with one audit event; the size and row limits answer 413 and 400.
/// </summary>
public sealed class MeasurementImportTests(MeasurementImportTests.SmallLimitsApp app) : IClassFixture<MeasurementImportTests.SmallLimitsApp>
{
    /// <summary>The app with limits small enough to reach: 4 rows, 2 KB.</summary>
    public sealed class SmallLimitsApp : AppFactory
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Monitoring:ImportMaxRows"] = "4",
            ["Monitoring:ImportMaxKilobytes"] = "2",
        };
    }

    private const string Header = "target,date,value,unit,method,measuredBy,notes";

    private static string Good(Guid biomass) => string.Join("\n",
        Header,
        "vegetationBiomass,2026-01-15,41.5,t/ha,Plot survey,A. Wanjiru,",
        $"{biomass},2026-06-01,43.4,t/ha,Plot survey,A. Wanjiru,\"Ten plots, one burnt\"",
        "jobsCreated,2026-06-30,7,jobs,Payroll records,B. Otieno,Season 1") + "\n";

    [Fact]
    public async Task One_bad_row_imports_nothing_and_the_preview_names_its_line_and_reason_in_both_languages()
    {
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        var (id, _, _, version) = await pm.MonitoredProjectAsync(app);
        var csv = string.Join("\n",
            Header,
            "vegetationBiomass,2026-01-15,41.5,t/ha,Plot survey,A. Wanjiru,",
            "vegetationBiomass,2026-06-01,43.4,kg/ha,Plot survey,A. Wanjiru,",
            "jobsCreated,2026-06-30,7,jobs,Payroll records,B. Otieno,") + "\n";
        var before = await app.SnapshotAsync(id);

        var preview = await (await pm.ImportAsync(id, csv, preview: true)).ExpectAsync(HttpStatusCode.OK);
        Assert.False(preview.GetProperty("valid").GetBoolean());
        Assert.Equal(3, preview.Number("rowCount"));
        Assert.Equal([2, 4], preview.GetProperty("rows").EnumerateArray().Select(r => r.Number("line")));
        var bad = Assert.Single(preview.GetProperty("badRows").EnumerateArray());
        Assert.Equal(3, bad.Number("line"));
        var error = Assert.Single(bad.GetProperty("errors").EnumerateArray());
        Assert.Equal("unit", error.Str("field"));
        Assert.Contains("t/ha", error.GetProperty("message").Str("en"), StringComparison.Ordinal);
        Assert.Contains("单位", error.GetProperty("message").Str("zh-Hans"), StringComparison.Ordinal);

        var refused = await (await pm.ImportAsync(id, csv, preview: false, version)).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal([3], refused.GetProperty("badRows").EnumerateArray().Select(r => r.Number("line")));
        Assert.Equal(["rows"], refused.Guards("unmet"));

        Assert.Equal(0, await app.MeasurementCountAsync(id));
        Assert.Equal(before, await app.SnapshotAsync(id));
    }

    [Fact]
    public async Task A_preview_of_a_good_file_writes_nothing_and_the_import_writes_every_row_with_one_audit_event()
    {
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        var (id, biomass, jobs, version) = await pm.MonitoredProjectAsync(app);
        var before = await app.SnapshotAsync(id);

        var preview = await (await pm.ImportAsync(id, Good(biomass), preview: true)).ExpectAsync(HttpStatusCode.OK);
        Assert.True(preview.GetProperty("valid").GetBoolean());
        Assert.Equal(3, preview.GetProperty("rows").GetArrayLength());
        Assert.Equal("Ten plots, one burnt", preview.GetProperty("rows")[1].Str("notes"));
        Assert.Equal(before, await app.SnapshotAsync(id));
        Assert.Equal(0, await app.MeasurementCountAsync(id));

        // Without the version: 400; with an old one: 409; nothing written either way.
        Assert.Contains("expectedVersion", (await (await pm.ImportAsync(id, Good(biomass), preview: false)).ExpectProblemAsync(HttpStatusCode.BadRequest)).ErrorFields());
        await (await pm.ImportAsync(id, Good(biomass), preview: false, version - 1)).ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(0, await app.MeasurementCountAsync(id));

        var imported = await (await pm.ImportAsync(id, Good(biomass), preview: false, version)).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(3, imported.Number("imported"));
        Assert.Equal(version + 1, imported.Number("version"));
        Assert.Equal(3, await app.MeasurementCountAsync(id));
        var after = await app.SnapshotAsync(id);
        Assert.Equal(before.AuditEvents + 1, after.AuditEvents);
        var changes = await app.QueryDbAsync(db => db.AuditEvents.Where(e => e.ProjectId == id).OrderByDescending(e => e.Sequence)
            .Select(e => new { e.Action, e.Changes }).FirstAsync());
        Assert.Equal("measurements.imported", changes.Action);
        using var json = JsonDocument.Parse(changes.Changes);
        Assert.Equal(3, json.RootElement.GetProperty("measurements.import.rows").GetProperty("new").GetInt32());
        Assert.Contains($"{biomass}: 2", json.RootElement.GetProperty("measurements.import.targets").Str("new"), StringComparison.Ordinal);
        Assert.Contains($"{jobs}: 1", json.RootElement.GetProperty("measurements.import.targets").Str("new"), StringComparison.Ordinal);

        using var auditor = await app.ClientForAsync(DemoUsers.Auditor);
        var list = await (await auditor.GetAsync(MeasurementsApi.Path(id, biomass))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(["2026-01-15", "2026-06-01"], list.GetProperty("items").EnumerateArray().Select(i => i.Str("measuredOn")));
        Assert.Equal("onTrack", list.GetProperty("progress").Str("status"));
    }

    [Fact]
    public async Task A_multipart_upload_with_a_bom_and_crlf_works_as_the_text_body_does()
    {
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        var (id, biomass, _, version) = await pm.MonitoredProjectAsync(app);
        using var form = new MultipartFormDataContent();
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(Good(biomass).Replace("\n", "\r\n", StringComparison.Ordinal))).ToArray();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", "results.csv");
        form.Add(new StringContent(version.ToString(System.Globalization.CultureInfo.InvariantCulture)), "expectedVersion");

        var imported = await (await pm.PostAsync($"/api/projects/{id}/measurements/import?preview=false", form)).ExpectAsync(HttpStatusCode.Created);

        Assert.Equal(3, imported.Number("imported"));
    }

    [Fact]
    public async Task Every_kind_of_bad_row_is_reported_by_line()
    {
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        var (id, _, _, _) = await pm.MonitoredProjectAsync(app);
        var csv = string.Join("\n",
            Header,
            "unknownIndicator,2026-01-15,41.5,t/ha,Plot survey,A. Wanjiru,",
            "vegetationBiomass,15/01/2026,1.234,5,t/ha,Plot survey,A. Wanjiru,",
            "vegetationBiomass,2026-01-15,\"1,5\",t/ha,Plot survey,,",
            "vegetationBiomass,2999-01-01,41.5,t/ha,Plot survey,A. Wanjiru,") + "\n";

        var preview = await (await pm.ImportAsync(id, csv, preview: true)).ExpectAsync(HttpStatusCode.OK);

        var bad = preview.GetProperty("badRows").EnumerateArray().ToDictionary(r => r.Number("line"), r => r.GetProperty("errors").EnumerateArray().Select(e => e.Str("field")).ToList());
        Assert.Equal([2, 3, 4, 5], bad.Keys);
        Assert.Equal(["target"], bad[2]);
        Assert.Equal(["row"], bad[3]);
        Assert.Equal(["value", "measuredBy"], bad[4]);
        Assert.Equal(["date"], bad[5]);
        Assert.Equal(0, await app.MeasurementCountAsync(id));
    }

    [Fact]
    public async Task The_limits_answer_413_for_size_and_400_for_rows_and_a_bad_header_names_its_column()
    {
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        var (id, _, _, version) = await pm.MonitoredProjectAsync(app);
        var row = "vegetationBiomass,2026-01-15,41.5,t/ha,Plot survey,A. Wanjiru,";

        var tooMany = await (await pm.ImportAsync(id, string.Join("\n", [Header, .. Enumerable.Repeat(row, 5)]), preview: true))
            .ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["file"], tooMany.ErrorFields());
        Assert.Contains("4", tooMany.ErrorsOf("file")[0], StringComparison.Ordinal);

        var tooLarge = await (await pm.ImportAsync(id, Header + "\n" + row + new string(' ', 3000), preview: false, version))
            .ExpectProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("2 KB", tooLarge.Str("detail"), StringComparison.Ordinal);

        var header = await (await pm.ImportAsync(id, "target,date,value,unit,methd,measuredBy\n" + row + "\n", preview: true)).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("methd", header.ErrorsOf("file")[0], StringComparison.Ordinal);

        var notCsv = await pm.PostAsync($"/api/projects/{id}/measurements/import?preview=true", new StringContent("{}", Encoding.UTF8, "application/json"));
        await notCsv.ExpectProblemAsync(HttpStatusCode.UnsupportedMediaType);

        var latin1 = new ByteArrayContent([.. Encoding.ASCII.GetBytes(Header + "\nvegetationBiomass,2026-01-15,41.5,t/ha,Plot,Ren"), 0xE9, (byte)'\n']);
        latin1.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        var encoding = await (await pm.PostAsync($"/api/projects/{id}/measurements/import?preview=true", latin1)).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["file"], encoding.ErrorFields());
        Assert.Equal(0, await app.MeasurementCountAsync(id));
    }

    [Fact]
    public async Task An_indicator_two_targets_share_must_be_given_by_id()
    {
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        var (id, biomass, _, version) = await pm.MonitoredProjectAsync(app, "Draft");
        await pm.AddTargetAsync(id, TargetsApi.Environmental(version, b => b["deadline"] = "2030-06-30"));
        await app.ForceStateAsync(id, "Monitoring");

        var preview = await (await pm.ImportAsync(id, Good(biomass), preview: true)).ExpectAsync(HttpStatusCode.OK);

        var bad = Assert.Single(preview.GetProperty("badRows").EnumerateArray());
        Assert.Equal(2, bad.Number("line"));
        Assert.Contains("2 targets", bad.GetProperty("errors")[0].GetProperty("message").Str("en"), StringComparison.Ordinal);
        Assert.Equal(2, preview.GetProperty("rows").GetArrayLength());
    }
}
