using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.IntegrationTests.Infrastructure;

namespace RestorationWorkflow.IntegrationTests.Input;

/// <summary>
/// Free text refuses control characters, bidirectional overrides and invisible-only text (400 naming the field,
/// nothing written); an error message never quotes more than a short piece of the input.
/// </summary>
public sealed class FreeTextTests(AppFactory factory) : IClassFixture<AppFactory>
{
    public static TheoryData<string, string> BadNames => new()
    {
        { "Mau\0Forest", "U+0000" },
        { "Mau\u0007Forest", "U+0007" },
        { "Mau\nForest", "U+000A" },
        { "\u202Etsevrah", "U+202E" },
        { "invoice\u2066exe", "U+2066" },
        { "\u200B\u200B", "invisible" },
        { "\uFEFF \u2060\u200D", "invisible" },
        { " \t ", "required" },
    };

    [Theory]
    [MemberData(nameof(BadNames))]
    public async Task CreateProject_WithABadName_Returns400NamingTheNameAndWritesNothing(string name, string expected)
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var before = await factory.QueryDbAsync(db => db.Projects.CountAsync());

        var problem = await (await pm.PostAsJsonAsync("/api/projects", Request(name))).ExpectProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal(["name"], problem.ErrorFields());
        Assert.Contains(expected, problem.ErrorsOf("name")[0], StringComparison.OrdinalIgnoreCase);
        Assert.Equal(before, await factory.QueryDbAsync(db => db.Projects.CountAsync()));
    }

    [Fact]
    public async Task CreateProject_WithChineseEmojiAndLineBreaksWhereAllowed_IsCreatedAsGiven()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        const string name = "湿地恢复 👩‍🌾 Mau";
        const string description = "Line one,\r\n\tline two.";

        var body = await (await pm.PostAsJsonAsync("/api/projects", Request(name, description))).ExpectAsync(HttpStatusCode.Created);

        var id = body.GetProperty("id").GetGuid();
        var stored = await factory.QueryDbAsync(db => db.Projects.AsNoTracking().SingleAsync(p => p.Id == id));
        Assert.Equal(name, stored.Name);
        Assert.Equal(description, stored.Description);
    }

    [Theory]
    [InlineData("Bad\0description")]
    [InlineData("\u202Ereversed")]
    [InlineData("\u200B \r\n")]
    public async Task CreateProject_WithABadDescription_Returns400NamingIt(string description)
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);

        var problem = await (await pm.PostAsJsonAsync("/api/projects", Request("Fine name", description))).ExpectProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal(["description"], problem.ErrorFields());
    }

    [Fact]
    public async Task ChecklistNote_WithNul_Returns400AndChangesNothing()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();

        var problem = await (await pm.PutAsJsonAsync($"/api/projects/{id}/checklist/A1", new { status = "done", note = "ok\0", expectedVersion = 1 }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal(["note"], problem.ErrorFields());
        Assert.Equal(new ProjectSnapshot("Draft", 1, WorkflowsApi.LatestVersion, 1), await factory.SnapshotAsync(id));
    }

    [Fact]
    public async Task TransitionComment_WithAnIsolate_OrOnlyInvisible_Returns400()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();

        var isolate = await (await pm.PostAsJsonAsync($"/api/projects/{id}/transitions", new { trigger = "StartAssessment", comment = "see \u2067note", expectedVersion = 1 }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest);
        var invisible = await (await pm.PostAsJsonAsync($"/api/projects/{id}/transitions", new { trigger = "StartAssessment", comment = "\u200B", expectedVersion = 1 }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal(["comment"], isolate.ErrorFields());
        Assert.Equal(["comment"], invisible.ErrorFields());
        Assert.Equal(new ProjectSnapshot("Draft", 1, WorkflowsApi.LatestVersion, 1), await factory.SnapshotAsync(id));
    }

    [Fact]
    public async Task AddManager_WithAControlCharacterInTheEmail_Returns400()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();

        var problem = await (await pm.PostAsJsonAsync($"/api/projects/{id}/members", new { email = "pm2@example.org\0", expectedVersion = 1 }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal(["email"], problem.ErrorFields());
    }

    [Fact]
    public async Task A100KbTrigger_IsQuotedBackCutShort()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();

        var response = await pm.PostAsJsonAsync($"/api/projects/{id}/transitions", new { trigger = new string('T', 100_000), expectedVersion = 1 });

        var problem = await response.ExpectProblemAsync(HttpStatusCode.BadRequest);
        var message = Assert.Single(problem.ErrorsOf("trigger"));
        Assert.Contains("'" + new string('T', 64) + "…'", message, StringComparison.Ordinal);
        Assert.True((await response.Content.ReadAsStringAsync()).Length < 2_000);
    }

    [Fact]
    public async Task LongCountryEcosystemTypeEmailAndStepCode_AreQuotedCutShort()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        var longText = new string('Q', 5_000);

        var create = await pm.PostAsJsonAsync("/api/projects", new { name = "Long inputs", country = longText, ecosystemTypes = new[] { longText }, areaHectares = 1 });
        var member = await pm.PostAsJsonAsync($"/api/projects/{id}/members", new { email = new string('q', 200) + "@example.org", expectedVersion = 1 });
        var step = await pm.PutAsJsonAsync($"/api/projects/{id}/checklist/{new string('Z', 2_000)}", new { status = "done", expectedVersion = 1 });

        var created = await create.ExpectProblemAsync(HttpStatusCode.BadRequest);
        var added = await member.ExpectProblemAsync(HttpStatusCode.BadRequest);
        var set = await step.ExpectProblemAsync(HttpStatusCode.NotFound);
        string[] messages = [.. created.ErrorsOf("country"), .. created.ErrorsOf("ecosystemTypes[0]"), .. added.ErrorsOf("email"), set.Str("detail")];
        Assert.All(messages, m =>
        {
            Assert.Contains("…", m, StringComparison.Ordinal);
            Assert.True(m.Length < 300, m);
        });
    }

    private static object Request(string name, string? description = null) => new
    {
        name,
        description,
        country = "KE",
        ecosystemTypes = new[] { "forest" },
        areaHectares = 10m,
    };
}
