using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.IntegrationTests.Infrastructure;

namespace RestorationWorkflow.IntegrationTests.Input;

/// <summary>
/// JSON is bound strictly on <c>/api</c>: an unknown member, a member given twice and a number written as a string
/// are refused with a 400 ProblemDetails naming the member, and nothing is written.
/// </summary>
public sealed class StrictJsonTests(AppFactory factory) : IClassFixture<AppFactory>
{
    /// <summary>The members of a valid create-project body, without the braces.</summary>
    private const string Valid = "\"name\":\"Strict\",\"country\":\"KE\",\"ecosystemTypes\":[\"forest\"],\"areaHectares\":10";

    [Theory]
    [InlineData("{" + Valid + ""","approvedBy":"me"}""", "approvedBy")]
    [InlineData("{" + Valid + ""","name":"Other"}""", "name")]
    [InlineData("""{"name":"Strict","country":"KE","ecosystemTypes":["forest"],"areaHectares":"10"}""", "areaHectares")]
    public async Task CreateProject_WithAnUnknownRepeatedOrStringNumberMember_Returns400NamingItAndWritesNothing(string json, string field)
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var before = await factory.QueryDbAsync(db => db.Projects.CountAsync());

        var problem = await (await pm.PostAsync("/api/projects", Http.RawJson(json))).ExpectProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal([field], problem.ErrorFields());
        Assert.NotEmpty(problem.ErrorsOf(field)[0]);
        Assert.Equal(before, await factory.QueryDbAsync(db => db.Projects.CountAsync()));
    }

    [Fact]
    public async Task CreateProject_WithTheSameBodyWithoutExtras_IsCreated()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);

        await (await pm.PostAsync("/api/projects", Http.RawJson("{" + Valid + "}"))).ExpectAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Fire_WithExpectedVersionAsAString_Returns400NamingIt()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();

        var problem = await (await pm.PostAsync($"/api/projects/{id}/transitions", Http.RawJson("""{"trigger":"StartAssessment","expectedVersion":"1"}""")))
            .ExpectProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal(["expectedVersion"], problem.ErrorFields());
        Assert.Equal(new ProjectSnapshot("Draft", 1, WorkflowsApi.LatestVersion, 1), await factory.SnapshotAsync(id));
    }

    [Fact]
    public async Task UpdateChecklist_WithAMemberInADifferentCaseTwice_Returns400()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();

        var problem = await (await pm.PutAsync($"/api/projects/{id}/checklist/A1", Http.RawJson("""{"status":"open","Status":"done","expectedVersion":1}""")))
            .ExpectProblemAsync(HttpStatusCode.BadRequest);

        Assert.Single(problem.ErrorFields());
        Assert.Equal(new ProjectSnapshot("Draft", 1, WorkflowsApi.LatestVersion, 1), await factory.SnapshotAsync(id));
    }

    [Fact]
    public async Task AnUnknownMemberWithAHugeName_IsNamedButCutShort()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var name = new string('x', 100_000);

        var response = await pm.PostAsync("/api/projects", Http.RawJson("{" + Valid + $",\"{name}\":1}}"));

        var problem = await response.ExpectProblemAsync(HttpStatusCode.BadRequest);
        var field = Assert.Single(problem.ErrorFields());
        Assert.StartsWith("xxxx", field, StringComparison.Ordinal);
        Assert.EndsWith("…", field, StringComparison.Ordinal);
        Assert.True(field.Length <= 65, field);
        Assert.True((await response.Content.ReadAsStringAsync()).Length < 2_000);
    }

    [Fact]
    public async Task AQueryValueThatIsNotANumber_IsNamedAndCutShort()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);

        var response = await pm.GetAsync("/api/projects?page=" + new string('9', 3_000));

        var problem = await response.ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["page"], problem.ErrorFields());
        Assert.True((await response.Content.ReadAsStringAsync()).Length < 2_000);
    }

    [Fact]
    public async Task Login_StillWorksUnderTheStrictOptions()
    {
        using var client = factory.CreateClient();

        var body = await (await client.PostAsJsonAsync("/api/auth/login", new { email = DemoUsers.Auditor, password = DemoUsers.Password }))
            .ExpectAsync(HttpStatusCode.OK);

        Assert.False(string.IsNullOrEmpty(body.Str("accessToken")));
    }

    [Fact]
    public async Task Login_WithAnExtraMember_Returns400NamingItAndIssuesNoToken()
    {
        using var client = factory.CreateClient();

        var response = await client.PostAsync("/api/auth/login",
            Http.RawJson($$"""{"email":"{{DemoUsers.Auditor}}","password":"{{DemoUsers.Password}}","rememberMe":true}"""));

        var problem = await response.ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["rememberMe"], problem.ErrorFields());
        Assert.False(problem.TryGetProperty("accessToken", out _));
    }

    [Fact]
    public async Task Login_WithoutPassword_Returns400SayingWhatIsMissing()
    {
        using var client = factory.CreateClient();

        var problem = await (await client.PostAsync("/api/auth/login", Http.RawJson($$"""{"email":"{{DemoUsers.Auditor}}"}""")))
            .ExpectProblemAsync(HttpStatusCode.BadRequest);

        Assert.Contains("password", string.Join(" ", problem.GetProperty("errors").EnumerateObject().SelectMany(e => e.Value.EnumerateArray()).Select(m => m.GetString())),
            StringComparison.Ordinal);
    }
}
