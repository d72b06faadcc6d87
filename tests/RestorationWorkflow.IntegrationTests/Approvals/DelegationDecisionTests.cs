using System.Net;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.Approvals;
using RestorationWorkflow.IntegrationTests.Infrastructure;
using static RestorationWorkflow.IntegrationTests.Infrastructure.DelegationsApi;

namespace RestorationWorkflow.IntegrationTests.Approvals;

/// <summary>
/// Delegation inside and outside its window: approver2 decides on behalf of approver1 only on a day a delegation from
/// approver1 is in force; before it starts, after it ended and once revoked the decision is refused (403, rule
/// <c>delegation</c>) and nothing is written; the decision made under it records both people.
/// </summary>
public sealed class DelegationDecisionTests(AppFactory factory) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task Delegate_DecidesOnBehalf_InsideTheWindow_AndIsRefusedOutsideIt()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        using var approver1 = await factory.ClientForAsync(DemoUsers.Approver1);
        using var approver2 = await factory.ClientForAsync(DemoUsers.Approver2);
        var ids = await factory.QueryDbAsync(db => db.Users.AsNoTracking().Where(u => u.Email == DemoUsers.Approver1 || u.Email == DemoUsers.Approver2)
            .ToDictionaryAsync(u => u.Email!, u => u.Id));
        var (approver1Id, approver2Id) = (ids[DemoUsers.Approver1], ids[DemoUsers.Approver2]);

        var id = await pm.CreateProjectAsync();
        var version = await pm.FireAsync(id, "StartAssessment", 1);
        version = await pm.CompleteStepsAsync(id, ProjectsApi.AssessmentSteps, version);
        version = await pm.FireAsync(id, "SubmitAssessment", version);
        var requestId = (await approver2.OpenRequestAsync(id, "consent")).GetProperty("id").GetGuid();

        async Task RefusedAsync(string why)
        {
            var refused = await (await approver2.DecideRawAsync(requestId, "approve", "Consent records checked.", onBehalfOf: DemoUsers.Approver1))
                .ExpectProblemAsync(HttpStatusCode.Forbidden);
            Assert.True(refused.Guards("reasons").SequenceEqual(["delegation"]), $"{why}: {refused.GetRawText()}");
            Assert.Equal(0, await factory.QueryDbAsync(db => db.ApprovalDecisions.CountAsync(d => d.RequestId == requestId)));
        }

        // No delegation at all.
        await RefusedAsync("no delegation");
        // One that starts tomorrow.
        await approver1.DelegateAsync(DemoUsers.Approver2, Today.AddDays(1), Today.AddDays(3));
        await RefusedAsync("upcoming");
        // One that ended yesterday (stored directly: the API refuses a window wholly in the past).
        await factory.WithDbAsync(async db =>
        {
            db.ApprovalDelegations.Add(new ApprovalDelegation(approver1Id, approver2Id, Today.AddDays(-5), Today.AddDays(-1), approver1Id, DateTimeOffset.UtcNow.AddDays(-6)));
            await db.SaveChangesAsync();
        });
        await RefusedAsync("ended");
        // One covering today, revoked.
        var revoked = await approver1.DelegateAsync(DemoUsers.Approver2, Today, Today);
        await (await approver1.DeleteAsync($"{Url}/{revoked.Str("id")}")).ExpectAsync(HttpStatusCode.OK);
        await RefusedAsync("revoked");
        Assert.Equal("ConsentReview", (await pm.GetProjectAsync(id)).Str("state"));

        // Inside the window: the decision counts for approver1 (quorum 1) and records both names.
        await approver1.DelegateAsync(DemoUsers.Approver2, Today, Today);
        var decided = await (await approver2.DecideRawAsync(requestId, "approve", "Consent records checked.", onBehalfOf: DemoUsers.Approver1))
            .ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(("Planning", "ApproveConsent"), (decided.Str("projectState"), decided.Str("fired")));

        var stored = await factory.QueryDbAsync(db => db.ApprovalDecisions.AsNoTracking().SingleAsync(d => d.RequestId == requestId));
        Assert.Equal((approver2Id, approver1Id), (stored.DeciderId, stored.OnBehalfOfId));
        var approvals = await pm.ApprovalsAsync(id);
        var request = approvals.GetProperty("requests").EnumerateArray().Single(r => r.GetProperty("id").GetGuid() == requestId);
        var decision = Assert.Single(request.GetProperty("decisions").EnumerateArray());
        Assert.Equal((approver2Id, "Jo Approver"), (decision.GetProperty("decider").Str("id"), decision.GetProperty("decider").Str("name")));
        Assert.Equal((approver1Id, "Alex Approver"), (decision.GetProperty("onBehalfOf").Str("id"), decision.GetProperty("onBehalfOf").Str("name")));
    }
}
