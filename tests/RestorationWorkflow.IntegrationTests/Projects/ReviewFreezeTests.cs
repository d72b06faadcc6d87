using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.IntegrationTests.Infrastructure;
using RestorationWorkflow.Projects;

namespace RestorationWorkflow.IntegrationTests.Projects;

/// <summary>What a review covers does not move under the approver's feet.</summary>
public sealed class ReviewFreezeTests(AppFactory factory) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task UnderReview_TheChecklistIsFrozen()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var (id, version) = await InConsentReviewAsync(pm);

        var refused = await (await pm.PutAsJsonAsync($"/api/projects/{id}/checklist/A3", new { status = "open", expectedVersion = version }))
            .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Equal(["underReview"], refused.Guards("unmet"));
        var stored = await factory.QueryDbAsync(db => db.ChecklistItems.SingleAsync(i => i.ProjectId == id && i.Code == "A3"));
        Assert.Equal(ChecklistStatus.Done, stored.Status);
        Assert.Equal(version, (await factory.SnapshotAsync(id)).Version);
    }

    [Fact]
    public async Task Approving_AfterWhatWasSubmittedChanged_IsRefusedAsStale()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var (id, _) = await InConsentReviewAsync(pm);
        var request = await pm.OpenRequestAsync(id, "consent");
        // Changed behind the app's back: the approval must not carry the project on with consent open, and the
        // approver would sign something other than what is there.
        await factory.WithDbAsync(db => db.ChecklistItems.Where(i => i.ProjectId == id && i.Code == "A3")
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.Status, ChecklistStatus.Open)));
        using var approver = await factory.ClientForAsync(DemoUsers.Approver1);

        var refused = await (await approver.DecideRawAsync(request.GetProperty("id").GetGuid(), "approve"))
            .ExpectProblemAsync(HttpStatusCode.Conflict);

        Assert.Equal("approval-request-stale", refused.Str("code"));
        Assert.Equal("ConsentReview", (await factory.SnapshotAsync(id)).State);
        Assert.True((await pm.OpenRequestAsync(id, "consent")).GetProperty("stale").GetBoolean());
        // The manager's resubmission checks the submission again: A3 is open.
        var resubmit = await (await pm.PostAsJsonAsync($"/api/projects/{id}/approvals/consent/resubmit", new { expectedVersion = (await factory.SnapshotAsync(id)).Version }))
            .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(["checklistComplete"], resubmit.Guards("unmet"));
    }

    private static async Task<(Guid Id, int Version)> InConsentReviewAsync(HttpClient pm)
    {
        var id = await pm.CreateProjectAsync();
        var version = await pm.FireAsync(id, "StartAssessment", 1);
        version = await pm.CompleteStepsAsync(id, ProjectsApi.AssessmentSteps, version);
        version = await pm.FireAsync(id, "SubmitAssessment", version);
        return (id, version);
    }
}
