using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace RestorationWorkflow.IntegrationTests.Infrastructure;

/// <summary>Arranging restoration targets through <c>/api/projects/{id}/targets</c>.</summary>
public static class TargetsApi
{
    /// <summary>
    /// A complete target body for a project made by <see cref="ProjectsApi.ValidRequest"/> (start 2026-03-01, 10 years):
    /// increase vegetation biomass by 50 % by 2031-06-30, changed by <paramref name="change"/>.
    /// </summary>
    public static Dictionary<string, object?> Environmental(int expectedVersion, Action<Dictionary<string, object?>>? change = null)
    {
        var body = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["kind"] = "environmental",
            ["indicator"] = "vegetationBiomass",
            ["unit"] = "t/ha",
            ["baseline"] = new Dictionary<string, object?> { ["value"] = 40m, ["date"] = "2025-06-01", ["source"] = "2025 plot survey" },
            ["action"] = "increase",
            ["quantity"] = 50m,
            ["quantityIsPercent"] = true,
            ["deadline"] = "2031-06-30",
            ["monitoringFrequencyMonths"] = 12,
            ["siteIds"] = Array.Empty<Guid>(),
            ["expectedVersion"] = expectedVersion,
        };
        change?.Invoke(body);
        return body;
    }

    /// <summary>A complete socio-economic target: increase jobs created by 40 by 2030-12-31.</summary>
    public static Dictionary<string, object?> SocioEconomic(int expectedVersion, Action<Dictionary<string, object?>>? change = null) =>
        Environmental(expectedVersion, b =>
        {
            b["kind"] = "socioEconomic";
            b["indicator"] = "jobsCreated";
            b["unit"] = "jobs";
            b["baseline"] = new Dictionary<string, object?> { ["value"] = 0m, ["date"] = "2025-06-01", ["source"] = "County labour office" };
            b["quantity"] = 40m;
            b["quantityIsPercent"] = false;
            b["deadline"] = "2030-12-31";
            change?.Invoke(b);
        });

    /// <summary>Sets one member of the body's baseline.</summary>
    public static void Baseline(this Dictionary<string, object?> body, string member, object? value)
    {
        ArgumentNullException.ThrowIfNull(body);
        ((Dictionary<string, object?>)body["baseline"]!)[member] = value;
    }

    /// <summary>Adds a target that must be accepted; returns the created target (its <c>version</c> is the project's).</summary>
    public static async Task<JsonElement> AddTargetAsync(this HttpClient client, Guid id, object body)
    {
        ArgumentNullException.ThrowIfNull(client);
        var response = await client.PostAsJsonAsync($"/api/projects/{id}/targets", body);
        return await response.ExpectAsync(HttpStatusCode.Created);
    }
}
