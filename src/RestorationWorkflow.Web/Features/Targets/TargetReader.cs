using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.Data;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Projects.Targets;
using RestorationWorkflow.Web.Infrastructure.Persistence;
using RestorationWorkflow.Workflows.Guards;

namespace RestorationWorkflow.Web.Features.Targets;

/// <summary>A stored target with the rules it fails now (none when complete).</summary>
public sealed record TargetView(RestorationTarget Target, IReadOnlyDictionary<string, RestorationWorkflow.Workflows.LocalizedText> Problems)
{
    public bool Complete => Problems.Count == 0;
}

/// <summary>Reads a project's targets and the facts their rules check (lifespan, sites, A6's baseline source).</summary>
public sealed class TargetReader(AppDbContext db)
{
    public async Task<IReadOnlyList<TargetView>> ListAsync(Project project, CancellationToken ct) => (await ReadAsync(project, ct)).Views;

    /// <summary>
    /// The targets with their problems and, from the same rows and facts, what the <c>planHasSmartTargets</c> guard
    /// reads: the project page needs both, and loading them separately queried the targets and sites twice.
    /// </summary>
    public async Task<(IReadOnlyList<TargetView> Views, ProjectTargets GuardData)> ReadAsync(Project project, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(project);
        var targets = await db.RestorationTargets.AsNoTracking().Where(t => t.ProjectId == project.Id).OrderBy(t => t.CreatedAt).ToListAsync(ct);
        var facts = await FactsAsync(project, ct);
        return ([.. targets.Select(t => View(t, facts))], new ProjectTargets([.. targets.Select(t => t.Details)], facts.SiteIds));
    }

    public static TargetView View(RestorationTarget target, TargetProjectFacts facts)
    {
        ArgumentNullException.ThrowIfNull(target);
        return new TargetView(target, TargetRules.Check(TargetInput.From(target.Details), facts));
    }

    /// <summary>What the <c>planHasSmartTargets</c> guard reads: the targets, oldest first, and the project's site ids.</summary>
    public async Task<ProjectTargets> GuardDataAsync(Guid projectId, CancellationToken ct)
    {
        var queries = CompiledPerModel.For<GuardQueries>(db.Model);
        var targets = await queries.Targets(db, projectId).ToListAsync(ct);
        var sites = await queries.Sites(db, projectId).ToListAsync(ct);
        return new ProjectTargets([.. targets.Select(t => t.Details)], sites.ToHashSet());
    }

    /// <summary>What the targets guard reads, compiled once per model (decision 0056): every plan submission and approval runs it.</summary>
    private sealed class GuardQueries
    {
        public Func<AppDbContext, Guid, IAsyncEnumerable<RestorationTarget>> Targets { get; } = EF.CompileAsyncQuery<AppDbContext, Guid, RestorationTarget>((c, projectId) =>
            c.RestorationTargets.AsNoTracking().Where(t => t.ProjectId == projectId).OrderBy(t => t.CreatedAt));

        public Func<AppDbContext, Guid, IAsyncEnumerable<Guid>> Sites { get; } = EF.CompileAsyncQuery((AppDbContext c, Guid projectId) =>
            c.Sites.AsNoTracking().Where(s => s.ProjectId == projectId).Select(s => s.Id));
    }

    /// <summary>The project's start, lifespan, site ids and the baseline source its A6 form records.</summary>
    public async Task<TargetProjectFacts> FactsAsync(Project project, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(project);
        var sites = await db.Sites.AsNoTracking().Where(s => s.ProjectId == project.Id).Select(s => s.Id).ToListAsync(ct);
        var a6 = await db.StepForms.AsNoTracking().Where(f => f.ProjectId == project.Id && f.Code == "A6").Select(f => f.Values).FirstOrDefaultAsync(ct);
        return new TargetProjectFacts(project.StartDate, project.LifespanYears, sites.ToHashSet(), BaselineSourceOf(a6));
    }

    /// <summary>A6's <c>baselineSource</c>, when its form has one.</summary>
    public static string? BaselineSourceOf(string? a6Values)
    {
        if (string.IsNullOrWhiteSpace(a6Values))
            return null;
        using var document = JsonDocument.Parse(a6Values);
        return document.RootElement.ValueKind == JsonValueKind.Object
            && document.RootElement.TryGetProperty("baselineSource", out var source) && source.ValueKind == JsonValueKind.String
            && !string.IsNullOrWhiteSpace(source.GetString())
            ? source.GetString()
            : null;
    }

    public static TargetDto ToDto(Project project, TargetView view)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(view);
        var t = view.Target;
        var details = t.Details;
        var culture = CultureInfo.CurrentUICulture;
        return new TargetDto(t.Id, t.ProjectId, t.Kind, t.Indicator, t.CustomIndicator, details.IndicatorLabel, t.Unit,
            new TargetBaselineDto(t.BaselineValue, t.BaselineDate, t.BaselineSource), t.Action, t.Quantity, t.QuantityIsPercent, t.Deadline,
            t.MonitoringFrequencyMonths, details.SiteIds, details.Sentence, view.Complete,
            [.. view.Problems.Select(p => new TargetProblemDto(p.Key, p.Value.For(culture)))], project.Version, t.CreatedAt, t.UpdatedAt);
    }

    public static IndicatorDto ToDto(Indicator indicator)
    {
        ArgumentNullException.ThrowIfNull(indicator);
        return new IndicatorDto(indicator.Code, indicator.Kind, indicator.Unit, indicator.Label, TargetUnits.Label(indicator.Unit));
    }
}

/// <summary>The targets and site ids for the <c>planHasSmartTargets</c> guard, loaded only when a transition being evaluated names it.</summary>
public sealed class TargetGuardDataProvider(TargetReader reader) : IGuardDataProvider
{
    public GuardDataKey Key => TargetGuardData.Targets;

    /// <inheritdoc />
    public bool Stamped => true;

    public async Task<object> LoadAsync(Project project, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(project);
        return await reader.GuardDataAsync(project.Id, cancellationToken);
    }
}
