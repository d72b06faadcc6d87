using System.Net;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.IntegrationTests.Infrastructure;

namespace RestorationWorkflow.IntegrationTests.Projects;

public sealed class AuditTrailApiTests(AppFactory factory) : IClassFixture<AppFactory>
{
    private const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    [Fact]
    public async Task History_ListsEventsInOrderWithChainedHashes()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        var version = await pm.SetStepAsync(id, "D1", 1);
        version = await pm.FireAsync(id, "StartAssessment", version);
        await pm.SetStepAsync(id, "A2", version, status: "notApplicable", note: "Already mapped in 2024.");

        var history = await (await pm.GetAsync($"/api/projects/{id}/history")).ExpectAsync(HttpStatusCode.OK);

        var events = history.EnumerateArray().ToList();
        Assert.Equal([1, 2, 3, 4], events.Select(e => e.Number("sequence")));
        Assert.Equal(["project.created", "checklist.updated", "workflow.transition", "checklist.updated"], events.Select(e => e.Str("action")));
        Assert.Equal(Genesis, events[0].Str("previousHash"));
        for (var i = 1; i < events.Count; i++)
            Assert.Equal(events[i - 1].Str("hash"), events[i].Str("previousHash"));
        Assert.All(events, e => Assert.Matches("^[0-9a-f]{64}$", e.Str("hash")));
        Assert.Equal(events.Count, events.Select(e => e.Str("hash")).Distinct().Count());
        Assert.Equal("Draft", events[2].Str("fromState"));
        Assert.Equal("Assessment", events[2].Str("toState"));
        Assert.Equal("StartAssessment", events[2].Str("trigger"));
        Assert.Equal("Pat Manager", events[2].Str("actorName"));
        Assert.Equal("staper-restoration", events[2].GetProperty("workflow").Str("id"));
        Assert.Equal("Draft", events[2].GetProperty("changes").GetProperty("state").Str("old"));
        Assert.Equal("Assessment", events[2].GetProperty("changes").GetProperty("state").Str("new"));
    }

    [Fact]
    public async Task Verify_OnAnUntouchedTrail_IsValid()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        await pm.FireAsync(id, "StartAssessment", 1);
        using var auditor = await factory.ClientForAsync(DemoUsers.Auditor);

        var result = await (await auditor.GetAsync($"/api/projects/{id}/audit/verify")).ExpectAsync(HttpStatusCode.OK);

        Assert.True(result.GetProperty("valid").GetBoolean());
        Assert.Equal(2, result.Number("eventCount"));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, result.GetProperty("brokenSequence").ValueKind);
    }

    [Fact]
    public async Task Verify_AfterARowIsEditedInTheDatabase_NamesTheBrokenEvent()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        var version = await pm.FireAsync(id, "StartAssessment", 1);
        await pm.SetStepAsync(id, "D1", version);

        await factory.WithDbAsync(async db =>
        {
            var rows = await db.AuditEvents.Where(e => e.ProjectId == id && e.Sequence == 2)
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.ToState, "Closed"));
            Assert.Equal(1, rows);
        });
        var tamperedId = await factory.QueryDbAsync(db => db.AuditEvents.Where(e => e.ProjectId == id && e.Sequence == 2).Select(e => e.Id).SingleAsync());

        var result = await (await pm.GetAsync($"/api/projects/{id}/audit/verify")).ExpectAsync(HttpStatusCode.OK);

        Assert.False(result.GetProperty("valid").GetBoolean());
        Assert.Equal(3, result.Number("eventCount"));
        Assert.Equal(2, result.Number("brokenSequence"));
        Assert.Equal(tamperedId, result.GetProperty("brokenEventId").GetInt64());
        Assert.Contains("changed", result.Str("reason"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_AfterARowIsDeleted_NamesTheGap()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        var version = await pm.SetStepAsync(id, "D1", 1);
        version = await pm.SetStepAsync(id, "D2", version);
        await pm.SetStepAsync(id, "A3", version);

        await factory.WithDbAsync(async db =>
            Assert.Equal(1, await db.AuditEvents.Where(e => e.ProjectId == id && e.Sequence == 3).ExecuteDeleteAsync()));

        var result = await (await pm.GetAsync($"/api/projects/{id}/audit/verify")).ExpectAsync(HttpStatusCode.OK);

        Assert.False(result.GetProperty("valid").GetBoolean());
        Assert.Equal(3, result.Number("eventCount"));
        Assert.Equal(4, result.Number("brokenSequence"));
    }

    [Fact]
    public async Task Verify_AfterTheNewestRowIsDeleted_SaysEventsWereRemovedFromTheEnd()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        var version = await pm.SetStepAsync(id, "D1", 1);
        await pm.SetStepAsync(id, "D2", version);
        var head = await factory.QueryDbAsync(db => db.Projects.Where(p => p.Id == id).Select(p => new { p.AuditSequence, p.AuditHead }).SingleAsync());
        var newest = await factory.QueryDbAsync(db => db.AuditEvents.Where(e => e.ProjectId == id).OrderByDescending(e => e.Sequence).FirstAsync());
        Assert.Equal(3, head.AuditSequence);
        Assert.Equal(newest.Hash, head.AuditHead);

        await factory.WithDbAsync(async db =>
            Assert.Equal(1, await db.AuditEvents.Where(e => e.ProjectId == id && e.Sequence == 3).ExecuteDeleteAsync()));

        var result = await (await pm.GetAsync($"/api/projects/{id}/audit/verify")).ExpectAsync(HttpStatusCode.OK);

        Assert.False(result.GetProperty("valid").GetBoolean());
        Assert.Equal(2, result.Number("eventCount"));
        Assert.Equal(3, result.Number("brokenSequence"));
        Assert.Contains("removed from the end", result.Str("reason"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Diagram_IsMermaidWithTheCurrentStateHighlighted()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        await pm.FireAsync(id, "StartAssessment", 1);

        var response = await pm.GetAsync($"/api/projects/{id}/diagram");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("stateDiagram-v2\n", text, StringComparison.Ordinal);
        Assert.Contains("\n    class Assessment current\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("class Draft current", text, StringComparison.Ordinal);
        Assert.Contains("Draft --> Assessment : Start assessment", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("history")]
    [InlineData("audit/verify")]
    [InlineData("diagram")]
    [InlineData("checklist")]
    [InlineData("transitions")]
    public async Task ReadEndpoints_ForUnknownProject_Return404Problem(string path)
    {
        using var auditor = await factory.ClientForAsync(DemoUsers.Auditor);
        var id = Guid.NewGuid();

        var problem = await (await auditor.GetAsync($"/api/projects/{id}/{path}")).ExpectProblemAsync(HttpStatusCode.NotFound);

        Assert.Contains(id.ToString(), problem.Str("detail"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheVerifyEndpoint_RecordsItsResult()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        using var auditor = await factory.ClientForAsync(DemoUsers.Auditor);

        var result = await (await auditor.GetAsync($"/api/projects/{id}/audit/verify")).ExpectAsync(HttpStatusCode.OK);

        Assert.True(result.GetProperty("valid").GetBoolean());
        var stored = await factory.QueryDbAsync(db => db.AuditVerifications.SingleAsync(v => v.ProjectId == id));
        Assert.True(stored.Valid);
        Assert.Equal(1, stored.HeadSequence);
        Assert.Equal(result.GetProperty("verifiedAt").GetDateTimeOffset(), stored.VerifiedAt);
    }
}
