using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
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
        using var approver1 = await factory.ClientForAsync(DemoUsers.Approver1);
        var arranged = await pm.ToPlanApprovedOnceAsync(approver1);
        var version = await pm.WithdrawConsentAsync(arranged, arranged.Version);
        version = await pm.ConsentAgainAndResumeAsync(arranged, version);
        var resubmitted = await (await pm.PostAsJsonAsync($"/api/projects/{arranged.Id}/approvals/plan/resubmit", new { expectedVersion = version, comment = "Consent renewed." }))
            .ExpectAsync(HttpStatusCode.Created);
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

    private sealed record Row(string Status, int Approvals, int Decisions, string Changes);

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
