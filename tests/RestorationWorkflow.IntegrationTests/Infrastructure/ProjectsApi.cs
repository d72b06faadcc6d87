using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;

namespace RestorationWorkflow.IntegrationTests.Infrastructure;

/// <summary>Arranging projects through <c>/api/projects</c> as a test would by hand.</summary>
public static class ProjectsApi
{
    public static readonly string[] AssessmentSteps = ["A1", "A2", "A3", "A4", "A5", "A6"];

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

    /// <summary>Marks every step done; returns the new version.</summary>
    public static async Task<int> CompleteStepsAsync(this HttpClient client, Guid id, IEnumerable<string> codes, int expectedVersion)
    {
        ArgumentNullException.ThrowIfNull(codes);
        var version = expectedVersion;
        foreach (var code in codes)
            version = await client.SetStepAsync(id, code, version);
        return version;
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
