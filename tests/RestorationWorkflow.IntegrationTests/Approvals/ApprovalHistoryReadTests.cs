using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using RestorationWorkflow.Approvals;
using RestorationWorkflow.IntegrationTests.Infrastructure;

namespace RestorationWorkflow.IntegrationTests.Approvals;

/// <summary>
/// The approvals of a project read a request's snapshot only when this node does not know its diff yet: the changes
/// since the previous submission, the decisions and the approval counts must be the same whether the diff was
/// kept, or computed again from the two snapshots (a restarted node, another node).
/// </summary>
public sealed class ApprovalHistoryReadTests(AppFactory factory) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task ChangesSincePrevious_AreTheSame_FromAKeptDiff_AndFromTheSnapshots()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var (arranged, resubmitted) = await ResubmittedAfterConsentChangeAsync(pm);
        var resubmittedId = resubmitted.GetProperty("id").GetGuid();

        var kept = PlanHistory(await pm.ApprovalsAsync(arranged.Id));
        var keptAgain = PlanHistory(await pm.ApprovalsAsync(arranged.Id));
        ForgetDiffs();
        var computed = PlanHistory(await pm.ApprovalsAsync(arranged.Id));

        // The superseded request (one approval, no predecessor) and the resubmission (what the consent change touched).
        Assert.Equal(2, kept.Count);
        Assert.Equal(("superseded", 1, 1, "[]"), (kept[0].Status, kept[0].Approvals, kept[0].Decisions, kept[0].Changes));
        Assert.Equal(("open", 0, 0), (kept[1].Status, kept[1].Approvals, kept[1].Decisions));
        var changes = JsonDocument.Parse(kept[1].Changes).RootElement.EnumerateArray().ToList();
        Assert.NotEmpty(changes);
        Assert.All(changes, c => Assert.Equal("consents", c.GetProperty("section").GetString()));
        Assert.Equal(resubmitted.GetProperty("changesSincePrevious").GetRawText(), kept[1].Changes);
        Assert.Equal(kept, keptAgain);
        Assert.Equal(kept, computed);

        // One request with its snapshot, read on a node that does not know the diff.
        ForgetDiffs();
        var detail = await (await pm.GetAsync($"/api/approvals/{resubmittedId}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(kept[1].Changes, detail.GetProperty("request").GetProperty("changesSincePrevious").GetRawText());
        var snapshot = detail.GetProperty("snapshot");
        Assert.Equal(JsonValueKind.Object, snapshot.GetProperty("consents").ValueKind);
        Assert.Equal(resubmitted.GetProperty("snapshotHash").GetString(), Sha256(snapshot.GetRawText()));
    }

    [Fact]
    public async Task ASubmissionAfterARejection_ShowsWhatChanged_AndAnUnchangedOneShowsNothing_WithoutReadingTheSnapshots()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        using var approver1 = await factory.ClientForAsync(DemoUsers.Approver1);
        using var approver2 = await factory.ClientForAsync(DemoUsers.Approver2);
        var id = await pm.CreateProjectAsync();
        var version = await pm.ToPlanReviewAsync(approver1, id);

        // Rejected, the description changed, submitted again: the diff names it, whichever way it is computed.
        version = await RejectAsync(approver2, id, "Say what the project restores.");
        var project = await pm.GetProjectAsync(id);
        version = (await (await pm.PutAsJsonAsync($"/api/projects/{id}", ProjectsApi.UpdateRequest(project, version, b => b["description"] = "Miombo woodland on 40 ha.")))
            .ExpectAsync(HttpStatusCode.OK)).GetProperty("version").GetInt32();
        version = await pm.FireAsync(id, "SubmitPlan", version);
        var changed = await pm.OpenRequestAsync(id, "plan");
        var changes = changed.GetProperty("changesSincePrevious").EnumerateArray().ToList();
        Assert.Equal(["registry.description"], changes.Select(c => c.GetProperty("path").GetString()));
        Assert.Equal("Miombo woodland on 40 ha.", changes[0].GetProperty("new").GetString());
        ForgetDiffs();
        Assert.Equal(changed.GetRawText(), (await pm.OpenRequestAsync(id, "plan")).GetRawText());

        // Rejected and submitted again as it was: the same hash, so no changes. This node knows it from the submission:
        // the two snapshots are not read (here they are made to differ, and the answer is still "no changes").
        version = await RejectAsync(approver2, id, "Ask the county first.");
        version = await pm.FireAsync(id, "SubmitPlan", version);
        await factory.WithDbAsync(db => db.ApprovalRequests.Where(r => r.ProjectId == id && r.Status == ApprovalRequestStatus.Open)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Snapshot, "{}")));
        var unchanged = await pm.OpenRequestAsync(id, "plan");
        Assert.Equal(changed.GetProperty("snapshotHash").GetString(), unchanged.GetProperty("snapshotHash").GetString());
        Assert.Equal(3, unchanged.GetProperty("sequence").GetInt32());
        Assert.Empty(unchanged.GetProperty("changesSincePrevious").EnumerateArray());
        // Another node (nothing kept) computes it from the snapshots, and sees what was done to the text.
        ForgetDiffs();
        Assert.NotEmpty((await pm.OpenRequestAsync(id, "plan")).GetProperty("changesSincePrevious").EnumerateArray());
    }

    private static async Task<int> RejectAsync(HttpClient approver, Guid projectId, string comment)
    {
        var requestId = (await approver.OpenRequestAsync(projectId, "plan")).GetProperty("id").GetGuid();
        var rejected = await (await approver.DecideRawAsync(requestId, "reject", comment)).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal("Planning", rejected.GetProperty("projectState").GetString());
        return rejected.GetProperty("projectVersion").GetInt32();
    }

    [Fact]
    public async Task Filters_ListOneStatusOrGate_AndTheGatesKeepTheirOpenRequest()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var (arranged, resubmitted) = await ResubmittedAfterConsentChangeAsync(pm);
        var openId = resubmitted.GetProperty("id").GetGuid();
        var all = await pm.ApprovalsAsync(arranged.Id);
        var everyRequest = all.GetProperty("requests").EnumerateArray().ToDictionary(r => r.GetProperty("id").GetGuid(), r => r.GetRawText());
        Assert.Contains(all.GetProperty("requests").EnumerateArray(), r => r.GetProperty("gate").GetString() == "consent");

        // Each filter lists exactly the requests of the whole history that match it, each as the whole list shows it,
        // and every gate still names its open request, also when the filter leaves that request out.
        foreach (var (query, status, gate) in new (string, string?, string?)[]
        {
            ("status=open", "open", null), ("status=Superseded&gate=plan", "superseded", "plan"), ("gate=consent", null, "consent"),
            ("status=rejected", "rejected", null), ("gate=plan", null, "plan"),
        })
        {
            var filtered = await (await pm.GetAsync($"/api/projects/{arranged.Id}/approvals?{query}")).ExpectAsync(HttpStatusCode.OK);
            var expected = all.GetProperty("requests").EnumerateArray()
                .Where(r => (status is null || r.GetProperty("status").GetString() == status) && (gate is null || r.GetProperty("gate").GetString() == gate))
                .Select(r => r.GetProperty("id").GetGuid()).ToList();
            var listed = filtered.GetProperty("requests").EnumerateArray().ToList();
            Assert.Equal(expected, listed.Select(r => r.GetProperty("id").GetGuid()).ToList());
            Assert.All(listed, r => Assert.Equal(everyRequest[r.GetProperty("id").GetGuid()], r.GetRawText()));
            Assert.Equal(all.GetProperty("gates").GetRawText(), filtered.GetProperty("gates").GetRawText());
        }
        var plan = all.GetProperty("gates").EnumerateArray().Single(g => g.GetProperty("id").GetString() == "plan");
        Assert.Equal(openId, plan.GetProperty("openRequestId").GetGuid());
        var openOnly = await (await pm.GetAsync($"/api/projects/{arranged.Id}/approvals?status=open")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal([openId], openOnly.GetProperty("requests").EnumerateArray().Select(r => r.GetProperty("id").GetGuid()).ToList());

        // A status or gate that does not exist is a 400 that names the field, not an empty list.
        foreach (var (query, field, mentions) in new[]
        {
            ("status=pending", "status", "open, approved, rejected, superseded, cancelled"), ("status=1", "status", "'1'"),
            ("status=approved,rejected", "status", "'approved,rejected'"),
            ("gate=budget", "gate", "consent"), ("status=open&gate=", "gate", "no gate ''"),
        })
        {
            var problem = await (await pm.GetAsync($"/api/projects/{arranged.Id}/approvals?{query}")).ExpectAsync(HttpStatusCode.BadRequest);
            var message = Assert.Single(problem.GetProperty("errors").GetProperty(field).EnumerateArray()).GetString()!;
            Assert.Contains(mentions, message, StringComparison.Ordinal);
        }
    }

    private sealed record Row(string Status, int Approvals, int Decisions, string Changes);

    /// <summary>
    /// Consent approved, the plan approved once, a consent withdrawn and given again, the plan resubmitted: a consent
    /// request (approved) and two plan requests (superseded, then open) whose diff touches the consents.
    /// </summary>
    private async Task<(PlanApprovedOnce Arranged, JsonElement Resubmitted)> ResubmittedAfterConsentChangeAsync(HttpClient pm)
    {
        using var approver1 = await factory.ClientForAsync(DemoUsers.Approver1);
        var arranged = await pm.ToPlanApprovedOnceAsync(approver1);
        var version = await pm.WithdrawConsentAsync(arranged, arranged.Version);
        version = await pm.ConsentAgainAndResumeAsync(arranged, version);
        var resubmitted = await (await pm.PostAsJsonAsync($"/api/projects/{arranged.Id}/approvals/plan/resubmit", new { expectedVersion = version, comment = "Consent renewed." }))
            .ExpectAsync(HttpStatusCode.Created);
        return (arranged, resubmitted);
    }

    private static List<Row> PlanHistory(JsonElement approvals) =>
    [
        .. approvals.GetProperty("requests").EnumerateArray().Where(r => r.GetProperty("gate").GetString() == "plan")
            .Select(r => new Row(r.GetProperty("status").GetString()!, r.GetProperty("approvals").GetInt32(),
                r.GetProperty("decisions").GetArrayLength(), r.GetProperty("changesSincePrevious").GetRawText())),
    ];

    /// <summary>As on a node that has not read this project's approvals yet: every kept diff is dropped.</summary>
    private void ForgetDiffs() => ((MemoryCache)factory.Services.GetRequiredService<IMemoryCache>()).Compact(1.0);

    private static string Sha256(string text) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));
}
