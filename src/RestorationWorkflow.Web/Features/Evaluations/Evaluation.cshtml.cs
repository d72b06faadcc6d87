using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using RestorationWorkflow.Commands;
using RestorationWorkflow.Data;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Web.Features.Projects;
using RestorationWorkflow.Web.Infrastructure;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Web.Features.Evaluations;

/// <summary>A row of the benefits-realised table as the form posts it.</summary>
public sealed class BenefitRow
{
    public string? Category { get; set; }

    public decimal? Value { get; set; }

    public string? Unit { get; set; }

    public string? Description { get; set; }
}

/// <summary>
/// The evaluation of the current cycle and the adaptive-management decision (D1, D2) through the same commands as the
/// API: every reader of the project sees the cycles; its managers record the evaluation while the project is in
/// Evaluation and take the decision, each option showing why it cannot be taken now (roles, guards, gate).
/// </summary>
public sealed class EvaluationModel(
    ProjectStore store, ProjectCommands commands, EvaluationReader reader, TransitionEvaluator evaluator, WorkflowCatalog catalog, AppDbContext db,
    BenefitCategories categories, IAuthorizationService authorization, IStringLocalizer<SharedResource> localizer) : PageModel
{
    /// <summary>Blank benefit rows offered below the filled ones (the form works without script).</summary>
    public const int BlankRows = 3;

    [BindProperty]
    public string? Effectiveness { get; set; }

    [BindProperty]
    public string? Impact { get; set; }

    [BindProperty]
    public decimal? CostRealised { get; set; }

    [BindProperty]
    public string? Currency { get; set; }

    [BindProperty]
    public List<BenefitRow> Benefits { get; set; } = [];

    [BindProperty]
    public string? SocioEconomicOutcomes { get; set; }

    [BindProperty]
    public Guid? ParticipationEventId { get; set; }

    [BindProperty]
    public string? UnintendedConsequences { get; set; }

    [BindProperty]
    public string? Kind { get; set; }

    [BindProperty]
    public string? Rationale { get; set; }

    [BindProperty]
    public int ExpectedVersion { get; set; }

    public Project Project { get; private set; } = null!;

    public WorkflowDefinition Definition { get; private set; } = null!;

    public EvaluationsDto Evaluations { get; private set; } = null!;

    public BenefitCategories Categories => categories;

    /// <summary>The project's D1 participation events counted by gender: what the consultation may name.</summary>
    public IReadOnlyList<ParticipationEvent> Consultations { get; private set; } = [];

    /// <summary>The caller manages the project.</summary>
    public bool CanEdit { get; private set; }

    /// <summary>Why each decision cannot be taken now (empty: it can), by decision.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<UnmetGuard>> Blocked { get; private set; } = new Dictionary<string, IReadOnlyList<UnmetGuard>>();

    /// <summary>Which form a refusal belongs to: "evaluation" or "decision".</summary>
    public string? ErrorForm { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } refusal)
            return refusal;
        // The current cycle's evaluation, else the latest one as a starting point (a rejected closure opens a new cycle).
        if ((Evaluations.Current ?? (Evaluations.InDecisionState && Evaluations.Evaluations.Count > 0 ? Evaluations.Evaluations[0] : null)) is { } e)
        {
            (Effectiveness, Impact, CostRealised, Currency) = (e.Effectiveness, e.Impact, e.CostRealised, e.Currency);
            (SocioEconomicOutcomes, ParticipationEventId, UnintendedConsequences) = (e.SocioEconomicOutcomes, e.Consultation?.Id, e.UnintendedConsequences);
            Benefits = [.. e.Benefits.Select(b => new BenefitRow { Category = b.Category, Value = b.Value, Unit = b.Unit, Description = b.Description })];
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        var current = await CurrentEvaluationIdAsync(id, ct);
        var rows = Benefits.Where(b => !string.IsNullOrWhiteSpace(b.Category) || b.Value is not null || !string.IsNullOrWhiteSpace(b.Unit))
            .Select(b => new RealisedBenefitRequest(Empty(b.Category), b.Value, Empty(b.Unit), Empty(b.Description))).ToList();
        var request = new EvaluationRequest(Empty(Effectiveness), Empty(Impact), CostRealised, Empty(Currency), rows, Empty(SocioEconomicOutcomes),
            ParticipationEventId, Empty(UnintendedConsequences), ExpectedVersion);
        var result = await commands.ExecuteAsync(new RecordEvaluation(id, current, request), User, ct);
        if (result.Succeeded)
        {
            TempData["Message"] = localizer["The evaluation is saved."].Value;
            return Redirect($"/Projects/{id}/Evaluation#decision");
        }
        return await RefusedAsync(id, result, "evaluation", ct);
    }

    public async Task<IActionResult> OnPostDecisionAsync(Guid id, CancellationToken ct)
    {
        var result = await commands.ExecuteAsync(new TakeAdaptiveDecision(id, new AdaptiveDecisionRequest(Empty(Kind), Empty(Rationale), ExpectedVersion)), User, ct);
        if (result.Succeeded)
        {
            var project = result.Value!;
            TempData["Message"] = localizer["Decision taken: the project is now {0}.",
                catalog.DefinitionOf(project).GetState(project.State).Label.For(CultureInfo.CurrentUICulture)].Value;
            return Redirect($"/Projects/{id}");
        }
        return await RefusedAsync(id, result, "decision", ct);
    }

    private async Task<IActionResult> RefusedAsync(Guid id, CommandResult<Project> result, string form, CancellationToken ct)
    {
        if (result.Code == CommandErrorCodes.ProjectNotFound)
            return NotFound();
        if (result.Status == CommandStatus.Forbidden)
            return Forbid();
        ErrorForm = form;
        result.ShowOn(this, localizer);
        var status = Response.StatusCode;
        if (await LoadAsync(id, ct) is { } refusal)
            return refusal;
        Response.StatusCode = status;
        return Page();
    }

    private async Task<Guid?> CurrentEvaluationIdAsync(Guid id, CancellationToken ct)
    {
        var project = await store.FindAsync(id, ct);
        if (project is null)
            return null;
        var cycle = await EvaluationRules.CurrentCycleAsync(db, project, catalog.DefinitionOf(project), ct);
        return await db.Evaluations.AsNoTracking().Where(e => e.ProjectId == id && e.Cycle == cycle).Select(e => (Guid?)e.Id).FirstOrDefaultAsync(ct);
    }

    private async Task<IActionResult?> LoadAsync(Guid id, CancellationToken ct)
    {
        var project = await store.FindAsync(id, ct);
        if (project is null)
            return NotFound();
        if (!(await authorization.AuthorizeAsync(User, project, ProjectOperations.Read)).Succeeded)
            return Forbid();
        Project = project;
        Definition = catalog.DefinitionOf(project);
        Evaluations = await reader.ReadAsync(project, ct);
        CanEdit = (await authorization.AuthorizeAsync(User, project, ProjectOperations.Edit)).Succeeded;
        ExpectedVersion = project.Version;
        Consultations = await db.ParticipationEvents.AsNoTracking()
            .Where(p => p.ProjectId == id && p.StepCode == RecordEvaluation.EvaluationStep && (p.Women + p.Men + p.OtherGender) > 0)
            .OrderByDescending(p => p.Date).ToListAsync(ct);
        if (Evaluations.InDecisionState)
        {
            var all = await evaluator.EvaluateAllAsync(project, Definition, User, ct);
            var blocked = new Dictionary<string, IReadOnlyList<UnmetGuard>>(StringComparer.Ordinal);
            foreach (var option in Evaluations.Options)
            {
                var t = all.FirstOrDefault(e => e.Transition.Trigger == option.Trigger);
                List<UnmetGuard> reasons = t is null ? [] : [.. t.Forbidden, .. t.Unmet];
                if (Evaluations.Current is null)
                    reasons.Insert(0, new UnmetGuard(EvaluationAuditActions.EvaluationRecordedRule, new LocalizedText(
                        $"Record the evaluation of cycle {Evaluations.CurrentCycle} first.", $"请先记录第 {Evaluations.CurrentCycle} 轮的评价。")));
                blocked[option.Kind] = reasons;
            }
            Blocked = blocked;
        }
        return null;
    }

    private static string? Empty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;
}
