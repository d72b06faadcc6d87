using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using RestorationWorkflow.IntegrationTests.Infrastructure;

namespace RestorationWorkflow.IntegrationTests.Safeguards;

/// <summary>
/// The Appendix I safeguard review through the API: the findings the app derives, the <c>safeguardsCleared</c> guard on
/// SubmitPlan (fixture workflow), acknowledgement by approvers only, species CRUD, validation, versions and the audit trail.
/// </summary>
public sealed class SafeguardsApiTests(AppFactory factory) : IClassFixture<AppFactory>
{
    private const string Justification = "Woodlots on 3 % of the site, on former cropland, agreed with the herders; the open grassland is left unplanted.";

    private async Task<(HttpClient Pm, HttpClient Approver, Guid Id, int Version)> PlanningAsync(params string[] types)
    {
        var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var approver = await factory.ClientForAsync(DemoUsers.Approver1);
        var id = await pm.CreateProjectWithAsync(SafeguardsApi.ProjectRequest(types.Length == 0 ? ["forest"] : types));
        var version = await pm.ToPlanningAsync(approver, id);
        return (pm, approver, id, version);
    }

    private static Task<HttpResponseMessage> SubmitPlanAsync(HttpClient pm, Guid id, int version) =>
        pm.PostAsJsonAsync($"/api/projects/{id}/transitions", new { trigger = "SubmitPlan", expectedVersion = version });

    private static async Task<JsonElement> RefusedAsync(HttpClient pm, Guid id, int version)
    {
        var problem = await (await SubmitPlanAsync(pm, id, version)).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("safeguardsCleared", problem.Guards("unmet"));
        return problem;
    }

    private static string SafeguardsReason(JsonElement problem) =>
        problem.GetProperty("unmet").EnumerateArray().Single(u => u.Str("guard") == "safeguardsCleared").Str("message");

    [Fact]
    public async Task GrasslandPlanting_BlocksSubmitPlan_UntilJustifiedAndAcknowledgedByAnApprover()
    {
        var (pm, approver, id, version) = await PlanningAsync("grassland");
        version = await pm.PutSafeguardsAsync(id, SafeguardsApi.Review(version, plansPlanting: true));

        var finding = (await pm.FindingsAsync(id))["grassland-planting"];
        Assert.Equal(("blocking", "open", 2), (finding.Str("severity"), finding.Str("status"), finding.Number("safeguard")));
        Assert.Contains("grassland", SafeguardsReason(await RefusedAsync(pm, id, version)), StringComparison.Ordinal);

        // Not yet justified: an approver has nothing to acknowledge.
        var unjustified = await (await approver.AcknowledgeAsync(id, "grassland-planting", version)).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(["notJustified"], unjustified.Guards("unmet"));

        // A justification alone is not enough.
        version = await pm.PutSafeguardsAsync(id, SafeguardsApi.Review(version, plansPlanting: true, justification: Justification));
        Assert.Equal("justified", (await pm.FindingsAsync(id))["grassland-planting"].Str("status"));
        Assert.Contains("acknowledgement", SafeguardsReason(await RefusedAsync(pm, id, version)), StringComparison.Ordinal);

        // The manager may not acknowledge; an approver may.
        var byManager = await (await pm.AcknowledgeAsync(id, "grassland-planting", version)).ExpectProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(["role"], byManager.Guards("reasons"));
        var acknowledged = await (await approver.AcknowledgeAsync(id, "grassland-planting", version)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("acknowledged", acknowledged.Str("status"));
        Assert.Equal("Checked the grazing study cited in the justification.", acknowledged.GetProperty("acknowledgement").Str("comment"));
        // The answer is the finding as it is stored: the same approver, the same pinned justification, no longer blocking.
        var stored = (await pm.FindingsAsync(id))["grassland-planting"];
        Assert.Equal("acknowledged", stored.Str("status"));
        Assert.False(acknowledged.GetProperty("blocks").GetBoolean());
        Assert.Equal(
            (stored.GetProperty("acknowledgement").Str("userId"), stored.GetProperty("acknowledgement").Str("justificationSha256")),
            (acknowledged.GetProperty("acknowledgement").Str("userId"), acknowledged.GetProperty("acknowledgement").Str("justificationSha256")));
        version++;

        // A changed justification needs a new acknowledgement.
        version = await pm.PutSafeguardsAsync(id, SafeguardsApi.Review(version, plansPlanting: true, justification: Justification + " Revised."));
        Assert.Equal("justified", (await pm.FindingsAsync(id))["grassland-planting"].Str("status"));
        await RefusedAsync(pm, id, version);
        await (await approver.AcknowledgeAsync(id, "grassland-planting", version)).ExpectAsync(HttpStatusCode.OK);
        version++;

        await pm.FireAsync(id, "SubmitPlan", version);

        var history = (await (await pm.GetAsync($"/api/projects/{id}/history")).ExpectAsync(HttpStatusCode.OK)).EnumerateArray().ToList();
        var acks = history.Where(e => e.Str("action") == "safeguards.finding-acknowledged").ToList();
        Assert.Equal(2, acks.Count);
        var changes = acks[0].GetProperty("changes");
        Assert.Equal("justified", changes.GetProperty("safeguards.findings.grassland-planting.status").Str("old"));
        Assert.Equal("acknowledged", changes.GetProperty("safeguards.findings.grassland-planting.status").Str("new"));
        var invalidated = history.Single(e => e.GetProperty("changes").TryGetProperty("safeguards.findings.grassland-planting.acknowledgement", out _));
        Assert.Equal("invalidated", invalidated.GetProperty("changes").GetProperty("safeguards.findings.grassland-planting.acknowledgement").Str("new"));
        var verified = await (await pm.GetAsync($"/api/projects/{id}/audit/verify")).ExpectAsync(HttpStatusCode.OK);
        Assert.True(verified.GetProperty("valid").GetBoolean(), verified.GetRawText());
    }

    [Fact]
    public async Task ASavannaSite_RaisesTheGrasslandFinding_ForAForestProject()
    {
        var (pm, _, id, version) = await PlanningAsync("forest");
        version = await pm.PutSafeguardsAsync(id, SafeguardsApi.Review(version, plansPlanting: true));
        Assert.DoesNotContain("grassland-planting", (await pm.FindingsAsync(id)).Keys);

        var boundary = new { type = "Polygon", coordinates = new[] { new[] { new[] { 36.80, -1.40 }, new[] { 36.90, -1.40 }, new[] { 36.90, -1.30 }, new[] { 36.80, -1.30 }, new[] { 36.80, -1.40 } } } };
        var site = await (await pm.PostAsJsonAsync($"/api/projects/{id}/sites",
            new { name = "Acacia savanna", ecosystemType = "savanna", tenure = "public", declaredHectares = 12300m, boundary, expectedVersion = version })).ExpectAsync(HttpStatusCode.Created);
        var finding = (await pm.FindingsAsync(id))["grassland-planting"];
        Assert.Contains("Acacia savanna", finding.GetProperty("message").Str("en"), StringComparison.Ordinal);
        Assert.Contains("地块“Acacia savanna”", finding.GetProperty("message").Str("zh-Hans"), StringComparison.Ordinal);
        await RefusedAsync(pm, id, site.Number("version"));
    }

    [Fact]
    public async Task NonNativeSpecies_WithoutJustification_BlocksSubmitPlan_AndItsJustificationClearsIt()
    {
        var (pm, _, id, version) = await PlanningAsync("forest");
        version = await pm.PutSafeguardsAsync(id, SafeguardsApi.Review(version, plansPlanting: true));
        var species = await pm.AddSpeciesAsync(id, SafeguardsApi.Species(version, "Grevillea robusta", native: false, provenance: "regional", commonName: "Silky oak"));
        version = species.Number("version");
        var speciesId = species.Str("id");
        Assert.Equal(
            [($"non-native:{speciesId}", "blocking", "open", 9), ($"local-provenance:{speciesId}", "warning", "open", 7)],
            species.GetProperty("findings").EnumerateArray().Select(f => (f.Str("id"), f.Str("severity"), f.Str("status"), f.Number("safeguard"))));

        var problem = await RefusedAsync(pm, id, version);
        Assert.Contains($"non-native:{speciesId}", SafeguardsReason(problem), StringComparison.Ordinal);
        // A warning (provenance not local) does not block: only the non-native finding is named.
        Assert.DoesNotContain("local-provenance", SafeguardsReason(problem), StringComparison.Ordinal);

        var justified = await (await pm.PutAsJsonAsync($"/api/projects/{id}/species/{speciesId}",
            SafeguardsApi.Species(version, "Grevillea robusta", native: false, provenance: "regional", justification: "Nurse trees for two years on eroded soil, then removed; sterile stock.")))
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("justified", justified.GetProperty("findings")[0].Str("status"));
        await pm.FireAsync(id, "SubmitPlan", justified.Number("version"));
    }

    [Fact]
    public async Task SeveralUnmetGuards_AreReportedTogether_InOne422()
    {
        var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var approver = await factory.ClientForAsync(DemoUsers.Approver1);
        var id = await pm.CreateProjectWithAsync(SafeguardsApi.ProjectRequest("savanna"));
        var version = await pm.ToPlanningAsync(approver, id, completePlanningSteps: false);
        version = await pm.PutSafeguardsAsync(id, SafeguardsApi.Review(version, plansPlanting: true));

        var problem = await (await SubmitPlanAsync(pm, id, version)).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        // v2's SubmitPlan: B1–B9 and C1–C4 open (two checklist guards), no C3 participation, no targets, the grassland finding open.
        Assert.Equal(["checklistComplete", "checklistComplete", "participationRecorded", "planHasSmartTargets", "safeguardsCleared"],
            problem.Guards("unmet").Order(StringComparer.Ordinal));

        // The transitions list says the same before anyone tries.
        var transitions = await (await pm.GetAsync($"/api/projects/{id}/transitions")).ExpectAsync(HttpStatusCode.OK);
        Assert.Contains("safeguardsCleared", transitions.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnansweredPlanQuestions_AreFindings_NaturalRegenerationBlocksWhenThePlanPlants()
    {
        var (pm, _, id, version) = await PlanningAsync("forest");
        var none = await pm.FindingsAsync(id);
        Assert.Equal("warning", none["natural-regeneration"].Str("severity"));
        Assert.Equal("warning", none["connectivity"].Str("severity"));
        Assert.Equal("warning", none["disturbance"].Str("severity"));
        Assert.DoesNotContain("planting-question", none.Keys);

        version = await pm.PutSafeguardsAsync(id, SafeguardsApi.Review(version, plansPlanting: true, answers: SafeguardsApi.Answers(3, 6, 8)));
        var planting = await pm.FindingsAsync(id);
        Assert.Equal("blocking", planting["natural-regeneration"].Str("severity"));
        Assert.Equal(6, planting["natural-regeneration"].Number("safeguard"));
        Assert.Equal(8, planting["connectivity"].Number("safeguard"));
        Assert.Equal(3, planting["disturbance"].Number("safeguard"));
        await RefusedAsync(pm, id, version);

        // notYet does not answer the question; addressed does.
        object[] notYet = [.. SafeguardsApi.Answers(6), new { number = 6, answer = "notYet", note = (string?)null }];
        version = await pm.PutSafeguardsAsync(id, SafeguardsApi.Review(version, plansPlanting: true, answers: notYet));
        Assert.Contains("natural-regeneration", (await pm.FindingsAsync(id)).Keys);
        version = await pm.PutSafeguardsAsync(id, SafeguardsApi.Review(version, plansPlanting: true));
        Assert.Empty(await pm.FindingsAsync(id));
        await pm.FireAsync(id, "SubmitPlan", version);
    }

    [Fact]
    public async Task PlantingQuestion_Unanswered_BlocksAGrasslandProject()
    {
        var (pm, _, id, version) = await PlanningAsync("grassland");
        var findings = await pm.FindingsAsync(id);
        Assert.Equal(("blocking", 2), (findings["planting-question"].Str("severity"), findings["planting-question"].Number("safeguard")));
        await RefusedAsync(pm, id, version);
        version = await pm.PutSafeguardsAsync(id, SafeguardsApi.Review(version, plansPlanting: false));
        Assert.Empty(await pm.FindingsAsync(id));
        await pm.FireAsync(id, "SubmitPlan", version);
    }

    [Fact]
    public async Task Review_ListsTheNineSafeguards_WithTheSeedText_AndAuditsEachAnswer()
    {
        var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        var empty = await (await pm.GetAsync($"/api/projects/{id}/safeguards")).ExpectAsync(HttpStatusCode.OK);
        var safeguards = empty.GetProperty("safeguards").EnumerateArray().ToList();
        Assert.Equal(Enumerable.Range(1, 9), safeguards.Select(s => s.Number("number")));
        Assert.All(safeguards, s => Assert.Equal(JsonValueKind.Null, s.GetProperty("answer").ValueKind));
        Assert.Equal("避免在草原和拥有天然的低林木植的生态系统开展植树造林。", safeguards[1].GetProperty("text").Str("zh-Hans"));
        Assert.Contains("afforestation of grasslands", safeguards[1].GetProperty("text").Str("en"), StringComparison.Ordinal);
        Assert.Equal("naturalRegenerationConsidered", safeguards[5].Str("check"));

        object[] answers = [new { number = 6, answer = "addressed", note = "Assisted natural regeneration on 80 % of the area." },
            new { number = 8, answer = "notApplicable", note = "No protected area within 50 km." }];
        var saved = await (await pm.PutAsJsonAsync($"/api/projects/{id}/safeguards", SafeguardsApi.Review(1, plansPlanting: null, answers: answers))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(2, saved.Number("version"));
        Assert.Equal("addressed", saved.GetProperty("planQuestions").GetProperty("naturalRegenerationConsidered").Str("answer"));
        Assert.True(saved.GetProperty("planQuestions").GetProperty("connectivityWithProtectedAreas").GetProperty("answered").GetBoolean());
        Assert.Equal(JsonValueKind.Null, saved.GetProperty("planQuestions").GetProperty("disturbanceRegimes").ValueKind);

        object[] changed = [new { number = 6, answer = "notYet", note = (string?)null }];
        await pm.PutSafeguardsAsync(id, SafeguardsApi.Review(2, plansPlanting: null, answers: changed));
        var events = (await (await pm.GetAsync($"/api/projects/{id}/history")).ExpectAsync(HttpStatusCode.OK)).EnumerateArray().ToList();
        var last = events[^1];
        Assert.Equal("safeguards.updated", last.Str("action"));
        var c = last.GetProperty("changes");
        Assert.Equal(("addressed", "notYet"), (c.GetProperty("safeguards.6.answer").Str("old"), c.GetProperty("safeguards.6.answer").Str("new")));
        Assert.Equal("notApplicable", c.GetProperty("safeguards.8.answer").Str("old"));
        Assert.Equal(JsonValueKind.Null, c.GetProperty("safeguards.8.answer").GetProperty("new").ValueKind);
        Assert.False(c.TryGetProperty("safeguards.1.answer", out _), "An unchanged answer is not recorded.");

        // Nothing changed: no new event, same version.
        var again = await (await pm.PutAsJsonAsync($"/api/projects/{id}/safeguards", SafeguardsApi.Review(3, plansPlanting: null, answers: changed))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(3, again.Number("version"));
    }

    [Fact]
    public async Task ReviewPut_ValidatesEachAnswer_ChecksTheVersion_AndOnlyManagersWrite()
    {
        var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        object[] bad = [new { number = 10, answer = "addressed", note = "x" }, new { number = 2, answer = "maybe", note = "x" },
            new { number = 3, answer = "notApplicable", note = "" }, new { number = 2, answer = "addressed", note = "x" }];
        var invalid = await (await pm.PutAsJsonAsync($"/api/projects/{id}/safeguards", SafeguardsApi.Review(1, answers: bad))).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["answers[0].number", "answers[1].answer", "answers[2].note", "answers[3].number"], invalid.ErrorFields().Order(StringComparer.Ordinal));
        Assert.Contains("addressed, notApplicable, notYet", invalid.ErrorsOf("answers[1].answer")[0], StringComparison.Ordinal);

        using var zh = await factory.ClientForAsync(DemoUsers.Pm);
        zh.DefaultRequestHeaders.AcceptLanguage.ParseAdd("zh-Hans");
        var zhInvalid = await (await zh.PutAsJsonAsync($"/api/projects/{id}/safeguards", SafeguardsApi.Review(1, answers: bad))).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("不适用", zhInvalid.ErrorsOf("answers[2].note")[0], StringComparison.Ordinal);

        var stale = await (await pm.PutAsJsonAsync($"/api/projects/{id}/safeguards", SafeguardsApi.Review(7))).ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(1, stale.Number("currentVersion"));
        foreach (var email in new[] { DemoUsers.Pm2, DemoUsers.Approver1, DemoUsers.Auditor })
        {
            using var other = await factory.ClientForAsync(email);
            await (await other.PutAsJsonAsync($"/api/projects/{id}/safeguards", SafeguardsApi.Review(1))).ExpectProblemAsync(HttpStatusCode.Forbidden);
            await (await other.GetAsync($"/api/projects/{id}/safeguards")).ExpectAsync(HttpStatusCode.OK);
        }
        var unknownMember = await (await pm.PutAsync($"/api/projects/{id}/safeguards",
            Http.RawJson("""{"answers":[],"plansPlantingOrAfforestation":false,"expectedVersion":1,"verdict":"fine"}"""))).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("verdict", unknownMember.GetRawText(), StringComparison.Ordinal);
        await (await pm.PutAsJsonAsync($"/api/projects/{Guid.NewGuid()}/safeguards", SafeguardsApi.Review(1))).ExpectProblemAsync(HttpStatusCode.NotFound);

        // Every refusal above left the review as it was: no answer, no planting answer, the version not moved.
        var untouched = await (await pm.GetAsync($"/api/projects/{id}/safeguards")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(1, untouched.Number("version"));
        Assert.All(untouched.GetProperty("safeguards").EnumerateArray(), s => Assert.Equal(JsonValueKind.Null, s.GetProperty("answer").ValueKind));
        Assert.Equal(JsonValueKind.Null, untouched.GetProperty("plansPlantingOrAfforestation").ValueKind);
    }

    [Fact]
    public async Task Acknowledgement_ApproversOutsideTheTeamOnly_UnknownFinding404_CommentRequired()
    {
        var (pm, approver, id, version) = await PlanningAsync("grassland");
        version = await pm.PutSafeguardsAsync(id, SafeguardsApi.Review(version, plansPlanting: true, justification: Justification));

        using var auditor = await factory.ClientForAsync(DemoUsers.Auditor);
        using var admin = await factory.ClientForAsync(DemoUsers.Admin);
        foreach (var other in new[] { auditor, admin })
            Assert.Equal(["role"], (await (await other.AcknowledgeAsync(id, "grassland-planting", version)).ExpectProblemAsync(HttpStatusCode.Forbidden)).Guards("reasons"));

        var noComment = await (await approver.AcknowledgeAsync(id, "grassland-planting", version, comment: " ")).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["comment"], noComment.ErrorFields());
        await (await approver.AcknowledgeAsync(id, "no-such-finding", version)).ExpectProblemAsync(HttpStatusCode.NotFound);
        var warning = await (await approver.AcknowledgeAsync(id, "connectivity", version)).ExpectAsync(HttpStatusCode.NotFound);
        Assert.Equal(404, warning.Number("status"));
        await (await approver.AcknowledgeAsync(id, "grassland-planting", version - 1)).ExpectProblemAsync(HttpStatusCode.Conflict);

        // An approver on the project's team may not acknowledge its own justification.
        using var administrator = await factory.ClientForAsync(DemoUsers.Admin);
        await (await administrator.PostAsJsonAsync("/api/admin/users", new
        {
            email = "safeguards-pm-approver@example.org", displayName = "PM and approver", password = AppFactory.DemoPassword, roles = new[] { "ProjectManager", "Approver" },
        })).ExpectAsync(HttpStatusCode.Created);
        version = (await (await pm.PostAsJsonAsync($"/api/projects/{id}/team", new { email = "safeguards-pm-approver@example.org", role = "member", expectedVersion = version }))
            .ExpectAsync(HttpStatusCode.OK)).Number("version");
        using var teamApprover = await factory.ClientForAsync("safeguards-pm-approver@example.org");
        var own = await (await teamApprover.AcknowledgeAsync(id, "grassland-planting", version)).ExpectProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(["separationOfDuties"], own.Guards("reasons"));

        await (await approver.AcknowledgeAsync(id, "grassland-planting", version)).ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Species_Crud_ValidatesNamesTheFields_ChecksVersions_AndOnlyManagersWrite()
    {
        var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();

        var invalid = await (await pm.PostAsJsonAsync($"/api/projects/{id}/species", new { scientificName = " ", native = (bool?)null, provenance = "nursery", expectedVersion = 1 }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["native", "provenance", "scientificName"], invalid.ErrorFields().Order(StringComparer.Ordinal));
        Assert.Contains("local, regional, other, unknown", invalid.ErrorsOf("provenance")[0], StringComparison.Ordinal);

        var added = await pm.AddSpeciesAsync(id, SafeguardsApi.Species(1));
        Assert.Equal(2, added.Number("version"));
        Assert.Empty(added.GetProperty("findings").EnumerateArray());
        var speciesId = added.Str("id");

        var list = await (await pm.GetAsync($"/api/projects/{id}/species")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(["Acacia tortilis"], list.GetProperty("items").EnumerateArray().Select(s => s.Str("scientificName")));

        await (await pm.PutAsJsonAsync($"/api/projects/{id}/species/{speciesId}", SafeguardsApi.Species(1))).ExpectProblemAsync(HttpStatusCode.Conflict);
        await (await pm.PutAsJsonAsync($"/api/projects/{id}/species/{Guid.NewGuid()}", SafeguardsApi.Species(2))).ExpectProblemAsync(HttpStatusCode.NotFound);
        foreach (var email in new[] { DemoUsers.Pm2, DemoUsers.Approver1, DemoUsers.Auditor, DemoUsers.Admin })
        {
            using var other = await factory.ClientForAsync(email);
            await (await other.PostAsJsonAsync($"/api/projects/{id}/species", SafeguardsApi.Species(2))).ExpectProblemAsync(HttpStatusCode.Forbidden);
            await (await other.DeleteAsync($"/api/projects/{id}/species/{speciesId}?expectedVersion=2")).ExpectProblemAsync(HttpStatusCode.Forbidden);
            await (await other.GetAsync($"/api/projects/{id}/species")).ExpectAsync(HttpStatusCode.OK);
        }

        var updated = await (await pm.PutAsJsonAsync($"/api/projects/{id}/species/{speciesId}", SafeguardsApi.Species(2, provenance: "unknown"))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(3, updated.Number("version"));
        Assert.Equal([$"local-provenance:{speciesId}"], updated.GetProperty("findings").EnumerateArray().Select(f => f.Str("id")));

        await (await pm.DeleteAsync($"/api/projects/{id}/species/{speciesId}")).ExpectProblemAsync(HttpStatusCode.BadRequest);
        var removed = await (await pm.DeleteAsync($"/api/projects/{id}/species/{speciesId}?expectedVersion=3")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(4, removed.Number("version"));
        Assert.Empty((await (await pm.GetAsync($"/api/projects/{id}/species")).ExpectAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
        Assert.DoesNotContain($"local-provenance:{speciesId}", (await pm.FindingsAsync(id)).Keys);

        var history = (await (await pm.GetAsync($"/api/projects/{id}/history")).ExpectAsync(HttpStatusCode.OK)).EnumerateArray().ToList();
        Assert.Equal(["project.created", "species.added", "species.updated", "species.removed"], history.Select(e => e.Str("action")));
        var change = history[2].GetProperty("changes").GetProperty($"species.{speciesId}.provenance");
        Assert.Equal(("local", "unknown"), (change.Str("old"), change.Str("new")));
    }

    [Fact]
    public async Task Findings_CarryTheSafeguardText_InBothLanguages()
    {
        var (pm, _, id, version) = await PlanningAsync("grassland");
        await pm.PutSafeguardsAsync(id, SafeguardsApi.Review(version, plansPlanting: true, answers: SafeguardsApi.Answers(8)));
        var body = await (await pm.GetAsync($"/api/projects/{id}/safeguards/findings")).ExpectAsync(HttpStatusCode.OK);
        Assert.False(body.GetProperty("cleared").GetBoolean());
        var findings = body.GetProperty("findings").EnumerateArray().ToList();
        Assert.Equal(["grassland-planting", "connectivity"], findings.Select(f => f.Str("id")));
        var grassland = findings[0];
        Assert.True(grassland.GetProperty("needsAcknowledgement").GetBoolean());
        Assert.True(grassland.GetProperty("blocks").GetBoolean());
        Assert.Equal("避免在草原和拥有天然的低林木植的生态系统开展植树造林。", grassland.GetProperty("safeguardText").Str("zh-Hans"));
        Assert.Contains("草地", grassland.GetProperty("message").Str("zh-Hans"), StringComparison.Ordinal);
        var connectivity = findings[1];
        Assert.Equal(("warning", "open", false), (connectivity.Str("severity"), connectivity.Str("status"), connectivity.GetProperty("blocks").GetBoolean()));
        Assert.Contains("保护区", connectivity.GetProperty("safeguardText").Str("zh-Hans"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnderReview_TheReviewAndTheSpeciesAreFrozen()
    {
        var (pm, _, id, version) = await PlanningAsync("forest");
        version = await pm.PutSafeguardsAsync(id, SafeguardsApi.Review(version, plansPlanting: false));
        version = await pm.FireAsync(id, "SubmitPlan", version);

        var review = await (await pm.PutAsJsonAsync($"/api/projects/{id}/safeguards", SafeguardsApi.Review(version, plansPlanting: true)))
            .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(["underReview"], review.Guards("unmet"));
        var species = await (await pm.PostAsJsonAsync($"/api/projects/{id}/species", SafeguardsApi.Species(version))).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(["underReview"], species.Guards("unmet"));
        Assert.False((await (await pm.GetAsync($"/api/projects/{id}/safeguards")).ExpectAsync(HttpStatusCode.OK)).GetProperty("plansPlantingOrAfforestation").GetBoolean());
    }
}
