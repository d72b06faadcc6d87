using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using RestorationWorkflow.IntegrationTests.Infrastructure;

namespace RestorationWorkflow.IntegrationTests.Sites;

/// <summary>
/// <c>/api/projects/{id}/sites</c>: validated boundaries (each problem located), geodesic areas, overlaps refused and
/// located, warnings, the project's total area, authorization, stale versions and the audit trail.
/// </summary>
public sealed class SitesApiTests(AppFactory factory) : IClassFixture<AppFactory>
{
    // Two 0.1° squares near Nairobi sharing the meridian 36.9° E.
    private static readonly object West = SitesApi.Box(36.8, -1.4, 36.9, -1.3);
    private static readonly object East = SitesApi.Box(36.9, -1.4, 37.0, -1.3);

    private async Task<(HttpClient Pm, Guid Id)> ProjectAsync()
    {
        var pm = await factory.ClientForAsync(DemoUsers.Pm);
        return (pm, await pm.CreateProjectAsync());
    }

    [Fact]
    public async Task AddedSite_HasItsGeodesicArea_AndTheProjectAreaIsTheSumOfItsSites()
    {
        var (pm, id) = await ProjectAsync();
        var west = await pm.AddSiteAsync(id, West, 1, "West");
        // 0.1° × 0.1° at 1.35° S: about 12,300 ha / 100.
        Assert.InRange(west.Dec("computedHectares"), 12_290m, 12_310m);
        Assert.Equal(2, west.Number("version"));
        Assert.Equal("wetland", west.Str("ecosystemType"));
        Assert.Equal("communalCustomary", west.Str("tenure"));
        Assert.Equal("Polygon", west.GetProperty("boundary").Str("type"));

        var east = await pm.AddSiteAsync(id, East, 2, "East");
        var project = await pm.GetProjectAsync(id);
        Assert.Equal(Math.Round(west.Dec("computedHectares") + east.Dec("computedHectares"), 2), project.Dec("areaHectares"));

        var removed = await (await pm.DeleteAsync($"/api/projects/{id}/sites/{west.Str("id")}?expectedVersion=3")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(4, removed.Number("version"));
        Assert.Equal(Math.Round(east.Dec("computedHectares"), 2), removed.Dec("projectAreaHectares"));
        Assert.Equal(Math.Round(east.Dec("computedHectares"), 2), (await pm.GetProjectAsync(id)).Dec("areaHectares"));
    }

    [Fact]
    public async Task WithSites_TheRegistryCannotSetAnotherArea()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        var site = await pm.AddSiteAsync(id, SitesApi.Box(36.80, -1.40, 36.90, -1.30), expectedVersion: 1);
        var project = await pm.GetProjectAsync(id);
        var sum = project.Dec("areaHectares");
        Assert.Equal(Math.Round(site.Dec("computedHectares"), 2), sum);

        var refused = await pm.PutAsJsonAsync($"/api/projects/{id}", ProjectsApi.UpdateRequest(project, 2, b => b["areaHectares"] = 5m));
        var problem = await refused.ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(["areaHectares"], problem.Guards("unmet"));
        Assert.Equal(sum, (await pm.GetProjectAsync(id)).Dec("areaHectares"));

        // The same area with another change is accepted.
        var accepted = await pm.PutAsJsonAsync($"/api/projects/{id}", ProjectsApi.UpdateRequest(project, 2, b => b["region"] = "Nairobi County"));
        await accepted.ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Sites_AreAGeoJsonFeatureCollection_ThatEveryReaderMayRead()
    {
        var (pm, id) = await ProjectAsync();
        var site = await pm.AddSiteAsync(id, West, 1, "West", declaredHectares: 12_300m);
        var auditor = await factory.ClientForAsync(DemoUsers.Auditor);
        var response = await auditor.GetAsync($"/api/projects/{id}/sites");
        var collection = await response.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("application/geo+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("FeatureCollection", collection.Str("type"));
        var feature = Assert.Single(collection.GetProperty("features").EnumerateArray());
        Assert.Equal("Feature", feature.Str("type"));
        Assert.Equal("Polygon", feature.GetProperty("geometry").Str("type"));
        var ring = feature.GetProperty("geometry").GetProperty("coordinates")[0];
        Assert.Equal(5, ring.GetArrayLength());
        Assert.Equal(36.8, ring[0][0].GetDouble());
        Assert.Equal(-1.4, ring[0][1].GetDouble());
        var properties = feature.GetProperty("properties");
        Assert.Equal(site.Str("id"), properties.Str("id"));
        Assert.Equal("West", properties.Str("name"));
        Assert.Equal("wetland", properties.Str("ecosystemType"));
        Assert.Equal("communalCustomary", properties.Str("tenure"));
        Assert.Equal(12_300m, properties.Dec("declaredHectares"));
        Assert.Equal(site.Dec("computedHectares"), properties.Dec("computedHectares"));
        Assert.Equal(0, properties.GetProperty("warnings").GetArrayLength());
        Assert.Equal(2, collection.Number("version"));
    }

    [Fact]
    public async Task ASelfIntersectingBoundary_IsRefused_WithWhereItCrosses()
    {
        var (pm, id) = await ProjectAsync();
        var bowTie = new { type = "Polygon", coordinates = new[] { new[] { new[] { 36.8, -1.4 }, new[] { 36.9, -1.4 }, new[] { 36.8, -1.3 }, new[] { 36.9, -1.3 }, new[] { 36.8, -1.4 } } } };
        var problem = await (await pm.PostSiteAsync(id, SitesApi.Request(bowTie, 1))).ExpectProblemAsync(HttpStatusCode.BadRequest);
        var message = Assert.Single(problem.ErrorsOf("boundary"));
        Assert.Matches(@"^boundary\.coordinates\[0\]\[[0-3]\]: the boundary intersects itself at \(36\.85, -1\.35\)", message);
        Assert.Equal(1, (await pm.GetProjectAsync(id)).Number("version"));
    }

    [Fact]
    public async Task CoordinatesOutOfRange_AndAnUnclosedRing_AreRefused_AtTheirPositions()
    {
        var (pm, id) = await ProjectAsync();
        var outOfRange = new { type = "Polygon", coordinates = new[] { new[] { new[] { 36.8, -1.4 }, new[] { 196.9, -1.4 }, new[] { 36.9, -91.3 }, new[] { 36.8, -1.4 } } } };
        var problem = await (await pm.PostSiteAsync(id, SitesApi.Request(outOfRange, 1))).ExpectProblemAsync(HttpStatusCode.BadRequest);
        var messages = problem.ErrorsOf("boundary");
        Assert.Equal(2, messages.Count);
        Assert.StartsWith("boundary.coordinates[0][1]: longitude 196.9", messages[0], StringComparison.Ordinal);
        Assert.StartsWith("boundary.coordinates[0][2]: latitude -91.3", messages[1], StringComparison.Ordinal);

        var unclosed = new { type = "MultiPolygon", coordinates = new[] { new[] { new[] { new[] { 36.8, -1.4 }, new[] { 36.9, -1.4 }, new[] { 36.9, -1.3 }, new[] { 36.8, -1.3 } } } } };
        problem = await (await pm.PostSiteAsync(id, SitesApi.Request(unclosed, 1))).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.StartsWith("boundary.coordinates[0][0][3]: the exterior ring of polygon 0 is not closed", Assert.Single(problem.ErrorsOf("boundary")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryBadField_IsNamed()
    {
        var (pm, id) = await ProjectAsync();
        var response = await pm.PostAsJsonAsync($"/api/projects/{id}/sites", new { name = " ", ecosystemType = "desert", tenure = "leased", declaredHectares = -1m, boundary = (object?)null, expectedVersion = (int?)null });
        var problem = await response.ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["boundary", "declaredHectares", "ecosystemType", "expectedVersion", "name", "tenure"], problem.ErrorFields().Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task AnOverlap_IsRefused_AndLocated_ButSharingAnEdgeIsAllowed()
    {
        var (pm, id) = await ProjectAsync();
        var west = await pm.AddSiteAsync(id, West, 1, "West");
        // Sharing the meridian 36.9° E only: allowed.
        await pm.AddSiteAsync(id, East, 2, "East");

        // 0.05° into the west site.
        var overlapping = SitesApi.Box(36.85, -1.5, 36.88, -1.35);
        var problem = await (await pm.PostSiteAsync(id, SitesApi.Request(overlapping, 3, "Overlapping"))).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(["siteOverlap"], problem.Guards("unmet"));
        var overlap = Assert.Single(problem.GetProperty("overlaps").EnumerateArray());
        Assert.Equal(west.Str("id"), overlap.Str("siteId"));
        Assert.Equal("West", overlap.Str("siteName"));
        var bbox = overlap.GetProperty("bbox").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        Assert.Equal([36.85, -1.4, 36.88, -1.35], bbox.Select(v => Math.Round(v, 6)));
        var point = overlap.GetProperty("point").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        Assert.InRange(point[0], 36.85, 36.88);
        Assert.InRange(point[1], -1.4, -1.35);
        Assert.InRange(overlap.Dec("hectares"), 1_800m, 1_900m);
        Assert.Contains("West", problem.GetProperty("unmet")[0].Str("message"), StringComparison.Ordinal);
        Assert.Equal(3, (await pm.GetProjectAsync(id)).Number("version"));

        // Moving the east site into the west one is refused the same way.
        var east = (await (await pm.GetAsync($"/api/projects/{id}/sites")).ExpectAsync(HttpStatusCode.OK)).GetProperty("features")[1];
        var moved = await pm.PutAsJsonAsync($"/api/projects/{id}/sites/{east.Str("id")}", SitesApi.Request(SitesApi.Box(36.89, -1.4, 37.0, -1.3), 3, "East"));
        Assert.Equal(["siteOverlap"], (await moved.ExpectProblemAsync(HttpStatusCode.UnprocessableEntity)).Guards("unmet"));
    }

    [Fact]
    public async Task ASiteOutsideTheCountry_IsAcceptedWithAWarning_AsIsADeclaredAreaFarFromTheComputedOne()
    {
        var (pm, id) = await ProjectAsync();
        // The project is in Kenya; this square is in Germany.
        var abroad = await pm.AddSiteAsync(id, SitesApi.Box(10.0, 50.0, 10.1, 50.1), 1, "Abroad", declaredHectares: 8_000m);
        Assert.Equal(["outsideCountry"], abroad.GetProperty("warnings").EnumerateArray().Select(w => w.Str("code")));

        var mismatch = await pm.AddSiteAsync(id, West, 2, "Declared twice too much", declaredHectares: 25_000m);
        var warning = Assert.Single(mismatch.GetProperty("warnings").EnumerateArray());
        Assert.Equal("areaMismatch", warning.Str("code"));
        Assert.Contains("more than 10 %", warning.Str("message"), StringComparison.Ordinal);

        // Within 10 %: no warning.
        var close = await pm.AddSiteAsync(id, East, 3, "Close", declaredHectares: 13_000m);
        Assert.Equal(0, close.GetProperty("warnings").GetArrayLength());
    }

    [Fact]
    public async Task AnotherManager_MayNotChangeTheSites()
    {
        var (pm, id) = await ProjectAsync();
        var site = await pm.AddSiteAsync(id, West, 1);
        var pm2 = await factory.ClientForAsync(DemoUsers.Pm2);
        var problem = await (await pm2.PostSiteAsync(id, SitesApi.Request(East, 2))).ExpectProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(["roleMember"], problem.Guards("reasons"));
        await (await pm2.PutAsJsonAsync($"/api/projects/{id}/sites/{site.Str("id")}", SitesApi.Request(East, 2))).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await pm2.DeleteAsync($"/api/projects/{id}/sites/{site.Str("id")}?expectedVersion=2")).ExpectProblemAsync(HttpStatusCode.Forbidden);
        var auditor = await factory.ClientForAsync(DemoUsers.Auditor);
        await (await auditor.PostSiteAsync(id, SitesApi.Request(East, 2))).ExpectProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task AStaleVersion_IsAConflict_AndAnUnknownSiteIsNotFound()
    {
        var (pm, id) = await ProjectAsync();
        var site = await pm.AddSiteAsync(id, West, 1);
        var problem = await (await pm.PostSiteAsync(id, SitesApi.Request(East, 1))).ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(2, problem.Number("currentVersion"));
        await (await pm.DeleteAsync($"/api/projects/{id}/sites/{site.Str("id")}?expectedVersion=1")).ExpectProblemAsync(HttpStatusCode.Conflict);
        await (await pm.DeleteAsync($"/api/projects/{id}/sites/{Guid.NewGuid()}?expectedVersion=2")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await pm.GetAsync($"/api/projects/{Guid.NewGuid()}/sites")).ExpectProblemAsync(HttpStatusCode.NotFound);
        var missingVersion = await (await pm.DeleteAsync($"/api/projects/{id}/sites/{site.Str("id")}")).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["expectedVersion"], missingVersion.ErrorFields());
    }

    [Fact]
    public async Task EveryChange_IsAuditedFieldByField_TheBoundaryByItsHashAndArea_AndTheChainStillVerifies()
    {
        var (pm, id) = await ProjectAsync();
        var site = await pm.AddSiteAsync(id, West, 1, "West");
        var siteId = site.Str("id");
        var updated = await (await pm.PutAsJsonAsync($"/api/projects/{id}/sites/{siteId}", SitesApi.Request(SitesApi.Box(36.8, -1.4, 36.85, -1.3), 2, "West half", 600m)))
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(3, updated.Number("version"));
        await (await pm.DeleteAsync($"/api/projects/{id}/sites/{siteId}?expectedVersion=3")).ExpectAsync(HttpStatusCode.OK);

        var history = await (await pm.GetAsync($"/api/projects/{id}/history")).ExpectAsync(HttpStatusCode.OK);
        var events = history.EnumerateArray().ToList();
        Assert.Equal(["project.created", "site.added", "site.updated", "site.removed"], events.Select(e => e.Str("action")));
        var key = $"sites.{siteId}";

        var added = events[1].GetProperty("changes");
        Assert.Equal("West", added.GetProperty($"{key}.name").Str("new"));
        Assert.Equal(64, added.GetProperty($"{key}.boundarySha256").Str("new").Length);
        Assert.Equal(site.Dec("computedHectares"), added.GetProperty($"{key}.computedHectares").Dec("new"));
        Assert.Equal(120.5m, added.GetProperty("areaHectares").Dec("old"));

        var changed = events[2].GetProperty("changes");
        Assert.Equal("West", changed.GetProperty($"{key}.name").Str("old"));
        Assert.Equal("West half", changed.GetProperty($"{key}.name").Str("new"));
        Assert.Equal(added.GetProperty($"{key}.boundarySha256").Str("new"), changed.GetProperty($"{key}.boundarySha256").Str("old"));
        Assert.NotEqual(changed.GetProperty($"{key}.boundarySha256").Str("old"), changed.GetProperty($"{key}.boundarySha256").Str("new"));
        Assert.Equal(site.Dec("computedHectares"), changed.GetProperty($"{key}.computedHectares").Dec("old"));
        Assert.Equal(updated.Dec("computedHectares"), changed.GetProperty($"{key}.computedHectares").Dec("new"));
        Assert.False(changed.TryGetProperty($"{key}.tenure", out _), "An unchanged field is not recorded.");
        Assert.DoesNotContain("coordinates", changed.GetRawText(), StringComparison.Ordinal);

        var removed = events[3].GetProperty("changes");
        Assert.Equal("West half", removed.GetProperty($"{key}.name").Str("old"));
        Assert.Equal(JsonValueKind.Null, removed.GetProperty($"{key}.name").GetProperty("new").ValueKind);
        Assert.Equal(0m, removed.GetProperty("areaHectares").Dec("new"));

        var verified = await (await pm.GetAsync($"/api/projects/{id}/audit/verify")).ExpectAsync(HttpStatusCode.OK);
        Assert.True(verified.GetProperty("valid").GetBoolean(), verified.GetRawText());
    }

    [Fact]
    public async Task AFeatureCollectionWithOneFeature_IsAccepted()
    {
        var (pm, id) = await ProjectAsync();
        var upload = new { type = "FeatureCollection", features = new[] { new { type = "Feature", properties = new { }, geometry = West } } };
        var site = await pm.AddSiteAsync(id, upload, 1);
        Assert.Equal("Polygon", site.GetProperty("boundary").Str("type"));
    }
}
