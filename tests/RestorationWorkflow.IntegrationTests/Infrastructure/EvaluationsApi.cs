using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace RestorationWorkflow.IntegrationTests.Infrastructure;

/// <summary>Arranging evaluations, decisions and lessons through <c>/api/projects/{id}/evaluations</c> and <c>…/lessons</c>.</summary>
public static class EvaluationsApi
{
    /// <summary>A complete evaluation naming <paramref name="participationEventId"/>, changed by <paramref name="change"/>.</summary>
    public static Dictionary<string, object?> Evaluation(int expectedVersion, string participationEventId, Action<Dictionary<string, object?>>? change = null)
    {
        var body = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["effectiveness"] = "Biomass rose on 8 of 10 plots; the riparian strip closed its canopy.",
            ["impact"] = "Water table up 20 cm in the dry season.",
            ["costRealised"] = 180000.50m,
            ["currency"] = "KES",
            ["benefits"] = new[]
            {
                new { category = "jobsAndLivelihoods", value = 28m, unit = "jobs", description = "Nursery and planting crews" },
                new { category = "waterSecurity", value = 2m, unit = "springs restored", description = "" },
            },
            ["socioEconomicOutcomes"] = "Women's groups run two tree nurseries.",
            ["participationEventId"] = participationEventId,
            ["unintendedConsequences"] = "Grazing moved to the neighbouring slope.",
            ["expectedVersion"] = expectedVersion,
        };
        change?.Invoke(body);
        return body;
    }

    /// <summary>
    /// A project with the two targets of <see cref="MeasurementsApi.MonitoredProjectAsync"/>, put in Evaluation, with a D1
    /// participation event counted by gender and the evaluation of cycle 1 recorded; returns its id and version.
    /// </summary>
    public static async Task<(Guid Id, int Version, string EventId)> EvaluatedProjectAsync(this HttpClient pm, AppFactory app, bool evaluate = true)
    {
        var (id, _, _, version) = await pm.MonitoredProjectAsync(app, "Evaluation");
        var participation = await pm.AddParticipationAsync(id, PeopleApi.Participation(version, "D1"));
        var eventId = participation.Str("id");
        version = participation.Number("version");
        if (evaluate)
            version = (await pm.RecordEvaluationAsync(id, Evaluation(version, eventId))).Number("version");
        return (id, version, eventId);
    }

    public static async Task<JsonElement> RecordEvaluationAsync(this HttpClient client, Guid id, object body)
    {
        ArgumentNullException.ThrowIfNull(client);
        return await (await client.PostAsJsonAsync($"/api/projects/{id}/evaluations", body)).ExpectAsync(HttpStatusCode.Created);
    }

    public static Task<HttpResponseMessage> DecideRawAsync(this HttpClient client, Guid id, string kind, int expectedVersion, string? rationale = "The monitoring results say so.")
    {
        ArgumentNullException.ThrowIfNull(client);
        return client.PostAsJsonAsync($"/api/projects/{id}/evaluations/decisions", new { kind, rationale, expectedVersion });
    }

    public static object Lesson(int expectedVersion, string topic = "funding", string recommendation = "Budget the follow-up years before planting.") => new
    {
        topic, whatWorked = "Community nurseries kept seedling costs low.", whatDidNot = "Funds for weeding ran out in year two.", recommendation, expectedVersion,
    };

    public static async Task<JsonElement> AddLessonAsync(this HttpClient client, Guid id, object body)
    {
        ArgumentNullException.ThrowIfNull(client);
        return await (await client.PostAsJsonAsync($"/api/projects/{id}/lessons", body)).ExpectAsync(HttpStatusCode.Created);
    }
}
