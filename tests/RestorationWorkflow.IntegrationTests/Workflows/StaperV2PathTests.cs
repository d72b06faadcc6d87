using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.IntegrationTests.Infrastructure;
using RestorationWorkflow.Projects;

namespace RestorationWorkflow.IntegrationTests.Workflows;

/// <summary>
/// What v2 changes on the path of a new project (decision 0022): B is checked with C on SubmitPlan, and the
/// feedback loops from Implementation go back to Assessment and to Planning, where B is worked.
/// </summary>
public sealed class StaperV2PathTests(AppFactory factory) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task SubmitPlan_WithCDoneButBOpen_Returns422NamingTheBItems()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        await factory.ForceStateAsync(id, "Planning");
        var version = await pm.CompleteStepsAsync(id, ProjectsApi.PlanningSteps, 1);

        var problem = await (await pm.PostAsJsonAsync($"/api/projects/{id}/transitions", new { trigger = "SubmitPlan", expectedVersion = version }))
            .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        var unmet = Assert.Single(problem.GetProperty("unmet").EnumerateArray());
        Assert.Equal("checklistComplete", unmet.Str("guard"));
        Assert.Contains("B1, B2, B3, B4, B5, B6, B7, B8, B9", unmet.Str("message"), StringComparison.Ordinal);
        Assert.Equal("Planning", (await factory.SnapshotAsync(id)).State);

        version = await pm.CompleteStepsAsync(id, ProjectsApi.EnablingSteps, version);
        await pm.FireAsync(id, "SubmitPlan", version);
        Assert.Equal("PlanReview", (await pm.GetProjectAsync(id)).Str("state"));
    }

    [Fact]
    public async Task ResourcesInsufficient_FromImplementation_ReturnsToPlanningWithBAndCToReview()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        await factory.ForceStateAsync(id, "Planning");
        var version = await pm.CompleteStepsAsync(id, ProjectsApi.PlanSubmissionSteps, 1);
        await factory.ForceStateAsync(id, "Implementation");
        var transitions = await (await pm.GetAsync($"/api/projects/{id}/transitions")).ExpectAsync(HttpStatusCode.OK);
        Assert.Contains("SiteLevelAssessment", transitions.GetProperty("transitions").EnumerateArray().Select(t => t.Str("trigger")));

        version = await pm.FireAsync(id, "ResourcesInsufficient", version, comment: "The county budget for years 4–6 was cut.");

        Assert.Equal("Planning", (await pm.GetProjectAsync(id)).Str("state"));
        var statuses = await factory.QueryDbAsync(db => db.StepForms.AsNoTracking().Where(f => f.ProjectId == id).ToDictionaryAsync(f => f.Code, f => f.Status));
        Assert.Equal(StepFormStatus.ToReview, statuses["B8"]);
        Assert.Equal(StepFormStatus.ToReview, statuses["C4"]);
        var problem = await (await pm.PostAsJsonAsync($"/api/projects/{id}/transitions", new { trigger = "SubmitPlan", expectedVersion = version }))
            .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        var messages = string.Join(" ", problem.GetProperty("unmet").EnumerateArray().Select(u => u.Str("message")));
        Assert.Contains("to review", messages, StringComparison.Ordinal);
        Assert.Contains("B8", messages, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SiteLevelAssessment_FromImplementation_NeedsAComment_AndReturnsToAssessment()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        await factory.ForceStateAsync(id, "Implementation");

        var refused = await (await pm.PostAsJsonAsync($"/api/projects/{id}/transitions", new { trigger = "SiteLevelAssessment", expectedVersion = 1 }))
            .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(new ProjectSnapshot("Implementation", 1, WorkflowsApi.LatestVersion, 1), await factory.SnapshotAsync(id));

        Assert.Equal(["commentProvided"], refused.Guards("unmet"));

        await pm.FireAsync(id, "SiteLevelAssessment", 1, comment: "The riparian strip needs a finer survey.");
        Assert.Equal("Assessment", (await pm.GetProjectAsync(id)).Str("state"));
    }
}
