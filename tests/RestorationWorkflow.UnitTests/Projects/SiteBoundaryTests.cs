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
}
