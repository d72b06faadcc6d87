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

    [Fact]
    public async Task AStepFormFieldSetInTheDatabase_IsNamed()
    {
        var id = await ProjectWithFormsAsync();
        await EditFormValuesAsync(id, "A1", values => values["extentHectares"] = 9999);

        var reason = await BrokenReasonAsync(id);

        Assert.Contains("The field extentHectares of step form A1 differs from what its events recorded", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARowOfAStepFormChangedInTheDatabase_IsNamed()
    {
        var id = await ProjectWithFormsAsync();
        await EditFormValuesAsync(id, "A4", values => values["benefits"]![1]!["estimate"] = 3500);

        var reason = await BrokenReasonAsync(id);

        Assert.Contains("The field benefits of step form A4 differs from what its events recorded", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AStepFormValueNoEventRecorded_IsNamed()
    {
        var id = await ProjectWithFormsAsync();
        await EditFormValuesAsync(id, "A1", values => values["driversDescription"] = "Added in the database.");

        var reason = await BrokenReasonAsync(id);

        Assert.Contains("Step form A1 has a value for driversDescription that no event recorded", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AStepFormStatusSetInTheDatabase_OrAFormForgedWhole_IsNamed()
    {
        var id = await ProjectWithFormsAsync();
        await factory.WithDbAsync(db => db.StepForms.Where(f => f.ProjectId == id && f.Code == "A1")
            .ExecuteUpdateAsync(s => s.SetProperty(f => f.Status, StepFormStatus.ToReview)));

        Assert.Contains("Step form A1 is toReview, but its events say complete", await BrokenReasonAsync(id), StringComparison.Ordinal);

        var other = await ProjectWithFormsAsync();
        var forged = new StepForm(other, "A2");
        forged.Save("""{"whyHere":"Forged."}""", 1, complete: false, empty: false, "someone", DateTimeOffset.UtcNow);
        await factory.WithDbAsync(async db =>
        {
            db.StepForms.Add(forged);
            await db.SaveChangesAsync();
        });

        Assert.Contains("Step form A2 is inProgress, but its events say empty", await BrokenReasonAsync(other), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StepFormsEditedMarkedToReviewAndConfirmedThroughTheApp_Verify()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        using var approver = await factory.ClientForAsync(DemoUsers.Approver1);
        var id = await pm.CreateProjectAsync();
        var version = await pm.ToPlanningAsync(approver, id);
        // B1 has a field named "status" (the enabling measure's), audited beside the form's own formStatus.
        var b1 = System.Text.Json.Nodes.JsonNode.Parse((await pm.ExampleValuesAsync("B1")).GetRawText())!.AsObject();
        b1["status"] = "beingImproved";
        version = await pm.FillFormAsync(id, "B1", version, b1);
        version = await pm.FireAsync(id, "Reassess", version, comment: "New drivers found.");
        var confirmed = await (await pm.PostAsJsonAsync($"/api/projects/{id}/steps/A2/confirm", new { expectedVersion = version })).ExpectAsync(HttpStatusCode.OK);
        version = confirmed.Number("version");
        // A field cleared (driversDescription is not sent) and a row removed.
        version = await pm.FillFormAsync(id, "A1", version, new { extentHectares = 80, ecosystemTypes = new[] { "wetland" }, degradationType = "both", degree = "moderate",
            location = "Upper floodplain.", drivers = new[] { "pollution" } });
        await pm.FillFormAsync(id, "A4", version, new { estimatedCost = 250000, currency = "USD",
            benefits = new[] { new { category = "jobsAndLivelihoods", estimate = 35, unit = "jobs" } } });

        var result = await (await pm.GetAsync($"/api/projects/{id}/audit/verify")).ExpectAsync(HttpStatusCode.OK);

        Assert.True(result.GetProperty("valid").GetBoolean(), result.GetRawText());
        var b1Event = await factory.QueryDbAsync(db => db.AuditEvents.AsNoTracking()
            .Where(e => e.ProjectId == id && e.Action == "step-form.updated" && e.Changes.Contains("steps.B1.")).OrderBy(e => e.Sequence).FirstAsync());
        using var changes = System.Text.Json.JsonDocument.Parse(b1Event.Changes);
        Assert.Equal("underReview", changes.RootElement.GetProperty("steps.B1.status").Str("new"));
        Assert.Equal("complete", changes.RootElement.GetProperty("steps.B1.formStatus").Str("new"));
    }

    /// <summary>
    /// A form whose events predate the form's own status key (decision 0047: its status recorded as
    /// <c>steps.A4.status</c>, its rows as "1 row") is not compared; a form recorded in today's format is.
    /// </summary>
    [Fact]
    public void AFormRecordedInTheOlderFormat_IsNotCompared_OneInTodaysFormatIs()
    {
        static RestorationWorkflow.Audit.AuditEvent Event(string action, string changes) =>
            new() { Action = action, ActorId = "pm", ToState = "Assessment", WorkflowId = "staper-restoration", WorkflowVersion = 3, Changes = changes };
        var checklist = StaperSteps.All.ToDictionary(s => s.Code, _ => (ChecklistStatus.Open, (string?)null), StringComparer.Ordinal);
        var stored = new Dictionary<string, RestorationWorkflow.Audit.StoredStepForm>(StringComparer.Ordinal)
        {
            ["A4"] = new("inProgress", System.Text.Json.JsonDocument.Parse("""{"benefits":[{"category":"health","estimate":2,"unit":"clinics"}]}""").RootElement),
        };
        var rows = new RestorationWorkflow.Audit.ProjectRows("Assessment", "staper-restoration", 3, 2, ["pm"], checklist, StepForms: stored);

        var older = RestorationWorkflow.Audit.AuditReplay.Compare(
            [Event("project.created", "{}"), Event("step-form.updated", """{"steps.A4.benefits":{"old":null,"new":"1 row"},"steps.A4.status":{"old":"empty","new":"inProgress"}}""")],
            rows, _ => null);
        var today = RestorationWorkflow.Audit.AuditReplay.Compare(
            [Event("project.created", "{}"), Event("step-form.updated", """{"steps.A4.benefits":{"old":null,"new":"1 row"},"steps.A4.formStatus":{"old":"empty","new":"inProgress"}}""")],
            rows, _ => null);

        Assert.Null(older);
        Assert.Equal("The field benefits of step form A4 differs from what its events recorded.", today);
    }

    /// <summary><see cref="ProjectWithHistoryAsync"/>, then A1 filled with its example (4) and A4 with two benefit rows (5).</summary>
    private async Task<Guid> ProjectWithFormsAsync()
    {
        var id = await ProjectWithHistoryAsync();
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var version = await pm.FillFormAsync(id, "A1", 3);
        await pm.FillFormAsync(id, "A4", version);
        var intact = await (await pm.GetAsync($"/api/projects/{id}/audit/verify")).ExpectAsync(HttpStatusCode.OK);
        Assert.True(intact.GetProperty("valid").GetBoolean(), intact.GetRawText());
        return id;
    }

    private Task EditFormValuesAsync(Guid id, string code, Action<System.Text.Json.Nodes.JsonObject> edit) =>
        factory.WithDbAsync(async db =>
        {
            var text = await db.StepForms.Where(f => f.ProjectId == id && f.Code == code).Select(f => f.Values).SingleAsync();
            var values = System.Text.Json.Nodes.JsonNode.Parse(text)!.AsObject();
            edit(values);
            var json = values.ToJsonString();
            await db.StepForms.Where(f => f.ProjectId == id && f.Code == code).ExecuteUpdateAsync(s => s.SetProperty(f => f.Values, json));
        });

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
