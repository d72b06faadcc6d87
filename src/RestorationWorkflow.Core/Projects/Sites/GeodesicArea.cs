using NetTopologySuite.Geometries;

namespace RestorationWorkflow.Projects;

/// <summary>
/// The area of a longitude/latitude polygon on the WGS 84 ellipsoid, in square metres or hectares.
/// <para>
/// Each polygon is projected with the ellipsoidal Lambert azimuthal equal-area projection (Snyder, <i>Map
/// Projections — A Working Manual</i>, 1987, pp. 187–190, oblique aspect through the authalic latitude) centred on
/// the polygon's bounding box, after its edges are densified to at most <see cref="MaxStepDegrees"/> in longitude and
/// latitude (GeoJSON edges are straight in longitude/latitude, RFC 7946 §3.1.1). The projection preserves area
/// exactly, so the planar (shoelace) area of the projected rings is the ellipsoidal area up to the chords between
/// densified points and floating-point rounding: for sites of up to a few degrees the relative error is below
/// 1e-7 (the unit tests check 1°×1° cells at 0° and 60° N against the closed-form zone area to 1e-6).
/// </para>
/// </summary>
public static class GeodesicArea
{
    public const double SemiMajorAxis = 6378137.0;
    public const double Flattening = 1 / 298.257223563;

    /// <summary>The longest edge, in degrees of longitude or latitude, before it is projected.</summary>
    public const double MaxStepDegrees = 0.01;

    private static readonly double E2 = Flattening * (2 - Flattening);
    private static readonly double E = Math.Sqrt(E2);
    private static readonly double Qp = Q(1.0);
    private static readonly double Rq = SemiMajorAxis * Math.Sqrt(Qp / 2);

    public static double Hectares(Geometry geometry) => SquareMetres(geometry) / 10_000;

    /// <summary>The area of a Polygon or MultiPolygon (holes subtracted); other geometries have none.</summary>
    public static double SquareMetres(Geometry geometry)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        double sum = 0;
        for (var i = 0; i < geometry.NumGeometries; i++)
        {
            if (geometry.GetGeometryN(i) is Polygon polygon && !polygon.IsEmpty)
                sum += PolygonArea(polygon);
        }
        return sum;
    }

    private static double PolygonArea(Polygon polygon)
    {
        var envelope = polygon.EnvelopeInternal;
        var lon0 = (envelope.MinX + envelope.MaxX) / 2 * Math.PI / 180;
        var lat0 = (envelope.MinY + envelope.MaxY) / 2 * Math.PI / 180;
        var projection = new Projection(lat0, lon0);
        var area = Math.Abs(RingArea(polygon.ExteriorRing.Coordinates, projection));
        foreach (var hole in polygon.InteriorRings)
            area -= Math.Abs(RingArea(hole.Coordinates, projection));
        return area;
    }

    /// <summary>The signed shoelace area of a closed ring after densifying and projecting it.</summary>
    private static double RingArea(Coordinate[] ring, Projection projection)
    {
        double sum = 0;
        var (firstX, firstY) = projection.Forward(ring[0].X, ring[0].Y);
        var (px, py) = (firstX, firstY);
        for (var i = 0; i < ring.Length - 1; i++)
        {
            var (a, b) = (ring[i], ring[i + 1]);
            var steps = Math.Max(1, (int)Math.Ceiling(Math.Max(Math.Abs(b.X - a.X), Math.Abs(b.Y - a.Y)) / MaxStepDegrees));
            for (var s = 1; s <= steps; s++)
            {
                var t = (double)s / steps;
                var (x, y) = projection.Forward(a.X + ((b.X - a.X) * t), a.Y + ((b.Y - a.Y) * t));
                // Relative to the first point, so large coordinates do not cancel each other out.
                sum += ((px - firstX) * (y - firstY)) - ((x - firstX) * (py - firstY));
                (px, py) = (x, y);
            }
        }
        return sum / 2;
    }

    /// <summary>Snyder's q(φ) (eq. 3-12) from sin φ.</summary>
    private static double Q(double sinPhi) =>
        (1 - E2) * ((sinPhi / (1 - (E2 * sinPhi * sinPhi))) - (1 / (2 * E) * Math.Log((1 - (E * sinPhi)) / (1 + (E * sinPhi)))));

    /// <summary>The oblique ellipsoidal Lambert azimuthal equal-area projection centred on (φ1, λ0) (Snyder eqs. 24-11 to 24-20).</summary>
    private sealed class Projection
    {
        private readonly double _lon0;
        private readonly double _sinBeta1;
        private readonly double _cosBeta1;
        private readonly double _d;

        public Projection(double lat0, double lon0)
        {
            _lon0 = lon0;
            var sinPhi1 = Math.Sin(lat0);
            var beta1 = Math.Asin(Math.Clamp(Q(sinPhi1) / Qp, -1, 1));
            _sinBeta1 = Math.Sin(beta1);
            _cosBeta1 = Math.Cos(beta1);
            var m1 = Math.Cos(lat0) / Math.Sqrt(1 - (E2 * sinPhi1 * sinPhi1));
            // At a pole D is 1 (cos β1 and m1 vanish together).
            _d = Math.Abs(_cosBeta1) < 1e-12 ? 1 : SemiMajorAxis * m1 / (Rq * _cosBeta1);
        }

        public (double X, double Y) Forward(double lonDegrees, double latDegrees)
        {
            var phi = latDegrees * Math.PI / 180;
            var dLon = (lonDegrees * Math.PI / 180) - _lon0;
            var beta = Math.Asin(Math.Clamp(Q(Math.Sin(phi)) / Qp, -1, 1));
            var (sinBeta, cosBeta) = (Math.Sin(beta), Math.Cos(beta));
            var denominator = 1 + (_sinBeta1 * sinBeta) + (_cosBeta1 * cosBeta * Math.Cos(dLon));
            var b = Rq * Math.Sqrt(2 / Math.Max(denominator, 1e-300));
            var x = b * _d * cosBeta * Math.Sin(dLon);
            var y = b / _d * ((_cosBeta1 * sinBeta) - (_sinBeta1 * cosBeta * Math.Cos(dLon)));
            return (x, y);
        }
    }
}
