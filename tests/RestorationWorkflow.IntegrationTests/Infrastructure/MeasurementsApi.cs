using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;

namespace RestorationWorkflow.IntegrationTests.Infrastructure;

/// <summary>Arranging monitoring results through <c>/api/projects/{id}/targets/{targetId}/measurements</c>.</summary>
public static class MeasurementsApi
{
    public static string Path(Guid id, Guid targetId) => $"/api/projects/{id}/targets/{targetId}/measurements";

    /// <summary>A valid measurement of <see cref="TargetsApi.Environmental"/> (t/ha), changed by <paramref name="change"/>.</summary>
    public static Dictionary<string, object?> Measurement(int expectedVersion, string measuredOn = "2026-06-01", decimal value = 43.3m,
        Action<Dictionary<string, object?>>? change = null)
    {
        var body = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["measuredOn"] = measuredOn,
            ["value"] = value,
            ["unit"] = "t/ha",
            ["method"] = "Plot survey",
            ["measuredBy"] = "A. Wanjiru",
            ["notes"] = "Ten permanent plots",
            ["expectedVersion"] = expectedVersion,
        };
        change?.Invoke(body);
        return body;
    }

    /// <summary>
    /// A project with the environmental target (vegetation biomass 40 t/ha on 2025-06-01, +50 % by 2031-06-30) and the
    /// socio-economic one (jobs 0 → 40 by 2030-12-31), put in <paramref name="state"/>; returns the ids and the version.
    /// </summary>
    public static async Task<(Guid Id, Guid Biomass, Guid Jobs, int Version)> MonitoredProjectAsync(this HttpClient pm, AppFactory app, string state = "Implementation")
    {
        ArgumentNullException.ThrowIfNull(app);
        var id = await pm.CreateProjectAsync();
        var biomass = await pm.AddTargetAsync(id, TargetsApi.Environmental(1));
        var jobs = await pm.AddTargetAsync(id, TargetsApi.SocioEconomic(biomass.Number("version")));
        await app.ForceStateAsync(id, state);
        return (id, biomass.GetProperty("id").GetGuid(), jobs.GetProperty("id").GetGuid(), jobs.Number("version"));
    }

    public static async Task<JsonElement> RecordAsync(this HttpClient client, Guid id, Guid targetId, object body)
    {
        ArgumentNullException.ThrowIfNull(client);
        return await (await client.PostAsJsonAsync(Path(id, targetId), body)).ExpectAsync(HttpStatusCode.Created);
    }

    public static Task<HttpResponseMessage> ImportAsync(this HttpClient client, Guid id, string csv, bool preview, int? expectedVersion = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        var query = $"preview={(preview ? "true" : "false")}" + (expectedVersion is { } v ? $"&expectedVersion={v}" : "");
        return client.PostAsync($"/api/projects/{id}/measurements/import?{query}", new StringContent(csv, Encoding.UTF8, "text/csv"));
    }

    public static Task<int> MeasurementCountAsync(this AppFactory app, Guid id) =>
        app.QueryDbAsync(db => db.Measurements.CountAsync(m => m.ProjectId == id));

    public static Task<List<string>> AuditActionsAsync(this AppFactory app, Guid id) =>
        app.QueryDbAsync(db => db.AuditEvents.Where(e => e.ProjectId == id).OrderBy(e => e.Sequence).Select(e => e.Action).ToListAsync());
}
