using System.Net;
using RestorationWorkflow.IntegrationTests.Infrastructure;

namespace RestorationWorkflow.IntegrationTests.Projects;

public sealed class ProjectReadTests(AppFactory factory) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task GettingAProject_IsOneQuery_WithTheTeamsNames()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        await pm.GetProjectAsync(id);
        using var sql = factory.Sql.Record();

        var project = await pm.GetProjectAsync(id);

        Assert.Equal("Pat Manager", Assert.Single(project.GetProperty("managers").EnumerateArray()).Str("displayName"));
        Assert.Single(sql.Commands);
    }

    [Fact]
    public async Task AProjectThatDoesNotExist_Is404()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);

        await (await pm.GetAsync($"/api/projects/{Guid.NewGuid()}")).ExpectProblemAsync(HttpStatusCode.NotFound);
    }
}
