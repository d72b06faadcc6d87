using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace RestorationWorkflow.IntegrationTests.Infrastructure;

/// <summary>Arranging stakeholders, participation events and consent records through the API.</summary>
public static class PeopleApi
{
    public const string Contact = "Mary Wanjiru, +254 711 222 333";

    public static object Stakeholder(int expectedVersion, bool isIplc = true, string name = "Ogiek community", string? contact = Contact, string group = "indigenousPeople") =>
        new { name, group, isIplc, contact, expectedVersion };

    public static object Participation(int expectedVersion, string stepCode = "A3", int women = 12, int men = 10, int otherGender = 1) => new
    {
        date = "2026-04-01", stepCode, method = "Village meeting", purpose = "Explain the project and ask for consent.",
        women, men, otherGender, iplcMembers = women + men + otherGender, nonIplcMembers = 0, outcome = "Agreed to a second meeting.", expectedVersion,
    };

    public static object Consent(int expectedVersion, string stakeholderId, string[] scopes, string outcome = "granted", string date = "2026-04-02", string? conditions = null) =>
        new { stakeholderId, scopes, outcome, date, conditions, expectedVersion };

    public static async Task<JsonElement> AddStakeholderAsync(this HttpClient client, Guid id, object body)
    {
        ArgumentNullException.ThrowIfNull(client);
        return await (await client.PostAsJsonAsync($"/api/projects/{id}/stakeholders", body)).ExpectAsync(HttpStatusCode.Created);
    }

    public static async Task<JsonElement> AddParticipationAsync(this HttpClient client, Guid id, object body)
    {
        ArgumentNullException.ThrowIfNull(client);
        return await (await client.PostAsJsonAsync($"/api/projects/{id}/participation", body)).ExpectAsync(HttpStatusCode.Created);
    }

    public static async Task<JsonElement> AddConsentAsync(this HttpClient client, Guid id, object body)
    {
        ArgumentNullException.ThrowIfNull(client);
        return await (await client.PostAsJsonAsync($"/api/projects/{id}/consents", body)).ExpectAsync(HttpStatusCode.Created);
    }

    /// <summary>Fires a transition expecting 422; returns the unmet guards' names.</summary>
    public static async Task<IReadOnlyList<string>> RefusedAsync(this HttpClient client, Guid id, string trigger, int expectedVersion, string? comment = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        var response = await client.PostAsJsonAsync($"/api/projects/{id}/transitions", new { trigger, comment, expectedVersion });
        var problem = await response.ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        return problem.Guards("unmet");
    }
}
