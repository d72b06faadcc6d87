using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.IntegrationTests.Infrastructure;
using RestorationWorkflow.Projects;

namespace RestorationWorkflow.IntegrationTests.Projects;

public sealed class ChecklistApiTests(AppFactory factory) : IClassFixture<AppFactory>
{
    private static readonly string[] AllSteps =
    [
        "A1", "A2", "A3", "A4", "A5", "A6",
        "B1", "B2", "B3", "B4", "B5", "B6", "B7", "B8", "B9",
        "C1", "C2", "C3", "C4", "C5",
        "D1", "D2", "D3",
    ];

    [Fact]
    public async Task Get_ListsThe23StaperStepsOpen()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();

        var checklist = await (await pm.GetAsync($"/api/projects/{id}/checklist")).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(id, checklist.GetProperty("projectId").GetGuid());
        Assert.Equal(1, checklist.Number("version"));
        var items = checklist.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(AllSteps, items.Select(i => i.Str("code")));
        Assert.All(items, i => Assert.Equal("open", i.Str("status")));
        Assert.All(items, i => Assert.Equal(i.Str("code")[..1], i.Str("group")));
        Assert.All(items, i => Assert.False(string.IsNullOrWhiteSpace(i.Str("label"))));
    }

    [Fact]
    public async Task Put_Done_SavesTheStepBumpsTheVersionAndAudits()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();

        var response = await pm.PutAsJsonAsync($"/api/projects/{id}/checklist/D2", new { status = "done", note = "Drivers mapped.", expectedVersion = 1 });

        var body = await response.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(2, body.Number("version"));
        Assert.Equal("D2", body.GetProperty("item").Str("code"));
        Assert.Equal("done", body.GetProperty("item").Str("status"));
        Assert.Equal("Drivers mapped.", body.GetProperty("item").Str("note"));

        var checklist = await (await pm.GetAsync($"/api/projects/{id}/checklist")).ExpectAsync(HttpStatusCode.OK);
        var a2 = checklist.GetProperty("items").EnumerateArray().Single(i => i.Str("code") == "D2");
        Assert.Equal("done", a2.Str("status"));
        Assert.Equal("Pat Manager", a2.Str("updatedBy"));

        var stored = await factory.QueryDbAsync(db => db.ChecklistItems.AsNoTracking().SingleAsync(i => i.ProjectId == id && i.Code == "D2"));
        Assert.Equal(ChecklistStatus.Done, stored.Status);
        var snapshot = await factory.SnapshotAsync(id);
        Assert.Equal(2, snapshot.Version);
        Assert.Equal(2, snapshot.AuditEvents);
        var audit = await factory.QueryDbAsync(db => db.AuditEvents.AsNoTracking().SingleAsync(e => e.ProjectId == id && e.Sequence == 2));
        Assert.Equal("checklist.updated", audit.Action);
        Assert.Contains("checklist.D2.status", audit.Changes, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Put_NotApplicableWithReason_IsAccepted()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();

        var response = await pm.PutAsJsonAsync($"/api/projects/{id}/checklist/B5", new { status = "notApplicable", note = "No tenure issues in a state forest.", expectedVersion = 1 });

        var body = await response.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("notApplicable", body.GetProperty("item").Str("status"));
        var stored = await factory.QueryDbAsync(db => db.ChecklistItems.AsNoTracking().SingleAsync(i => i.ProjectId == id && i.Code == "B5"));
        Assert.Equal(ChecklistStatus.NotApplicable, stored.Status);
        Assert.Equal("No tenure issues in a state forest.", stored.Note);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("   ")]
    public async Task Put_NotApplicableWithoutNote_Returns400NamingNoteAndWritesNothing(string? note)
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();

        var response = await pm.PutAsJsonAsync($"/api/projects/{id}/checklist/A1", new { status = "notApplicable", note, expectedVersion = 1 });

        var problem = await response.ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["note"], problem.ErrorFields());
        await AssertUnchangedAsync(id);
    }

    [Fact]
    public async Task Put_UnknownStatus_Returns400NamingStatus()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();

        var response = await pm.PutAsJsonAsync($"/api/projects/{id}/checklist/A1", new { status = "finished", expectedVersion = 1 });

        var problem = await response.ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["status"], problem.ErrorFields());
        await AssertUnchangedAsync(id);
    }

    [Fact]
    public async Task Put_UnknownStepCode_Returns404Problem()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();

        var response = await pm.PutAsJsonAsync($"/api/projects/{id}/checklist/E9", new { status = "done", expectedVersion = 1 });

        var problem = await response.ExpectProblemAsync(HttpStatusCode.NotFound);
        Assert.Contains("E9", problem.Str("detail"), StringComparison.Ordinal);
        await AssertUnchangedAsync(id);
    }

    [Fact]
    public async Task Put_WithStaleExpectedVersion_Returns409WithCurrentVersionAndWritesNothing()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        var version = await pm.SetStepAsync(id, "D1", 1);
        Assert.Equal(2, version);

        var response = await pm.PutAsJsonAsync($"/api/projects/{id}/checklist/D2", new { status = "done", expectedVersion = 1 });

        var problem = await response.ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(2, problem.Number("currentVersion"));
        Assert.Equal(new ProjectSnapshot("Draft", 2, WorkflowsApi.LatestVersion, 2), await factory.SnapshotAsync(id));
        var a2 = await factory.QueryDbAsync(db => db.ChecklistItems.AsNoTracking().SingleAsync(i => i.ProjectId == id && i.Code == "D2"));
        Assert.Equal(ChecklistStatus.Open, a2.Status);
    }

    [Theory]
    [InlineData(DemoUsers.Approver1)]
    [InlineData(DemoUsers.Auditor)]
    [InlineData(DemoUsers.Admin)]
    [InlineData(DemoUsers.Pm2)]
    public async Task Put_ByNonManagerOfTheProject_Returns403AndWritesNothing(string email)
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        using var other = await factory.ClientForAsync(email);

        var response = await other.PutAsJsonAsync($"/api/projects/{id}/checklist/A1", new { status = "done", expectedVersion = 1 });

        var problem = await response.ExpectProblemAsync(HttpStatusCode.Forbidden);
        Assert.Contains("manager", problem.Str("detail"), StringComparison.OrdinalIgnoreCase);
        await AssertUnchangedAsync(id);
    }

    [Fact]
    public async Task AddManager_ByTheManager_LetsTheNewManagerEditTheChecklist()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        using var pm2 = await factory.ClientForAsync(DemoUsers.Pm2);
        var id = await pm.CreateProjectAsync();
        var refused = await pm2.PutAsJsonAsync($"/api/projects/{id}/checklist/A1", new { status = "done", expectedVersion = 1 });
        await refused.ExpectProblemAsync(HttpStatusCode.Forbidden);

        var added = await pm.PostAsJsonAsync($"/api/projects/{id}/members", new { email = DemoUsers.Pm2, expectedVersion = 1 });

        var project = await added.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(2, project.Number("version"));
        Assert.Equal(["Pat Manager", "Sam Manager"], project.GetProperty("managers").EnumerateArray().Select(m => m.Str("displayName")).Order(StringComparer.Ordinal));
        var audit = await factory.QueryDbAsync(db => db.AuditEvents.AsNoTracking().SingleAsync(e => e.ProjectId == id && e.Sequence == 2));
        Assert.Equal("project.member-added", audit.Action);
        Assert.Contains(DemoUsers.Pm2, audit.Changes, StringComparison.Ordinal);

        var version = await pm2.SetStepAsync(id, "D1", 2);
        Assert.Equal(3, version);
    }

    [Fact]
    public async Task AddManager_ByAnotherProjectManager_Returns403()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        using var pm2 = await factory.ClientForAsync(DemoUsers.Pm2);
        var id = await pm.CreateProjectAsync();

        var response = await pm2.PostAsJsonAsync($"/api/projects/{id}/members", new { email = DemoUsers.Pm2, expectedVersion = 1 });

        await response.ExpectProblemAsync(HttpStatusCode.Forbidden);
        await AssertUnchangedAsync(id);
    }

    [Fact]
    public async Task AddManager_WhoIsNotAProjectManager_Returns400NamingEmail()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();

        var response = await pm.PostAsJsonAsync($"/api/projects/{id}/members", new { email = DemoUsers.Approver1, expectedVersion = 1 });

        var problem = await response.ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["email"], problem.ErrorFields());
        await AssertUnchangedAsync(id);
    }

    private async Task AssertUnchangedAsync(Guid id)
    {
        Assert.Equal(new ProjectSnapshot("Draft", 1, WorkflowsApi.LatestVersion, 1), await factory.SnapshotAsync(id));
        var settled = await factory.QueryDbAsync(db => db.ChecklistItems.CountAsync(i => i.ProjectId == id && i.Status != ChecklistStatus.Open));
        Assert.Equal(0, settled);
    }
}
