using System.Globalization;
using System.Text.Json;
using NetTopologySuite;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Converters;
using NetTopologySuite.Operation.Valid;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Projects;

/// <summary>A boundary that passed every rule: the geometry, its normalized GeoJSON text and its geodesic area.</summary>
public sealed record ValidBoundary(Geometry Geometry, string GeoJson, double Hectares);

/// <summary>
/// Reads and validates a site boundary: a GeoJSON Polygon or MultiPolygon in WGS 84 longitude/latitude (or a Feature,
/// or a FeatureCollection with exactly one feature, holding one). Every problem names where it is, as the JSON path
/// of the position (<c>boundary.coordinates[0][3]</c>: ring 0, the exterior, position 3; for a MultiPolygon
/// <c>boundary.coordinates[1][0][3]</c>: polygon 1, ring 0, position 3).
/// Rules: positions are two or three finite numbers with longitude in −180…180 and latitude in −90…90; every ring has
/// at least four positions and ends where it starts; no edge jumps more than 180° in longitude (a boundary across the
/// antimeridian comes split at 180°, RFC 7946 §3.1.9); NetTopologySuite's <see cref="IsValidOp"/> finds no
/// self-intersection (nor a hole outside its shell, nor overlapping polygons); the area is greater than zero.
/// </summary>
public static class SiteBoundary
{
    /// <summary>More positions than a site boundary needs; it keeps a request's work bounded.</summary>
    public const int MaxPositions = 100_000;

    /// <summary>Problems reported at most; the rest are counted.</summary>
    public const int MaxProblems = 20;

    private static readonly GeometryFactory Factory = NtsGeometryServices.Instance.CreateGeometryFactory(4326);

    private static readonly JsonSerializerOptions GeoJsonOptions = CreateOptions();

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions();
        options.Converters.Add(new GeoJsonConverterFactory(Factory));
        return options;
    }

    /// <summary>Parses text (a request field or an uploaded file) and validates it.</summary>
    public static BoundaryResult Parse(string? text, string field = "boundary")
    {
        if (string.IsNullOrWhiteSpace(text))
            return Fail(field, "A boundary (GeoJSON Polygon or MultiPolygon) is required.", "需要边界（GeoJSON Polygon 或 MultiPolygon）。");
        try
        {
            using var document = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 16 });
            return Parse(document.RootElement, field);
        }
        catch (JsonException ex)
        {
            return Fail(field, $"The boundary is not JSON: {ex.Message}", $"边界不是有效的 JSON：{ex.Message}");
        }
    }

    /// <summary>Validates a boundary given as JSON.</summary>
    public static BoundaryResult Parse(JsonElement element, string field = "boundary")
    {
        var problems = new List<LocalizedText>();
        var path = field;
        if (element.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
            return Fail(field, "A boundary (GeoJSON Polygon or MultiPolygon) is required.", "需要边界（GeoJSON Polygon 或 MultiPolygon）。");
        if (element.ValueKind != JsonValueKind.Object)
            return Fail(field, $"{field} must be a GeoJSON object.", $"{field} 必须是 GeoJSON 对象。");
        var type = TypeOf(element);
        if (type == "FeatureCollection")
        {
            if (!element.TryGetProperty("features", out var features) || features.ValueKind != JsonValueKind.Array || features.GetArrayLength() != 1)
                return Fail(field, $"{field}.features: a FeatureCollection must hold exactly one feature (the site's polygon or multipolygon).",
                    $"{field}.features：FeatureCollection 必须恰好包含一个要素（地块的多边形或多多边形）。");
            element = features[0];
            path += ".features[0]";
            type = TypeOf(element);
        }
        if (type == "Feature")
        {
            if (!element.TryGetProperty("geometry", out var inner) || inner.ValueKind != JsonValueKind.Object)
                return Fail(field, $"{path}.geometry: the feature has no geometry.", $"{path}.geometry：该要素没有几何图形。");
            element = inner;
            path += ".geometry";
            type = TypeOf(element);
        }
        if (type is not ("Polygon" or "MultiPolygon"))
            return Fail(field, $"{path}.type: '{Cut(type)}' is not a Polygon or MultiPolygon.", $"{path}.type：“{Cut(type)}”不是 Polygon 或 MultiPolygon。");
        if (!element.TryGetProperty("coordinates", out var coordinates) || coordinates.ValueKind != JsonValueKind.Array)
            return Fail(field, $"{path}.coordinates: an array of rings is required.", $"{path}.coordinates：需要由环组成的数组。");
        path += ".coordinates";

        var rings = new List<Ring>();
        var positions = 0;
        var polygons = new List<List<Ring>>();
        if (type == "Polygon")
        {
            polygons.Add(ReadPolygon(coordinates, path, -1, rings, problems, ref positions));
        }
        else
        {
            if (coordinates.GetArrayLength() == 0)
                problems.Add(new($"{path}: a MultiPolygon needs at least one polygon.", $"{path}：MultiPolygon 至少需要一个多边形。"));
            var p = 0;
            foreach (var polygon in coordinates.EnumerateArray())
            {
                if (polygon.ValueKind != JsonValueKind.Array)
                    problems.Add(new($"{path}[{p}]: polygon {p} must be an array of rings.", $"{path}[{p}]：第 {p} 个多边形必须是由环组成的数组。"));
                else
                    polygons.Add(ReadPolygon(polygon, $"{path}[{p}]", p, rings, problems, ref positions));
                p++;
                if (positions > MaxPositions)
                    break;
            }
        }
        if (positions > MaxPositions)
            return Fail(field, $"{path}: the boundary has more than {MaxPositions} positions; simplify it.", $"{path}：边界的坐标点超过 {MaxPositions} 个，请简化。");
        if (problems.Count > 0)
            return Failed(field, problems);
        foreach (var ring in rings)
        {
            if (AntimeridianJump(ring) is { } jump)
                problems.Add(jump);
        }
        if (problems.Count > 0)
            return Failed(field, problems);

        var built = polygons.Select(rs => Factory.CreatePolygon(
            Factory.CreateLinearRing(rs[0].Coordinates), [.. rs.Skip(1).Select(r => Factory.CreateLinearRing(r.Coordinates))])).ToArray();
        Geometry geometry = type == "Polygon" ? built[0] : Factory.CreateMultiPolygon(built);

        var validation = new IsValidOp(geometry).ValidationError;
        if (validation is not null)
        {
            var where = Locate(rings, validation.Coordinate);
            var at = validation.Coordinate is { } c ? string.Create(CultureInfo.InvariantCulture, $" at ({c.X:0.######}, {c.Y:0.######})") : "";
            var (en, zh) = Describe(validation.ErrorType, validation.Message);
            return Fail(field, $"{where.Path}: {en}{at}, {where.Describe.En}.", $"{where.Path}：{zh}{at}，{where.Describe.ZhHans}。");
        }

        var hectares = GeodesicArea.Hectares(geometry);
        if (!(hectares > 0))
            return Fail(field, $"{path}: the boundary encloses no area.", $"{path}：边界围成的面积为零。");
        return new BoundaryResult(new ValidBoundary(geometry, ToGeoJson(geometry), hectares), []);
    }

    /// <summary>A geometry as GeoJSON geometry text.</summary>
    public static string ToGeoJson(Geometry geometry) => JsonSerializer.Serialize(geometry, GeoJsonOptions);

    /// <summary>A stored boundary (written by <see cref="ToGeoJson"/>) back as a geometry.</summary>
    public static Geometry FromGeoJson(string geoJson) =>
        JsonSerializer.Deserialize<Geometry>(geoJson, GeoJsonOptions) ?? throw new FormatException("The stored boundary is empty.");

    private static List<Ring> ReadPolygon(JsonElement polygon, string path, int polygonIndex, List<Ring> rings, List<LocalizedText> problems, ref int positions)
    {
        var result = new List<Ring>();
        var where = polygonIndex < 0 ? "" : $" of polygon {polygonIndex}";
        var whereZh = polygonIndex < 0 ? "" : $"第 {polygonIndex} 个多边形的";
        if (polygon.GetArrayLength() == 0)
        {
            problems.Add(new($"{path}: a polygon needs its exterior ring{where}.", $"{path}：{whereZh}多边形需要外环。"));
            return result;
        }
        var r = 0;
        foreach (var ringElement in polygon.EnumerateArray())
        {
            var ringPath = $"{path}[{r}]";
            var ringName = new LocalizedText(
                r == 0 ? $"the exterior ring{where}" : $"hole {r}{where}",
                r == 0 ? $"{whereZh}外环" : $"{whereZh}第 {r} 个内环（洞）");
            if (ringElement.ValueKind != JsonValueKind.Array)
            {
                problems.Add(new($"{ringPath}: {ringName.En} must be an array of positions.", $"{ringPath}：{ringName.ZhHans}必须是坐标点数组。"));
                r++;
                continue;
            }
            var coordinates = new List<Coordinate>();
            var i = 0;
            var ringOk = true;
            foreach (var position in ringElement.EnumerateArray())
            {
                positions++;
                if (positions > MaxPositions)
                    return result;
                if (ReadPosition(position, $"{ringPath}[{i}]", problems) is { } c)
                    coordinates.Add(c);
                else
                    ringOk = false;
                i++;
            }
            if (ringOk)
            {
                if (coordinates.Count < 4)
                {
                    ringOk = false;
                    problems.Add(new($"{ringPath}: {ringName.En} has {coordinates.Count} position(s); a ring needs at least 4 (the last repeating the first).",
                        $"{ringPath}：{ringName.ZhHans}只有 {coordinates.Count} 个坐标点；一个环至少需要 4 个（最后一个与第一个相同）。"));
                }
                else if (!coordinates[0].Equals2D(coordinates[^1]))
                {
                    ringOk = false;
                    problems.Add(new($"{ringPath}[{coordinates.Count - 1}]: {ringName.En} is not closed: its last position differs from its first ({Show(coordinates[^1])} ≠ {Show(coordinates[0])}).",
                        $"{ringPath}[{coordinates.Count - 1}]：{ringName.ZhHans}未闭合：最后一个坐标点与第一个不同（{Show(coordinates[^1])} ≠ {Show(coordinates[0])}）。"));
                }
            }
            if (ringOk)
            {
                var ring = new Ring(ringPath, ringName, [.. coordinates]);
                result.Add(ring);
                rings.Add(ring);
            }
            r++;
        }
        return result;
    }

    /// <summary>
    /// A ring with an edge whose longitudes differ by more than 180° crosses the antimeridian: read as straight lines in
    /// longitude/latitude (RFC 7946 §3.1.1) the edge runs the other way round the whole globe. Such a ring is refused,
    /// named at its first jump; RFC 7946 §3.1.9 asks for the geometry to be cut at 180° into a MultiPolygon, one
    /// polygon each side, whose parts touch ±180° — those are accepted like any other MultiPolygon.
    /// </summary>
    private static LocalizedText? AntimeridianJump(Ring ring)
    {
        for (var i = 0; i < ring.Coordinates.Length - 1; i++)
        {
            var (a, b) = (ring.Coordinates[i], ring.Coordinates[i + 1]);
            if (Math.Abs(b.X - a.X) <= 180)
                continue;
            var next = i + 1;
            return new LocalizedText(
                $"{ring.Path}[{i}]: the edge from position {i} {Show(a)} to {next} {Show(b)} of {ring.Name.En} jumps more than 180° in longitude: it crosses the antimeridian (180°) and would run the other way round the globe. Split the boundary at the antimeridian into a MultiPolygon with one polygon on each side, touching ±180 (RFC 7946 §3.1.9).",
                $"{ring.Path}[{i}]：{ring.Name.ZhHans}从第 {i} 个坐标点 {Show(a)} 到第 {next} 个坐标点 {Show(b)} 的边经度跨度超过 180°：它跨越了 180° 经线（对向子午线），会沿相反方向绕地球一周。请在 180° 经线处把边界切分为 MultiPolygon，两侧各一个多边形，分别止于 ±180（RFC 7946 §3.1.9）。");
        }
        return null;
    }

    private static Coordinate? ReadPosition(JsonElement position, string path, List<LocalizedText> problems)
    {
        if (problems.Count >= MaxProblems)
            return null;
        if (position.ValueKind != JsonValueKind.Array || position.GetArrayLength() is < 2 or > 3)
        {
            problems.Add(new($"{path}: a position is [longitude, latitude] (an optional altitude may follow).", $"{path}：坐标点的格式为 [经度, 纬度]（可附带高程）。"));
            return null;
        }
        var numbers = new double[position.GetArrayLength()];
        for (var k = 0; k < numbers.Length; k++)
        {
            var n = position[k];
            if (n.ValueKind != JsonValueKind.Number || !n.TryGetDouble(out numbers[k]) || !double.IsFinite(numbers[k]))
            {
                problems.Add(new($"{path}[{k}]: not a finite number.", $"{path}[{k}]：不是有限数值。"));
                return null;
            }
        }
        var (lon, lat) = (numbers[0], numbers[1]);
        var ok = true;
        if (lon is < -180 or > 180)
        {
            problems.Add(new(string.Create(CultureInfo.InvariantCulture, $"{path}: longitude {lon} is outside −180…180 (positions are [longitude, latitude] in WGS 84)."),
                string.Create(CultureInfo.InvariantCulture, $"{path}：经度 {lon} 超出 −180…180 的范围（坐标点为 WGS 84 的 [经度, 纬度]）。")));
            ok = false;
        }
        if (lat is < -90 or > 90)
        {
            problems.Add(new(string.Create(CultureInfo.InvariantCulture, $"{path}: latitude {lat} is outside −90…90 (positions are [longitude, latitude] in WGS 84)."),
                string.Create(CultureInfo.InvariantCulture, $"{path}：纬度 {lat} 超出 −90…90 的范围（坐标点为 WGS 84 的 [经度, 纬度]）。")));
            ok = false;
        }
        return ok ? new Coordinate(lon, lat) : null;
    }

    /// <summary>The ring edge nearest to where <see cref="IsValidOp"/> found the problem: its path and position index.</summary>
    private static (string Path, LocalizedText Describe) Locate(List<Ring> rings, Coordinate? at)
    {
        if (at is null || rings.Count == 0)
            return (rings.Count > 0 ? rings[0].Path : "boundary", new LocalizedText("", ""));
        var best = (Ring: rings[0], Index: 0, Distance: double.MaxValue);
        foreach (var ring in rings)
        {
            for (var i = 0; i < ring.Coordinates.Length - 1; i++)
            {
                var d = NetTopologySuite.Algorithm.DistanceComputer.PointToSegment(at, ring.Coordinates[i], ring.Coordinates[i + 1]);
                if (d < best.Distance)
                    best = (ring, i, d);
            }
        }
        var next = best.Index + 1;
        return ($"{best.Ring.Path}[{best.Index}]", new LocalizedText(
            $"on the edge from position {best.Index} to {next} of {best.Ring.Name.En}",
            $"位于{best.Ring.Name.ZhHans}从第 {best.Index} 到第 {next} 个坐标点的边上"));
    }

    private static (string En, string Zh) Describe(TopologyValidationErrors type, string message) => type switch
    {
        TopologyValidationErrors.SelfIntersection or TopologyValidationErrors.RingSelfIntersection =>
            ("the boundary intersects itself", "边界自相交"),
        TopologyValidationErrors.HoleOutsideShell => ("a hole lies outside its exterior ring", "内环（洞）位于外环之外"),
        TopologyValidationErrors.NestedHoles => ("a hole lies inside another hole", "内环（洞）嵌套在另一个内环中"),
        TopologyValidationErrors.DisconnectedInteriors => ("the holes cut the polygon into pieces", "内环把多边形分割成了多个部分"),
        TopologyValidationErrors.NestedShells => ("polygons of the MultiPolygon overlap", "MultiPolygon 中的多边形相互重叠"),
        TopologyValidationErrors.DuplicateRings => ("a ring is repeated", "存在重复的环"),
        TopologyValidationErrors.TooFewPoints => ("a ring has fewer than 4 distinct positions", "环的不同坐标点少于 4 个"),
        _ => (message, message),
    };

    private static string TypeOf(JsonElement element) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() ?? "" : "";

    private static string Show(Coordinate c) => string.Create(CultureInfo.InvariantCulture, $"[{c.X}, {c.Y}]");

    private static string Cut(string text) => text.Length <= 40 ? text : text[..40] + "…";

    private static BoundaryResult Fail(string field, string en, string zh) => Failed(field, [new LocalizedText(en, zh)]);

    private static BoundaryResult Failed(string field, List<LocalizedText> problems) => new(null, problems.Select(p => (field, p)).ToList());

    private sealed record Ring(string Path, LocalizedText Name, Coordinate[] Coordinates);
}

/// <summary>The outcome of <see cref="SiteBoundary.Parse(string?, string)"/>: a valid boundary, or each problem (under its request field).</summary>
public sealed record BoundaryResult(ValidBoundary? Boundary, IReadOnlyList<(string Field, LocalizedText Message)> Problems)
{
    public bool IsValid => Boundary is not null;
}
