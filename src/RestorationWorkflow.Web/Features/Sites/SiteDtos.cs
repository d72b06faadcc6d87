using System.Text.Json;

namespace RestorationWorkflow.Web.Features.Sites;

/// <summary>
/// <c>POST</c> and <c>PUT /api/projects/{id}/sites…</c>: <c>boundary</c> is a GeoJSON Polygon or MultiPolygon in WGS 84
/// (a Feature or a one-feature FeatureCollection holding one is accepted too).
/// </summary>
public sealed record SiteRequest(string? Name, string? EcosystemType, string? Tenure, decimal? DeclaredHectares, JsonElement? Boundary, int? ExpectedVersion)
{
    public SiteInput ToInput() => new(Name, EcosystemType, Tenure, DeclaredHectares,
        Boundary is { ValueKind: not (JsonValueKind.Undefined or JsonValueKind.Null) } b ? b.GetRawText() : null);
}

/// <summary>What a site command receives from the API or the page (the boundary as GeoJSON text).</summary>
public sealed record SiteInput(string? Name, string? EcosystemType, string? Tenure, decimal? DeclaredHectares, string? Boundary);

/// <summary>A warning about a site (its area or its place), with a stable code.</summary>
public sealed record SiteWarningDto(string Code, string Message);

/// <summary>A site as the API returns it after a change: the site, its warnings and the project's new version and area.</summary>
public sealed record SiteDto(
    Guid Id, Guid ProjectId, string Name, string EcosystemType, string Tenure, decimal DeclaredHectares, decimal ComputedHectares,
    JsonElement Boundary, IReadOnlyList<SiteWarningDto> Warnings, int Version, decimal ProjectAreaHectares, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>What <c>DELETE /api/projects/{id}/sites/{siteId}</c> returns.</summary>
public sealed record SiteRemovedDto(Guid ProjectId, Guid SiteId, int Version, decimal ProjectAreaHectares);

/// <summary>The properties of one site's feature.</summary>
public sealed record SiteProperties(
    Guid Id, string Name, string EcosystemType, string Tenure, decimal DeclaredHectares, decimal ComputedHectares,
    IReadOnlyList<SiteWarningDto> Warnings);

/// <summary>One site as a GeoJSON Feature.</summary>
public sealed record SiteFeature(string Type, Guid Id, JsonElement Geometry, SiteProperties Properties);

/// <summary><c>GET /api/projects/{id}/sites</c>: a GeoJSON FeatureCollection, with the project's version and total area as foreign members.</summary>
public sealed record SitesGeoJson(string Type, IReadOnlyList<SiteFeature> Features, Guid ProjectId, int Version, decimal ProjectAreaHectares);

/// <summary>Where a refused boundary overlaps a site of the same project: which site, about where, how much.</summary>
public sealed record SiteOverlapDto(Guid SiteId, string SiteName, double[] Point, double[] Bbox, decimal Hectares);
