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

    /// <summary>
    /// A new project of <paramref name="pm"/> in PlanReview with one IPLC stakeholder whose consent covers assessment, plan
    /// and implementation, and the plan request approved once by <paramref name="approver1"/> (of quorum 2).
    /// </summary>
    public static async Task<PlanApprovedOnce> ToPlanApprovedOnceAsync(this HttpClient pm, HttpClient approver1)
    {
        ArgumentNullException.ThrowIfNull(pm);
        ArgumentNullException.ThrowIfNull(approver1);
        var id = await pm.CreateProjectAsync();
        string? consentId = null, stakeholderId = null;
        await pm.ToPlanReviewAsync(approver1, id, async v =>
        {
            stakeholderId = (await pm.AddStakeholderAsync(id, PeopleApi.Stakeholder(v))).Str("id");
            consentId = (await pm.AddConsentAsync(id, PeopleApi.Consent(v + 1, stakeholderId, ["assessment", "plan", "implementation"]))).Str("id");
            return v + 2;
        });
        var requestId = (await pm.OpenRequestAsync(id, "plan")).GetProperty("id").GetGuid();
        var version = (await (await approver1.DecideRawAsync(requestId, "approve", "Plan checked.")).ExpectAsync(HttpStatusCode.Created)).Number("projectVersion");
        return new PlanApprovedOnce(id, requestId, consentId!, stakeholderId!, version);
    }

    /// <summary>The community withdraws the consent on 10 May 2026 (the project is suspended); returns the new version.</summary>
    public static async Task<int> WithdrawConsentAsync(this HttpClient pm, PlanApprovedOnce project, int version)
    {
        ArgumentNullException.ThrowIfNull(pm);
        ArgumentNullException.ThrowIfNull(project);
        return (await (await pm.PostAsJsonAsync($"/api/projects/{project.Id}/consents/{project.ConsentId}/withdrawal",
            new { date = "2026-05-10", reason = "The assembly withdrew its consent.", expectedVersion = version })).ExpectAsync(HttpStatusCode.OK)).Number("version");
    }

    /// <summary>Consent is given again on 1 June 2026 and the project resumes its review; returns the new version.</summary>
    public static async Task<int> ConsentAgainAndResumeAsync(this HttpClient pm, PlanApprovedOnce project, int version)
    {
        ArgumentNullException.ThrowIfNull(pm);
        ArgumentNullException.ThrowIfNull(project);
        version = (await pm.AddConsentAsync(project.Id, PeopleApi.Consent(version, project.StakeholderId, ["plan", "implementation"], date: "2026-06-01"))).Number("version");
        return await pm.FireAsync(project.Id, "Resume", version, "Consent given again on 1 June.");
    }
}

/// <summary>What <see cref="ApprovalsApi.ToPlanApprovedOnceAsync"/> arranged.</summary>
public sealed record PlanApprovedOnce(Guid Id, Guid RequestId, string ConsentId, string StakeholderId, int Version);
