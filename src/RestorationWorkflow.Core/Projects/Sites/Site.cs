using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Projects;

/// <summary>
/// One site of a project: the unit restoration platforms report on. Its boundary is a GeoJSON Polygon or
/// MultiPolygon in WGS 84 kept as text (portable across SQLite and SQL Server; see decision 0017), with its
/// geodesic area and the area its manager declares. Sites change only through the project command path.
/// </summary>
public sealed class Site
{
    private Site()
    {
    }

    public Guid Id { get; private set; }

    public Guid ProjectId { get; private set; }

    public string Name { get; private set; } = "";

    /// <summary>A code of <see cref="EcosystemTypes"/>.</summary>
    public string EcosystemType { get; private set; } = "";

    /// <summary>A code of <see cref="SiteTenures"/>.</summary>
    public string Tenure { get; private set; } = "";

    /// <summary>The boundary as normalized GeoJSON geometry text (Polygon or MultiPolygon, WGS 84 longitude/latitude).</summary>
    public string Boundary { get; private set; } = "";

    /// <summary>SHA-256 (hex) of <see cref="Boundary"/>: what the audit trail records of a boundary.</summary>
    public string BoundaryHash { get; private set; } = "";

    public decimal DeclaredHectares { get; private set; }

    /// <summary>Geodesic area of <see cref="Boundary"/> on the WGS 84 ellipsoid (<see cref="GeodesicArea"/>).</summary>
    public decimal ComputedHectares { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public static Site Create(Guid projectId, SiteDetails details, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(details);
        var site = new Site { Id = Guid.CreateVersion7(now), ProjectId = projectId, CreatedAt = now };
        site.Update(details, now);
        return site;
    }

    public void Update(SiteDetails details, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(details);
        Name = details.Name.Trim();
        EcosystemType = details.EcosystemType;
        Tenure = details.Tenure;
        Boundary = details.Boundary;
        BoundaryHash = HashOf(details.Boundary);
        DeclaredHectares = details.DeclaredHectares;
        ComputedHectares = details.ComputedHectares;
        UpdatedAt = now;
    }

    public SiteDetails Details => new(Name, EcosystemType, Tenure, Boundary, DeclaredHectares, ComputedHectares);

    public static string HashOf(string boundary) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(boundary ?? "")));
}

/// <summary>What a site holds; <see cref="ComputedHectares"/> is computed from <see cref="Boundary"/>, never entered.</summary>
public sealed record SiteDetails(string Name, string EcosystemType, string Tenure, string Boundary, decimal DeclaredHectares, decimal ComputedHectares);

/// <summary>Land and sea tenure of a site.</summary>
public static class SiteTenures
{
    public static readonly IReadOnlyList<(string Code, LocalizedText Label)> All =
    [
        ("public", new("Public", "公有")),
        ("private", new("Private", "私有")),
        ("communalCustomary", new("Communal / customary", "社区共有 / 习惯权属")),
        ("mixed", new("Mixed", "混合")),
    ];

    public static bool IsKnown(string? code) => All.Any(t => t.Code == code);

    public static LocalizedText Label(string code) => All.FirstOrDefault(t => t.Code == code).Label ?? new LocalizedText(code, code);
}

/// <summary>Whether a site exists in a project: for features that attach things to sites (evidence files).</summary>
public interface ISiteLookup
{
    Task<bool> SiteExistsAsync(Guid projectId, Guid siteId, CancellationToken cancellationToken = default);
}
