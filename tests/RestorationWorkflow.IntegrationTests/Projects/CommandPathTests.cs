using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.IntegrationTests.Infrastructure;

namespace RestorationWorkflow.IntegrationTests.Projects;

/// <summary>What every project command gets from the one command path, whatever the command.</summary>
public sealed class CommandPathTests(AppFactory factory) : IClassFixture<AppFactory>
{
    private const string Password = "Both-Roles-2026!";

    [Fact]
    public async Task WhoSubmittedForReview_MayNotDecideIt_WhateverRolesTheyHold()
    {
        using var both = await BothRolesClientAsync();
        var id = await both.CreateProjectAsync();
        var version = await both.FireAsync(id, "StartAssessment", 1);
        version = await both.CompleteStepsAsync(id, ProjectsApi.AssessmentSteps, version);
        version = await both.FireAsync(id, "SubmitAssessment", version);

        // The gate is decided on its approval request: the submitter is refused there, in the caller's language.
        var requestId = (await both.OpenRequestAsync(id, "consent")).GetProperty("id").GetGuid();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/approvals/{requestId}/decisions")
        {
            Content = JsonContent.Create(new { decision = "approve" }),
        };
        request.Headers.AcceptLanguage.Add(new StringWithQualityHeaderValue("zh-Hans"));
        var refused = await (await both.SendAsync(request)).ExpectProblemAsync(HttpStatusCode.Forbidden);

        Assert.Equal(["submitter", "teamMember"], refused.Guards("reasons"));
        Assert.Contains("职责分离", refused.GetProperty("reasons")[0].Str("message"), StringComparison.Ordinal);
        // The transitions list says why the approve transition is not theirs to fire: the gate, and separation of duties.
        var transitions = await (await both.GetAsync($"/api/projects/{id}/transitions")).ExpectAsync(HttpStatusCode.OK);
        var approve = transitions.GetProperty("transitions").EnumerateArray().Single(t => t.Str("trigger") == "ApproveConsent");
        Assert.False(approve.GetProperty("allowed").GetBoolean());
        Assert.Contains("separationOfDuties", approve.Guards("unmet"));
        Assert.Contains("approvalGate", approve.Guards("unmet"));
        var snapshot = await factory.SnapshotAsync(id);
        Assert.Equal(("ConsentReview", version), (snapshot.State, snapshot.Version));

        using var approver = await factory.ClientForAsync(DemoUsers.Approver1);
        await approver.DecideAsync(id, "consent");
        Assert.Equal("Planning", (await factory.SnapshotAsync(id)).State);
    }

    [Fact]
    public async Task ACommandThatChangesNothing_WritesNothing()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();

        var body = await (await pm.PutAsJsonAsync($"/api/projects/{id}/checklist/A1", new { status = "open", expectedVersion = 1 }))
            .ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(1, body.Number("version"));
        var events = await factory.QueryDbAsync(db => db.AuditEvents.CountAsync(e => e.ProjectId == id));
        Assert.Equal(1, events);
    }

    [Fact]
    public async Task ATriggerThatNoLongerLeavesTheState_OnAStaleVersion_IsAConflict()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        var version = await pm.FireAsync(id, "StartAssessment", 1);

        var problem = await (await pm.PostAsJsonAsync($"/api/projects/{id}/transitions", new { trigger = "StartAssessment", expectedVersion = 1 }))
            .ExpectProblemAsync(HttpStatusCode.Conflict);

        Assert.Equal(version, problem.Number("currentVersion"));
        Assert.Equal("stale-version", problem.Str("code"));
    }

    [Fact]
    public async Task EveryRefusalCarriesAStableCode()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();

        var missing = await (await pm.PutAsJsonAsync($"/api/projects/{Guid.NewGuid()}/checklist/A1", new { status = "done", expectedVersion = 1 }))
            .ExpectProblemAsync(HttpStatusCode.NotFound);
        var step = await (await pm.PutAsJsonAsync($"/api/projects/{id}/checklist/Z9", new { status = "done", expectedVersion = 1 }))
            .ExpectProblemAsync(HttpStatusCode.NotFound);
        var invalid = await (await pm.PutAsJsonAsync($"/api/projects/{id}/checklist/A1", new { status = "finished", expectedVersion = 1 }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal("project-not-found", missing.Str("code"));
        Assert.Equal("checklist-item-not-found", step.Str("code"));
        Assert.Equal("validation", invalid.Str("code"));
    }

    [Fact]
    public async Task EvaluatingTransitions_LoadsTheChecklistOnlyWhenAGuardReadsIt()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        using var sql = factory.Sql.Record();

        // Draft: StartAssessment reads the registry fields, Cancel reads nothing.
        await (await pm.GetAsync($"/api/projects/{id}/transitions")).ExpectAsync(HttpStatusCode.OK);
        var inDraft = sql.Commands.Count(c => c.Contains("\"ChecklistItems\"", StringComparison.Ordinal));
        await pm.FireAsync(id, "StartAssessment", 1);
        sql.Clear();
        // Assessment: SubmitAssessment's checklistComplete guard reads the checklist, once.
        await (await pm.GetAsync($"/api/projects/{id}/transitions")).ExpectAsync(HttpStatusCode.OK);
        var inAssessment = sql.Commands.Count(c => c.Contains("\"ChecklistItems\"", StringComparison.Ordinal));

        Assert.Equal(0, inDraft);
        Assert.Equal(1, inAssessment);
    }

    private async Task<HttpClient> BothRolesClientAsync()
    {
        using var admin = await factory.ClientForAsync(DemoUsers.Admin);
        var email = $"both-{Guid.NewGuid():N}@example.org";
        var created = await admin.PostAsJsonAsync("/api/admin/users",
            new { email, displayName = "Sam Both", password = Password, roles = new[] { "ProjectManager", "Approver" } });
        await created.ExpectAsync(HttpStatusCode.Created);
        return await factory.ClientForAsync(email, Password);
    }
}
