using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.IntegrationTests.Infrastructure;

namespace RestorationWorkflow.IntegrationTests.Projects;

/// <summary>The team: managers and members added and removed through commands, audited; the last manager stays.</summary>
public sealed class TeamApiTests(AppFactory factory) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task Administrator_AddsAMemberAndAManager_ThenRemovesThem_EachAudited()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        using var admin = await factory.ClientForAsync(DemoUsers.Admin);
        var auditorId = await UserIdAsync(DemoUsers.Auditor);
        var pm2Id = await UserIdAsync(DemoUsers.Pm2);

        var withMember = await (await admin.PostAsJsonAsync($"/api/projects/{id}/team", new { email = DemoUsers.Auditor, role = "member", expectedVersion = 1 }))
            .ExpectAsync(HttpStatusCode.OK);
        var withManager = await (await admin.PostAsJsonAsync($"/api/projects/{id}/team", new { email = DemoUsers.Pm2, role = "manager", expectedVersion = 2 }))
            .ExpectAsync(HttpStatusCode.OK);

        Assert.Equal("member", Role(withMember, auditorId));
        Assert.Equal("manager", Role(withManager, pm2Id));
        Assert.Equal(2, withManager.GetProperty("managers").GetArrayLength());
        Assert.Equal(3, withManager.Number("version"));

        var removed = await (await admin.DeleteAsync($"/api/projects/{id}/team/{auditorId}?expectedVersion=3")).ExpectAsync(HttpStatusCode.OK);
        Assert.Null(Role(removed, auditorId));

        var events = await factory.QueryDbAsync(db => db.AuditEvents.AsNoTracking().Where(e => e.ProjectId == id && e.Sequence > 1)
            .OrderBy(e => e.Sequence).Select(e => new { e.Action, e.Changes }).ToListAsync());
        Assert.Equal(["project.member-added", "project.member-added", "project.member-removed"], events.Select(e => e.Action));
        Assert.Contains($"\"members\":{{\"added\":\"{DemoUsers.Auditor}\"}}", events[0].Changes, StringComparison.Ordinal);
        Assert.Contains($"\"members\":{{\"removed\":\"{DemoUsers.Auditor}\"}}", events[2].Changes, StringComparison.Ordinal);
        var verify = await (await admin.GetAsync($"/api/projects/{id}/audit/verify")).ExpectAsync(HttpStatusCode.OK);
        Assert.True(verify.GetProperty("valid").GetBoolean(), verify.GetRawText());
    }

    [Fact]
    public async Task TheLastManager_CannotBeRemovedOrMadeAMember_422()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        using var admin = await factory.ClientForAsync(DemoUsers.Admin);
        var pmId = await UserIdAsync(DemoUsers.Pm);

        var removal = await (await admin.DeleteAsync($"/api/projects/{id}/team/{pmId}?expectedVersion=1")).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        var demotion = await (await admin.PostAsJsonAsync($"/api/projects/{id}/team", new { email = DemoUsers.Pm, role = "member", expectedVersion = 1 }))
            .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Equal(["lastManager"], removal.Guards("unmet"));
        Assert.Equal(["lastManager"], demotion.Guards("unmet"));
        Assert.Equal(new ProjectSnapshot("Draft", 1, WorkflowsApi.LatestVersion, 1), await factory.SnapshotAsync(id));

        // With a second manager, the first may go.
        await (await admin.PostAsJsonAsync($"/api/projects/{id}/team", new { email = DemoUsers.Pm2, role = "manager", expectedVersion = 1 })).ExpectAsync(HttpStatusCode.OK);
        var after = await (await admin.DeleteAsync($"/api/projects/{id}/team/{pmId}?expectedVersion=2")).ExpectAsync(HttpStatusCode.OK);
        Assert.Null(Role(after, pmId));
    }

    [Fact]
    public async Task AMemberMadeManager_HoldsOneRole_AndTheReplayFollows()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        var pm2Id = await UserIdAsync(DemoUsers.Pm2);

        await (await pm.PostAsJsonAsync($"/api/projects/{id}/team", new { email = DemoUsers.Pm2, role = "member", expectedVersion = 1 })).ExpectAsync(HttpStatusCode.OK);
        var promoted = await (await pm.PostAsJsonAsync($"/api/projects/{id}/team", new { email = DemoUsers.Pm2, role = "manager", expectedVersion = 2 }))
            .ExpectAsync(HttpStatusCode.OK);

        Assert.Equal("manager", Role(promoted, pm2Id));
        Assert.Equal(2, promoted.GetProperty("team").GetArrayLength());
        var verify = await (await pm.GetAsync($"/api/projects/{id}/audit/verify")).ExpectAsync(HttpStatusCode.OK);
        Assert.True(verify.GetProperty("valid").GetBoolean(), verify.GetRawText());
    }

    [Fact]
    public async Task BadRequests_AreNamed_AndOutsidersAreRefused()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        using var admin = await factory.ClientForAsync(DemoUsers.Admin);

        var badRole = await (await admin.PostAsJsonAsync($"/api/projects/{id}/team", new { email = DemoUsers.Auditor, role = "owner", expectedVersion = 1 }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["role"], badRole.ErrorFields());
        var notAManager = await (await admin.PostAsJsonAsync($"/api/projects/{id}/team", new { email = DemoUsers.Auditor, role = "manager", expectedVersion = 1 }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["email"], notAManager.ErrorFields());
        var noVersion = await (await admin.DeleteAsync($"/api/projects/{id}/team/{await UserIdAsync(DemoUsers.Pm)}")).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["expectedVersion"], noVersion.ErrorFields());
        await (await admin.DeleteAsync($"/api/projects/{id}/team/nobody?expectedVersion=1")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await admin.PostAsJsonAsync($"/api/projects/{id}/team", new { email = DemoUsers.Auditor, role = "member", expectedVersion = 9 }))
            .ExpectProblemAsync(HttpStatusCode.Conflict);

        foreach (var outsider in new[] { DemoUsers.Pm2, DemoUsers.Approver1, DemoUsers.Auditor })
        {
            using var client = await factory.ClientForAsync(outsider);
            await (await client.PostAsJsonAsync($"/api/projects/{id}/team", new { email = DemoUsers.Pm2, role = "manager", expectedVersion = 1 }))
                .ExpectProblemAsync(HttpStatusCode.Forbidden);
        }
        Assert.Equal(new ProjectSnapshot("Draft", 1, WorkflowsApi.LatestVersion, 1), await factory.SnapshotAsync(id));
    }

    [Fact]
    public async Task AMemberInsertedInTheDatabase_IsNamedByVerify()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        var auditorId = await UserIdAsync(DemoUsers.Auditor);
        await factory.WithDbAsync(async db =>
        {
            db.ProjectMembers.Add(new RestorationWorkflow.Projects.ProjectMember(id, auditorId, RestorationWorkflow.Projects.ProjectMemberRole.Member, DateTimeOffset.UtcNow));
            await db.SaveChangesAsync();
        });

        var verify = await (await pm.GetAsync($"/api/projects/{id}/audit/verify")).ExpectAsync(HttpStatusCode.OK);

        Assert.False(verify.GetProperty("valid").GetBoolean());
        Assert.Contains($"member(s) no event added: {auditorId}", verify.Str("reason"), StringComparison.Ordinal);
    }

    private static string? Role(JsonElement project, string userId) =>
        project.GetProperty("team").EnumerateArray().Where(m => m.Str("id") == userId).Select(m => m.Str("role")).FirstOrDefault();

    private Task<string> UserIdAsync(string email) => factory.QueryDbAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());
}
