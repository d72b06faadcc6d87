using System.Net;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.IntegrationTests.Infrastructure;

namespace RestorationWorkflow.IntegrationTests.Platform;

public sealed class PlatformTests(AppFactory factory) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task Health_Returns200Healthy()
    {
        using var client = factory.CreateClient();
        var response = await client.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task OpenApiDocument_ListsTheApiWithoutSelfRegistration()
    {
        using var client = factory.CreateClient();
        var response = await client.GetAsync("/openapi/v1.json");

        var document = await response.ExpectAsync(HttpStatusCode.OK);
        Assert.StartsWith("3.", document.Str("openapi"), StringComparison.Ordinal);
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/projects", paths);
        Assert.Contains("/api/projects/{id}", paths);
        Assert.Contains("/api/projects/{id}/transitions", paths);
        Assert.Contains("/api/projects/{id}/checklist/{code}", paths);
        Assert.Contains("/api/projects/{id}/history", paths);
        Assert.Contains("/api/admin/users", paths);
        Assert.Contains("/api/workflows/{id}/migrations", paths);
        Assert.Contains("/api/auth/login", paths);
        Assert.DoesNotContain("/api/auth/register", paths);
        Assert.All(paths, p => Assert.StartsWith("/api/", p, StringComparison.Ordinal));
    }

    [Fact]
    public async Task CreateProject_WithWrongTypeInJson_Returns400NamingTheField()
    {
        using var client = await factory.ClientForAsync(DemoUsers.Pm);
        var before = await ProjectCountAsync();

        var response = await client.PostAsync("/api/projects", Http.RawJson("""{"name":"x","areaHectares":"abc"}"""));

        var problem = await response.ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["areaHectares"], problem.ErrorFields());
        Assert.Equal(before, await ProjectCountAsync());
    }

    [Fact]
    public async Task CreateProject_WithWrongTypeInsideAnArray_NamesTheElement()
    {
        using var client = await factory.ClientForAsync(DemoUsers.Pm);

        var response = await client.PostAsync("/api/projects", Http.RawJson("""{"name":"x","ecosystemTypes":["forest",7]}"""));

        var problem = await response.ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["ecosystemTypes[1]"], problem.ErrorFields());
    }

    [Fact]
    public async Task CreateProject_WithTruncatedJson_Returns400WithErrors()
    {
        using var client = await factory.ClientForAsync(DemoUsers.Pm);
        var before = await ProjectCountAsync();

        var response = await client.PostAsync("/api/projects", Http.RawJson("""{"name":"""));

        var problem = await response.ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotEmpty(problem.ErrorFields());
        Assert.All(problem.GetProperty("errors").EnumerateObject(), e => Assert.NotEmpty(e.Value.EnumerateArray()));
        Assert.Equal(before, await ProjectCountAsync());
    }

    [Fact]
    public async Task CreateProject_WithEmptyBody_Returns400Problem()
    {
        using var client = await factory.ClientForAsync(DemoUsers.Pm);

        var response = await client.PostAsync("/api/projects", Http.RawJson(""));

        var problem = await response.ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotEmpty(problem.ErrorFields());
    }

    [Fact]
    public async Task GetProject_WithUnknownId_Returns404Problem()
    {
        using var client = await factory.ClientForAsync(DemoUsers.Auditor);
        var id = Guid.NewGuid();

        var problem = await (await client.GetAsync($"/api/projects/{id}")).ExpectProblemAsync(HttpStatusCode.NotFound);

        Assert.Contains(id.ToString(), problem.Str("detail"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/no-such-thing")]
    [InlineData("/api/projects/not-a-guid")]
    public async Task UnknownApiRoute_Returns404Problem(string path)
    {
        using var client = await factory.ClientForAsync(DemoUsers.Pm);

        var problem = await (await client.GetAsync(path)).ExpectProblemAsync(HttpStatusCode.NotFound);

        Assert.Equal(path, problem.Str("instance"));
    }

    [Fact]
    public async Task UnknownApiRoute_WithoutToken_Returns404Problem()
    {
        using var client = factory.CreateClient();
        await (await client.GetAsync("/api/nothing/here")).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    private Task<int> ProjectCountAsync() => factory.QueryDbAsync(db => db.Projects.CountAsync());
}

