using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using RestorationWorkflow.IntegrationTests.Infrastructure;

namespace RestorationWorkflow.IntegrationTests.Targets;

/// <summary>
/// The <c>planHasSmartTargets</c> guard on SubmitPlan, on the shipped workflow v2: unmet without one complete environmental and one complete socio-economic target, its reason naming
/// what is missing in both languages and reported in one 422 with the other unmet guards; met once both exist.
/// </summary>
public sealed class PlanHasSmartTargetsGuardTests(AppFactory app) : IClassFixture<AppFactory>
{
    private const string Guard = "planHasSmartTargets";

    private async Task<(HttpClient Pm, Guid Id)> PlanningProjectAsync()
    {
        var pm = await app.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        await app.ForceStateAsync(id, "Planning");
        return (pm, id);
    }

    private static async Task<JsonElement> SubmitPlanAsync(HttpClient client, Guid id, int version, HttpStatusCode status) =>
        await (await client.PostAsJsonAsync($"/api/projects/{id}/transitions", new { trigger = "SubmitPlan", expectedVersion = version })).ExpectAsync(status);

    private static string Reason(JsonElement problem) =>
        problem.GetProperty("unmet").EnumerateArray().Single(u => u.Str("guard") == Guard).Str("message");

    [Fact]
    public async Task WithoutTargets_SubmitPlanIs422_ListingThisGuardBesideTheOpenChecklist()
    {
        var (pm, id) = await PlanningProjectAsync();
        using var _ = pm;

        var problem = await SubmitPlanAsync(pm, id, 1, HttpStatusCode.UnprocessableEntity);

        var unmet = problem.Guards("unmet");
        Assert.Contains("checklistComplete", unmet);
        Assert.Contains(Guard, unmet);
        var reason = Reason(problem);
        Assert.Contains("environmental target", reason, StringComparison.Ordinal);
        Assert.Contains("socio-economic target", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithOnlyAnEnvironmentalTarget_TheReasonNamesTheSocioEconomicOne_InChinese()
    {
        var (pm, id) = await PlanningProjectAsync();
        using var _ = pm;
        var version = (await pm.AddTargetAsync(id, TargetsApi.Environmental(1))).Number("version");
        version = await pm.CompleteStepsAsync(id, ProjectsApi.PlanSubmissionSteps, version, targets: false);
        pm.DefaultRequestHeaders.AcceptLanguage.ParseAdd("zh-Hans");

        var problem = await SubmitPlanAsync(pm, id, version, HttpStatusCode.UnprocessableEntity);

        Assert.Equal([Guard], problem.Guards("unmet"));
        Assert.Equal("请添加一个完整的社会经济目标（指标、基线、行动、数量、时限）。", Reason(problem));
    }

    [Fact]
    public async Task WithBothKinds_TheGuardIsMet_AndThePlanGoesToReview()
    {
        var (pm, id) = await PlanningProjectAsync();
        using var _ = pm;
        var version = (await pm.AddTargetAsync(id, TargetsApi.Environmental(1))).Number("version");
        version = (await pm.AddTargetAsync(id, TargetsApi.SocioEconomic(version))).Number("version");

        var transitions = await (await pm.GetAsync($"/api/projects/{id}/transitions")).ExpectAsync(HttpStatusCode.OK);
        var submit = transitions.GetProperty("transitions").EnumerateArray().Single(t => t.Str("trigger") == "SubmitPlan");
        Assert.DoesNotContain(Guard, submit.Guards("unmet"));

        version = await pm.CompleteStepsAsync(id, ProjectsApi.PlanSubmissionSteps, version, targets: false);
        var fired = await SubmitPlanAsync(pm, id, version, HttpStatusCode.OK);
        Assert.Equal("PlanReview", fired.Str("state"));
    }

    [Fact]
    public async Task ATargetMadeIncompleteByTheRegistry_DoesNotCount_AndTheReasonSaysWhy()
    {
        var (pm, id) = await PlanningProjectAsync();
        using var _ = pm;
        var version = (await pm.AddTargetAsync(id, TargetsApi.Environmental(1))).Number("version");
        version = (await pm.AddTargetAsync(id, TargetsApi.SocioEconomic(version))).Number("version");
        var project = await pm.GetProjectAsync(id);
        // Five years from 2026-03-01 end on 2031-03-01: the environmental target's deadline (2031-06-30) now lies beyond; the socio-economic one (2030-12-31) does not.
        var updated = await (await pm.PutAsJsonAsync($"/api/projects/{id}", ProjectsApi.UpdateRequest(project, version, b => b["lifespanYears"] = 5)))
            .ExpectAsync(HttpStatusCode.OK);
        version = updated.Number("version");
        version = await pm.CompleteStepsAsync(id, ProjectsApi.PlanSubmissionSteps, version, targets: false);

        var problem = await SubmitPlanAsync(pm, id, version, HttpStatusCode.UnprocessableEntity);

        Assert.Equal([Guard], problem.Guards("unmet"));
        var reason = Reason(problem);
        Assert.Contains("No environmental target is complete", reason, StringComparison.Ordinal);
        Assert.Contains("Increase vegetation biomass by 50 % by 2031-06-30", reason, StringComparison.Ordinal);
        Assert.Contains("deadline", reason, StringComparison.Ordinal);
        Assert.DoesNotContain("socio-economic", reason, StringComparison.Ordinal);
    }
}
