using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;
using RestorationWorkflow.Audit;
using RestorationWorkflow.Commands;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Web.Features.Projects;
using RestorationWorkflow.Web.Infrastructure;
using RestorationWorkflow.Workflows;

using SiteEntity = RestorationWorkflow.Projects.Site;

namespace RestorationWorkflow.Web.Features.Sites;

/// <summary>
/// What the three site commands share: the request's rules (400, each message in the caller's language), the
/// project states in which sites may change (422), the overlap rule (422, located) and the audit fields. A site's
/// fields are audited as <c>sites.{siteId}.{field}</c>; its boundary by its SHA-256 and its computed area, never the
/// whole text; the project's <c>areaHectares</c> (the sum of its sites) old → new.
/// </summary>
public abstract class SiteCommand(Guid projectId, int? expectedVersion) : ProjectCommand(projectId, expectedVersion)
{
    public const string SiteNotFound = "site-not-found";

    /// <summary>A positive-area intersection smaller than this (m²) is rounding, not an overlap.</summary>
    public const double OverlapToleranceSquareMetres = 1.0;

    public override IAuthorizationRequirement Operation => ProjectOperations.Edit;

    /// <summary>The site after the command (null after a removal or a refusal).</summary>
    public SiteEntity? Site { get; protected set; }

    /// <summary>Where the boundary overlaps other sites of the project, when that refused the command.</summary>
    public IReadOnlyList<SiteOverlapDto> Overlaps { get; private set; } = [];

    protected static string Text(string en, string zh) => new LocalizedText(en, zh).For(CultureInfo.CurrentUICulture);

    /// <summary>The rules of a site's fields; returns the valid boundary when it is one.</summary>
    protected static ValidBoundary? ValidateInput(SiteInput input, IDictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(errors);
        if (string.IsNullOrWhiteSpace(input.Name))
            errors["name"] = [Text("A name is required.", "名称为必填项。")];
        else if (input.Name.Trim().Length > 200)
            errors["name"] = [Text("The name may have at most 200 characters.", "名称最多 200 个字符。")];
        else
            CreateProject.ValidateText(errors, "name", input.Name);
        if (string.IsNullOrWhiteSpace(input.EcosystemType))
            errors["ecosystemType"] = [Text("An ecosystem type is required.", "生态系统类型为必填项。")];
        else if (!EcosystemTypes.IsKnown(input.EcosystemType))
        {
            var known = string.Join(", ", EcosystemTypes.All.Select(t => t.Code));
            errors["ecosystemType"] = [Text($"'{TextRules.Quote(input.EcosystemType)}' is not an ecosystem type; known: {known}.",
                $"“{TextRules.Quote(input.EcosystemType)}”不是生态系统类型；可用：{known}。")];
        }
        if (string.IsNullOrWhiteSpace(input.Tenure))
            errors["tenure"] = [Text("A tenure is required.", "权属为必填项。")];
        else if (!SiteTenures.IsKnown(input.Tenure))
        {
            var known = string.Join(", ", SiteTenures.All.Select(t => t.Code));
            errors["tenure"] = [Text($"'{TextRules.Quote(input.Tenure)}' is not a tenure; known: {known}.", $"“{TextRules.Quote(input.Tenure)}”不是权属类型；可用：{known}。")];
        }
        if (input.DeclaredHectares is null)
            errors["declaredHectares"] = [Text("The declared area in hectares is required.", "申报面积（公顷）为必填项。")];
        else if (input.DeclaredHectares <= 0 || input.DeclaredHectares > 1_000_000_000m)
            errors["declaredHectares"] = [Text("The declared area must be greater than 0 and at most 1,000,000,000 hectares.", "申报面积必须大于 0 且不超过 1,000,000,000 公顷。")];
        var boundary = SiteBoundary.Parse(input.Boundary);
        if (!boundary.IsValid)
            errors["boundary"] = [.. boundary.Problems.Select(p => p.Message.For(CultureInfo.CurrentUICulture))];
        return boundary.Boundary;
    }

    /// <summary>Sites change while the project's content may change: not when it is closed, cancelled, suspended or under review.</summary>
    protected static CommandResult<Project>? RefuseInState(ProjectCommandContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ProjectContentRules.Frozen(context.Definition, context.Project, new("its sites cannot change", "地块不能更改"));
    }

    /// <summary>The project's sites, tracked (the command changes one of them and the project's total).</summary>
    protected Task<List<Site>> SitesAsync(ProjectCommandContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Db.Sites.Where(s => s.ProjectId == ProjectId).OrderBy(s => s.CreatedAt).ToListAsync(ct);
    }

    /// <summary>
    /// Refuses a boundary whose intersection with another site of the project has a positive area (sharing an edge
    /// or a corner is allowed), naming each such site with a point inside the overlap, its bounding box and its area.
    /// </summary>
    protected CommandResult<Project>? RefuseOverlaps(Geometry boundary, IEnumerable<Site> others)
    {
        ArgumentNullException.ThrowIfNull(boundary);
        ArgumentNullException.ThrowIfNull(others);
        var overlaps = new List<SiteOverlapDto>();
        var reasons = new List<UnmetGuard>();
        foreach (var other in others)
        {
            var geometry = SiteBoundary.FromGeoJson(other.Boundary);
            if (!boundary.EnvelopeInternal.Intersects(geometry.EnvelopeInternal) || !boundary.Intersects(geometry))
                continue;
            var intersection = boundary.Intersection(geometry);
            var squareMetres = GeodesicArea.SquareMetres(intersection);
            if (squareMetres < OverlapToleranceSquareMetres)
                continue;
            var point = intersection.InteriorPoint.Coordinate;
            var box = BoundingBox(intersection);
            var hectares = Math.Round((decimal)(squareMetres / 10_000), 4);
            overlaps.Add(new SiteOverlapDto(other.Id, other.Name, [Round(point.X), Round(point.Y)], [Round(box.MinX), Round(box.MinY), Round(box.MaxX), Round(box.MaxY)], hectares));
            var at = string.Create(CultureInfo.InvariantCulture, $"({Round(point.X)}, {Round(point.Y)})");
            var bbox = string.Create(CultureInfo.InvariantCulture, $"[{Round(box.MinX)}, {Round(box.MinY)}, {Round(box.MaxX)}, {Round(box.MaxY)}]");
            var ha = hectares.ToString("0.####", CultureInfo.InvariantCulture);
            reasons.Add(new UnmetGuard("siteOverlap", new LocalizedText(
                $"The boundary overlaps site '{other.Name}' ({other.Id}) by about {ha} ha around {at} (bounding box {bbox}); sites of one project may not overlap, or their hectares would count twice.",
                $"边界与地块“{other.Name}”（{other.Id}）重叠约 {ha} 公顷，位置约在 {at}（范围 {bbox}）；同一项目的地块不能重叠，否则面积会被重复计算。")));
        }
        if (overlaps.Count == 0)
            return null;
        Overlaps = overlaps;
        return CommandResult<Project>.Unprocessable(string.Join(" ", reasons.Select(r => r.Message.En)), reasons);

        static double Round(double v) => Math.Round(v, 6);
    }

    /// <summary>
    /// The bounding box of an overlap; for one split at the antimeridian (parts east of 0° and west of 0°, more than 180°
    /// apart) the box across the line, west edge greater than east edge, as RFC 7946 §5.2 writes it.
    /// </summary>
    private static (double MinX, double MinY, double MaxX, double MaxY) BoundingBox(Geometry geometry)
    {
        var box = geometry.EnvelopeInternal;
        var parts = Enumerable.Range(0, geometry.NumGeometries).Select(i => geometry.GetGeometryN(i).EnvelopeInternal).ToList();
        if (box.Width <= 180 || parts.Any(p => p.MinX < 0 && p.MaxX > 0))
            return (box.MinX, box.MinY, box.MaxX, box.MaxY);
        return (parts.Where(p => p.MinX >= 0).Min(p => p.MinX), box.MinY, parts.Where(p => p.MaxX <= 0).Max(p => p.MaxX), box.MaxY);
    }

    protected static decimal Hectares(ValidBoundary boundary) => Math.Round((decimal)boundary.Hectares, 4, MidpointRounding.AwayFromZero);

    protected static SiteDetails DetailsOf(SiteInput input, ValidBoundary boundary) =>
        new(input.Name!.Trim(), input.EcosystemType!, input.Tenure!, boundary.GeoJson, input.DeclaredHectares!.Value, Hectares(boundary));

    protected static CommandResult<Project> NotFound(Guid projectId, Guid siteId) =>
        CommandResult<Project>.NotFound(SiteNotFound, $"Project {projectId} has no site {siteId}.");

    /// <summary>
    /// Sets the project's area to the sum of its sites and audits the change; keeps its hectares and sites per ecosystem
    /// type (<see cref="SiteAreas"/>, derived, not audited).
    /// </summary>
    protected static void UpdateProjectArea(ProjectCommandContext context, IReadOnlyCollection<Site> sites)
    {
        ArgumentNullException.ThrowIfNull(context);
        var old = context.Project.AreaHectares;
        context.Project.SetAreaFromSites(sites.Select(s => s.ComputedHectares));
        SiteAreas.Keep(context.Db.Entry(context.Project), sites);
        context.Audit.Change("areaHectares", old, context.Project.AreaHectares);
    }
}

/// <summary>Adds a site to a project.</summary>
public sealed class AddSite(Guid projectId, SiteInput input, int? expectedVersion) : SiteCommand(projectId, expectedVersion)
{
    private ValidBoundary? _boundary;

    public override string Action => AuditActions.SiteAdded;

    public override void Validate(IDictionary<string, string[]> errors) => _boundary = ValidateInput(input, errors);

    public override async Task<CommandResult<Project>?> ApplyAsync(ProjectCommandContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (RefuseInState(context) is { } refused)
            return refused;
        var sites = await SitesAsync(context, ct);
        if (RefuseOverlaps(_boundary!.Geometry, sites) is { } overlap)
            return overlap;
        var site = SiteEntity.Create(ProjectId, DetailsOf(input, _boundary), context.Now);
        context.Db.Sites.Add(site);
        sites.Add(site);
        var key = $"sites.{site.Id}";
        context.Audit
            .Set($"{key}.name", site.Name)
            .Set($"{key}.ecosystemType", site.EcosystemType)
            .Set($"{key}.tenure", site.Tenure)
            .Set($"{key}.declaredHectares", site.DeclaredHectares)
            .Set($"{key}.computedHectares", site.ComputedHectares)
            .Set($"{key}.boundarySha256", site.BoundaryHash);
        UpdateProjectArea(context, sites);
        Site = site;
        return null;
    }
}

/// <summary>Changes a site's fields or boundary.</summary>
public sealed class UpdateSite(Guid projectId, Guid siteId, SiteInput input, int? expectedVersion) : SiteCommand(projectId, expectedVersion)
{
    private ValidBoundary? _boundary;

    public Guid SiteId { get; } = siteId;

    public override string Action => AuditActions.SiteUpdated;

    public override void Validate(IDictionary<string, string[]> errors) => _boundary = ValidateInput(input, errors);

    public override async Task<CommandResult<Project>?> ApplyAsync(ProjectCommandContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        var sites = await SitesAsync(context, ct);
        var site = sites.FirstOrDefault(s => s.Id == SiteId);
        if (site is null)
            return NotFound(ProjectId, SiteId);
        if (RefuseInState(context) is { } refused)
            return refused;
        if (RefuseOverlaps(_boundary!.Geometry, sites.Where(s => s.Id != SiteId)) is { } overlap)
            return overlap;
        var old = site.Details;
        var oldHash = site.BoundaryHash;
        var now = DetailsOf(input, _boundary);
        var key = $"sites.{site.Id}";
        context.Audit
            .Change($"{key}.name", old.Name, now.Name)
            .Change($"{key}.ecosystemType", old.EcosystemType, now.EcosystemType)
            .Change($"{key}.tenure", old.Tenure, now.Tenure)
            .Change($"{key}.declaredHectares", old.DeclaredHectares, now.DeclaredHectares)
            .Change($"{key}.computedHectares", old.ComputedHectares, now.ComputedHectares)
            .Change($"{key}.boundarySha256", oldHash, SiteEntity.HashOf(now.Boundary));
        Site = site;
        if (!context.Audit.HasChanges)
            return null;
        site.Update(now, context.Now);
        UpdateProjectArea(context, sites);
        return null;
    }
}

/// <summary>Removes a site; the project's area drops by its hectares.</summary>
public sealed class RemoveSite(Guid projectId, Guid siteId, int? expectedVersion) : SiteCommand(projectId, expectedVersion)
{
    public Guid SiteId { get; } = siteId;

    public override string Action => AuditActions.SiteRemoved;

    public override async Task<CommandResult<Project>?> ApplyAsync(ProjectCommandContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        var sites = await SitesAsync(context, ct);
        var site = sites.FirstOrDefault(s => s.Id == SiteId);
        if (site is null)
            return NotFound(ProjectId, SiteId);
        if (RefuseInState(context) is { } refused)
            return refused;
        var key = $"sites.{site.Id}";
        context.Audit
            .Record($"{key}.name", site.Name, (string?)null)
            .Record($"{key}.ecosystemType", site.EcosystemType, (string?)null)
            .Record($"{key}.tenure", site.Tenure, (string?)null)
            .Record($"{key}.declaredHectares", site.DeclaredHectares, (decimal?)null)
            .Record($"{key}.computedHectares", site.ComputedHectares, (decimal?)null)
            .Record($"{key}.boundarySha256", site.BoundaryHash, (string?)null);
        context.Db.Sites.Remove(site);
        sites.Remove(site);
        UpdateProjectArea(context, sites);
        return null;
    }
}
