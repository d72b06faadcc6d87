using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.IntegrationTests.Infrastructure;

namespace RestorationWorkflow.IntegrationTests.Projects;

public sealed class ProjectRegistryApiTests(AppFactory factory) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task Create_WithValidDetails_Returns201InDraftOnTheStaperWorkflow()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var name = $"Mau forest {Guid.NewGuid():N}";

        var response = await pm.PostAsJsonAsync("/api/projects", new
        {
            name = $"  {name} ",
            description = "Replanting indigenous trees.",
            country = "ke",
            ecosystemTypes = new[] { "forest" },
            areaHectares = 250.75m,
        });

        var body = await response.ExpectAsync(HttpStatusCode.Created);
        var id = body.GetProperty("id").GetGuid();
        Assert.Equal($"/api/projects/{id}", response.Headers.Location!.OriginalString);
        Assert.Equal(name, body.Str("name"));
        Assert.Equal("Draft", body.Str("state"));
        Assert.Equal(1, body.Number("version"));
        Assert.Equal("staper-restoration", body.GetProperty("workflow").Str("id"));
        Assert.Equal(WorkflowsApi.LatestVersion, body.GetProperty("workflow").Number("version"));

        var stored = await factory.QueryDbAsync(db => db.Projects.AsNoTracking().Include(p => p.Members).SingleAsync(p => p.Id == id));
        Assert.Equal("KE", stored.Country);
        Assert.Equal(250.75m, stored.AreaHectares);
        var pmId = await factory.QueryDbAsync(db => db.Users.Where(u => u.Email == DemoUsers.Pm).Select(u => u.Id).SingleAsync());
        Assert.Equal(pmId, Assert.Single(stored.Members).UserId);
        var created = await factory.QueryDbAsync(db => db.AuditEvents.AsNoTracking().SingleAsync(e => e.ProjectId == id));
        Assert.Equal("project.created", created.Action);
        Assert.Equal(1, created.Sequence);
    }

    [Fact]
    public async Task Get_ReturnsTheProjectWithItsManagers()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var name = $"Get me {Guid.NewGuid():N}";
        var id = await pm.CreateProjectAsync(name);
        using var auditor = await factory.ClientForAsync(DemoUsers.Auditor);

        var project = await auditor.GetProjectAsync(id);

        Assert.Equal(id, project.GetProperty("id").GetGuid());
        Assert.Equal(name, project.Str("name"));
        Assert.Equal("KE", project.Str("country"));
        Assert.Equal(["wetland", "forest"], project.GetProperty("ecosystemTypes").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(120.5m, project.GetProperty("areaHectares").GetDecimal());
        Assert.Equal("Draft", project.Str("state"));
        Assert.Equal("none", project.Str("group"));
        Assert.Equal(1, project.Number("version"));
        Assert.Equal("Pat Manager", Assert.Single(project.GetProperty("managers").EnumerateArray()).Str("displayName"));
    }

    [Fact]
    public async Task Create_WithInvalidDetails_Returns400NamingEachFieldAndWritesNothing()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var (projects, events) = await CountsAsync();

        var response = await pm.PostAsJsonAsync("/api/projects", new
        {
            name = "   ",
            country = "QQ",
            ecosystemTypes = new[] { "moon", "forest" },
            areaHectares = -5m,
        });

        var problem = await response.ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["areaHectares", "country", "ecosystemTypes[0]", "name"], problem.ErrorFields().Order(StringComparer.Ordinal));
        Assert.Contains("QQ", problem.ErrorsOf("country")[0], StringComparison.Ordinal);
        Assert.Contains("moon", problem.ErrorsOf("ecosystemTypes[0]")[0], StringComparison.Ordinal);
        Assert.Equal((projects, events), await CountsAsync());
    }

    [Fact]
    public async Task Create_WithMissingFields_Returns400NamingThem()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var (projects, events) = await CountsAsync();

        var response = await pm.PostAsJsonAsync("/api/projects", new { description = "Only a description" });

        var problem = await response.ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["areaHectares", "country", "name"], problem.ErrorFields().Order(StringComparer.Ordinal));
        Assert.Equal((projects, events), await CountsAsync());
    }

    [Theory]
    [InlineData(DemoUsers.Approver1)]
    [InlineData(DemoUsers.Auditor)]
    [InlineData(DemoUsers.Admin)]
    public async Task Create_AsNonProjectManager_Returns403AndWritesNothing(string email)
    {
        using var client = await factory.ClientForAsync(email);
        var (projects, _) = await CountsAsync();

        var response = await client.PostAsJsonAsync("/api/projects", ProjectsApi.ValidRequest("Not allowed"));

        await response.ExpectProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(projects, (await CountsAsync()).Projects);
    }

    [Fact]
    public async Task List_FiltersByStateStepAndText()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var token = Guid.NewGuid().ToString("N")[..12];
        var draft = await pm.CreateProjectAsync($"Filter {token} draft");
        var assessed = await pm.CreateProjectAsync($"Filter {token} assessed");
        await pm.FireAsync(assessed, "StartAssessment", 1);
        var unrelated = await pm.CreateProjectAsync($"Unrelated {Guid.NewGuid():N}");

        var byText = await ListAsync(pm, $"?q={token}");
        Assert.Equal(2, byText.Number("total"));
        // Most recently updated first: the transition made "assessed" newer than "draft".
        Assert.Equal([assessed, draft], Ids(byText));

        var byTextUpperCase = await ListAsync(pm, $"?q={token.ToUpperInvariant()}");
        Assert.Equal(2, byTextUpperCase.Number("total"));

        var byState = await ListAsync(pm, "?state=Assessment&pageSize=200");
        Assert.Contains(assessed, Ids(byState));
        Assert.DoesNotContain(draft, Ids(byState));
        Assert.All(byState.GetProperty("items").EnumerateArray(), p => Assert.Equal("Assessment", p.Str("state")));

        var byStateAndText = await ListAsync(pm, $"?state=Draft&q={token}");
        Assert.Equal([draft], Ids(byStateAndText));

        var byStep = await ListAsync(pm, $"?step=A&q={token}");
        Assert.Equal([assessed], Ids(byStep));
        Assert.Equal("A", Assert.Single(byStep.GetProperty("items").EnumerateArray()).Str("group"));

        var byStepCode = await ListAsync(pm, $"?step=A3&q={token}");
        Assert.Equal([assessed], Ids(byStepCode));

        var byOtherStep = await ListAsync(pm, $"?step=B&q={token}");
        Assert.Equal(0, byOtherStep.Number("total"));

        var everything = await ListAsync(pm, "?pageSize=200");
        Assert.Contains(unrelated, Ids(everything));
        Assert.Contains(draft, Ids(everything));
    }

    [Fact]
    public async Task List_Pages()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var token = Guid.NewGuid().ToString("N")[..12];
        for (var i = 0; i < 3; i++)
            await pm.CreateProjectAsync($"Paged {token} {i}");

        var first = await ListAsync(pm, $"?q={token}&pageSize=2&page=1");
        var second = await ListAsync(pm, $"?q={token}&pageSize=2&page=2");

        Assert.Equal(3, first.Number("total"));
        Assert.Equal(2, first.Number("pageSize"));
        Assert.Equal(2, Ids(first).Count);
        Assert.Single(Ids(second));
        Assert.Empty(Ids(first).Intersect(Ids(second)));
    }

    private static async Task<JsonElement> ListAsync(HttpClient client, string query) =>
        await (await client.GetAsync($"/api/projects{query}")).ExpectAsync(HttpStatusCode.OK);

    private static List<Guid> Ids(JsonElement page) => [.. page.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("id").GetGuid())];

    private Task<(int Projects, int Events)> CountsAsync() =>
        factory.QueryDbAsync(async db => (await db.Projects.CountAsync(), await db.AuditEvents.CountAsync()));
}
