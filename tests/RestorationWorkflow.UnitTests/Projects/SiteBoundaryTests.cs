using RestorationWorkflow.Projects;

namespace RestorationWorkflow.UnitTests.Projects;

/// <summary>Each rule of a site boundary, and that every problem names where it is.</summary>
public sealed class SiteBoundaryTests
{
    private static (string Field, string Message) Single(string json)
    {
        var result = SiteBoundary.Parse(json);
        Assert.False(result.IsValid, "The boundary should be refused: " + json);
        var problem = Assert.Single(result.Problems);
        return (problem.Field, problem.Message.En);
    }

    [Fact]
    public void AValidPolygon_IsAccepted_WithItsArea_AndNormalizedText()
    {
        var result = SiteBoundary.Parse("""{"type":"Polygon","coordinates":[[[36.8,-1.3],[36.81,-1.3],[36.81,-1.29],[36.8,-1.29],[36.8,-1.3]]]}""");
        Assert.True(result.IsValid);
        Assert.InRange(result.Boundary!.Hectares, 120, 125);
        Assert.StartsWith("{\"type\":\"Polygon\",\"coordinates\":", result.Boundary.GeoJson, StringComparison.Ordinal);
        Assert.Equal(result.Boundary.Hectares, GeodesicArea.Hectares(SiteBoundary.FromGeoJson(result.Boundary.GeoJson)), 6);
    }

    [Fact]
    public void AFeatureCollectionWithOneMultiPolygon_IsAccepted()
    {
        var result = SiteBoundary.Parse("""
            {"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":
              {"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]],[[[2,0],[3,0],[3,1],[2,0]]]]}}]}
            """);
        Assert.True(result.IsValid);
        Assert.Contains("MultiPolygon", result.Boundary!.GeoJson, StringComparison.Ordinal);
    }

    [Fact]
    public void AFeatureCollectionWithTwoFeatures_IsRefused()
    {
        var (_, message) = Single("""{"type":"FeatureCollection","features":[{"type":"Feature","geometry":null},{"type":"Feature","geometry":null}]}""");
        Assert.Contains("boundary.features", message, StringComparison.Ordinal);
        Assert.Contains("exactly one", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"type":"Point","coordinates":[0,0]}""", "boundary.type", "not a Polygon")]
    [InlineData("""{"type":"Polygon"}""", "boundary.coordinates", "array of rings")]
    [InlineData("""[1,2]""", "boundary", "GeoJSON object")]
    [InlineData("""{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]],""", "The boundary", "not JSON")]
    public void AnythingButAPolygon_IsRefused(string json, string where, string what)
    {
        var (field, message) = Single(json);
        Assert.Equal("boundary", field);
        Assert.StartsWith(where, message, StringComparison.Ordinal);
        Assert.Contains(what, message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnclosedRing_IsRefused_AtItsLastPosition()
    {
        var (_, message) = Single("""{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]}""");
        Assert.StartsWith("boundary.coordinates[0][3]:", message, StringComparison.Ordinal);
        Assert.Contains("not closed", message, StringComparison.Ordinal);
    }

    [Fact]
    public void ARingWithFewerThanFourPositions_IsRefused()
    {
        var (_, message) = Single("""{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]],[[[2,0],[3,0],[2,0]]]]}""");
        Assert.StartsWith("boundary.coordinates[1][0]:", message, StringComparison.Ordinal);
        Assert.Contains("at least 4", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(181, 0, "[2]", "longitude 181")]
    [InlineData(0, -90.5, "[2]", "latitude -90.5")]
    public void CoordinatesOutOfRange_AreRefused_AtTheirPosition(double lon, double lat, string index, string what)
    {
        var json = FormattableString.Invariant($$"""{"type":"Polygon","coordinates":[[[0,0],[1,0],[{{lon}},{{lat}}],[0,1],[0,0]]]}""");
        var (_, message) = Single(json);
        Assert.StartsWith($"boundary.coordinates[0]{index}:", message, StringComparison.Ordinal);
        Assert.Contains(what, message, StringComparison.Ordinal);
    }

    [Fact]
    public void ANumberTooLargeForADouble_IsRefusedAsNotFinite()
    {
        var (_, message) = Single("""{"type":"Polygon","coordinates":[[[0,0],[1e400,0],[1,1],[0,0]]]}""");
        Assert.StartsWith("boundary.coordinates[0][1][0]:", message, StringComparison.Ordinal);
        Assert.Contains("finite", message, StringComparison.Ordinal);
    }

    [Fact]
    public void APositionThatIsNotAPair_IsRefused()
    {
        var (_, message) = Single("""{"type":"Polygon","coordinates":[[[0,0],[1],[1,1],[0,0]]]}""");
        Assert.StartsWith("boundary.coordinates[0][1]:", message, StringComparison.Ordinal);
    }

    [Fact]
    public void ASelfIntersectingPolygon_IsRefused_WithWhereItCrosses()
    {
        // A bow tie: the edges 1→2 and 3→4 cross at (0.5, 0.5).
        var (_, message) = Single("""{"type":"Polygon","coordinates":[[[0,0],[1,0],[0,1],[1,1],[0,0]]]}""");
        Assert.Contains("intersects itself", message, StringComparison.Ordinal);
        Assert.Contains("(0.5, 0.5)", message, StringComparison.Ordinal);
        Assert.Matches(@"^boundary\.coordinates\[0\]\[[0-3]\]: ", message);
        Assert.Contains("of the exterior ring", message, StringComparison.Ordinal);
    }

    [Fact]
    public void AHoleOutsideItsShell_IsRefused_NamingTheHole()
    {
        var (_, message) = Single("""{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]],[[5,5],[6,5],[6,6],[5,5]]]}""");
        Assert.StartsWith("boundary.coordinates[1][0]:", message, StringComparison.Ordinal);
        Assert.Contains("hole lies outside", message, StringComparison.Ordinal);
        Assert.Contains("of hole 1", message, StringComparison.Ordinal);
    }

    [Fact]
    public void OverlappingPolygonsOfOneMultiPolygon_AreRefused()
    {
        var (_, message) = Single("""{"type":"MultiPolygon","coordinates":[[[[0,0],[2,0],[2,2],[0,2],[0,0]]],[[[1,1],[3,1],[3,3],[1,3],[1,1]]]]}""");
        Assert.StartsWith("boundary.coordinates[", message, StringComparison.Ordinal);
        Assert.Contains("polygon", message, StringComparison.Ordinal);
    }

    [Fact]
    public void ARingWithoutArea_IsRefused()
    {
        var result = SiteBoundary.Parse("""{"type":"Polygon","coordinates":[[[0,0],[1,1],[2,2],[0,0]]]}""");
        Assert.False(result.IsValid);
        Assert.StartsWith("boundary.coordinates[0]", result.Problems[0].Message.En, StringComparison.Ordinal);
    }

    [Fact]
    public void ProblemsComeInBothLanguages()
    {
        var result = SiteBoundary.Parse("""{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]}""");
        Assert.Contains("未闭合", result.Problems[0].Message.ZhHans, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryBadPositionIsNamed()
    {
        var result = SiteBoundary.Parse("""{"type":"Polygon","coordinates":[[[0,0],[200,0],[1,100],[0,0]]]}""");
        Assert.Equal(2, result.Problems.Count);
        Assert.StartsWith("boundary.coordinates[0][1]:", result.Problems[0].Message.En, StringComparison.Ordinal);
        Assert.StartsWith("boundary.coordinates[0][2]:", result.Problems[1].Message.En, StringComparison.Ordinal);
    }
    [Fact]
    public void APolygonSplitAtTheAntimeridian_IsAccepted_AsItsTwoParts()
    {
        // RFC 7946 §3.1.9: one part east of 179° up to 180, one from -180 to -179.5, at the same latitudes.
        var result = SiteBoundary.Parse("""
            {"type":"MultiPolygon","coordinates":[
              [[[179,-16.9],[180,-16.9],[180,-16.8],[179,-16.8],[179,-16.9]]],
              [[[-180,-16.9],[-179.5,-16.9],[-179.5,-16.8],[-180,-16.8],[-180,-16.9]]]]}
            """);
        Assert.True(result.IsValid, string.Join(" | ", result.Problems.Select(p => p.Message.En)));
        var parts = (NetTopologySuite.Geometries.MultiPolygon)result.Boundary!.Geometry;
        Assert.Equal(2, parts.NumGeometries);
        Assert.Equal(180, parts.GetGeometryN(0).EnvelopeInternal.MaxX);
        Assert.Equal(-180, parts.GetGeometryN(1).EnvelopeInternal.MinX);
        // The area of the parts, not of a band round the globe: 1.5° × 0.1° at 16.85° S is about 177,000 ha.
        Assert.Equal(GeodesicArea.Hectares(parts.GetGeometryN(0)) + GeodesicArea.Hectares(parts.GetGeometryN(1)), result.Boundary.Hectares, 6);
        Assert.InRange(result.Boundary.Hectares, 175_000, 179_000);
    }

    [Theory]
    [InlineData("""{"type":"Polygon","coordinates":[[[179.5,-16.9],[-179.5,-16.9],[-179.5,-16.8],[179.5,-16.8],[179.5,-16.9]]]}""",
        "boundary.coordinates[0][0]:", "[179.5, -16.9] to 1 [-179.5, -16.9] of the exterior ring")]
    [InlineData("""{"type":"MultiPolygon","coordinates":[[[[10,0],[11,0],[11,1],[10,0]]],[[[-179.5,-16.9],[-179.4,-16.9],[179.5,-16.8],[-179.5,-16.9]]]]}""",
        "boundary.coordinates[1][0][1]:", "[-179.4, -16.9] to 2 [179.5, -16.8] of the exterior ring of polygon 1")]
    public void ARingAcrossTheAntimeridian_IsRefused_AtItsJump_AskingForASplit(string json, string where, string edge)
    {
        var result = SiteBoundary.Parse(json);
        Assert.False(result.IsValid, "A ring across the antimeridian wraps the globe the other way; it must be split.");
        var problem = Assert.Single(result.Problems);
        Assert.Equal("boundary", problem.Field);
        Assert.StartsWith(where, problem.Message.En, StringComparison.Ordinal);
        Assert.Contains(edge, problem.Message.En, StringComparison.Ordinal);
        Assert.Contains("Split the boundary at the antimeridian into a MultiPolygon", problem.Message.En, StringComparison.Ordinal);
        Assert.Contains("RFC 7946 §3.1.9", problem.Message.En, StringComparison.Ordinal);
        Assert.StartsWith(where.TrimEnd(':') + "：", problem.Message.ZhHans, StringComparison.Ordinal);
        Assert.Contains("180° 经线处把边界切分为 MultiPolygon", problem.Message.ZhHans, StringComparison.Ordinal);
    }
}
