using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.IntegrationTests.Infrastructure;

namespace RestorationWorkflow.IntegrationTests.Targets;

/// <summary>
/// <c>/api/projects/{id}/targets</c> and <c>/api/indicators</c>: a target is added, read as a sentence in both
/// languages, changed and removed through the command path; each broken rule is a 400 naming its field and nothing is
/// written; a stale version is a 409; approvers and auditors read but never write.
/// </summary>
public sealed class TargetsApiTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static string Path(Guid id) => $"/api/projects/{id}/targets";

    [Fact]
    public async Task Indicators_ListTheCatalogue_WithKindsUnitsAndBothLabels()
    {
        using var auditor = await app.ClientForAsync(DemoUsers.Auditor);

        var list = await (await auditor.GetAsync("/api/indicators")).ExpectAsync(HttpStatusCode.OK);

        var items = list.EnumerateArray().ToList();
        Assert.True(items.Count >= 10, $"The catalogue has {items.Count} indicators.");
        var biomass = items.Single(i => i.Str("code") == "vegetationBiomass");
        Assert.Equal("environmental", biomass.Str("kind"));
        Assert.Equal("t/ha", biomass.Str("unit"));
        Assert.Equal("Vegetation biomass", biomass.GetProperty("label").Str("en"));
        Assert.Equal("植被生物量", biomass.GetProperty("label").Str("zh-Hans"));
        Assert.Equal("socioEconomic", items.Single(i => i.Str("code") == "jobsCreated").Str("kind"));
        Assert.Contains(items, i => i.Str("code") == "womenParticipating");
        Assert.Equal(["environmental", "socioEconomic"], items.Select(i => i.Str("kind")).Distinct().Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Indicators_NeedASignedInCaller()
    {
        using var anonymous = app.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/indicators")).StatusCode);
    }

    [Fact]
    public async Task Add_Read_Change_Remove_WithSentencesInBothLanguages_AndAudited()
    {
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();

        var response = await pm.PostAsJsonAsync(Path(id), TargetsApi.Environmental(1));
        var created = await response.ExpectAsync(HttpStatusCode.Created);
        var targetId = created.GetProperty("id").GetGuid();
        Assert.Equal($"{Path(id)}/{targetId}", response.Headers.Location?.OriginalString);
        Assert.Equal("Increase vegetation biomass by 50 % by 2031-06-30", created.GetProperty("sentence").Str("en"));
        Assert.Equal("到 2031-06-30 将植被生物量增加 50%", created.GetProperty("sentence").Str("zh-Hans"));
        Assert.True(created.GetProperty("complete").GetBoolean());
        Assert.Equal(2, created.Number("version"));
        Assert.Equal("2025 plot survey", created.GetProperty("baseline").Str("source"));

        using var approver = await app.ClientForAsync(DemoUsers.Approver1);
        var list = await (await approver.GetAsync(Path(id))).ExpectAsync(HttpStatusCode.OK);
        var item = Assert.Single(list.GetProperty("items").EnumerateArray());
        Assert.Equal(targetId, item.GetProperty("id").GetGuid());
        Assert.Equal(2, list.Number("version"));

        var changed = await (await pm.PutAsJsonAsync($"{Path(id)}/{targetId}", TargetsApi.Environmental(2, b =>
        {
            b["action"] = "reduce";
            b["indicator"] = "soilLoss";
            b["unit"] = "t/ha/yr";
            b["quantity"] = 30m;
        }))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Reduce soil loss by erosion by 30 % by 2031-06-30", changed.GetProperty("sentence").Str("en"));
        Assert.Equal("到 2031-06-30 将土壤侵蚀流失量减轻 30%", changed.GetProperty("sentence").Str("zh-Hans"));
        Assert.Equal(3, changed.Number("version"));

        var removed = await (await pm.DeleteAsync($"{Path(id)}/{targetId}?expectedVersion=3")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(4, removed.Number("version"));
        var empty = await (await pm.GetAsync(Path(id))).ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(empty.GetProperty("items").EnumerateArray());

        var history = await (await pm.GetAsync($"/api/projects/{id}/history")).ExpectAsync(HttpStatusCode.OK);
        var text = history.GetRawText();
        Assert.Contains("target.added", text, StringComparison.Ordinal);
        Assert.Contains($"targets.{targetId}.indicator", text, StringComparison.Ordinal);
        Assert.Contains("target.updated", text, StringComparison.Ordinal);
        Assert.Contains("target.removed", text, StringComparison.Ordinal);
        var verify = await (await pm.GetAsync($"/api/projects/{id}/audit/verify")).ExpectAsync(HttpStatusCode.OK);
        Assert.True(verify.GetProperty("valid").GetBoolean(), verify.GetRawText());
    }

    [Fact]
    public async Task ACustomIndicator_WithItsUnit_ReadsAsWritten()
    {
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();

        var created = await pm.AddTargetAsync(id, TargetsApi.Environmental(1, b =>
        {
            b["indicator"] = "custom";
            b["customIndicator"] = "Mangrove seedling survival";
            b["unit"] = "seedlings/ha";
            b["quantity"] = 500m;
            b["quantityIsPercent"] = false;
        }));

        Assert.Equal("Increase mangrove seedling survival by 500 seedlings/ha by 2031-06-30", created.GetProperty("sentence").Str("en"));
        Assert.Equal("到 2031-06-30 将Mangrove seedling survival增加 500 seedlings/ha", created.GetProperty("sentence").Str("zh-Hans"));
        Assert.Equal("Mangrove seedling survival", created.Str("customIndicator"));
    }

    /// <summary>Each case breaks exactly one rule of a complete target.</summary>
    public static TheoryData<string, string> BrokenRules => new()
    {
        { "noBaseline", "baseline" },
        { "noBaselineValue", "baseline.value" },
        { "noBaselineDate", "baseline.date" },
        { "noBaselineSource", "baseline.source" },
        { "zeroIncrease", "quantity" },
        { "negativeReduction", "quantity" },
        { "noQuantityToIncrease", "quantity" },
        { "percentReductionOver100", "quantity" },
        { "absoluteReductionBeyondBaseline", "quantity" },
        { "deadlineAfterLifespan", "deadline" },
        { "deadlineBeforeStart", "deadline" },
        { "deadlineBeforeBaseline", "deadline" },
        { "unknownIndicator", "indicator" },
        { "customWithoutUnit", "unit" },
        { "customWithoutName", "customIndicator" },
        { "kindOfOtherIndicator", "kind" },
        { "unknownKind", "kind" },
        { "unknownAction", "action" },
        { "noMonitoringFrequency", "monitoringFrequencyMonths" },
        { "foreignSite", "siteIds[0]" },
    };

    private static Dictionary<string, object?> Broken(string rule, int version) => TargetsApi.Environmental(version, b =>
    {
        switch (rule)
        {
            case "noBaseline": b["baseline"] = null; break;
            case "noBaselineValue": b.Baseline("value", null); break;
            case "noBaselineDate": b.Baseline("date", null); break;
            case "noBaselineSource": b.Baseline("source", null); break;
            case "zeroIncrease": b["quantity"] = 0m; break;
            case "negativeReduction": b["action"] = "reduce"; b["quantity"] = -5m; break;
            case "noQuantityToIncrease": b["quantity"] = null; break;
            case "percentReductionOver100": b["action"] = "reduce"; b["quantity"] = 120m; break;
            case "absoluteReductionBeyondBaseline": b["action"] = "reduce"; b["quantityIsPercent"] = false; b["quantity"] = 41m; break;
            case "deadlineAfterLifespan": b["deadline"] = "2036-03-02"; break;
            case "deadlineBeforeStart": b["deadline"] = "2026-01-31"; break;
            case "deadlineBeforeBaseline": b["deadline"] = "2025-05-31"; break;
            case "unknownIndicator": b["indicator"] = "happiness"; break;
            case "customWithoutUnit": b["indicator"] = "custom"; b["customIndicator"] = "Mangrove seedling survival"; b["unit"] = null; break;
            case "customWithoutName": b["indicator"] = "custom"; break;
            case "kindOfOtherIndicator": b["kind"] = "socioEconomic"; break;
            case "unknownKind": b["kind"] = "spiritual"; break;
            case "unknownAction": b["action"] = "double"; break;
            case "noMonitoringFrequency": b["monitoringFrequencyMonths"] = null; break;
            case "foreignSite": b["siteIds"] = new[] { Guid.NewGuid() }; break;
            default: throw new ArgumentOutOfRangeException(nameof(rule), rule, null);
        }
    });

    [Theory]
    [MemberData(nameof(BrokenRules))]
    public async Task Add_BreakingOneRule_Is400NamingItsField_AndWritesNothing(string rule, string field)
    {
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();

        var problem = await (await pm.PostAsJsonAsync(Path(id), Broken(rule, 1))).ExpectProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal([field], problem.ErrorFields());
        Assert.NotEmpty(problem.ErrorsOf(field)[0]);
        var list = await (await pm.GetAsync(Path(id))).ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(list.GetProperty("items").EnumerateArray());
        Assert.Equal(1, list.Number("version"));
    }

    /// <summary>A value the JSON reader cannot convert is a 400 naming its JSON path, not the whole body; nothing is written.</summary>
    [Theory]
    [InlineData("baseline.value", "\"forty\"")]
    [InlineData("baseline.date", "\"2025-13-45\"")]
    [InlineData("deadline", "\"soon\"")]
    [InlineData("monitoringFrequencyMonths", "1.5")]
    [InlineData("siteIds[1]", "[\"0193a000-0000-7000-8000-000000000001\", \"not-a-guid\"]")]
    public async Task Add_WithAnUnreadableValue_Is400NamingItsJsonPath_AndWritesNothing(string field, string value)
    {
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        var member = field.Split('[')[0].Split('.');
        var body = TargetsApi.Environmental(1);
        var json = System.Text.Json.Nodes.JsonNode.Parse(JsonSerializer.Serialize(body))!;
        var parent = member.Length == 2 ? json[member[0]]! : json;
        parent[member[^1]] = System.Text.Json.Nodes.JsonNode.Parse(value);

        var problem = await (await pm.PostAsync(Path(id), Http.RawJson(json.ToJsonString()))).ExpectProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal([field], problem.ErrorFields());
        Assert.NotEmpty(problem.ErrorsOf(field)[0]);
        var list = await (await pm.GetAsync(Path(id))).ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(list.GetProperty("items").EnumerateArray());
        Assert.Equal(1, list.Number("version"));
    }

    [Theory]
    [InlineData("noBaselineValue", "baseline.value")]
    [InlineData("deadlineAfterLifespan", "deadline")]
    [InlineData("foreignSite", "siteIds[0]")]
    public async Task Update_BreakingOneRule_Is400NamingItsField_AndLeavesTheTargetAsItWas(string rule, string field)
    {
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        var targetId = (await pm.AddTargetAsync(id, TargetsApi.Environmental(1))).GetProperty("id").GetGuid();

        var problem = await (await pm.PutAsJsonAsync($"{Path(id)}/{targetId}", Broken(rule, 2))).ExpectProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal([field], problem.ErrorFields());
        var list = await (await pm.GetAsync(Path(id))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(2, list.Number("version"));
        var item = Assert.Single(list.GetProperty("items").EnumerateArray());
        Assert.Equal("Increase vegetation biomass by 50 % by 2031-06-30", item.GetProperty("sentence").Str("en"));
        Assert.Equal(40m, item.GetProperty("baseline").GetProperty("value").GetDecimal());
        Assert.Empty(item.GetProperty("siteIds").EnumerateArray());
        var history = await (await pm.GetAsync($"/api/projects/{id}/history")).ExpectAsync(HttpStatusCode.OK);
        Assert.DoesNotContain("target.updated", history.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Add_InChinese_NamesTheRuleInChinese()
    {
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        pm.DefaultRequestHeaders.AcceptLanguage.ParseAdd("zh-Hans");

        var problem = await (await pm.PostAsJsonAsync(Path(id), Broken("percentReductionOver100", 1))).ExpectProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal("按百分比减轻时不能超过 100%。", Assert.Single(problem.ErrorsOf("quantity")));
    }

    [Fact]
    public async Task Add_ToAProjectWithoutLifespan_SaysTheProjectHasNone()
    {
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectWithAsync(new
        {
            name = $"No lifespan {Guid.NewGuid():N}", description = "d", country = "KE", ecosystemTypes = new[] { "forest" }, areaHectares = 10m,
        });

        var problem = await (await pm.PostAsJsonAsync(Path(id), TargetsApi.Environmental(1))).ExpectProblemAsync(HttpStatusCode.BadRequest);

        Assert.Contains("no start date and planned lifespan", Assert.Single(problem.ErrorsOf("deadline")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Add_WithTheProjectsOwnSite_IsAccepted()
    {
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        var (siteId, version) = await pm.AnySiteAsync(id, 1);

        var created = await pm.AddTargetAsync(id, TargetsApi.Environmental(version, b => b["siteIds"] = new[] { Guid.Parse(siteId) }));

        Assert.Equal(siteId, Assert.Single(created.GetProperty("siteIds").EnumerateArray()).GetString());
    }

    [Fact]
    public async Task Add_WithoutSource_TakesTheSourceOfTheA6Baseline()
    {
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        await app.ForceStateAsync(id, "Assessment");
        var version = await pm.FillFormAsync(id, "A6", 1);

        var created = await pm.AddTargetAsync(id, TargetsApi.Environmental(version, b => b.Baseline("source", null)));

        var a6 = await pm.ExampleValuesAsync("A6");
        Assert.Equal(a6.Str("baselineSource"), created.GetProperty("baseline").Str("source"));
    }

    [Fact]
    public async Task Writes_WithAStaleVersion_Are409WithTheCurrentVersion()
    {
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        var created = await pm.AddTargetAsync(id, TargetsApi.Environmental(1));
        var targetId = created.GetProperty("id").GetGuid();

        var post = await (await pm.PostAsJsonAsync(Path(id), TargetsApi.SocioEconomic(1))).ExpectProblemAsync(HttpStatusCode.Conflict);
        var put = await (await pm.PutAsJsonAsync($"{Path(id)}/{targetId}", TargetsApi.Environmental(1))).ExpectProblemAsync(HttpStatusCode.Conflict);
        var delete = await (await pm.DeleteAsync($"{Path(id)}/{targetId}?expectedVersion=1")).ExpectProblemAsync(HttpStatusCode.Conflict);

        Assert.All(new[] { post, put, delete }, p => Assert.Equal(2, p.Number("currentVersion")));
        var list = await (await pm.GetAsync(Path(id))).ExpectAsync(HttpStatusCode.OK);
        Assert.Single(list.GetProperty("items").EnumerateArray());
    }

    [Theory]
    [InlineData(DemoUsers.Auditor)]
    [InlineData(DemoUsers.Approver1)]
    public async Task Writes_ByAnAuditorOrApprover_Are403(string email)
    {
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        var targetId = (await pm.AddTargetAsync(id, TargetsApi.Environmental(1))).GetProperty("id").GetGuid();
        using var other = await app.ClientForAsync(email);

        await (await other.PostAsJsonAsync(Path(id), TargetsApi.SocioEconomic(2))).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await other.PutAsJsonAsync($"{Path(id)}/{targetId}", TargetsApi.Environmental(2))).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await other.DeleteAsync($"{Path(id)}/{targetId}?expectedVersion=2")).ExpectProblemAsync(HttpStatusCode.Forbidden);

        var list = await (await other.GetAsync(Path(id))).ExpectAsync(HttpStatusCode.OK);
        Assert.Single(list.GetProperty("items").EnumerateArray());
        Assert.Equal(2, list.Number("version"));
    }

    [Fact]
    public async Task Writes_UnderReview_Are422()
    {
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        await app.ForceStateAsync(id, "PlanReview");

        var problem = await (await pm.PostAsJsonAsync(Path(id), TargetsApi.Environmental(1))).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Equal(["underReview"], problem.Guards("unmet"));
        Assert.Equal(0, await app.QueryDbAsync(db => db.RestorationTargets.CountAsync(t => t.ProjectId == id)));
    }

    [Fact]
    public async Task Update_OfAnUnknownTarget_Is404()
    {
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        var problem = await (await pm.PutAsJsonAsync($"{Path(id)}/{Guid.NewGuid()}", TargetsApi.Environmental(1))).ExpectProblemAsync(HttpStatusCode.NotFound);
        Assert.Contains("has no restoration target", problem.Str("detail"), StringComparison.Ordinal);
        await (await pm.DeleteAsync($"{Path(id)}/{Guid.NewGuid()}?expectedVersion=1")).ExpectProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(1, (await pm.GetProjectAsync(id)).Number("version"));
    }

    [Fact]
    public async Task AStoredTarget_BecomesIncomplete_WhenTheProjectsLifespanShrinks()
    {
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        await pm.AddTargetAsync(id, TargetsApi.Environmental(1));
        var project = await pm.GetProjectAsync(id);
        await (await pm.PutAsJsonAsync($"/api/projects/{id}", ProjectsApi.UpdateRequest(project, 2, b => b["lifespanYears"] = 3))).ExpectAsync(HttpStatusCode.OK);

        var list = await (await pm.GetAsync(Path(id))).ExpectAsync(HttpStatusCode.OK);

        var item = Assert.Single(list.GetProperty("items").EnumerateArray());
        Assert.False(item.GetProperty("complete").GetBoolean());
        Assert.Equal("deadline", Assert.Single(item.GetProperty("problems").EnumerateArray()).Str("field"));
    }
}
