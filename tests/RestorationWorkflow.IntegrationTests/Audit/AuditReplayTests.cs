using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.IntegrationTests.Infrastructure;
using RestorationWorkflow.Projects;

namespace RestorationWorkflow.IntegrationTests.Audit;

/// <summary>verify replays the chain against the project's rows and checks the sealed head: direct database edits are named.</summary>
public sealed class AuditReplayTests(AppFactory factory) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task AStateSetInTheDatabase_IsNamed()
    {
        var id = await ProjectWithHistoryAsync();
        await factory.ForceStateAsync(id, "Closed");

        var reason = await BrokenReasonAsync(id);

        Assert.Contains("state is Closed, but its events end in Assessment", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AManagerInsertedInTheDatabase_IsNamed()
    {
        var id = await ProjectWithHistoryAsync();
        var pm2 = await factory.QueryDbAsync(db => db.Users.Where(u => u.Email == DemoUsers.Pm2).Select(u => u.Id).SingleAsync());
        await factory.WithDbAsync(async db =>
        {
            db.ProjectMembers.Add(new ProjectMember(id, pm2, ProjectMemberRole.Manager, DateTimeOffset.UtcNow));
            await db.SaveChangesAsync();
        });

        var reason = await BrokenReasonAsync(id);

        Assert.Contains($"manager(s) no event added: {pm2}", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AManagerAddedThroughTheApp_Verifies()
    {
        var id = await ProjectWithHistoryAsync();
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        using var response = await pm.PostAsync($"/api/projects/{id}/members",
            System.Net.Http.Json.JsonContent.Create(new { email = DemoUsers.Pm2, expectedVersion = 3 }));
        await response.ExpectAsync(HttpStatusCode.OK);

        var result = await (await pm.GetAsync($"/api/projects/{id}/audit/verify")).ExpectAsync(HttpStatusCode.OK);

        Assert.True(result.GetProperty("valid").GetBoolean(), result.GetRawText());
    }

    [Fact]
    public async Task AChecklistRowForgedToDone_IsNamed()
    {
        var id = await ProjectWithHistoryAsync();
        await factory.WithDbAsync(db => db.ChecklistItems.Where(i => i.ProjectId == id && i.Code == "A4")
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.Status, ChecklistStatus.Done)));

        var reason = await BrokenReasonAsync(id);

        Assert.Contains("Checklist step A4 is done, but its events say open", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARegistryFieldSetInTheDatabase_IsNamed()
    {
        var id = await ProjectWithHistoryAsync();
        await factory.WithDbAsync(db => db.Projects.Where(p => p.Id == id).ExecuteUpdateAsync(s => s.SetProperty(p => p.Budget, 999_999_999m)));

        var reason = await BrokenReasonAsync(id);

        Assert.Contains("The project's budget differs from what its events recorded", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARegistryFieldEditedThroughTheApp_Verifies_AndAForgedOneAfterItIsNamed()
    {
        var id = await ProjectWithHistoryAsync();
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var project = await pm.GetProjectAsync(id);
        await (await pm.PutAsJsonAsync($"/api/projects/{id}", ProjectsApi.UpdateRequest(project, 3, b => b["leadOrganisation"] = "New lead")))
            .ExpectAsync(HttpStatusCode.OK);
        var intact = await (await pm.GetAsync($"/api/projects/{id}/audit/verify")).ExpectAsync(HttpStatusCode.OK);
        Assert.True(intact.GetProperty("valid").GetBoolean(), intact.GetRawText());

        await factory.WithDbAsync(db => db.Projects.Where(p => p.Id == id).ExecuteUpdateAsync(s => s.SetProperty(p => p.LeadOrganisation, "Old lead")));

        Assert.Contains("leadOrganisation differs", await BrokenReasonAsync(id), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheLastEventDeletedWithTheHeadRewound_IsCaughtByTheSeal()
    {
        var id = await ProjectWithHistoryAsync();
        await factory.WithDbAsync(async db =>
        {
            var previous = await db.AuditEvents.SingleAsync(e => e.ProjectId == id && e.Sequence == 2);
            Assert.Equal(1, await db.AuditEvents.Where(e => e.ProjectId == id && e.Sequence == 3).ExecuteDeleteAsync());
            await db.Projects.Where(p => p.Id == id).ExecuteUpdateAsync(s => s
                .SetProperty(p => p.AuditSequence, 2).SetProperty(p => p.AuditHead, previous.Hash)
                .SetProperty(p => p.Version, 2).SetProperty(p => p.State, "Draft"));
            await db.ChecklistItems.Where(i => i.ProjectId == id && i.Code == "D1")
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.Status, ChecklistStatus.Done));
        });

        var reason = await BrokenReasonAsync(id);

        Assert.Contains("does not carry a valid seal", reason, StringComparison.Ordinal);
    }

    /// <summary>Created (1), D1 done (2), StartAssessment (3): state Assessment, version 3.</summary>
    private async Task<Guid> ProjectWithHistoryAsync()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        var version = await pm.SetStepAsync(id, "D1", 1);
        await pm.FireAsync(id, "StartAssessment", version);
        var intact = await (await pm.GetAsync($"/api/projects/{id}/audit/verify")).ExpectAsync(HttpStatusCode.OK);
        Assert.True(intact.GetProperty("valid").GetBoolean(), intact.GetRawText());
        return id;
    }

    private async Task<string> BrokenReasonAsync(Guid id)
    {
        using var auditor = await factory.ClientForAsync(DemoUsers.Auditor);
        var result = await (await auditor.GetAsync($"/api/projects/{id}/audit/verify")).ExpectAsync(HttpStatusCode.OK);
        Assert.False(result.GetProperty("valid").GetBoolean());
        return result.Str("reason");
    }
}
