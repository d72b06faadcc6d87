using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.Audit;
using RestorationWorkflow.Data;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Projects.Targets;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Web.Features.Portfolio;

public sealed record ExportedProject(
    string Format, int FormatVersion, DateTimeOffset ExportedAt, ExportedRegistry Project, IReadOnlyList<ExportedChecklistItem> Checklist,
    IReadOnlyList<ExportedSite> Sites, IReadOnlyList<ExportedTarget> Targets, IReadOnlyList<ExportedMeasurement> Measurements,
    ExportedStakeholders Stakeholders, IReadOnlyList<ExportedParticipation> Participation, IReadOnlyList<ExportedConsent> Consents,
    IReadOnlyList<ExportedTransition> Transitions);

public sealed record ExportedRegistry(
    Guid Id, string Code, string Name, string Description, string Country, string Region, string? Scale, IReadOnlyList<string> EcosystemTypes,
    bool NaturallyLowTreeCover, string? Situation, DateOnly? StartDate, int? LifespanYears, decimal? Budget, string? Currency,
    string LeadOrganisation, decimal AreaHectares, string State, LocalizedText StateLabel, string StepGroup, bool UnderRestoration,
    WorkflowRefDto Workflow, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record WorkflowRefDto(string Id, int Version);

public sealed record ExportedChecklistItem(string Code, string Status);

public sealed record ExportedSite(Guid Id, string Name, string EcosystemType, string Tenure, decimal DeclaredHectares, decimal ComputedHectares, JsonElement Boundary);

public sealed record ExportedTarget(
    Guid Id, string Kind, string Indicator, string? CustomIndicator, string Unit, decimal BaselineValue, DateOnly BaselineDate, string BaselineSource,
    string Action, decimal? Quantity, bool QuantityIsPercent, DateOnly Deadline, int MonitoringFrequencyMonths, IReadOnlyList<Guid> SiteIds,
    LocalizedText Sentence, string Status, decimal TargetValue, DateOnly? LatestOn, decimal? LatestValue, decimal? ExpectedAtLatest, decimal? Ratio);

public sealed record ExportedMeasurement(Guid Id, Guid TargetId, DateOnly MeasuredOn, decimal Value, string Unit, string Method);

/// <summary>Stakeholders as counts only: names and contacts are personal data.</summary>
public sealed record ExportedStakeholders(int Total, int Iplc, IReadOnlyDictionary<string, int> ByGroup);

public sealed record ExportedParticipation(DateOnly Date, string StepCode, int Women, int Men, int OtherGender, int IplcMembers, int NonIplcMembers);

public sealed record ExportedConsent(IReadOnlyList<string> Scopes, string Outcome, DateOnly Date, DateOnly? RenewOn, bool Verified, DateOnly? WithdrawnOn);

public sealed record ExportedTransition(DateTimeOffset At, string Trigger, string? FromState, string? ToState);

/// <summary>
/// One project for sharing results (the plan's voluntary reporting): everything recorded about the restoration except
/// personal data and free text written about people (decision 0033). Left out, always, whoever asks: the team, every
/// actor's name and id, stakeholders' names and contacts (counted by group instead), consent records' stakeholders,
/// conditions and withdrawal reasons, who verified, measurements' <c>measuredBy</c> and notes, checklist notes, transition
/// comments, participation purposes and outcomes, the step forms' values (free text; their status is in the checklist)
/// and evidence files. The rule is "never", not "unless you may see it": a shared file has no reader to check.
/// </summary>
public sealed class ProjectExport(AppDbContext db, WorkflowCatalog catalog, TimeProvider time, PortfolioTargets targets)
{
    public const string Format = "restoration-workflow/project";

    /// <summary>The API's JSON conventions (camelCase, enums as strings), for the page's download of the same document.</summary>
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public async Task<ExportedProject> BuildAsync(Project project, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(project);
        var id = project.Id;
        var definition = catalog.DefinitionOf(project);
        var state = definition.FindState(project.State);
        var checklist = await db.ChecklistItems.AsNoTracking().Where(i => i.ProjectId == id).OrderBy(i => i.Code).Select(i => new { i.Code, i.Status }).ToListAsync(ct);
        var sites = await db.Sites.AsNoTracking().Where(s => s.ProjectId == id).OrderBy(s => s.CreatedAt).ToListAsync(ct);
        var targetRows = await db.RestorationTargets.AsNoTracking().Where(t => t.ProjectId == id).OrderBy(t => t.CreatedAt).ToListAsync(ct);
        var measurements = await db.Measurements.AsNoTracking().Where(m => m.ProjectId == id)
            .OrderBy(m => m.TargetId).ThenBy(m => m.MeasuredOn).ThenBy(m => m.Id)
            .Select(m => new ExportedMeasurement(m.Id, m.TargetId, m.MeasuredOn, m.Value, m.Unit, m.Method)).ToListAsync(ct);
        var stakeholders = await db.Stakeholders.AsNoTracking().Where(s => s.ProjectId == id).Select(s => new { s.Group, s.IsIplc }).ToListAsync(ct);
        var participation = await db.ParticipationEvents.AsNoTracking().Where(e => e.ProjectId == id).OrderBy(e => e.Date)
            .Select(e => new ExportedParticipation(e.Date, e.StepCode, e.Women, e.Men, e.OtherGender, e.IplcMembers, e.NonIplcMembers)).ToListAsync(ct);
        var consents = await db.ConsentRecords.AsNoTracking().Where(c => c.ProjectId == id).OrderBy(c => c.Date).ToListAsync(ct);
        var transitions = await db.AuditEvents.AsNoTracking().Where(e => e.ProjectId == id && e.Action == AuditActions.Transition).OrderBy(e => e.Sequence)
            .Select(e => new ExportedTransition(e.At, e.Trigger ?? "", e.FromState, e.ToState)).ToListAsync(ct);

        var points = measurements.ToLookup(m => m.TargetId, m => new MeasuredPoint(m.MeasuredOn, m.Value));
        var thresholds = targets.Thresholds;
        var registry = new ExportedRegistry(project.Id, project.Code, project.Name, project.Description, project.Country, project.Region, project.Scale,
            [.. project.EcosystemTypes], project.NaturallyLowTreeCover, project.Situation, project.StartDate, project.LifespanYears, project.Budget,
            project.Currency, project.LeadOrganisation, project.AreaHectares, project.State, state?.Label ?? new LocalizedText(project.State, project.State),
            state?.Group ?? "none", RestorationWorkflow.Reminders.MonitoringPhase.Of(definition).Applies(project.State),
            new WorkflowRefDto(project.WorkflowId, project.WorkflowVersion), project.CreatedAt, project.UpdatedAt);
        return new ExportedProject(Format, 1, time.GetUtcNow(), registry,
            [.. checklist.Select(i => new ExportedChecklistItem(i.Code, JsonNamingPolicy.CamelCase.ConvertName(i.Status.ToString())))],
            [.. sites.Select(s =>
            {
                using var boundary = JsonDocument.Parse(s.Boundary);
                return new ExportedSite(s.Id, s.Name, s.EcosystemType, s.Tenure, s.DeclaredHectares, s.ComputedHectares, boundary.RootElement.Clone());
            })],
            [.. targetRows.Select(t =>
            {
                var details = t.Details;
                var progress = TargetProgress.Evaluate(details, points[t.Id], thresholds);
                return new ExportedTarget(t.Id, t.Kind, t.Indicator, t.CustomIndicator, t.Unit, t.BaselineValue, t.BaselineDate, t.BaselineSource,
                    t.Action, t.Quantity, t.QuantityIsPercent, t.Deadline, t.MonitoringFrequencyMonths, details.SiteIds, details.Sentence,
                    TargetProgress.Code(progress.Status), progress.TargetValue, progress.Latest?.On, progress.Latest?.Value, progress.ExpectedAtLatest, progress.Ratio);
            })],
            measurements,
            new ExportedStakeholders(stakeholders.Count, stakeholders.Count(s => s.IsIplc),
                stakeholders.GroupBy(s => s.Group).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal)),
            participation,
            [.. consents.Select(c => new ExportedConsent([.. c.Scopes], c.Outcome, c.Date, c.RenewOn, c.VerifiedAt is not null, c.WithdrawnOn))],
            transitions);
    }

    /// <summary>The download name: the project's code, safe for a file name.</summary>
    public static string FileName(Project project)
    {
        ArgumentNullException.ThrowIfNull(project);
        var safe = new string([.. project.Code.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_')]);
        return $"{safe}.json";
    }
}
