using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.FileProviders;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.Geometries.Utilities;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Web.Features.Sites;

/// <summary>
/// The vendored Natural Earth 1:50m country outlines (<c>wwwroot/lib/natural-earth</c>), read once, keyed by ISO 3166-1
/// alpha-2 through the vendored numeric → alpha-2 table: the same file the map draws. A site outside its project's
/// country is a warning, never a refusal (coastal and marine sites reach beyond the coastline; the outlines are coarse).
/// </summary>
public sealed class CountryOutlines(IWebHostEnvironment environment, ILogger<CountryOutlines> logger)
{
    public const string OutlinesPath = "lib/natural-earth/countries-50m.geojson";
    public const string CodesPath = "lib/natural-earth/iso3166-numeric-alpha2.json";

    /// <summary>Share of a site's area outside its country below which no warning is given (coastline generalization).</summary>
    public const double Tolerance = 0.02;

    private readonly Lazy<Data> _data = new(() => Load(environment, logger));
    private readonly ConcurrentDictionary<string, Lazy<Outline>> _outlines = new(StringComparer.Ordinal);

    /// <summary>The ISO 3166-1 numeric code of an alpha-2 code (what the outline features carry as <c>id</c>), or null.</summary>
    public string? NumericOf(string alpha2) => _data.Value.NumericByAlpha2.GetValueOrDefault(alpha2.ToUpperInvariant());

    /// <summary>Whether the outlines know the country.</summary>
    public bool Knows(string alpha2) => _data.Value.Geometries.ContainsKey(alpha2.ToUpperInvariant());

    /// <summary>A warning when <paramref name="site"/> lies outside, or more than <see cref="Tolerance"/> outside, the country; else null.</summary>
    public LocalizedText? Check(string alpha2, Geometry site)
    {
        ArgumentNullException.ThrowIfNull(site);
        var code = alpha2.ToUpperInvariant();
        if (!_data.Value.Geometries.TryGetValue(code, out var texts))
            return null;
        // Built on first use, per country: fixing a large outline (Russia, Canada) takes seconds, Kenya's milliseconds.
        var outline = _outlines.GetOrAdd(code, _ => new Lazy<Outline>(() => Build(texts))).Value;
        if (outline.Prepared.Covers(site))
            return null;
        if (!outline.Prepared.Intersects(site))
            return new LocalizedText($"The site lies outside the project's country ({code}).", $"该地块位于项目所在国家（{code}）之外。");
        var outside = 1 - (GeodesicArea.SquareMetres(site.Intersection(outline.Geometry)) / GeodesicArea.SquareMetres(site));
        if (outside <= Tolerance)
            return null;
        var percent = (outside * 100).ToString("0", CultureInfo.InvariantCulture);
        return new LocalizedText($"About {percent} % of the site lies outside the project's country ({code}).", $"该地块约 {percent}% 的面积位于项目所在国家（{code}）之外。");
    }

    private sealed record Outline(Geometry Geometry, IPreparedGeometry Prepared);

    private sealed record Data(IReadOnlyDictionary<string, List<string>> Geometries, IReadOnlyDictionary<string, string> NumericByAlpha2);

    private static Outline Build(List<string> texts)
    {
        // Outlines rounded to 0.001° can touch themselves; fixing keeps every predicate and the overlay well-defined.
        var parts = texts.Select(t => SplitAtAntimeridian(SiteBoundary.FromGeoJson(t))).Select(g => g.IsValid ? g : GeometryFixer.Fix(g)).ToList();
        var geometry = parts.Count == 1 ? parts[0] : parts[0].Factory.BuildGeometry(parts).Union();
        return new Outline(geometry, PreparedGeometryFactory.Prepare(geometry));
    }

    /// <summary>
    /// A few Natural Earth rings cross the antimeridian in one piece (Fiji's near 16.5° S, Russia's mainland with
    /// Chukotka, Wrangel Island): read as planar longitude/latitude they wrap the globe the other way, and a band round
    /// the world would count as that country. Such a polygon — one with an edge longer than 180° of longitude and no
    /// point between 90° W and 0°, so it lies near the line, not round a pole like Antarctica's — is moved east of the
    /// line (western longitudes + 360°), cut at 180° and its eastern piece moved back: the two parts RFC 7946 §3.1.9 asks
    /// for. Every other polygon is returned as it is.
    /// </summary>
    internal static Geometry SplitAtAntimeridian(Geometry geometry)
    {
        var polygons = Enumerable.Range(0, geometry.NumGeometries).Select(geometry.GetGeometryN).OfType<Polygon>().ToList();
        if (polygons.Count != geometry.NumGeometries || !polygons.Any(CrossesInOnePiece))
            return geometry;
        var factory = geometry.Factory;
        var parts = new List<Geometry>();
        foreach (var polygon in polygons)
        {
            if (!CrossesInOnePiece(polygon))
            {
                parts.Add(polygon);
                continue;
            }
            var east = polygon.Copy();
            east.Apply(new ShiftLongitudes(x => x < 0 ? x + 360 : x));
            east = east.IsValid ? east : GeometryFixer.Fix(east);
            parts.Add(east.Intersection(factory.ToGeometry(new Envelope(-180, 180, -90, 90))));
            var beyond = east.Intersection(factory.ToGeometry(new Envelope(180, 540, -90, 90)));
            beyond.Apply(new ShiftLongitudes(x => x - 360));
            parts.Add(beyond);
        }
        var areas = parts.SelectMany(p => NetTopologySuite.Geometries.Utilities.PolygonExtracter.GetPolygons(p).Cast<Polygon>()).Where(p => !p.IsEmpty).ToArray();
        return factory.CreateMultiPolygon(areas);
    }

    private static bool CrossesInOnePiece(Polygon polygon)
    {
        var coordinates = polygon.Coordinates;
        var jumps = false;
        for (var i = 1; i < coordinates.Length; i++)
        {
            if (coordinates[i].X is > -90 and < 0)
                return false;
            jumps |= Math.Abs(coordinates[i].X - coordinates[i - 1].X) > 180;
        }
        return jumps;
    }

    /// <summary>Moves every longitude by a rule (x is the longitude in an outline's coordinates).</summary>
    private sealed class ShiftLongitudes(Func<double, double> shift) : ICoordinateSequenceFilter
    {
        public bool Done => false;

        public bool GeometryChanged => true;

        public void Filter(CoordinateSequence seq, int i) => seq.SetX(i, shift(seq.GetX(i)));
    }

    private static Data Load(IWebHostEnvironment environment, ILogger logger)
    {
        var files = environment.WebRootFileProvider;
        var codes = files.GetFileInfo(CodesPath);
        var outlines = files.GetFileInfo(OutlinesPath);
        if (!codes.Exists || !outlines.Exists)
        {
            logger.LogWarning("The country outlines ({Path}) are missing: sites are not checked against their country.", OutlinesPath);
            return new Data(new Dictionary<string, List<string>>(), new Dictionary<string, string>());
        }
        Dictionary<string, string> alpha2ByNumeric;
        using (var stream = codes.CreateReadStream())
            alpha2ByNumeric = JsonSerializer.Deserialize<Dictionary<string, string>>(stream) ?? [];
        var geometries = ReadGeometries(ReadAll(outlines), alpha2ByNumeric);
        var numeric = alpha2ByNumeric.GroupBy(p => p.Value, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Key, StringComparer.Ordinal);
        return new Data(geometries, numeric);
    }

    /// <summary>The file's bytes in one array of its length: read once, no growing copies on the large-object heap.</summary>
    private static byte[] ReadAll(IFileInfo file)
    {
        var bytes = new byte[file.Length];
        using var stream = file.CreateReadStream();
        stream.ReadExactly(bytes);
        return bytes;
    }

    /// <summary>
    /// Each feature's geometry as its raw JSON text, keyed by the alpha-2 code of its numeric <c>id</c>. Read with a
    /// <see cref="Utf8JsonReader"/> over the file's bytes rather than a <see cref="JsonDocument"/>: the document of the
    /// 1.6 MB file rented 15 MB of buffers, left behind on the large-object heap until a full collection.
    /// </summary>
    private static Dictionary<string, List<string>> ReadGeometries(byte[] json, Dictionary<string, string> alpha2ByNumeric)
    {
        var geometries = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            throw new JsonException($"{OutlinesPath}: the root is not an object.");
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!reader.ValueTextEquals("features"u8))
            {
                reader.Read();
                reader.Skip();
                continue;
            }
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartArray)
                throw new JsonException($"{OutlinesPath}: $.features is not an array.");
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    reader.Skip();
                    continue;
                }
                string? id = null;
                ReadOnlySpan<byte> geometry = default;
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var isId = reader.ValueTextEquals("id"u8);
                    var isGeometry = reader.ValueTextEquals("geometry"u8);
                    reader.Read();
                    if (isId && reader.TokenType == JsonTokenType.String)
                        id = reader.GetString();
                    else if (isGeometry && reader.TokenType == JsonTokenType.StartObject)
                    {
                        var start = (int)reader.TokenStartIndex;
                        reader.Skip();
                        geometry = json.AsSpan(start, (int)reader.BytesConsumed - start);
                    }
                    else
                        reader.Skip();
                }
                if (id is null || geometry.IsEmpty || !alpha2ByNumeric.TryGetValue(id, out var alpha2))
                    continue;
                if (!geometries.TryGetValue(alpha2, out var list))
                    geometries[alpha2] = list = [];
                list.Add(Encoding.UTF8.GetString(geometry));
            }
        }
        return geometries;
    }
}
