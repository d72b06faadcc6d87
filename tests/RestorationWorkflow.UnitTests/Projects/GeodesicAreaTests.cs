using NetTopologySuite.Geometries;
using RestorationWorkflow.Projects;

namespace RestorationWorkflow.UnitTests.Projects;

/// <summary>The geodesic area against the closed-form area of a latitude zone on the WGS 84 ellipsoid.</summary>
public sealed class GeodesicAreaTests
{
    private const double A = 6378137.0;
    private const double F = 1 / 298.257223563;

    /// <summary>
    /// The area between two parallels over <paramref name="dLonDegrees"/> of longitude (e.g. Snyder eq. 3-12 integrated):
    /// b²/2 · Δλ · [sin φ / (1 − e² sin² φ) + artanh(e sin φ) / e] from φ1 to φ2. Written here independently of the code
    /// under test, which projects instead.
    /// </summary>
    private static double ZoneSquareMetres(double lat1, double lat2, double dLonDegrees)
    {
        var e2 = F * (2 - F);
        var e = Math.Sqrt(e2);
        var b = A * (1 - F);
        double G(double latDegrees)
        {
            var s = Math.Sin(latDegrees * Math.PI / 180);
            return (s / (1 - (e2 * s * s))) + (Math.Atanh(e * s) / e);
        }
        return b * b / 2 * (dLonDegrees * Math.PI / 180) * (G(lat2) - G(lat1));
    }

    private static Polygon Cell(double lon, double lat, double size = 1)
    {
        var factory = new GeometryFactory(new PrecisionModel(), 4326);
        return factory.CreatePolygon([new(lon, lat), new(lon + size, lat), new(lon + size, lat + size), new(lon, lat + size), new(lon, lat)]);
    }

    [Fact]
    public void OneDegreeCellAtTheEquator_Is1230877Hectares()
    {
        var hectares = GeodesicArea.Hectares(Cell(0, 0));
        var exact = ZoneSquareMetres(0, 1, 1) / 10_000;
        // The zone formula (and a numerical integration of M·N·cos φ) give 12,308.464 km²; the 12,308.778 km² quoted in
        // issue 15 is 0.003 % higher, well within the 0.5 % the issue asks for.
        Assert.InRange(exact, 1_230_846.0, 1_230_846.8);
        Assert.InRange(Math.Abs(hectares - exact) / exact, 0, 1e-6);
        Assert.InRange(Math.Abs(hectares - 1_230_877.8) / 1_230_877.8, 0, 0.005);
    }

    [Fact]
    public void OneDegreeCellAt60North_MatchesTheZoneFormula()
    {
        var hectares = GeodesicArea.Hectares(Cell(24, 60));
        var exact = ZoneSquareMetres(60, 61, 1) / 10_000;
        Assert.InRange(Math.Abs(hectares - exact) / exact, 0, 1e-6);
        // Far from the equator value: the test would catch a spherical or planar shortcut.
        Assert.InRange(hectares, 612_000, 612_600);
    }

    [Fact]
    public void SouthernHemisphereAndWestOfGreenwich_AndLargeCells()
    {
        var hectares = GeodesicArea.Hectares(Cell(-75, -45, 5));
        var exact = ZoneSquareMetres(-45, -40, 5) / 10_000;
        Assert.InRange(Math.Abs(hectares - exact) / exact, 0, 1e-6);
    }

    [Fact]
    public void HolesAreSubtracted_AndMultiPolygonsAdded()
    {
        var factory = new GeometryFactory(new PrecisionModel(), 4326);
        var shell = factory.CreateLinearRing([new(0, 0), new(2, 0), new(2, 2), new(0, 2), new(0, 0)]);
        var hole = factory.CreateLinearRing([new(0.5, 0.5), new(1.5, 0.5), new(1.5, 1.5), new(0.5, 1.5), new(0.5, 0.5)]);
        var withHole = factory.CreatePolygon(shell, [hole]);
        var expected = (ZoneSquareMetres(0, 2, 2) - ZoneSquareMetres(0.5, 1.5, 1)) / 10_000;
        Assert.InRange(Math.Abs(GeodesicArea.Hectares(withHole) - expected) / expected, 0, 1e-6);

        var multi = factory.CreateMultiPolygon([Cell(0, 0), Cell(10, 60)]);
        var both = (ZoneSquareMetres(0, 1, 1) + ZoneSquareMetres(60, 61, 1)) / 10_000;
        Assert.InRange(Math.Abs(GeodesicArea.Hectares(multi) - both) / both, 0, 1e-6);
    }

    [Fact]
    public void ASmallSite_OfOneHundredMetresSquare_IsAboutOneHectare()
    {
        // 0.0009° of latitude ≈ 99.5 m; at the equator 0.0009° of longitude ≈ 100.2 m.
        var hectares = GeodesicArea.Hectares(Cell(36.8, -1.3, 0.0009));
        var exact = ZoneSquareMetres(-1.3, -1.3 + 0.0009, 0.0009) / 10_000;
        Assert.InRange(Math.Abs(hectares - exact) / exact, 0, 1e-6);
        Assert.InRange(hectares, 0.95, 1.05);
    }
    [Fact]
    public void APolygonSplitAtTheAntimeridian_HasTheAreaOfItsParts()
    {
        // 179°…180° and −180°…−179.5° between 16.9° S and 16.8° S: one 1.5° × 0.1° zone cut at the antimeridian.
        var factory = new GeometryFactory(new PrecisionModel(), 4326);
        var split = factory.CreateMultiPolygon([
            factory.CreatePolygon([new(179, -16.9), new(180, -16.9), new(180, -16.8), new(179, -16.8), new(179, -16.9)]),
            factory.CreatePolygon([new(-180, -16.9), new(-179.5, -16.9), new(-179.5, -16.8), new(-180, -16.8), new(-180, -16.9)]),
        ]);
        var exact = ZoneSquareMetres(-16.9, -16.8, 1.5) / 10_000;
        Assert.Equal(1, GeodesicArea.Hectares(split) / exact, 6);
    }
}
