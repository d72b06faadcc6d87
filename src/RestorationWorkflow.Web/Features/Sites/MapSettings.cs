using System.Text.Json;
using RestorationWorkflow.Projects;

namespace RestorationWorkflow.Web.Features.Sites;

/// <summary>
/// What the map script reads from the page (<c>data-*</c> attributes; no inline script): the sites as GeoJSON, the
/// vendored outlines, the project's country and, only when <c>Map:TileUrl</c> is configured, a tile layer.
/// </summary>
public static class MapSettings
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    public static string TileUrl(IConfiguration configuration) => configuration?["Map:TileUrl"] ?? "";

    public static string TileAttribution(IConfiguration configuration) => configuration?["Map:TileAttribution"] ?? "";

    public static string SitesJson(Project project, IEnumerable<SiteView> sites) =>
        JsonSerializer.Serialize(SiteReader.ToFeatureCollection(project, sites), Web);
}
