using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using RestorationWorkflow.IntegrationTests.Infrastructure;

namespace RestorationWorkflow.IntegrationTests.Workflows;

public sealed class WorkflowsApiTests(AppFactory factory) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task List_HasStaperVersion1AsLatest()
    {
        using var client = await factory.ClientForAsync(DemoUsers.Auditor);

        var list = await (await client.GetAsync("/api/workflows")).ExpectAsync(HttpStatusCode.OK);

        var staper = Assert.Single(list.EnumerateArray());
        Assert.Equal("staper-restoration", staper.Str("id"));
        Assert.Equal(1, staper.Number("version"));
        Assert.Equal("STAPER ecosystem restoration", staper.Str("title"));
        Assert.Equal(12, staper.Number("states"));
        Assert.Equal(Definition().GetProperty("transitions").GetArrayLength(), staper.Number("transitions"));
        Assert.True(staper.GetProperty("latest").GetBoolean());
    }

    [Fact]
    public async Task List_InChinese_UsesTheChineseTitle()
    {
        using var client = await factory.ClientForAsync(DemoUsers.Auditor);
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("zh-CN");

        var list = await (await client.GetAsync("/api/workflows")).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal("生态系统恢复短期行动计划", Assert.Single(list.EnumerateArray()).Str("title"));
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

    private static JsonElement Definition()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "workflows", "staper-restoration.v1.json")));
        return document.RootElement.Clone();
    }
}
