using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.Data;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Web.Features.Sites;

/// <summary>A site with the warnings it raises now (they depend on the project's country, so they are not stored).</summary>
public sealed record SiteView(Site Site, IReadOnlyList<SiteWarning> Warnings);

/// <summary>A warning about a site: a stable code and the message in both languages.</summary>
public sealed record SiteWarning(string Code, LocalizedText Message);

/// <summary>Reads a project's sites and works out their warnings: for the API, the project page and the site page.</summary>
public sealed class SiteReader(AppDbContext db, CountryOutlines outlines) : ISiteLookup
{
    /// <summary>The declared area may differ from the computed one by this share before a warning.</summary>
    public const decimal AreaTolerance = 0.10m;

    public const string AreaMismatch = "areaMismatch";
    public const string OutsideCountry = "outsideCountry";

    public async Task<IReadOnlyList<SiteView>> ListAsync(Project project, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(project);
        var sites = await db.Sites.AsNoTracking().Where(s => s.ProjectId == project.Id).OrderBy(s => s.CreatedAt).ToListAsync(ct);
        return [.. sites.Select(s => View(project, s))];
    }

    public Task<Site?> FindAsync(Guid projectId, Guid siteId, CancellationToken ct) =>
        db.Sites.AsNoTracking().FirstOrDefaultAsync(s => s.ProjectId == projectId && s.Id == siteId, ct);

    public Task<bool> SiteExistsAsync(Guid projectId, Guid siteId, CancellationToken cancellationToken = default) =>
        db.Sites.AnyAsync(s => s.ProjectId == projectId && s.Id == siteId, cancellationToken);

    public SiteView View(Project project, Site site)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(site);
        var warnings = new List<SiteWarning>();
        if (site.ComputedHectares > 0 && Math.Abs(site.DeclaredHectares - site.ComputedHectares) > AreaTolerance * site.ComputedHectares)
        {
            var declared = site.DeclaredHectares.ToString("0.##", CultureInfo.InvariantCulture);
            var computed = site.ComputedHectares.ToString("0.##", CultureInfo.InvariantCulture);
            var percent = Math.Round((site.DeclaredHectares - site.ComputedHectares) / site.ComputedHectares * 100).ToString("+0;-0", CultureInfo.InvariantCulture);
            warnings.Add(new SiteWarning(AreaMismatch, new LocalizedText(
                $"The declared area ({declared} ha) differs from the boundary's computed area ({computed} ha) by {percent} %, more than 10 %.",
                $"申报面积（{declared} 公顷）与按边界计算的面积（{computed} 公顷）相差 {percent}%，超过 10%。")));
        }
        if (outlines.Check(project.Country, SiteBoundary.FromGeoJson(site.Boundary)) is { } outside)
            warnings.Add(new SiteWarning(OutsideCountry, outside));
        return new SiteView(site, warnings);
    }

    public static IReadOnlyList<SiteWarningDto> Dtos(IEnumerable<SiteWarning> warnings) =>
        [.. warnings.Select(w => new SiteWarningDto(w.Code, w.Message.For(CultureInfo.CurrentUICulture)))];

    public static SitesGeoJson ToFeatureCollection(Project project, IEnumerable<SiteView> sites)
    {
        ArgumentNullException.ThrowIfNull(project);
        return new SitesGeoJson("FeatureCollection", [.. sites.Select(v => new SiteFeature("Feature", v.Site.Id, Geometry(v.Site),
            new SiteProperties(v.Site.Id, v.Site.Name, v.Site.EcosystemType, v.Site.Tenure, v.Site.DeclaredHectares, v.Site.ComputedHectares, Dtos(v.Warnings))))],
            project.Id, project.Version, project.AreaHectares);
    }

    public static SiteDto ToDto(Project project, SiteView view)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(view);
        var s = view.Site;
        return new SiteDto(s.Id, s.ProjectId, s.Name, s.EcosystemType, s.Tenure, s.DeclaredHectares, s.ComputedHectares, Geometry(s),
            Dtos(view.Warnings), project.Version, project.AreaHectares, s.CreatedAt, s.UpdatedAt);
    }

    private static JsonElement Geometry(Site site)
    {
        using var document = JsonDocument.Parse(site.Boundary);
        return document.RootElement.Clone();
    }
}
