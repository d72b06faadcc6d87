using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace RestorationWorkflow.IntegrationTests.Infrastructure;

/// <summary>Arranging safeguard reviews and species through <c>/api/projects/{id}/safeguards</c> and <c>/species</c>.</summary>
public static class SafeguardsApi
{
    /// <summary>A complete registry (StartAssessment's fields met) whose ecosystem types are <paramref name="types"/>.</summary>
    public static Dictionary<string, object?> ProjectRequest(params string[] types) => new()
    {
        ["name"] = $"Safeguards {Guid.NewGuid():N}",
        ["description"] = "Restoring a degraded rangeland with the herders who use it.",
        ["country"] = "KE",
        ["region"] = "Laikipia County",
        ["scale"] = "site",
        ["ecosystemTypes"] = types,
        ["naturallyLowTreeCover"] = false,
        ["situation"] = "identifiedConsidered",
        ["startDate"] = "2026-03-01",
        ["lifespanYears"] = 10,
        ["budget"] = 100000m,
        ["currency"] = "KES",
        ["leadOrganisation"] = "Laikipia Rangelands Trust",
        ["areaHectares"] = 300m,
    };

    /// <summary>Every safeguard answered "addressed" with a note, except those in <paramref name="leaveOut"/>.</summary>
    public static object[] Answers(params int[] leaveOut) =>
        [.. Enumerable.Range(1, 9).Where(n => !leaveOut.Contains(n)).Select(n => (object)new { number = n, answer = "addressed", note = $"Covered in section {n} of the plan." })];

    /// <summary>A review body: all nine answered unless <paramref name="answers"/> is given.</summary>
    public static object Review(int expectedVersion, bool? plansPlanting = false, string? justification = null, object[]? answers = null) => new
    {
        answers = answers ?? Answers(),
        plansPlantingOrAfforestation = plansPlanting,
        plantingJustification = justification,
        expectedVersion,
    };

    /// <summary>Saves a review that must succeed; returns the new version.</summary>
    public static async Task<int> PutSafeguardsAsync(this HttpClient client, Guid id, object review)
    {
        ArgumentNullException.ThrowIfNull(client);
        var body = await (await client.PutAsJsonAsync($"/api/projects/{id}/safeguards", review)).ExpectAsync(HttpStatusCode.OK);
        return body.Number("version");
    }

    public static object Species(int expectedVersion, string scientificName = "Acacia tortilis", bool native = true, string provenance = "local",
        string? justification = null, string? commonName = "Umbrella thorn") => new
    {
        scientificName, commonName, native, provenance, precautionaryJustification = justification, expectedVersion,
    };

    /// <summary>Adds a species that must succeed; returns it.</summary>
    public static async Task<JsonElement> AddSpeciesAsync(this HttpClient client, Guid id, object species)
    {
        ArgumentNullException.ThrowIfNull(client);
        return await (await client.PostAsJsonAsync($"/api/projects/{id}/species", species)).ExpectAsync(HttpStatusCode.Created);
    }

    /// <summary>The findings of a project, keyed by id.</summary>
    public static async Task<Dictionary<string, JsonElement>> FindingsAsync(this HttpClient client, Guid id)
    {
        ArgumentNullException.ThrowIfNull(client);
        var body = await (await client.GetAsync($"/api/projects/{id}/safeguards/findings")).ExpectAsync(HttpStatusCode.OK);
        return body.GetProperty("findings").EnumerateArray().ToDictionary(f => f.Str("id"), f => f.Clone(), StringComparer.Ordinal);
    }

    public static Task<HttpResponseMessage> AcknowledgeAsync(this HttpClient client, Guid id, string findingId, int expectedVersion, string comment = "Checked the grazing study cited in the justification.")
    {
        ArgumentNullException.ThrowIfNull(client);
        return client.PostAsJsonAsync($"/api/projects/{id}/safeguards/findings/{findingId}/acknowledgement", new { comment, expectedVersion });
    }

    /// <summary>
    /// Takes a new project of the running workflow to Planning with C1–C4 settled (assessment submitted by the manager,
    /// consent approved by <paramref name="approver"/>); returns the version.
    /// </summary>
    public static async Task<int> ToPlanningAsync(this HttpClient pm, HttpClient approver, Guid id, bool completePlanningSteps = true)
    {
        ArgumentNullException.ThrowIfNull(pm);
        ArgumentNullException.ThrowIfNull(approver);
        var version = await pm.FireAsync(id, "StartAssessment", 1);
        version = await pm.CompleteStepsAsync(id, ProjectsApi.AssessmentSteps, version);
        version = await pm.FireAsync(id, "SubmitAssessment", version);
        version = await approver.DecideAsync(id, "consent", "approve", "Consent records verified.");
        // v2: the enabling environment (B) is worked in Planning, beside C1–C4.
        return completePlanningSteps ? await pm.CompleteStepsAsync(id, ProjectsApi.PlanSubmissionSteps, version) : version;
    }

    /// <summary>
    /// Takes a new project to PlanReview: <see cref="ToPlanningAsync"/>, then <paramref name="beforeSubmit"/> (to add
    /// consent records, for instance; it returns the version), the safeguard review answered, SubmitPlan. Returns the version.
    /// </summary>
    public static async Task<int> ToPlanReviewAsync(this HttpClient pm, HttpClient approver, Guid id, Func<int, Task<int>>? beforeSubmit = null)
    {
        ArgumentNullException.ThrowIfNull(pm);
        var version = await pm.ToPlanningAsync(approver, id);
        if (beforeSubmit is not null)
            version = await beforeSubmit(version);
        version = await pm.PutSafeguardsAsync(id, Review(version, plansPlanting: false));
        return await pm.FireAsync(id, "SubmitPlan", version);
    }
}
