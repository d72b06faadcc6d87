using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.IntegrationTests.Infrastructure;

namespace RestorationWorkflow.IntegrationTests.Projects;

/// <summary>The registry fields: created, read, changed through <c>PUT /api/projects/{id}</c> and its page, each rule named.</summary>
public sealed class RegistryUpdateTests(AppFactory factory) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task Create_WithoutACode_GeneratesCountryYearSequence_AndGetReturnsEveryField()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var request = new Dictionary<string, object?>
        {
            ["name"] = "Generated code", ["country"] = "tz", ["ecosystemTypes"] = new[] { "reefs" }, ["areaHectares"] = 5m, ["startDate"] = "2031-05-01",
        };

        var first = await pm.GetProjectAsync(await pm.CreateProjectWithAsync(request));
        var second = await pm.GetProjectAsync(await pm.CreateProjectWithAsync(request));

        Assert.Matches("^TZ-2031-[0-9]{3}$", first.Str("code"));
        var n = int.Parse(first.Str("code")[8..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal($"TZ-2031-{n + 1:D3}", second.Str("code"));
        Assert.Equal(["reefs"], first.GetProperty("ecosystemTypes").EnumerateArray().Select(e => e.GetString()));

        var full = await pm.GetProjectAsync(await pm.CreateProjectAsync($"Full {Guid.NewGuid():N}"));
        Assert.Equal("Nakuru County", full.Str("region"));
        Assert.Equal("site", full.Str("scale"));
        Assert.Equal("identifiedConsidered", full.Str("situation"));
        Assert.Equal("2026-03-01", full.Str("startDate"));
        Assert.Equal(10, full.Number("lifespanYears"));
        Assert.Equal(250000m, full.GetProperty("budget").GetDecimal());
        Assert.Equal("KES", full.Str("currency"));
        Assert.Equal("Kenya Forest Service", full.Str("leadOrganisation"));
        Assert.False(full.GetProperty("naturallyLowTreeCover").GetBoolean());
        Assert.Equal("manager", Assert.Single(full.GetProperty("team").EnumerateArray()).Str("role"));
    }

    [Fact]
    public async Task Create_WithACodeAnotherProjectHas_Returns422NamingCode_InAnyCase()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var code = $"KE-{Guid.NewGuid():N}"[..20];
        await pm.CreateProjectWithAsync(ProjectsApi.ValidRequest("First", code));
        var before = await factory.QueryDbAsync(db => db.Projects.CountAsync());

        var problem = await (await pm.PostAsJsonAsync("/api/projects", ProjectsApi.ValidRequest("Second", code.ToLowerInvariant())))
            .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Equal(["code"], problem.Guards("unmet"));
        Assert.Equal(before, await factory.QueryDbAsync(db => db.Projects.CountAsync()));
    }

    public static TheoryData<string, object?, string> BadFields => new()
    {
        { "country", "XX", "country" },
        { "currency", "ABC", "currency" },
        { "currency", "XXX", "currency" },
        { "budget", -1m, "budget" },
        { "budget", 10.005m, "budget" },
        { "scale", "continental", "scale" },
        { "situation", "maybe", "situation" },
        { "startDate", "1850-01-01", "startDate" },
        { "lifespanYears", 0, "lifespanYears" },
        { "lifespanYears", 500, "lifespanYears" },
        { "code", "bad code!", "code" },
        { "code", "", "code" },
        { "region", "North\u202Eside", "region" },
        { "leadOrganisation", new string('x', 201), "leadOrganisation" },
    };

    [Theory]
    [MemberData(nameof(BadFields))]
    public async Task Update_WithABadField_Returns400NamingItAndWritesNothing(string field, object? value, string named)
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        var project = await pm.GetProjectAsync(id);

        var problem = await (await pm.PutAsJsonAsync($"/api/projects/{id}", ProjectsApi.UpdateRequest(project, 1, b => b[field] = value)))
            .ExpectProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal([named], problem.ErrorFields());
        Assert.Equal(new ProjectSnapshot("Draft", 1, WorkflowsApi.LatestVersion, 1), await factory.SnapshotAsync(id));
    }

    [Fact]
    public async Task Update_WithUnknownEcosystemTypeAndRuleBreakingCombinations_NamesEachField()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        var project = await pm.GetProjectAsync(id);

        var problem = await (await pm.PutAsJsonAsync($"/api/projects/{id}", ProjectsApi.UpdateRequest(project, 1, b =>
        {
            b["ecosystemTypes"] = new[] { "forest", "lunar" };
            b["startDate"] = null; // a lifespan without the date it counts from
            b["currency"] = null;  // a budget without its currency
        }))).ExpectProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal(["currency", "ecosystemTypes[1]", "lifespanYears"], problem.ErrorFields().Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Update_ChangesTheFields_AndAuditsEachChangedFieldOldToNew()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        var project = await pm.GetProjectAsync(id);
        var code = $"KE-EDIT-{Guid.NewGuid():N}"[..24];

        var updated = await (await pm.PutAsJsonAsync($"/api/projects/{id}", ProjectsApi.UpdateRequest(project, 1, b =>
        {
            b["code"] = code.ToLowerInvariant();
            b["budget"] = 300000.5m;
            b["situation"] = "underRestoration";
            b["ecosystemTypes"] = new[] { "wetland", "reefs" };
            b["naturallyLowTreeCover"] = true;
        }))).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(2, updated.Number("version"));
        Assert.Equal(code.ToUpperInvariant(), updated.Str("code"));
        Assert.Equal(300000.5m, updated.GetProperty("budget").GetDecimal());
        var changes = await LastChangesAsync(id);
        Assert.Equal(["budget", "code", "ecosystemTypes", "naturallyLowTreeCover", "situation"], changes.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(250000m, changes.GetProperty("budget").GetProperty("old").GetDecimal());
        Assert.Equal(300000.5m, changes.GetProperty("budget").GetProperty("new").GetDecimal());
        Assert.Equal(project.Str("code"), changes.GetProperty("code").Str("old"));
        Assert.Equal("identifiedConsidered", changes.GetProperty("situation").Str("old"));
        Assert.Equal("underRestoration", changes.GetProperty("situation").Str("new"));
        Assert.Equal(["wetland", "reefs"], changes.GetProperty("ecosystemTypes").GetProperty("new").EnumerateArray().Select(e => e.GetString()));
        var verify = await (await pm.GetAsync($"/api/projects/{id}/audit/verify")).ExpectAsync(HttpStatusCode.OK);
        Assert.True(verify.GetProperty("valid").GetBoolean(), verify.GetRawText());
    }

    [Fact]
    public async Task Update_WithNothingChanged_WritesNoEvent()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        var project = await pm.GetProjectAsync(id);

        var same = await (await pm.PutAsJsonAsync($"/api/projects/{id}", ProjectsApi.UpdateRequest(project, 1))).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(1, same.Number("version"));
    }

    [Fact]
    public async Task Update_WithAStaleVersion_Returns409WithTheCurrentVersion()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        var project = await pm.GetProjectAsync(id);
        await pm.SetStepAsync(id, "A3", 1);

        var problem = await (await pm.PutAsJsonAsync($"/api/projects/{id}", ProjectsApi.UpdateRequest(project, 1, b => b["region"] = "Elsewhere")))
            .ExpectProblemAsync(HttpStatusCode.Conflict);

        Assert.Equal(2, problem.Number("currentVersion"));
        Assert.Equal("Nakuru County", (await pm.GetProjectAsync(id)).Str("region"));
    }

    [Fact]
    public async Task Update_WithAnotherProjectsCode_Returns422NamingCode()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var other = await pm.GetProjectAsync(await pm.CreateProjectAsync());
        var id = await pm.CreateProjectAsync();
        var project = await pm.GetProjectAsync(id);

        var problem = await (await pm.PutAsJsonAsync($"/api/projects/{id}", ProjectsApi.UpdateRequest(project, 1, b => b["code"] = other.Str("code"))))
            .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Equal(["code"], problem.Guards("unmet"));
        Assert.Equal(1, (await pm.GetProjectAsync(id)).Number("version"));
    }

    [Theory]
    [InlineData(DemoUsers.Pm2)]
    [InlineData(DemoUsers.Approver1)]
    [InlineData(DemoUsers.Auditor)]
    [InlineData(DemoUsers.Admin)]
    public async Task Update_ByAnyoneButTheProjectsManagers_Returns403AndWritesNothing(string email)
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        var project = await pm.GetProjectAsync(id);
        using var other = await factory.ClientForAsync(email);

        await (await other.PutAsJsonAsync($"/api/projects/{id}", ProjectsApi.UpdateRequest(project, 1, b => b["region"] = "Taken over")))
            .ExpectProblemAsync(HttpStatusCode.Forbidden);

        Assert.Equal(new ProjectSnapshot("Draft", 1, WorkflowsApi.LatestVersion, 1), await factory.SnapshotAsync(id));
    }

    [Fact]
    public async Task Update_UnderReview_Returns422()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        var project = await pm.GetProjectAsync(id);
        await factory.ForceStateAsync(id, "ConsentReview");

        var problem = await (await pm.PutAsJsonAsync($"/api/projects/{id}", ProjectsApi.UpdateRequest(project, 1, b => b["region"] = "Late change")))
            .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Equal(["underReview"], problem.Guards("unmet"));
    }

    [Fact]
    public async Task Labels_AreInChinese_FromTheSeed()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectWithAsync(new
        {
            name = "中文标签", country = "CN", ecosystemTypes = new[] { "reefs" }, areaHectares = 1m, situation = "notYetConsidered", scale = "subNational",
        });
        using var pages = await PageSession.SignInAsync(factory, DemoUsers.Pm);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/Projects/{id}");
        request.Headers.AcceptLanguage.Add(new StringWithQualityHeaderValue("zh-Hans"));

        var html = await (await pages.SendAsync(request)).Content.ReadAsStringAsync();

        Assert.Contains("礁", html, StringComparison.Ordinal);
        Assert.Contains("尚未考虑恢复的已退化的生态系统", html, StringComparison.Ordinal);
        Assert.Contains("国家以下各级", html, StringComparison.Ordinal);
        Assert.Contains("拥有天然的低林木植的生态系统", html, StringComparison.Ordinal);
        Assert.Contains("编辑登记信息", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EditPage_ShowsErrorsNextToTheirFields_AndSavesThroughTheCommand()
    {
        using var api = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await api.CreateProjectAsync();
        var project = await api.GetProjectAsync(id);
        using var pages = await PageSession.SignInAsync(factory, DemoUsers.Pm);
        var form = await pages.GetStringAsync($"/Projects/{id}/Edit");
        Assert.Contains(project.Str("code"), form, StringComparison.Ordinal);

        Dictionary<string, string> Fields(string currency, string budget) => new()
        {
            ["__RequestVerificationToken"] = PageSession.Token(form), ["ExpectedVersion"] = "1", ["Name"] = project.Str("name"),
            ["Code"] = project.Str("code"), ["Country"] = "KE", ["EcosystemTypes"] = "forest", ["AreaHectares"] = "120.5",
            ["Budget"] = budget, ["Currency"] = currency, ["StartDate"] = "2026-03-01", ["LifespanYears"] = "12",
        };
        using var bad = new FormUrlEncodedContent(Fields("ZZZ", "-5"));
        using var refused = await pages.PostAsync($"/Projects/{id}/Edit", bad);
        var html = await refused.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Matches("data-testid=\"error-budget\"[^>]*>[^<]*budget must be between 0", html);
        Assert.Matches("data-testid=\"error-currency\"[^>]*>[^<]*ZZZ", html);

        using var good = new FormUrlEncodedContent(Fields("USD", "1000"));
        using var saved = await pages.PostAsync($"/Projects/{id}/Edit", good);

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var after = await api.GetProjectAsync(id);
        Assert.Equal("USD", after.Str("currency"));
        Assert.Equal(12, after.Number("lifespanYears"));
        Assert.Equal(2, after.Number("version"));
    }

    private async Task<JsonElement> LastChangesAsync(Guid id)
    {
        var json = await factory.QueryDbAsync(db => db.AuditEvents.AsNoTracking().Where(e => e.ProjectId == id)
            .OrderByDescending(e => e.Sequence).Select(e => e.Changes).FirstAsync());
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
