using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using RestorationWorkflow.IntegrationTests.Infrastructure;

namespace RestorationWorkflow.IntegrationTests.Workflows;

public sealed class WorkflowsApiTests(AppFactory factory) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task List_HasStaperVersions1To3_With3AsLatest()
    {
        using var client = await factory.ClientForAsync(DemoUsers.Auditor);

        var list = await (await client.GetAsync("/api/workflows")).ExpectAsync(HttpStatusCode.OK);

        var versions = list.EnumerateArray().ToList();
        Assert.Equal([("staper-restoration", 1, false), ("staper-restoration", 2, false), ("staper-restoration", 3, true)],
            versions.Select(w => (w.Str("id"), w.Number("version"), w.GetProperty("latest").GetBoolean())));
        Assert.All(versions, w => Assert.Equal("STAPER ecosystem restoration", w.Str("title")));
        Assert.Equal(12, versions[0].Number("states"));
        Assert.Equal(Definition().GetProperty("transitions").GetArrayLength(), versions[0].Number("transitions"));
        Assert.Equal(11, versions[1].Number("states"));
        Assert.Equal(Definition(2).GetProperty("transitions").GetArrayLength(), versions[1].Number("transitions"));
        Assert.Equal(12, versions[2].Number("states"));
        Assert.Equal(Definition(3).GetProperty("transitions").GetArrayLength(), versions[2].Number("transitions"));
    }

    [Fact]
    public async Task Get_Version3_NamesTheGatesOfItsReviewStates_AndWarnsOfNothingWithTheDemoApprovers()
    {
        using var client = await factory.ClientForAsync(DemoUsers.Admin);

        var definition = await (await client.GetAsync("/api/workflows/staper-restoration/3")).ExpectAsync(HttpStatusCode.OK);

        var states = definition.GetProperty("states").EnumerateArray().ToDictionary(s => s.Str("code"));
        Assert.Equal([("ConsentReview", "consent"), ("PlanReview", "plan"), ("EvaluationReview", "evaluation")],
            states.Values.Where(s => s.GetProperty("gate").ValueKind == JsonValueKind.String).Select(s => (s.Str("code"), s.Str("gate"))));
        var gates = definition.GetProperty("gates").EnumerateArray().ToDictionary(g => g.Str("id"));
        Assert.Equal([("consent", 1, 14), ("plan", 2, 30), ("evaluation", 1, 30)],
            gates.Values.Select(g => (g.Str("id"), g.Number("quorum"), g.Number("dueDays"))));
        Assert.Contains("targets", gates["plan"].GetProperty("covers").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(2, definition.GetProperty("migrateFrom").Number("version"));
        // Two demo approvers meet every quorum, the plan gate's 2 included.
        Assert.Equal(0, definition.GetProperty("warnings").GetArrayLength());
    }

    [Fact]
    public async Task Get_Version2_SaysWhereMonitoringIsOpenAndHowV1StatesMigrate()
    {
        using var client = await factory.ClientForAsync(DemoUsers.Pm);

        var definition = await (await client.GetAsync("/api/workflows/staper-restoration/2")).ExpectAsync(HttpStatusCode.OK);

        var states = definition.GetProperty("states").EnumerateArray().ToDictionary(s => s.Str("code"));
        Assert.DoesNotContain("EnablingEnvironment", states.Keys);
        Assert.Equal(["Planning", "PlanReview", "Implementation", "Monitoring", "Evaluation"],
            states.Values.Where(s => s.GetProperty("monitoringOpen").GetBoolean()).Select(s => s.Str("code")));
        Assert.False(states["Assessment"].GetProperty("monitoringOpen").GetBoolean());
        Assert.Equal(["B1", "B2", "B3", "B4", "B5", "B6", "B7", "B8", "B9", "C1", "C2", "C3", "C4"],
            states["Planning"].GetProperty("steps").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(["D1", "D2", "D3"], states["Evaluation"].GetProperty("steps").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(0, states["Monitoring"].GetProperty("steps").GetArrayLength());
        Assert.Equal("核实事先和知情同意记录", states["ConsentReview"].GetProperty("label").Str("zh-Hans"));
        var migrateFrom = definition.GetProperty("migrateFrom");
        Assert.Equal(1, migrateFrom.Number("version"));
        Assert.Equal("Planning", migrateFrom.GetProperty("states").Str("EnablingEnvironment"));
        var description = definition.GetProperty("description").Str("en");
        Assert.Contains("recommendation XX/12", description, StringComparison.Ordinal);
        Assert.Contains("decision XIII/5", description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_InChinese_UsesTheChineseTitle()
    {
        using var client = await factory.ClientForAsync(DemoUsers.Auditor);
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("zh-CN");

        var list = await (await client.GetAsync("/api/workflows")).ExpectAsync(HttpStatusCode.OK);

        Assert.All(list.EnumerateArray(), w => Assert.Equal("生态系统恢复短期行动计划", w.Str("title")));
    }

    [Fact]
    public async Task Get_ReturnsTheDefinitionAsLoaded()
    {
        using var client = await factory.ClientForAsync(DemoUsers.Pm);

        var definition = await (await client.GetAsync("/api/workflows/staper-restoration/1")).ExpectAsync(HttpStatusCode.OK);

        var file = Definition();
        Assert.Equal("staper-restoration", definition.Str("id"));
        Assert.Equal(1, definition.Number("version"));
        Assert.Equal("Draft", definition.Str("initialState"));
        Assert.Equal(
            file.GetProperty("states").EnumerateArray().Select(s => s.Str("code")),
            definition.GetProperty("states").EnumerateArray().Select(s => s.Str("code")));
        Assert.Equal(
            file.GetProperty("transitions").EnumerateArray().Select(t => t.Str("trigger")),
            definition.GetProperty("transitions").EnumerateArray().Select(t => t.Str("trigger")));
    }

    [Fact]
    public async Task Diagram_IsMermaidWithoutAHighlightedState()
    {
        using var client = await factory.ClientForAsync(DemoUsers.Approver2);

        var response = await client.GetAsync("/api/workflows/staper-restoration/1/diagram");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("stateDiagram-v2\n", text, StringComparison.Ordinal);
        Assert.Contains("[*] --> Draft", text, StringComparison.Ordinal);
        Assert.Contains("ConsentReview --> EnablingEnvironment", text, StringComparison.Ordinal);
        Assert.DoesNotContain(" current\n", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/workflows/staper-restoration/99")]
    [InlineData("/api/workflows/staper-restoration/99/diagram")]
    [InlineData("/api/workflows/no-such-workflow/1")]
    public async Task UnknownVersion_Returns404Problem(string path)
    {
        using var client = await factory.ClientForAsync(DemoUsers.Pm);

        var problem = await (await client.GetAsync(path)).ExpectProblemAsync(HttpStatusCode.NotFound);

        Assert.Contains("is loaded", problem.Str("detail"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrations_OfUnknownWorkflow_Returns404Problem()
    {
        using var admin = await factory.ClientForAsync(DemoUsers.Admin);

        var response = await admin.PostAsJsonAsync("/api/workflows/no-such-workflow/migrations", new { fromVersion = 1, toVersion = 2, dryRun = true });

        await response.ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Migrations_ToTheSameVersion_Returns400NamingToVersion()
    {
        using var admin = await factory.ClientForAsync(DemoUsers.Admin);

        var response = await admin.PostAsJsonAsync("/api/workflows/staper-restoration/migrations", new { fromVersion = 1, toVersion = 1, dryRun = true });

        var problem = await response.ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["toVersion"], problem.ErrorFields());
    }

    private static JsonElement Definition(int version = 1)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "workflows", $"staper-restoration.v{version}.json")));
        return document.RootElement.Clone();
    }
}
