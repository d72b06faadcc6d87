using System.Net;
using RestorationWorkflow.IntegrationTests.Infrastructure;

namespace RestorationWorkflow.IntegrationTests.Input;

/// <summary>
/// <c>GET /api/projects</c> takes <c>page</c> 1…100,000 and <c>pageSize</c> 1…200 and answers 400 naming the
/// parameter beyond them (the offset never overflows); the Projects page lands on a page that exists.
/// </summary>
public sealed class PagingTests(AppFactory factory) : IClassFixture<AppFactory>
{
    [Theory]
    [InlineData("?page=10737420&pageSize=200", "page")]   // (page - 1) × pageSize overflowed int and wrapped to the first page
    [InlineData("?page=100001", "page")]
    [InlineData("?page=0", "page")]
    [InlineData("?page=-1", "page")]
    [InlineData("?page=2147483647&pageSize=200", "page")]
    [InlineData("?pageSize=0", "pageSize")]
    [InlineData("?pageSize=201", "pageSize")]
    [InlineData("?page=99999999999", "page")]             // beyond int: the binder's refusal, named too
    [InlineData("?page=two", "page")]
    public async Task List_WithAPageOutOfRange_Returns400NamingTheParameter(string query, string field)
    {
        using var auditor = await factory.ClientForAsync(DemoUsers.Auditor);

        var problem = await (await auditor.GetAsync("/api/projects" + query)).ExpectProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal([field], problem.ErrorFields());
    }

    [Fact]
    public async Task List_AtTheLastAllowedPage_ReturnsAnEmptyPage()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        await pm.CreateProjectAsync();

        var body = await (await pm.GetAsync("/api/projects?page=100000&pageSize=200")).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(100_000, body.Number("page"));
        Assert.Equal(200, body.Number("pageSize"));
        Assert.Empty(body.GetProperty("items").EnumerateArray());
        Assert.True(body.Number("total") >= 1);
    }

    [Theory]
    [InlineData("10737420")]
    [InlineData("2147483647")]
    [InlineData("-5")]
    [InlineData("99999999999")]
    public async Task ProjectsPage_WithAnyPageNumber_ShowsAPageThatExists(string page)
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var name = $"Paging {Guid.NewGuid():N}";
        await pm.CreateProjectAsync(name);
        using var session = await PageSession.SignInAsync(factory, DemoUsers.Pm);

        using var response = await session.GetAsync($"/Projects?q={name}&page={page}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(name, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
