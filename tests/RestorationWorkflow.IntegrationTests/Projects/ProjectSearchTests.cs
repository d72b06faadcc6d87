using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using RestorationWorkflow.IntegrationTests.Infrastructure;

namespace RestorationWorkflow.IntegrationTests.Projects;

/// <summary>The project list: each filter filters, each sort sorts, unknown values are named (API and page).</summary>
public sealed class ProjectSearchTests(AppFactory factory) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task EachFilter_Filters()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var token = Guid.NewGuid().ToString("N")[..10];
        var kenya = await pm.CreateProjectWithAsync(new
        {
            name = $"Alpha {token}", country = "KE", ecosystemTypes = new[] { "forest" }, areaHectares = 1m, situation = "underRestoration",
            description = "Mangroves", leadOrganisation = $"Lead {token} Trust",
        });
        var china = await pm.CreateProjectWithAsync(new
        {
            name = $"Beta {token}", country = "CN", ecosystemTypes = new[] { "reefs", "wetland" }, areaHectares = 1m, situation = "notYetConsidered",
            code = $"CN-{token}",
        });
        var assessed = await pm.CreateProjectWithAsync(new { name = $"Gamma {token}", country = "KE", ecosystemTypes = new[] { "wetland" }, areaHectares = 1m, description = "d" });
        await factory.ForceStateAsync(assessed, "Assessment");

        Assert.Equal([kenya, assessed], Ids(await ListAsync(pm, $"?q={token}&country=ke&sort=name")));
        Assert.Equal([china], Ids(await ListAsync(pm, $"?q={token}&ecosystemType=reefs")));
        Assert.Equal([china, assessed], Ids(await ListAsync(pm, $"?q={token}&ecosystemType=wetland&sort=name")));
        Assert.Equal([kenya], Ids(await ListAsync(pm, $"?q={token}&situation=underRestoration")));
        Assert.Equal([assessed], Ids(await ListAsync(pm, $"?q={token}&step=A")));
        Assert.Equal([assessed], Ids(await ListAsync(pm, $"?q={token}&state=Assessment")));
        Assert.Equal([kenya, china], Ids(await ListAsync(pm, $"?q={token}&state=Draft&sort=name")));
        // Text: the code, the lead organisation.
        Assert.Equal([china], Ids(await ListAsync(pm, $"?q=cn-{token}")));
        Assert.Equal([kenya], Ids(await ListAsync(pm, $"?q=Lead {token}")));
        var item = (await ListAsync(pm, $"?q=cn-{token}")).GetProperty("items")[0];
        Assert.Equal($"CN-{token}".ToUpperInvariant(), item.Str("code"));
        Assert.Equal("notYetConsidered", item.Str("situation"));
    }

    [Fact]
    public async Task EachSort_SortsBothWays_AndPagesDoNotOverlap()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var token = Guid.NewGuid().ToString("N")[..10];
        var b = await pm.CreateProjectWithAsync(new { name = $"B {token}", code = $"S{token}-2", country = "FR", ecosystemTypes = new[] { "forest" }, areaHectares = 1m });
        var a = await pm.CreateProjectWithAsync(new { name = $"A {token}", code = $"S{token}-3", country = "BR", ecosystemTypes = new[] { "forest" }, areaHectares = 1m });
        var c = await pm.CreateProjectWithAsync(new { name = $"C {token}", code = $"S{token}-1", country = "DE", ecosystemTypes = new[] { "forest" }, areaHectares = 1m });
        await factory.ForceStateAsync(c, "Assessment");

        Assert.Equal([a, b, c], Ids(await ListAsync(pm, $"?q={token}&sort=name")));
        Assert.Equal([c, b, a], Ids(await ListAsync(pm, $"?q={token}&sort=name&order=desc")));
        Assert.Equal([c, b, a], Ids(await ListAsync(pm, $"?q={token}&sort=code")));
        Assert.Equal([a, b, c], Ids(await ListAsync(pm, $"?q={token}&sort=code&order=desc")));
        Assert.Equal([a, c, b], Ids(await ListAsync(pm, $"?q={token}&sort=country")));
        Assert.Equal([b, c, a], Ids(await ListAsync(pm, $"?q={token}&sort=country&order=desc")));
        Assert.Equal([c, a, b], Ids(await ListAsync(pm, $"?q={token}&sort=state")));
        Assert.Equal([a, b, c], Ids(await ListAsync(pm, $"?q={token}&sort=state&order=desc")));
        Assert.Equal([c, a, b], Ids(await ListAsync(pm, $"?q={token}&sort=updated")));
        Assert.Equal([b, a, c], Ids(await ListAsync(pm, $"?q={token}&sort=updated&order=asc")));

        var first = await ListAsync(pm, $"?q={token}&sort=name&pageSize=2&page=1");
        var second = await ListAsync(pm, $"?q={token}&sort=name&pageSize=2&page=2");
        Assert.Equal(3, first.Number("total"));
        Assert.Equal([a, b], Ids(first));
        Assert.Equal([c], Ids(second));
    }

    [Theory]
    [InlineData("country=XX", "country")]
    [InlineData("ecosystemType=lunar", "ecosystemType")]
    [InlineData("step=E", "step")]
    [InlineData("state=Nowhere", "state")]
    [InlineData("situation=maybe", "situation")]
    [InlineData("sort=size", "sort")]
    [InlineData("order=sideways", "order")]
    public async Task AnUnknownFilterValue_Returns400NamingTheParameter(string query, string parameter)
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);

        var problem = await (await pm.GetAsync($"/api/projects?{query}")).ExpectProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal([parameter], problem.ErrorFields());
    }

    [Fact]
    public async Task ThePage_FiltersWithAGetForm_KeepsTheValues_AndNamesAnUnknownOne()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var token = Guid.NewGuid().ToString("N")[..10];
        await pm.CreateProjectWithAsync(new { name = $"Paged {token}", country = "PE", ecosystemTypes = new[] { "reefs" }, areaHectares = 1m, situation = "underRestoration" });
        await pm.CreateProjectWithAsync(new { name = $"Other {token}", country = "CL", ecosystemTypes = new[] { "forest" }, areaHectares = 1m });
        using var pages = await PageSession.SignInAsync(factory, DemoUsers.Pm);

        var html = await pages.GetStringAsync($"/Projects?q={token}&country=PE&ecosystemType=reefs&situation=underRestoration&sort=name&order=desc");

        Assert.Contains($"Paged {token}", html, StringComparison.Ordinal);
        Assert.DoesNotContain($"Other {token}", html, StringComparison.Ordinal);
        Assert.Contains("<form method=\"get\"", html, StringComparison.Ordinal);
        Assert.Contains("name=\"country\" value=\"PE\"", html, StringComparison.Ordinal);
        Assert.Matches("<option value=\"reefs\" selected=\"selected\"", html);
        Assert.Matches("<option value=\"underRestoration\" selected=\"selected\"", html);
        Assert.Matches("<option value=\"desc\" selected=\"selected\"", html);

        using var refused = await pages.GetAsync("/Projects?sort=size");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("data-field=\"sort\"", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static async Task<JsonElement> ListAsync(HttpClient client, string query) =>
        await (await client.GetAsync($"/api/projects{query}")).ExpectAsync(HttpStatusCode.OK);

    private static List<Guid> Ids(JsonElement page) => [.. page.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("id").GetGuid())];
}
