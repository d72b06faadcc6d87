using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using RestorationWorkflow.IntegrationTests.Infrastructure;

namespace RestorationWorkflow.IntegrationTests.Sites;

/// <summary>
/// Sites across the antimeridian (decision 0020): a boundary split at 180° into a MultiPolygon (RFC 7946 §3.1.9) is
/// accepted with the area of its parts, overlaps are found across the line, Fiji's outline (split the same way by
/// Natural Earth) holds it, and it round-trips unchanged; a single ring jumping across the line is refused at its edge.
/// </summary>
public sealed class AntimeridianSitesTests(AppFactory factory) : IClassFixture<AppFactory>
{
    /// <summary>On Taveuni (Fiji): 179.98°…180° E and 180°…179.92° W between 16.88° S and 16.82° S.</summary>
    public static object Split(double east = 179.98, double west = -179.92, double south = -16.88, double north = -16.82) => new
    {
        type = "MultiPolygon",
        coordinates = new[]
        {
            new[] { new[] { new[] { east, south }, new[] { 180.0, south }, new[] { 180.0, north }, new[] { east, north }, new[] { east, south } } },
            new[] { new[] { new[] { -180.0, south }, new[] { west, south }, new[] { west, north }, new[] { -180.0, north }, new[] { -180.0, south } } },
        },
    };

    /// <summary>A project in Fiji.</summary>
    public static object FijiProject(string name) => new
    {
        name,
        description = "Replanting the coastal forest of Taveuni on both sides of the 180th meridian.",
        country = "FJ",
        region = "Northern Division",
        scale = "site",
        ecosystemTypes = new[] { "forest" },
        naturallyLowTreeCover = false,
        situation = "identifiedConsidered",
        startDate = "2026-03-01",
        lifespanYears = 10,
        budget = 250000.00m,
        currency = "FJD",
        leadOrganisation = "Ministry of Forestry, Fiji",
        areaHectares = 100m,
    };

    /// <summary>
    /// The area between two parallels over <paramref name="dLonDegrees"/> of longitude on the WGS 84 ellipsoid, closed
    /// form (b²/2 · Δλ · [sin φ / (1 − e² sin² φ) + artanh(e sin φ) / e] from φ1 to φ2), independent of the app's projection.
    /// </summary>
    private static double ZoneHectares(double lat1, double lat2, double dLonDegrees)
    {
        const double a = 6378137.0;
        const double f = 1 / 298.257223563;
        var e2 = f * (2 - f);
        var e = Math.Sqrt(e2);
        var b = a * (1 - f);
        double G(double latDegrees)
        {
            var s = Math.Sin(latDegrees * Math.PI / 180);
            return (s / (1 - (e2 * s * s))) + (Math.Atanh(e * s) / e);
        }
        return b * b / 2 * (dLonDegrees * Math.PI / 180) * (G(lat2) - G(lat1)) / 10_000;
    }

    private static double[][][][] Coordinates(JsonElement geometry) =>
        geometry.GetProperty("coordinates").Deserialize<double[][][][]>()!;

    [Fact]
    public async Task ASiteSplitAtTheAntimeridian_IsAccepted_WithTheAreaOfItsParts_InsideFiji_AndRoundTripsUnchanged()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectWithAsync(FijiProject("Taveuni across the line"));
        var boundary = Split();
        var site = await pm.AddSiteAsync(id, boundary, 1, "Taveuni east cape", declaredHectares: 7_000m);

        // 0.02° + 0.08° of longitude, 0.06° of latitude: the sum of the two parts, not a band round the globe.
        var reference = ZoneHectares(-16.88, -16.82, 0.1);
        Assert.InRange((double)site.Dec("computedHectares"), reference * 0.995, reference * 1.005);
        // The country check knows both sides of Fiji (Natural Earth splits it at 180° too): no warning.
        Assert.Equal(0, site.GetProperty("warnings").GetArrayLength());

        var collection = await (await pm.GetAsync($"/api/projects/{id}/sites")).ExpectAsync(HttpStatusCode.OK);
        var geometry = Assert.Single(collection.GetProperty("features").EnumerateArray()).GetProperty("geometry");
        Assert.Equal("MultiPolygon", geometry.Str("type"));
        var sent = Coordinates(JsonSerializer.SerializeToElement(boundary));
        Assert.Equal(sent, Coordinates(geometry));

        // The check is not vacuous: a site of this Fijian project in Kenya is outside its country.
        var abroad = await pm.AddSiteAsync(id, SitesApi.Box(36.8, -1.4, 36.9, -1.3), 2, "Abroad", declaredHectares: 12_300m);
        Assert.Equal(["outsideCountry"], abroad.GetProperty("warnings").EnumerateArray().Select(w => w.Str("code")));
        // Fiji's outline has a ring Natural Earth draws across the line in one piece (16.54°–16.43° S): a site at that
        // latitude far away, in Bolivia, is outside Fiji.
        var band = await pm.AddSiteAsync(id, SitesApi.Box(-64.0, -16.52, -63.9, -16.45), 3, "Same latitude, Bolivia", declaredHectares: 8_300m);
        Assert.Equal(["outsideCountry"], band.GetProperty("warnings").EnumerateArray().Select(w => w.Str("code")));
    }

    [Fact]
    public async Task RussiasOutline_AcrossTheLine_CoversChukotka_ButNotABandRoundTheWorld()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var project = JsonSerializer.SerializeToNode(FijiProject("Tundra of Chukotka"))!.AsObject();
        project["country"] = "RU";
        project["region"] = "Chukotka";
        project["currency"] = "RUB";
        var id = await pm.CreateProjectWithAsync(project);

        // West of the line, inland of Anadyr (Russia's mainland ring crosses the line in one piece with Chukotka).
        var anadyr = await pm.AddSiteAsync(id, SitesApi.Box(175.0, 65.0, 175.1, 65.05), 1, "Anadyr tundra", declaredHectares: 2_620m);
        Assert.Equal(0, anadyr.GetProperty("warnings").GetArrayLength());
        // East of the line, inland of Chukotka's eastern tip.
        var east = await pm.AddSiteAsync(id, SitesApi.Box(-174.5, 66.0, -174.4, 66.05), 2, "Eastern Chukotka", declaredHectares: 2_520m);
        Assert.Equal(0, east.GetProperty("warnings").GetArrayLength());
        // Canada at the same latitude is not Russia.
        var canada = await pm.AddSiteAsync(id, SitesApi.Box(-100.0, 60.0, -99.9, 60.05), 3, "Same latitude, Canada", declaredHectares: 3_100m);
        Assert.Equal(["outsideCountry"], canada.GetProperty("warnings").EnumerateArray().Select(w => w.Str("code")));
    }

    [Fact]
    public async Task Overlaps_AreFoundAcrossTheAntimeridian_WhileSharingAnEdgeIsAllowed()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectWithAsync(FijiProject("Taveuni overlaps"));
        var first = await pm.AddSiteAsync(id, Split(), 1, "Taveuni east cape", declaredHectares: 7_000m);

        // Just north, sharing the parallel 16.82° S on both sides of the line: allowed.
        await pm.AddSiteAsync(id, Split(south: -16.82, north: -16.80), 2, "North strip", declaredHectares: 2_300m);

        // A split site straddling the line inside the first one: refused, with the overlap on both sides.
        var straddling = Split(east: 179.99, west: -179.99, south: -16.86, north: -16.84);
        var problem = await (await pm.PostSiteAsync(id, SitesApi.Request(straddling, 3, "Straddling"))).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(["siteOverlap"], problem.Guards("unmet"));
        var overlap = Assert.Single(problem.GetProperty("overlaps").EnumerateArray());
        Assert.Equal(first.Str("id"), overlap.Str("siteId"));
        var expected = ZoneHectares(-16.86, -16.84, 0.02);
        Assert.InRange((double)overlap.Dec("hectares"), expected * 0.995, expected * 1.005);
        var bbox = overlap.GetProperty("bbox").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        // Across the line, west edge first (RFC 7946 §5.2), not the whole globe from -180 to 180.
        Assert.Equal([179.99, -16.86, -179.99, -16.84], bbox);

        // Only the part west of the line overlaps: found all the same.
        var westOnly = SitesApi.Box(-179.95, -16.87, -179.93, -16.85);
        var west = await (await pm.PostSiteAsync(id, SitesApi.Request(westOnly, 3, "West only"))).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(first.Str("id"), Assert.Single(west.GetProperty("overlaps").EnumerateArray()).Str("siteId"));
        Assert.Equal(3, (await pm.GetProjectAsync(id)).Number("version"));
    }

    [Fact]
    public async Task ARingJumpingAcrossTheAntimeridian_IsRefused_AtItsEdge_InBothLanguages()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectWithAsync(FijiProject("Taveuni unsplit"));
        // 179.5° E to 179.5° W, written as one ring: in longitude/latitude it wraps the globe the other way.
        var wrapping = SitesApi.Box(179.5, -16.9, -179.5, -16.8);
        var problem = await (await pm.PostSiteAsync(id, SitesApi.Request(wrapping, 1, "Unsplit"))).ExpectProblemAsync(HttpStatusCode.BadRequest);
        var message = Assert.Single(problem.ErrorsOf("boundary"));
        Assert.StartsWith("boundary.coordinates[0][0]: the edge from position 0 [179.5, -16.9] to 1 [-179.5, -16.9] of the exterior ring", message, StringComparison.Ordinal);
        Assert.Contains("Split the boundary at the antimeridian into a MultiPolygon", message, StringComparison.Ordinal);
        Assert.Contains("RFC 7946 §3.1.9", message, StringComparison.Ordinal);

        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/projects/{id}/sites") { Content = JsonContent.Create(SitesApi.Request(wrapping, 1, "Unsplit")) };
        request.Headers.AcceptLanguage.Add(new StringWithQualityHeaderValue("zh-Hans"));
        var zh = await (await pm.SendAsync(request)).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("请在 180° 经线处把边界切分为 MultiPolygon", Assert.Single(zh.ErrorsOf("boundary")), StringComparison.Ordinal);

        var project = await pm.GetProjectAsync(id);
        Assert.Equal(1, project.Number("version"));
        Assert.Equal(100m, project.Dec("areaHectares"));
    }
}
