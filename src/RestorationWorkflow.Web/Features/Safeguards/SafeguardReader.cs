using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.Data;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Projects.Safeguards;
using RestorationWorkflow.Web.Infrastructure.Persistence;
using RestorationWorkflow.Workflows.Guards;

namespace RestorationWorkflow.Web.Features.Safeguards;

/// <summary>
/// Reads a project's safeguard review, species and acknowledgements, and derives its findings from them (never stored):
/// for the API, the pages and the <c>safeguardsCleared</c> guard.
/// </summary>
public sealed class SafeguardReader(AppDbContext db)
{
    /// <summary>Which plan question each safeguard's answer also settles.</summary>
    public static readonly IReadOnlyDictionary<int, string> Checks = new Dictionary<int, string>
    {
        [AppendixI.NaturalRegeneration] = "naturalRegenerationConsidered",
        [AppendixI.Connectivity] = "connectivityWithProtectedAreas",
        [AppendixI.DisturbanceRegimes] = "disturbanceRegimes",
    };

    /// <summary>
    /// The five queries of <see cref="FactsAsync"/>, compiled once per model (decision 0056): the plan's
    /// <c>safeguardsCleared</c> guard reads them on every submission of a plan.
    /// </summary>
    private sealed class Queries
    {
        public Func<AppDbContext, Guid, IAsyncEnumerable<SafeguardSite>> Sites { get; } = EF.CompileAsyncQuery((AppDbContext c, Guid id) =>
            c.Sites.AsNoTracking().Where(s => s.ProjectId == id).OrderBy(s => s.CreatedAt).Select(s => new SafeguardSite(s.Id, s.Name, s.EcosystemType)));

        public Func<AppDbContext, Guid, CancellationToken, Task<SafeguardReview?>> Review { get; } = EF.CompileAsyncQuery(
            (AppDbContext c, Guid id, CancellationToken _) => c.SafeguardReviews.AsNoTracking().FirstOrDefault(r => r.ProjectId == id));

        public Func<AppDbContext, Guid, IAsyncEnumerable<SafeguardAnswer>> Answers { get; } = EF.CompileAsyncQuery((AppDbContext c, Guid id) =>
            c.SafeguardAnswers.AsNoTracking().Where(a => a.ProjectId == id).OrderBy(a => a.Number).AsQueryable());

        public Func<AppDbContext, Guid, IAsyncEnumerable<PlannedSpecies>> Species { get; } = EF.CompileAsyncQuery((AppDbContext c, Guid id) =>
            c.PlannedSpecies.AsNoTracking().Where(s => s.ProjectId == id));

        public Func<AppDbContext, Guid, IAsyncEnumerable<SafeguardAcknowledgement>> Acknowledgements { get; } = EF.CompileAsyncQuery((AppDbContext c, Guid id) =>
            c.SafeguardAcknowledgements.AsNoTracking().Where(a => a.ProjectId == id));
    }

    private Queries Compiled => CompiledPerModel.For<Queries>(db.Model);

    /// <summary>The facts last read in this scope (a request), kept for the project's version they were read at.</summary>
    private (Guid Id, int Version, SafeguardFacts Facts)? _last;

    /// <summary>
    /// The project's safeguard data (five queries). Read once per project version in a scope: the project page's
    /// transition guards and its findings card, for one, ask for the same facts; every write moves the version on.
    /// </summary>
    public async Task<SafeguardFacts> FactsAsync(Project project, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(project);
        if (_last is { } last && last.Id == project.Id && last.Version == project.Version)
            return last.Facts;
        var id = project.Id;
        var queries = Compiled;
        var sites = await queries.Sites(db, id).ToListAsync(ct);
        var review = await queries.Review(db, id, ct);
        var answers = await queries.Answers(db, id).ToListAsync(ct);
        var species = await SpeciesAsync(id, ct);
        var acknowledgements = await queries.Acknowledgements(db, id).ToListAsync(ct);
        var facts = new SafeguardFacts(project.EcosystemTypes, project.NaturallyLowTreeCover, sites, review, answers, species, acknowledgements);
        _last = (id, project.Version, facts);
        return facts;
    }

    public async Task<IReadOnlyList<PlannedSpecies>> SpeciesAsync(Guid projectId, CancellationToken ct)
    {
        // Ordered in memory: SQLite cannot order by a DateTimeOffset column.
        var species = await Compiled.Species(db, projectId).ToListAsync(ct);
        return [.. species.OrderBy(s => s.CreatedAt).ThenBy(s => s.Id)];
    }

    public async Task<IReadOnlyList<SafeguardFinding>> FindingsAsync(Project project, CancellationToken ct) =>
        SafeguardRules.Findings(await FactsAsync(project, ct));

    public async Task<SafeguardReviewDto> ReviewAsync(Project project, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(project);
        var facts = await FactsAsync(project, ct);
        return ToReviewDto(project, facts, SafeguardRules.Findings(facts));
    }

    public static SafeguardReviewDto ToReviewDto(Project project, SafeguardFacts facts, IReadOnlyList<SafeguardFinding> findings)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(findings);
        var answers = facts.Answers.ToDictionary(a => a.Number);
        var safeguards = AppendixI.All.Select(s =>
        {
            var answer = answers.GetValueOrDefault(s.Number);
            return new SafeguardAnswerDto(s.Number, s.Title, s.Text, answer?.Answer, answer?.Note, Checks.GetValueOrDefault(s.Number), answer?.UpdatedAt);
        }).ToList();
        var questions = new PlanQuestionsDto(facts.Review?.PlansPlantingOrAfforestation, facts.Review?.PlantingJustification,
            Question(AppendixI.NaturalRegeneration), Question(AppendixI.Connectivity), Question(AppendixI.DisturbanceRegimes));
        var updated = facts.Answers.Select(a => (DateTimeOffset?)a.UpdatedAt).Append(facts.Review?.UpdatedAt).Max();
        return new SafeguardReviewDto(project.Id, project.Version, safeguards, facts.Review?.PlansPlantingOrAfforestation, facts.Review?.PlantingJustification,
            questions, findings.Count(f => f.Blocks), updated);

        PlanQuestionDto? Question(int number) => answers.GetValueOrDefault(number) is { } a
            ? new PlanQuestionDto(a.Answer, a.Note, SafeguardAnswers.Settles(a.Answer))
            : null;
    }

    public static SafeguardFindingDto ToDto(SafeguardFinding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        var safeguard = AppendixI.Get(finding.Safeguard);
        var ack = finding.Acknowledgement is { } a ? new AcknowledgementDto(a.UserId, a.UserName, a.Comment, a.At, a.JustificationSha256) : null;
        return new SafeguardFindingDto(finding.Id, Code(finding.Severity), Code(finding.Status), finding.NeedsAcknowledgement, finding.Cleared, finding.Blocks,
            finding.Message, finding.Safeguard, safeguard.Title, safeguard.Text, ack);
    }

    public static SafeguardFindingsDto ToDto(Project project, IReadOnlyList<SafeguardFinding> findings)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(findings);
        return new SafeguardFindingsDto(project.Id, project.Version, !findings.Any(f => f.Blocks), [.. findings.Select(ToDto)]);
    }

    public static SpeciesDto ToDto(Project project, PlannedSpecies species, IEnumerable<SafeguardFinding> findings)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(species);
        ArgumentNullException.ThrowIfNull(findings);
        var own = findings.Where(f => f.Id.EndsWith(":" + species.Id, StringComparison.Ordinal)).Select(ToDto).ToList();
        return new SpeciesDto(species.Id, species.ProjectId, species.ScientificName, species.CommonName, species.Native, species.Provenance,
            species.PrecautionaryJustification, own, project.Version, species.CreatedAt, species.UpdatedAt);
    }

    public static string Code(FindingSeverity severity) => severity == FindingSeverity.Blocking ? "blocking" : "warning";

    public static string Code(FindingStatus status) => status switch
    {
        FindingStatus.Justified => "justified",
        FindingStatus.Acknowledged => "acknowledged",
        _ => "open",
    };
}

/// <summary>The findings for the <c>safeguardsCleared</c> guard, derived when a transition that names it is evaluated.</summary>
public sealed class SafeguardGuardDataProvider(SafeguardReader reader) : IGuardDataProvider
{
    public GuardDataKey Key => SafeguardGuardData.Findings;

    /// <inheritdoc />
    public bool Stamped => true;

    public async Task<object> LoadAsync(Project project, CancellationToken cancellationToken) =>
        await reader.FindingsAsync(project, cancellationToken);
}
