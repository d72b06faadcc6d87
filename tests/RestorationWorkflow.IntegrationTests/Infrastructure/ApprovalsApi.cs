using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace RestorationWorkflow.IntegrationTests.Infrastructure;

/// <summary>Deciding approval gates through <c>/api/approvals</c>, as approvers do.</summary>
public static class ApprovalsApi
{
    public static async Task<JsonElement> ApprovalsAsync(this HttpClient client, Guid id)
    {
        ArgumentNullException.ThrowIfNull(client);
        return await (await client.GetAsync($"/api/projects/{id}/approvals")).ExpectAsync(HttpStatusCode.OK);
    }

    /// <summary>The open request of <paramref name="gate"/> (the project must be in its review).</summary>
    public static async Task<JsonElement> OpenRequestAsync(this HttpClient client, Guid id, string gate)
    {
        var approvals = await client.ApprovalsAsync(id);
        return approvals.GetProperty("requests").EnumerateArray().Single(r => r.Str("gate") == gate && r.Str("status") == "open").Clone();
    }

    public static Task<HttpResponseMessage> DecideRawAsync(
        this HttpClient client, Guid requestId, string decision, string? comment = null, string? onBehalfOf = null, string[]? sections = null, string? snapshotHash = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        return client.PostAsJsonAsync($"/api/approvals/{requestId}/decisions", new { decision, comment, onBehalfOf, sections, snapshotHash });
    }

    /// <summary>Decides the open request of <paramref name="gate"/>; must succeed; returns the project's new version.</summary>
    public static async Task<int> DecideAsync(this HttpClient client, Guid id, string gate, string decision = "approve", string? comment = null)
    {
        var request = await client.OpenRequestAsync(id, gate);
        var body = await (await client.DecideRawAsync(request.GetProperty("id").GetGuid(), decision, comment)).ExpectAsync(HttpStatusCode.Created);
        return body.Number("projectVersion");
    }

    /// <summary>Both demo approvers approve the plan (quorum 2); returns the project's new version.</summary>
    public static async Task<int> ApprovePlanAsync(this HttpClient approver1, HttpClient approver2, Guid id)
    {
        ArgumentNullException.ThrowIfNull(approver2);
        await approver1.DecideAsync(id, "plan", "approve", "Plan and targets checked.");
        return await approver2.DecideAsync(id, "plan", "approve", "Budget and schedule checked.");
    }
}
