using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;

namespace RestorationWorkflow.IntegrationTests.Infrastructure;

/// <summary>Arranging projects through <c>/api/projects</c> as a test would by hand.</summary>
public static class ProjectsApi
{
    public static readonly string[] AssessmentSteps = ["A1", "A2", "A3", "A4", "A5", "A6"];

    /// <summary>Steps without a form: ticked on the checklist.</summary>
    public static readonly string[] ChecklistOnlySteps = ["A3", "D1", "D2", "D3"];

    /// <summary>The enabling environment (B): worked in Planning in v2, checked with <see cref="PlanningSteps"/> on SubmitPlan.</summary>
    public static readonly string[] EnablingSteps = ["B1", "B2", "B3", "B4", "B5", "B6", "B7", "B8", "B9"];

    public static readonly string[] PlanningSteps = ["C1", "C2", "C3", "C4"];

    /// <summary>Everything SubmitPlan checks in v2: B1–B9 and C1–C4.</summary>
    public static readonly string[] PlanSubmissionSteps = [.. EnablingSteps, .. PlanningSteps];

    /// <summary>
    /// A project whose registry fields are complete, so StartAssessment's field guard is met. The code is left out
    /// (generated: KE-{year of the start date}-{seq}) unless <paramref name="code"/> is given.
    /// </summary>
    public static object ValidRequest(string name, string? code = null) => new
    {
        name,
        code,
        description = "Re-wetting a drained peatland and replanting its riparian forest.",
        country = "KE",
        region = "Nakuru County",
        scale = "site",
        ecosystemTypes = new[] { "wetland", "forest" },
        naturallyLowTreeCover = false,
        situation = "identifiedConsidered",
        startDate = "2026-03-01",
        lifespanYears = 10,
        budget = 250000.00m,
        currency = "KES",
        leadOrganisation = "Kenya Forest Service",
        areaHectares = 120.5m,
    };

    /// <summary>The body of <c>PUT /api/projects/{id}</c>: <see cref="ValidRequest"/> with its code, changed by <paramref name="change"/>.</summary>
    public static Dictionary<string, object?> UpdateRequest(JsonElement project, int expectedVersion, Action<Dictionary<string, object?>>? change = null)
    {
        var body = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var field in new[] { "name", "code", "description", "country", "region", "scale", "ecosystemTypes", "naturallyLowTreeCover", "situation",
                     "startDate", "lifespanYears", "budget", "currency", "leadOrganisation", "areaHectares" })
            body[field] = project.GetProperty(field).Clone();
        body["expectedVersion"] = expectedVersion;
        change?.Invoke(body);
        return body;
    }

    /// <summary>Creates a project with <paramref name="request"/> (an anonymous object or dictionary) and returns its id.</summary>
    public static async Task<Guid> CreateProjectWithAsync(this HttpClient client, object request)
    {
        ArgumentNullException.ThrowIfNull(client);
        var response = await client.PostAsJsonAsync("/api/projects", request);
        var body = await response.ExpectAsync(HttpStatusCode.Created);
        return body.GetProperty("id").GetGuid();
    }

    /// <summary>Creates a project and returns its id; the version is 1.</summary>
    public static async Task<Guid> CreateProjectAsync(this HttpClient client, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        var response = await client.PostAsJsonAsync("/api/projects", ValidRequest(name ?? $"Project {Guid.NewGuid():N}"));
        var body = await response.ExpectAsync(HttpStatusCode.Created);
        return body.GetProperty("id").GetGuid();
    }

    /// <summary>Fires a transition that must succeed; returns the new version.</summary>
    public static async Task<int> FireAsync(this HttpClient client, Guid id, string trigger, int expectedVersion, string? comment = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        var response = await client.PostAsJsonAsync($"/api/projects/{id}/transitions", new { trigger, comment, expectedVersion });
        var body = await response.ExpectAsync(HttpStatusCode.OK);
        return body.Number("version");
    }

    /// <summary>Sets one checklist step that must succeed; returns the new version.</summary>
    public static async Task<int> SetStepAsync(this HttpClient client, Guid id, string code, int expectedVersion, string status = "done", string? note = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        var response = await client.PutAsJsonAsync($"/api/projects/{id}/checklist/{code}", new { status, note, expectedVersion });
        var body = await response.ExpectAsync(HttpStatusCode.OK);
        return body.Number("version");
    }

    /// <summary>
    /// Settles every step; returns the new version. A step with a form (the checklist shows its <c>formStatus</c>)
    /// gets its form's example values, which are complete (<see cref="FillFormAsync"/>); a step without one is
    /// ticked done on the checklist.
    /// </summary>
    public static async Task<int> CompleteStepsAsync(this HttpClient client, Guid id, IEnumerable<string> codes, int expectedVersion, bool participation = true, bool targets = true)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(codes);
        var checklist = await (await client.GetAsync($"/api/projects/{id}/checklist")).ExpectAsync(HttpStatusCode.OK);
        var withForm = checklist.GetProperty("items").EnumerateArray()
            .Where(i => i.TryGetProperty("formStatus", out var s) && s.ValueKind == JsonValueKind.String)
            .Select(i => i.GetProperty("code").GetString()!).ToHashSet(StringComparer.Ordinal);
        var version = expectedVersion;
        foreach (var code in codes)
        {
            version = withForm.Contains(code) ? await client.FillFormAsync(id, code, version) : await client.SetStepAsync(id, code, version);
            // The steps where the workflow asks for participation (participationRecorded) get a meeting counted by gender.
            if (participation && ParticipationSteps.Contains(code))
                version = (await client.AddParticipationAsync(id, PeopleApi.Participation(version, code))).Number("version");
            // C3 is the plan's measurable objectives: one environmental and one socio-economic SMART target (planHasSmartTargets).
            if (targets && code == "C3")
            {
                version = (await client.AddTargetAsync(id, TargetsApi.Environmental(version))).Number("version");
                version = (await client.AddTargetAsync(id, TargetsApi.SocioEconomic(version))).Number("version");
            }
        }
        return version;
    }

    /// <summary>The codes whose completion includes a participation event (v2's participationRecorded guards: A3, C3, D1).</summary>
    public static readonly IReadOnlySet<string> ParticipationSteps = new HashSet<string>(StringComparer.Ordinal) { "A3", "C3", "D1" };

    /// <summary>The first example of a step's form schema (<c>GET /api/forms/{code}</c>): complete, valid values.</summary>
    public static async Task<JsonElement> ExampleValuesAsync(this HttpClient client, string code)
    {
        ArgumentNullException.ThrowIfNull(client);
        var schema = await (await client.GetAsync($"/api/forms/{code}")).ExpectAsync(HttpStatusCode.OK);
        return schema.GetProperty("examples")[0];
    }

    /// <summary>Saves a step's form with <paramref name="values"/> (default: its schema's example); must succeed; returns the new version.</summary>
    public static async Task<int> FillFormAsync(this HttpClient client, Guid id, string code, int expectedVersion, object? values = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (values is null)
        {
            // The example's site ids (C5's "where") become one of the project's own sites, added if it has none.
            var example = System.Text.Json.Nodes.JsonNode.Parse((await client.ExampleValuesAsync(code)).GetRawText())!;
            if (example.ToJsonString().Contains("\"siteIds\"", StringComparison.Ordinal))
            {
                (var siteId, expectedVersion) = await client.AnySiteAsync(id, expectedVersion);
                ReplaceSiteIds(example, siteId);
            }
            values = example;
        }
        var response = await client.PutAsJsonAsync($"/api/projects/{id}/steps/{code}", new { values, expectedVersion });
        var body = await response.ExpectAsync(HttpStatusCode.OK);
        return body.Number("version");
    }

    /// <summary>A site of the project: its first, or a new one near Nairobi; returns it with the project's version.</summary>
    public static async Task<(string SiteId, int Version)> AnySiteAsync(this HttpClient client, Guid id, int expectedVersion)
    {
        ArgumentNullException.ThrowIfNull(client);
        var sites = await (await client.GetAsync($"/api/projects/{id}/sites")).ExpectAsync(HttpStatusCode.OK);
        var features = sites.GetProperty("features");
        if (features.GetArrayLength() > 0)
            return (features[0].GetProperty("properties").Str("id"), expectedVersion);
        var boundary = new { type = "Polygon", coordinates = new[] { new[] { new[] { 36.80, -1.40 }, new[] { 36.90, -1.40 }, new[] { 36.90, -1.30 }, new[] { 36.80, -1.30 }, new[] { 36.80, -1.40 } } } };
        var created = await (await client.PostAsJsonAsync($"/api/projects/{id}/sites",
            new { name = "Riparian strip", ecosystemType = "wetland", tenure = "communalCustomary", declaredHectares = 12300m, boundary, expectedVersion })).ExpectAsync(HttpStatusCode.Created);
        return (created.Str("id"), created.Number("version"));
    }

    private static void ReplaceSiteIds(System.Text.Json.Nodes.JsonNode? node, string siteId)
    {
        switch (node)
        {
            case System.Text.Json.Nodes.JsonObject obj:
                foreach (var name in obj.Select(p => p.Key).ToList())
                {
                    if (name == "siteIds")
                        obj[name] = new System.Text.Json.Nodes.JsonArray(siteId);
                    else
                        ReplaceSiteIds(obj[name], siteId);
                }
                break;
            case System.Text.Json.Nodes.JsonArray array:
                foreach (var item in array)
                    ReplaceSiteIds(item, siteId);
                break;
        }
    }

    public static async Task<JsonElement> GetProjectAsync(this HttpClient client, Guid id)
    {
        ArgumentNullException.ThrowIfNull(client);
        return await (await client.GetAsync($"/api/projects/{id}")).ExpectAsync(HttpStatusCode.OK);
    }

    /// <summary>Puts a project into <paramref name="state"/> directly in the database (arranging a late stage quickly).</summary>
    public static Task ForceStateAsync(this AppFactory factory, Guid id, string state, int? workflowVersion = null)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return factory.WithDbAsync(async db =>
        {
            var rows = workflowVersion is { } wv
                ? await db.Projects.Where(p => p.Id == id).ExecuteUpdateAsync(s => s.SetProperty(p => p.State, state).SetProperty(p => p.WorkflowVersion, wv))
                : await db.Projects.Where(p => p.Id == id).ExecuteUpdateAsync(s => s.SetProperty(p => p.State, state));
            Assert.Equal(1, rows);
        });
    }
}
