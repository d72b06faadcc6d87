using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RestorationWorkflow.IntegrationTests.Infrastructure;
using RestorationWorkflow.Web.Features.Evaluations;

namespace RestorationWorkflow.IntegrationTests.Evaluations;

/// <summary>
/// The evaluation of a cycle (D1) and lessons learned (D3) on the command path: validated field by field, audited old →
/// new, only in Evaluation; lessons searched across the projects a caller may read and exported as CSV with a BOM.
/// </summary>
public sealed class EvaluationAndLessonTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task Evaluation_IsValidatedFieldByField_AndAuditedOldToNew()
    {
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        var (id, version, eventId) = await pm.EvaluatedProjectAsync(app, evaluate: false);
        var a3 = (await pm.AddParticipationAsync(id, PeopleApi.Participation(version, "A3"))).Str("id");
        version++;

        var invalid = await (await pm.PostAsJsonAsync($"/api/projects/{id}/evaluations", EvaluationsApi.Evaluation(version, eventId, b =>
        {
            b["effectiveness"] = "";
            b["costRealised"] = 12.345m;
            b["benefits"] = new[] { new { category = "jobsAndLivelihoods", value = (decimal?)null, unit = "", description = "" } };
        }))).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["benefits[0].unit", "benefits[0].value", "costRealised", "effectiveness"], invalid.ErrorFields().Order(StringComparer.Ordinal));

        // The consultation is a D1 event of this project; categories are A4's.
        var wrong = await (await pm.PostAsJsonAsync($"/api/projects/{id}/evaluations", EvaluationsApi.Evaluation(version, a3, b =>
            b["benefits"] = new[] { new { category = "happiness", value = 1m, unit = "smiles", description = "" } }))).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["benefits[0].category", "participationEventId"], wrong.ErrorFields().Order(StringComparer.Ordinal));
        Assert.Equal(0, await app.QueryDbAsync(db => db.Evaluations.CountAsync(e => e.ProjectId == id)));

        var created = await pm.RecordEvaluationAsync(id, EvaluationsApi.Evaluation(version, eventId));
        var evaluation = created.GetProperty("evaluation");
        Assert.Equal(1, evaluation.Number("cycle"));
        Assert.Equal(23, evaluation.GetProperty("consultation").Number("iplcMembers"));
        Assert.Equal("就业和生计", (await ReadZhAsync(id)).GetProperty("evaluations")[0].GetProperty("benefits")[0].Str("categoryLabel"));
        var twice = await (await pm.PostAsJsonAsync($"/api/projects/{id}/evaluations", EvaluationsApi.Evaluation(created.Number("version"), eventId)))
            .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(["evaluation"], twice.Guards("unmet"));

        var revised = await (await pm.PutAsJsonAsync($"/api/projects/{id}/evaluations/{evaluation.Str("id")}",
            EvaluationsApi.Evaluation(created.Number("version"), eventId, b => b["impact"] = "Water table up 35 cm."))).ExpectAsync(HttpStatusCode.OK);
        var changes = await app.QueryDbAsync(db => db.AuditEvents.Where(e => e.ProjectId == id && e.Action == "evaluation.revised").Select(e => e.Changes).SingleAsync());
        using (var json = JsonDocument.Parse(changes))
        {
            var impact = json.RootElement.GetProperty($"evaluations.{evaluation.Str("id")}.impact");
            Assert.Equal(("Water table up 20 cm in the dry season.", "Water table up 35 cm."), (impact.Str("old"), impact.Str("new")));
            Assert.Single(json.RootElement.EnumerateObject());
        }
        var stale = await (await pm.PutAsJsonAsync($"/api/projects/{id}/evaluations/{evaluation.Str("id")}",
            EvaluationsApi.Evaluation(created.Number("version"), eventId))).ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(revised.Number("version"), stale.Number("currentVersion"));

        // The consultation of an evaluation is kept.
        var remove = await (await pm.DeleteAsync($"/api/projects/{id}/participation/{eventId}?expectedVersion={revised.Number("version")}"))
            .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(["evaluations"], remove.Guards("unmet"));
    }

    [Fact]
    public async Task Evaluation_OutsideEvaluation_Is422_AndOtherManagers403()
    {
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        var (id, _, _, version) = await pm.MonitoredProjectAsync(app, "Monitoring");
        var eventId = (await pm.AddParticipationAsync(id, PeopleApi.Participation(version, "D1"))).Str("id");
        var refused = await (await pm.PostAsJsonAsync($"/api/projects/{id}/evaluations", EvaluationsApi.Evaluation(version + 1, eventId)))
            .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(["state"], refused.Guards("unmet"));
        using var pm2 = await app.ClientForAsync(DemoUsers.Pm2);
        await (await pm2.PostAsJsonAsync($"/api/projects/{id}/evaluations", EvaluationsApi.Evaluation(version + 1, eventId))).ExpectProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Lessons_AreFoundAcrossProjects_ByTextTopicAndCountry_OnlyByReaders()
    {
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        using var pm2 = await app.ClientForAsync(DemoUsers.Pm2);
        var marker = $"mangrove{Guid.NewGuid():N}"[..20];
        var p1 = await pm.CreateProjectAsync();
        await pm.AddLessonAsync(p1, EvaluationsApi.Lesson(1, "funding", $"Budget weeding for {marker} plots."));
        var p2 = await pm2.CreateProjectWithAsync(new Dictionary<string, object?>((IDictionary<string, object?>)ToDictionary(ProjectsApi.ValidRequest("Cross-project lessons"))) { ["country"] = "CN" });
        await pm2.AddLessonAsync(p2, EvaluationsApi.Lesson(1, "monitoring", $"Drone surveys of {marker.ToUpperInvariant()} stands save time."));

        // Any reader finds both, case-insensitively; topic and country narrow the search.
        using var auditor = await app.ClientForAsync(DemoUsers.Auditor);
        var all = await (await auditor.GetAsync($"/api/lessons?q={marker}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(2, all.Number("total"));
        Assert.Equal([p2, p1], all.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("projectId").GetGuid()));
        var monitoring = await (await auditor.GetAsync($"/api/lessons?q={marker}&topic=monitoring")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(p2, Assert.Single(monitoring.GetProperty("items").EnumerateArray()).GetProperty("projectId").GetGuid());
        var kenya = await (await auditor.GetAsync($"/api/lessons?q={marker}&country=ke")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(p1, Assert.Single(kenya.GetProperty("items").EnumerateArray()).GetProperty("projectId").GetGuid());
        var bad = await (await auditor.GetAsync("/api/lessons?topic=gardening&country=XX&page=0")).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["country", "page", "topic"], bad.ErrorFields().Order(StringComparer.Ordinal));

        // Read rights: no sign-in, no lessons; a principal holding no role reads no project, so no lesson.
        using var anonymous = app.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/lessons")).StatusCode);
        await using var scope = app.Scope();
        var search = scope.ServiceProvider.GetRequiredService<LessonSearch>();
        var noRole = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, "x")], "test"));
        Assert.Equal(0, (await search.SearchAsync(new LessonQuery(marker, null, null), noRole, default)).Total);
        var reader = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, "x"), new Claim(ClaimTypes.Role, "Auditor")], "test"));
        Assert.Equal(2, (await search.SearchAsync(new LessonQuery(marker, null, null), reader, default)).Total);

        // Only the project's managers write them.
        await (await pm2.PostAsJsonAsync($"/api/projects/{p1}/lessons", EvaluationsApi.Lesson(2))).ExpectProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task LessonsCsv_HasABom_TheHeaderColumns_ChineseText_AndNoFormulas()
    {
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        var marker = $"csv{Guid.NewGuid():N}"[..16];
        await pm.AddLessonAsync(id, new
        {
            topic = "planning", whatWorked = $"{marker} 社区苗圃降低了成本", whatDidNot = "=HYPERLINK(\"http://example.org\")", recommendation = "提前规划, \"后续\" 年份", expectedVersion = 1,
        });

        var response = await pm.GetAsync($"/api/lessons/export?q={marker}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3).Split("\r\n");
        Assert.Equal("projectCode,projectName,country,topic,whatWorked,whatDidNot,recommendation,recordedOn", lines[0]);
        Assert.Equal(3, lines.Length);
        Assert.Equal("", lines[2]);
        Assert.Contains($"{marker} 社区苗圃降低了成本", lines[1], StringComparison.Ordinal);
        Assert.Contains("\"提前规划, \"\"后续\"\" 年份\"", lines[1], StringComparison.Ordinal);
        Assert.DoesNotContain(",=HYPERLINK", lines[1], StringComparison.Ordinal);
        Assert.DoesNotContain(",\"=HYPERLINK", lines[1], StringComparison.Ordinal);
    }

    private async Task<JsonElement> ReadZhAsync(Guid id)
    {
        using var auditor = await app.ClientForAsync(DemoUsers.Auditor);
        auditor.DefaultRequestHeaders.AcceptLanguage.ParseAdd("zh-CN");
        return await (await auditor.GetAsync($"/api/projects/{id}/evaluations")).ExpectAsync(HttpStatusCode.OK);
    }

    private static Dictionary<string, object?> ToDictionary(object value) =>
        value.GetType().GetProperties().ToDictionary(p => p.Name, p => p.GetValue(value), StringComparer.Ordinal);
}
