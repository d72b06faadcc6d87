using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RestorationWorkflow.IntegrationTests.Infrastructure;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Web.Features.Projects;

namespace RestorationWorkflow.IntegrationTests.Forms;

public sealed class StepFormApiTests(AppFactory factory) : IClassFixture<AppFactory>
{
    /// <summary>A project in Assessment (version 2), where the A forms may be filled in.</summary>
    private static async Task<(Guid Id, int Version)> InAssessmentAsync(HttpClient pm)
    {
        var id = await pm.CreateProjectAsync();
        return (id, await pm.FireAsync(id, "StartAssessment", 1));
    }

    private static Task<HttpResponseMessage> PutAsync(HttpClient client, Guid id, string code, object values, int expectedVersion) =>
        client.PutAsJsonAsync($"/api/projects/{id}/steps/{code}", new { values, expectedVersion });

    [Fact]
    public async Task GetForm_ReturnsTheJsonSchemaWithLabelsInBothLanguages()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Auditor);

        var response = await pm.GetAsync("/api/forms/A1");

        var schema = await response.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("application/schema+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("https://json-schema.org/draft/2020-12/schema", schema.Str("$schema"));
        Assert.Equal("A1", schema.GetProperty("x-form").Str("code"));
        var drivers = schema.GetProperty("properties").GetProperty("drivers");
        Assert.Equal("外来侵入物种", drivers.GetProperty("items").GetProperty("x-enumLabels").GetProperty("invasiveAlienSpecies").Str("zh-Hans"));
        Assert.Equal("ha", schema.GetProperty("properties").GetProperty("extentHectares").GetProperty("x-unit").Str("en"));
    }

    [Theory]
    [InlineData("formStatus")]
    [InlineData("formVersion")]
    public void AFormWithAFieldNamedLikeTheFormsOwnAuditFields_IsRefusedAtItsPath(string name)
    {
        var shipped = Path.Combine(AppContext.BaseDirectory, "workflows", "forms");
        var files = Directory.EnumerateFiles(shipped, "*.json").ToDictionary(f => Path.GetFileName(f), File.ReadAllText, StringComparer.Ordinal);
        files["A1.v1.json"] = files["A1.v1.json"].Replace("\"driversDescription\"", $"\"{name}\"", StringComparison.Ordinal);
        var workflows = factory.Services.GetRequiredService<RestorationWorkflow.Workflows.WorkflowCatalog>();

        var error = Assert.Throws<RestorationWorkflow.Workflows.WorkflowDefinitionException>(() => RestorationWorkflow.Forms.StepFormLoader.Load(files, workflows));

        var problem = Assert.Single(error.Problems);
        Assert.Equal(("A1.v1.json", $"$.properties.{name}"), (problem.File, problem.JsonPath));
    }

    [Theory]
    [InlineData("A3")]
    [InlineData("D3")]
    [InlineData("Z9")]
    public async Task GetForm_ForACodeWithoutForm_Returns404(string code)
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        await (await pm.GetAsync($"/api/forms/{code}")).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Put_InvalidValues_Returns400NamingEachFieldAndRule_AndWritesNothing()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var (id, version) = await InAssessmentAsync(pm);

        var response = await PutAsync(pm, id, "A1", new { extentHectares = "large", degree = "awful", drivers = new[] { "pollution", "aliens" }, colour = "red" }, version);

        var problem = await response.ExpectProblemAsync(HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        Assert.StartsWith("type:", errors.GetProperty("values.extentHectares")[0].GetString(), StringComparison.Ordinal);
        Assert.StartsWith("enum:", errors.GetProperty("values.degree")[0].GetString(), StringComparison.Ordinal);
        Assert.StartsWith("enum:", errors.GetProperty("values.drivers[1]")[0].GetString(), StringComparison.Ordinal);
        Assert.StartsWith("additionalProperties:", errors.GetProperty("values.colour")[0].GetString(), StringComparison.Ordinal);
        Assert.False(errors.TryGetProperty("values.drivers[0]", out _));
        Assert.Equal(version, (await pm.GetProjectAsync(id)).Number("version"));
        Assert.False(await factory.QueryDbAsync(db => db.StepForms.AnyAsync(f => f.ProjectId == id)));
    }

    [Fact]
    public async Task Put_RowsAndNumbers_AreCheckedItemByItem()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var (id, version) = await InAssessmentAsync(pm);

        var response = await PutAsync(pm, id, "A4", new { estimatedCost = -5, currency = "usd", benefits = new object[] { new { category = "health", estimate = 2, unit = "lives" }, new { category = "gold", estimate = "many", unit = "t" } } }, version);

        var errors = (await response.ExpectProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors");
        Assert.StartsWith("minimum:", errors.GetProperty("values.estimatedCost")[0].GetString(), StringComparison.Ordinal);
        Assert.StartsWith("pattern:", errors.GetProperty("values.currency")[0].GetString(), StringComparison.Ordinal);
        Assert.StartsWith("enum:", errors.GetProperty("values.benefits[1].category")[0].GetString(), StringComparison.Ordinal);
        Assert.StartsWith("type:", errors.GetProperty("values.benefits[1].estimate")[0].GetString(), StringComparison.Ordinal);
        Assert.False(errors.TryGetProperty("values.benefits[0].category", out _));
    }

    [Fact]
    public async Task Put_PartThenAll_IsInProgressThenComplete_AndAuditsFieldByField()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var (id, version) = await InAssessmentAsync(pm);

        var partial = await (await PutAsync(pm, id, "A1", new { extentHectares = 80, drivers = new[] { "pollution" } }, version)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("inProgress", partial.Str("status"));
        Assert.Contains("values.degree", partial.GetProperty("missing").EnumerateArray().Select(m => m.GetString()));
        version = partial.Number("version");

        var full = new { extentHectares = 120.5, ecosystemTypes = new[] { "wetland" }, degradationType = "both", degree = "severe", location = "Lower floodplain.", drivers = new[] { "pollution", "landUseChange" } };
        var complete = await (await PutAsync(pm, id, "A1", full, version)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("complete", complete.Str("status"));
        Assert.Empty(complete.GetProperty("missing").EnumerateArray());

        var step = await (await pm.GetAsync($"/api/projects/{id}/steps/A1")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(("A1", "complete", 1), (step.Str("code"), step.Str("status"), step.Number("formVersion")));
        Assert.Equal(120.5m, step.GetProperty("values").GetProperty("extentHectares").GetDecimal());
        Assert.Equal(JsonValueKind.Array, step.GetProperty("evidence").ValueKind);
        Assert.Equal(complete.Number("version"), step.Number("version"));

        var events = await factory.QueryDbAsync(db => db.AuditEvents.AsNoTracking().Where(e => e.ProjectId == id && e.Action == "step-form.updated").OrderBy(e => e.Sequence).ToListAsync());
        Assert.Equal(2, events.Count);
        using var second = JsonDocument.Parse(events[1].Changes);
        var changes = second.RootElement;
        Assert.Equal(80, changes.GetProperty("steps.A1.extentHectares").GetProperty("old").GetDecimal());
        Assert.Equal(120.5m, changes.GetProperty("steps.A1.extentHectares").GetProperty("new").GetDecimal());
        Assert.Equal("severe", changes.GetProperty("steps.A1.degree").GetProperty("new").GetString());
        Assert.Equal(JsonValueKind.Null, changes.GetProperty("steps.A1.degree").GetProperty("old").ValueKind);
        Assert.Equal(["pollution", "landUseChange"], changes.GetProperty("steps.A1.drivers").GetProperty("new").EnumerateArray().Select(d => d.GetString()));
        Assert.Equal("inProgress", changes.GetProperty("steps.A1.formStatus").GetProperty("old").GetString());
        Assert.Equal("complete", changes.GetProperty("steps.A1.formStatus").GetProperty("new").GetString());
        Assert.False(changes.TryGetProperty("steps.A1.driversDescription", out _));
        var verify = await (await pm.GetAsync($"/api/projects/{id}/audit/verify")).ExpectAsync(HttpStatusCode.OK);
        Assert.True(verify.GetProperty("valid").GetBoolean(), verify.GetRawText());
    }

    [Fact]
    public async Task Put_Rows_AreAuditedWhole_AndTheHistorySummarizesThem()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var (id, version) = await InAssessmentAsync(pm);
        var one = new object[] { new { category = "health", estimate = 2, unit = "clinics" } };
        var two = new object[] { new { category = "health", estimate = 3, unit = "clinics" }, new { category = "waterSecurity", estimate = 1, unit = "wells" } };
        version = await pm.FillFormAsync(id, "A4", version, new { estimatedCost = 10, currency = "USD", benefits = one });

        await pm.FillFormAsync(id, "A4", version, new { estimatedCost = 10, currency = "USD", benefits = two });

        var last = await factory.QueryDbAsync(db => db.AuditEvents.AsNoTracking().Where(e => e.ProjectId == id).OrderByDescending(e => e.Sequence).FirstAsync());
        using var changes = JsonDocument.Parse(last.Changes);
        var benefits = changes.RootElement.GetProperty("steps.A4.benefits");
        Assert.Equal(2, benefits.GetProperty("old")[0].GetProperty("estimate").GetInt32());
        Assert.Equal(["health", "waterSecurity"], benefits.GetProperty("new").EnumerateArray().Select(r => r.Str("category")));
        Assert.Equal("wells", benefits.GetProperty("new")[1].Str("unit"));
        Assert.False(changes.RootElement.TryGetProperty("steps.A4.estimatedCost", out _));
        var line = Assert.Single(DetailsModel.Changes(last.Changes), c => c.Field == "steps.A4.benefits");
        Assert.Equal(("1 row", "2 rows: row 1 changed, row 2 added"), (line.Old, line.New));
        var verify = await (await pm.GetAsync($"/api/projects/{id}/audit/verify")).ExpectAsync(HttpStatusCode.OK);
        Assert.True(verify.GetProperty("valid").GetBoolean(), verify.GetRawText());
    }

    [Theory]
    [InlineData("Draft", "A1")]
    [InlineData("Assessment", "B1")]
    [InlineData("Assessment", "C3")]
    [InlineData("Planning", "C5")]
    public async Task Put_BeforeItsStep_Returns422AndWritesNothing(string state, string code)
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        await factory.ForceStateAsync(id, state);

        var response = await PutAsync(pm, id, code, await pm.ExampleValuesAsync(code), 1);

        var problem = await response.ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(["stepNotReached"], problem.Guards("unmet"));
        Assert.Contains(code, problem.Str("detail"), StringComparison.Ordinal);
        Assert.False(await factory.QueryDbAsync(db => db.StepForms.AnyAsync(f => f.ProjectId == id)));
    }

    [Fact]
    public async Task C5_WhereIsTheProjectsOwnSites_AnUnknownSiteIs400AtItsPath()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        var other = await pm.CreateProjectAsync();
        await factory.ForceStateAsync(id, "Implementation");
        var (own, version) = await pm.AnySiteAsync(id, 1);
        var (foreign, _) = await pm.AnySiteAsync(other, 1);
        var values = JsonSerializer.SerializeToNode(new
        {
            implemented = new[] { new { what = "Blocked 14 drainage ditches.", start = "2027-03-01", siteIds = new[] { own, foreign } } },
        });

        var problem = await (await PutAsync(pm, id, "C5", values!, version)).ExpectProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal(["values.implemented[0].siteIds[1]"], problem.ErrorFields());
        Assert.False(await factory.QueryDbAsync(db => db.StepForms.AnyAsync(f => f.ProjectId == id)));
        values!["implemented"]![0]!["siteIds"] = new System.Text.Json.Nodes.JsonArray(own);
        (await PutAsync(pm, id, "C5", values!, version)).EnsureSuccessStatusCode();
    }

    [Theory]
    [InlineData("Planning", "A1")]
    [InlineData("Planning", "B9")]
    [InlineData("Implementation", "C1")]
    public async Task Put_InALaterStep_IsAllowed(string state, string code)
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        await factory.ForceStateAsync(id, state);

        Assert.Equal(2, await pm.FillFormAsync(id, code, 1));
    }

    [Theory]
    [InlineData("ConsentReview", "A1")]
    [InlineData("PlanReview", "C2")]
    public async Task Put_UnderReview_Returns422(string state, string code)
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        await factory.ForceStateAsync(id, state);

        var problem = await (await PutAsync(pm, id, code, await pm.ExampleValuesAsync(code), 1)).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Equal(["underReview"], problem.Guards("unmet"));
    }

    [Fact]
    public async Task Put_ByAnotherManagerOrAnApprover_Returns403_AndStaleVersion409()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var (id, version) = await InAssessmentAsync(pm);
        var values = await pm.ExampleValuesAsync("A2");
        foreach (var email in new[] { DemoUsers.Pm2, DemoUsers.Approver1, DemoUsers.Auditor })
        {
            using var other = await factory.ClientForAsync(email);
            await (await PutAsync(other, id, "A2", values, version)).ExpectProblemAsync(HttpStatusCode.Forbidden);
        }

        var stale = await (await PutAsync(pm, id, "A2", values, version - 1)).ExpectProblemAsync(HttpStatusCode.Conflict);

        Assert.Equal(version, stale.Number("currentVersion"));
        Assert.False(await factory.QueryDbAsync(db => db.StepForms.AnyAsync(f => f.ProjectId == id)));
    }

    [Fact]
    public async Task Checklist_RefusesDoneForAFormCode_AndShowsEachFormStatus()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var (id, version) = await InAssessmentAsync(pm);
        version = await pm.FillFormAsync(id, "A2", version);

        var problem = await (await pm.PutAsJsonAsync($"/api/projects/{id}/checklist/A1", new { status = "done", expectedVersion = version }))
            .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Equal(["form"], problem.Guards("unmet"));
        Assert.Contains("A1", problem.Str("detail"), StringComparison.Ordinal);
        var items = (await (await pm.GetAsync($"/api/projects/{id}/checklist")).ExpectAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray()
            .ToDictionary(i => i.Str("code"), i => i.GetProperty("formStatus"));
        Assert.Equal("empty", items["A1"].GetString());
        Assert.Equal("complete", items["A2"].GetString());
        Assert.Equal(JsonValueKind.Null, items["A3"].ValueKind);
        // Not applicable with a reason still settles a form code.
        await pm.SetStepAsync(id, "A5", version, status: "notApplicable", note: "Frameworks assessed nationally in 2024.");
    }

    [Fact]
    public async Task SubmitAssessment_NamesTheFormsNotComplete_AndPassesWhenTheyAre()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var (id, version) = await InAssessmentAsync(pm);
        version = await pm.FillFormAsync(id, "A1", version);
        version = await pm.FillFormAsync(id, "A2", version, new { biodiversityPriority = true });
        version = await pm.CompleteStepsAsync(id, ["A3"], version);
        version = await pm.SetStepAsync(id, "A5", version, status: "notApplicable", note: "Assessed nationally.");

        var problem = await (await pm.PostAsJsonAsync($"/api/projects/{id}/transitions", new { trigger = "SubmitAssessment", expectedVersion = version }))
            .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        var message = problem.GetProperty("unmet").EnumerateArray().Single(u => u.Str("guard") == "checklistComplete").Str("message");
        Assert.Contains(": A2, A4, A6.", message, StringComparison.Ordinal);

        version = await pm.CompleteStepsAsync(id, ["A2", "A4", "A6"], version);
        await pm.FireAsync(id, "SubmitAssessment", version);
    }

    [Fact]
    public async Task Feedback_MarksTheTargetStepsFormsToReview_TheGuardNamesThem_AndConfirmingClearsIt()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var (id, version) = await InAssessmentAsync(pm);
        version = await pm.CompleteStepsAsync(id, ProjectsApi.AssessmentSteps, version);
        await factory.ForceStateAsync(id, "Planning");
        version = await pm.FillFormAsync(id, "C1", version);

        version = await pm.FireAsync(id, "Reassess", version, comment: "New drivers found.");

        var statuses = await factory.QueryDbAsync(db => db.StepForms.AsNoTracking().Where(f => f.ProjectId == id).ToDictionaryAsync(f => f.Code, f => f.Status));
        Assert.All(["A1", "A2", "A4", "A5", "A6"], code => Assert.Equal(StepFormStatus.ToReview, statuses[code]));
        Assert.Equal(StepFormStatus.Complete, statuses["C1"]);
        var step = await (await pm.GetAsync($"/api/projects/{id}/steps/A4")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("toReview", step.Str("status"));
        Assert.Equal("USD", step.GetProperty("values").Str("currency"));
        var transition = await factory.QueryDbAsync(db => db.AuditEvents.AsNoTracking().Where(e => e.ProjectId == id).OrderByDescending(e => e.Sequence).FirstAsync());
        Assert.Equal("workflow.transition", transition.Action);
        Assert.Contains("\"steps.A1.formStatus\":{\"old\":\"complete\",\"new\":\"toReview\"}", transition.Changes, StringComparison.Ordinal);

        var problem = await (await pm.PostAsJsonAsync($"/api/projects/{id}/transitions", new { trigger = "SubmitAssessment", expectedVersion = version }))
            .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        var message = problem.GetProperty("unmet").EnumerateArray().Single(u => u.Str("guard") == "checklistComplete").Str("message");
        Assert.Contains("to review", message, StringComparison.Ordinal);
        Assert.Contains("A1, A2, A4, A5, A6", message, StringComparison.Ordinal);

        var confirmed = await (await pm.PostAsJsonAsync($"/api/projects/{id}/steps/A1/confirm", new { expectedVersion = version })).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("complete", confirmed.Str("status"));
        version = confirmed.Number("version");
        version = await pm.CompleteStepsAsync(id, ["A2", "A4", "A5"], version);
        problem = await (await pm.PostAsJsonAsync($"/api/projects/{id}/transitions", new { trigger = "SubmitAssessment", expectedVersion = version }))
            .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        message = problem.GetProperty("unmet").EnumerateArray().Single(u => u.Str("guard") == "checklistComplete").Str("message");
        Assert.Contains(": A6.", message, StringComparison.Ordinal);
        var confirm = await factory.QueryDbAsync(db => db.AuditEvents.AsNoTracking().Where(e => e.ProjectId == id && e.Action == "step-form.confirmed").SingleAsync());
        Assert.Contains("\"steps.A1.formStatus\":{\"old\":\"toReview\",\"new\":\"complete\"}", confirm.Changes, StringComparison.Ordinal);

        var a6 = await (await pm.PostAsJsonAsync($"/api/projects/{id}/steps/A6/confirm", new { expectedVersion = version })).ExpectAsync(HttpStatusCode.OK);
        version = a6.Number("version");
        await pm.FireAsync(id, "SubmitAssessment", version);
    }

    [Fact]
    public async Task Confirm_WhenNotToReview_Returns422()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var (id, version) = await InAssessmentAsync(pm);
        version = await pm.FillFormAsync(id, "A1", version);

        var problem = await (await pm.PostAsJsonAsync($"/api/projects/{id}/steps/A1/confirm", new { expectedVersion = version }))
            .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Equal(["notToReview"], problem.Guards("unmet"));
    }

    [Fact]
    public async Task GetStep_ForACodeWithoutFormOrAnUnknownProject_Returns404()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        await (await pm.GetAsync($"/api/projects/{id}/steps/A3")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await pm.GetAsync($"/api/projects/{Guid.NewGuid()}/steps/A1")).ExpectProblemAsync(HttpStatusCode.NotFound);
        var empty = await (await pm.GetAsync($"/api/projects/{id}/steps/B4")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("empty", empty.Str("status"));
    }
}
