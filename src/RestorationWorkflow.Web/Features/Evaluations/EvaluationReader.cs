using System.Globalization;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.Data;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Projects.Evaluations;
using RestorationWorkflow.Web.Features.Projects;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Web.Features.Evaluations;

/// <summary>One benefit realised, with its A4 category's label.</summary>
public sealed record RealisedBenefitDto(string Category, string CategoryLabel, decimal Value, string Unit, string Description);

/// <summary>The participation event at which the stakeholders were consulted: its counts by gender and IPLC membership.</summary>
public sealed record ConsultationDto(Guid Id, DateOnly Date, string StepCode, string Method, int Women, int Men, int OtherGender, int IplcMembers, int NonIplcMembers);

public sealed record AdaptiveDecisionDto(
    Guid Id, Guid ProjectId, int Cycle, string Kind, string Label, string Rationale, string Trigger, string FromState, string ResultingState,
    string ResultingStateLabel, string DecidedById, string DecidedBy, DateTimeOffset DecidedAt);

public sealed record EvaluationDto(
    Guid Id, int Cycle, string Effectiveness, string Impact, decimal? CostRealised, string? Currency, IReadOnlyList<RealisedBenefitDto> Benefits,
    string SocioEconomicOutcomes, ConsultationDto? Consultation, string UnintendedConsequences, string RecordedBy, DateTimeOffset RecordedAt,
    DateTimeOffset UpdatedAt, AdaptiveDecisionDto? Decision);

/// <summary>A decision the project may take in its state: the transition it fires and where it leads.</summary>
public sealed record DecisionOptionDto(string Kind, string Label, string Trigger, string? To, string? ToLabel, bool RequiresGate);

/// <summary><c>GET /api/projects/{id}/evaluations</c>: the cycles' evaluations and decisions, and what can be decided now.</summary>
public sealed record EvaluationsDto(
    Guid ProjectId, int Version, string State, bool InDecisionState, int CurrentCycle, EvaluationDto? Current, IReadOnlyList<EvaluationDto> Evaluations,
    IReadOnlyList<AdaptiveDecisionDto> Decisions, IReadOnlyList<DecisionOptionDto> Options);

/// <summary>Reads a project's evaluations, decisions and the decisions it may take now (every reader of the project).</summary>
public sealed class EvaluationReader(AppDbContext db, WorkflowCatalog catalog, BenefitCategories categories)
{
    public async Task<EvaluationsDto> ReadAsync(Project project, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(project);
        var culture = CultureInfo.CurrentUICulture;
        var definition = catalog.DefinitionOf(project);
        var evaluations = await db.Evaluations.AsNoTracking().Where(e => e.ProjectId == project.Id).OrderByDescending(e => e.Cycle).ToListAsync(ct);
        var decisions = await db.AdaptiveDecisions.AsNoTracking().Where(d => d.ProjectId == project.Id).OrderByDescending(d => d.Cycle).ToListAsync(ct);
        var eventIds = evaluations.Select(e => e.ParticipationEventId).ToList();
        var events = await db.ParticipationEvents.AsNoTracking().Where(p => eventIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, ct);
        var names = await ProjectQueries.UserNamesAsync(db, evaluations.Select(e => e.RecordedById).Concat(decisions.Select(d => d.DecidedById)), ct);
        var decisionDtos = decisions.Select(d => ToDto(d, definition, names, culture)).ToList();
        var byEvaluation = decisionDtos.Zip(decisions).ToDictionary(p => p.Second.EvaluationId, p => p.First);
        var evaluationDtos = evaluations.Select(e => new EvaluationDto(
            e.Id, e.Cycle, e.Effectiveness, e.Impact, e.CostRealised, e.Currency,
            [.. e.Benefits.Select(b => new RealisedBenefitDto(b.Category, categories.Label(b.Category).For(culture), b.Value, b.Unit, b.Description))],
            e.SocioEconomicOutcomes, events.TryGetValue(e.ParticipationEventId, out var p) ? ToDto(p) : null, e.UnintendedConsequences,
            names.GetValueOrDefault(e.RecordedById, e.RecordedById), e.RecordedAt, e.UpdatedAt, byEvaluation.GetValueOrDefault(e.Id))).ToList();
        var inDecisionState = definition.DecisionStates().Any(s => s.Code == project.State);
        var cycle = await EvaluationRules.CurrentCycleAsync(db, project, definition, ct);
        var options = inDecisionState
            ? AdaptiveDecisions.All.Select(kind => definition.FindDecision(project.State, kind)).OfType<TransitionDefinition>()
                .Select(t => new DecisionOptionDto(t.AdaptiveDecision!, AdaptiveDecisions.Label(t.AdaptiveDecision!).For(culture), t.Trigger, t.To,
                    t.To is { } to ? definition.FindState(to)?.Label.For(culture) : null, t.To is { } target && definition.GateOfState(target) is not null))
                .ToList()
            : [];
        return new EvaluationsDto(project.Id, project.Version, project.State, inDecisionState, cycle,
            inDecisionState ? evaluationDtos.FirstOrDefault(e => e.Cycle == cycle) : null, evaluationDtos, decisionDtos, options);
    }

    public static ConsultationDto ToDto(ParticipationEvent p)
    {
        ArgumentNullException.ThrowIfNull(p);
        return new(p.Id, p.Date, p.StepCode, p.Method, p.Women, p.Men, p.OtherGender, p.IplcMembers, p.NonIplcMembers);
    }

    public static AdaptiveDecisionDto ToDto(AdaptiveDecision d, WorkflowDefinition definition, IReadOnlyDictionary<string, string> names, CultureInfo culture)
    {
        ArgumentNullException.ThrowIfNull(d);
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(names);
        return new(d.Id, d.ProjectId, d.Cycle, d.Kind, AdaptiveDecisions.Label(d.Kind).For(culture), d.Rationale, d.Trigger, d.FromState, d.ResultingState,
            definition.FindState(d.ResultingState)?.Label.For(culture) ?? d.ResultingState, d.DecidedById, names.GetValueOrDefault(d.DecidedById, d.DecidedById), d.DecidedAt);
    }
}

/// <summary>A decision as the portfolio lists it: with its project and the state the project is in now.</summary>
public sealed record RecentDecisionDto(
    Guid Id, Guid ProjectId, string ProjectName, string ProjectCode, string Country, int Cycle, string Kind, string Label, string Rationale,
    string ResultingState, string ResultingStateLabel, string CurrentState, string CurrentStateLabel, string DecidedBy, DateTimeOffset DecidedAt);

/// <summary>
/// Recent adaptive-management decisions across the projects a caller may read (<see cref="ProjectReadScope"/>), newest
/// first, optionally of one country or since a day: for the portfolio dashboard. One indexed query (by DecidedAt).
/// </summary>
public sealed class AdaptiveDecisionReader(AppDbContext db, WorkflowCatalog catalog)
{
    public const int MaxTake = 200;

    public async Task<IReadOnlyList<RecentDecisionDto>> RecentAsync(ClaimsPrincipal user, int take = 20, string? country = null, DateTimeOffset? since = null,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        take = Math.Clamp(take, 1, MaxTake);
        var projects = ProjectReadScope.Readable(db.Projects.AsNoTracking(), user);
        if (!string.IsNullOrWhiteSpace(country))
        {
            var code = country.Trim().ToUpperInvariant();
            projects = projects.Where(p => p.Country == code);
        }
        var decisions = db.AdaptiveDecisions.AsNoTracking();
        if (since is { } from)
            decisions = decisions.Where(d => d.DecidedAt >= from);
        var rows = await decisions
            .Join(projects, d => d.ProjectId, p => p.Id, (d, p) => new { Decision = d, p.Name, p.Code, p.Country, p.State, p.WorkflowId, p.WorkflowVersion })
            .OrderByDescending(r => r.Decision.DecidedAt).ThenByDescending(r => r.Decision.Id).Take(take).ToListAsync(ct);
        var names = await ProjectQueries.UserNamesAsync(db, rows.Select(r => r.Decision.DecidedById), ct);
        var culture = CultureInfo.CurrentUICulture;
        return [.. rows.Select(r =>
        {
            var definition = catalog.Find(r.WorkflowId, r.WorkflowVersion);
            string Label(string state) => definition?.FindState(state)?.Label.For(culture) ?? state;
            var d = r.Decision;
            return new RecentDecisionDto(d.Id, d.ProjectId, r.Name, r.Code, r.Country, d.Cycle, d.Kind, AdaptiveDecisions.Label(d.Kind).For(culture), d.Rationale,
                d.ResultingState, Label(d.ResultingState), r.State, Label(r.State), names.GetValueOrDefault(d.DecidedById, d.DecidedById), d.DecidedAt);
        })];
    }
}
