using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.Audit;
using RestorationWorkflow.Commands;
using RestorationWorkflow.Data;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Projects.Evaluations;
using RestorationWorkflow.Web.Features.Projects;
using RestorationWorkflow.Web.Infrastructure;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Web.Features.Evaluations;

/// <summary>The audit actions of evaluations and lessons (a decision is audited as the transition it fires).</summary>
public static class EvaluationAuditActions
{
    public const string EvaluationRecorded = "evaluation.recorded";
    public const string EvaluationRevised = "evaluation.revised";
    public const string LessonAdded = "lesson.added";
    public const string LessonUpdated = "lesson.updated";
    public const string LessonRemoved = "lesson.removed";

    /// <summary>422: a decision needs the evaluation of its cycle.</summary>
    public const string EvaluationRecordedRule = "evaluationRecorded";

    public const string EvaluationNotFound = "evaluation-not-found";
    public const string LessonNotFound = "lesson-not-found";
}

/// <summary>Where evaluations and decisions may happen, and which cycle a project is in.</summary>
public static class EvaluationRules
{
    internal static string Text(string en, string zh) => new LocalizedText(en, zh).For(CultureInfo.CurrentUICulture);

    /// <summary>The cycle the project is in now (<see cref="EvaluationCycles"/>), counted from its audit trail.</summary>
    public static async Task<int> CurrentCycleAsync(AppDbContext db, Project project, WorkflowDefinition definition, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(project);
        var triggers = EvaluationCycles.DecisionTriggers(definition);
        var states = definition.DecisionStates().Select(s => s.Code).ToList();
        var fired = await db.AuditEvents.AsNoTracking()
            .CountAsync(e => e.ProjectId == project.Id && e.Trigger != null && triggers.Contains(e.Trigger) && e.FromState != null && states.Contains(e.FromState), ct);
        return EvaluationCycles.Current(fired);
    }

    /// <summary>422 <c>state</c> unless the project is in a state that offers adaptive decisions (v3: Evaluation).</summary>
    public static CommandResult<Project>? RefuseOutsideDecisionState(WorkflowDefinition definition, Project project)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(project);
        var states = definition.DecisionStates();
        if (states.Any(s => s.Code == project.State))
            return null;
        var label = definition.GetState(project.State).Label;
        var message = states.Count == 0
            ? new LocalizedText($"Workflow {definition.Key} offers no adaptive-management decisions; move the project to a newer version.",
                $"流程 {definition.Key} 不提供适应性管理决定；请将项目迁移到较新的版本。")
            : new LocalizedText(
                $"Evaluations and adaptive-management decisions are made in {string.Join(", ", states.Select(s => s.Label.En))}; the project is in {label.En}.",
                $"评价和适应性管理决定在“{string.Join("、", states.Select(s => s.Label.ZhHans))}”阶段进行；项目目前处于“{label.ZhHans}”。");
        return CommandResult<Project>.Unprocessable(message.En, [new UnmetGuard("state", message)]);
    }

    internal static void Required(IDictionary<string, string[]> errors, string field, string? value, string en, string zh)
    {
        if (string.IsNullOrWhiteSpace(value))
            errors[field] = [Text($"{en} is required.", $"{zh}为必填项。")];
        else
            Limited(errors, field, value, en, zh);
    }

    internal static void Limited(IDictionary<string, string[]> errors, string field, string? value, string en, string zh, int max = EvaluationLimits.MaxText)
    {
        if (value is null)
            return;
        if (value.Trim().Length > max)
            errors[field] = [Text($"{en} may have at most {max} characters.", $"{zh}最多 {max} 个字符。")];
        else
            CreateProject.ValidateText(errors, field, value, multiline: true);
    }
}

/// <summary>
/// Records the evaluation of the current cycle (no <paramref name="evaluationId"/>: 422 <c>evaluation</c> when the cycle
/// has one already) or revises it (an evaluation of an earlier cycle is closed: 422 <c>cycle</c>). The project's managers,
/// while the project is in a state that offers decisions; each field audited as <c>evaluations.{id}.{field}</c>.
/// </summary>
public sealed class RecordEvaluation(Guid projectId, Guid? evaluationId, EvaluationRequest request) : ProjectCommand(projectId, request?.ExpectedVersion)
{
    private EvaluationDetails? _details;

    public override string Action => evaluationId is null ? EvaluationAuditActions.EvaluationRecorded : EvaluationAuditActions.EvaluationRevised;

    public override IAuthorizationRequirement Operation => ProjectOperations.Edit;

    /// <summary>The evaluation after the command.</summary>
    public Evaluation? Evaluation { get; private set; }

    /// <summary>Whether the command created it.</summary>
    public bool Created { get; private set; }

    public override void Validate(IDictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        EvaluationRules.Required(errors, "effectiveness", request.Effectiveness, "The effectiveness (success against the plan's objectives)", "有效性（对照计划目标的成效）");
        EvaluationRules.Required(errors, "impact", request.Impact, "The impact", "影响");
        EvaluationRules.Required(errors, "socioEconomicOutcomes", request.SocioEconomicOutcomes, "The socio-economic outcomes", "社会经济成果");
        EvaluationRules.Required(errors, "unintendedConsequences", request.UnintendedConsequences,
            "The unintended consequences (write \"none observed\" when there were none)", "意外后果（如无，请填写“未发现”）");
        if (request.CostRealised is { } cost && (cost < 0 || cost > 1_000_000_000_000_000m || decimal.Round(cost, 2) != cost))
            errors["costRealised"] = [EvaluationRules.Text("The cost realised is an amount from 0, with at most 2 decimals.", "已实现成本须为不小于 0 的金额，最多 2 位小数。")];
        var currency = request.Currency?.Trim().ToUpperInvariant();
        if (request.CostRealised is not null && string.IsNullOrEmpty(currency))
            errors["currency"] = [EvaluationRules.Text("A cost needs its currency (ISO 4217, such as KES, CNY or USD).", "成本须注明货币（ISO 4217，如 KES、CNY 或 USD）。")];
        else if (!string.IsNullOrEmpty(currency) && !Currencies.IsKnown(currency))
            errors["currency"] = [EvaluationRules.Text($"'{TextRules.Quote(request.Currency)}' is not an ISO 4217 currency code.", $"“{TextRules.Quote(request.Currency)}”不是 ISO 4217 货币代码。")];
        if (request.ParticipationEventId is null || request.ParticipationEventId == Guid.Empty)
            errors["participationEventId"] = [EvaluationRules.Text(
                "Name the participation event at which stakeholders were consulted on the evaluation (D1, counted by gender and IPLC membership).",
                "请指明就评价征求利益攸关方意见的参与活动（D1，按性别和土著人民和地方社区成员身份统计）。")];
        var benefits = request.Benefits ?? [];
        if (benefits.Count > EvaluationLimits.MaxBenefits)
            errors["benefits"] = [EvaluationRules.Text($"At most {EvaluationLimits.MaxBenefits} benefits.", $"最多 {EvaluationLimits.MaxBenefits} 项惠益。")];
        for (var i = 0; i < benefits.Count; i++)
        {
            var b = benefits[i];
            var path = $"benefits[{i}]";
            if (b is null)
            {
                errors[path] = [EvaluationRules.Text("A benefit is an object with category, value and unit.", "惠益须为包含类别、数值和单位的对象。")];
                continue;
            }
            if (string.IsNullOrWhiteSpace(b.Category))
                errors[$"{path}.category"] = [EvaluationRules.Text("The benefit category (A4's categories) is required.", "惠益类别（A4 的类别）为必填项。")];
            if (b.Value is not { } value)
                errors[$"{path}.value"] = [EvaluationRules.Text("The value realised is required.", "已实现数值为必填项。")];
            else if (value is < -1_000_000_000_000_000m or > 1_000_000_000_000_000m)
                errors[$"{path}.value"] = [EvaluationRules.Text("The value is out of range.", "数值超出范围。")];
            if (string.IsNullOrWhiteSpace(b.Unit))
                errors[$"{path}.unit"] = [EvaluationRules.Text("The unit is required (jobs, t CO2e/yr, households…).", "单位为必填项（个就业岗位、吨二氧化碳当量/年、户……）。")];
            else
                EvaluationRules.Limited(errors, $"{path}.unit", b.Unit, "The unit", "单位", EvaluationLimits.MaxUnit);
            EvaluationRules.Limited(errors, $"{path}.description", b.Description, "The description", "说明");
        }
        if (errors.Count > 0)
            return;
        _details = new EvaluationDetails(request.Effectiveness!.Trim(), request.Impact!.Trim(), request.CostRealised, string.IsNullOrEmpty(currency) ? null : currency,
            [.. benefits.Select(b => new RealisedBenefit(b.Category!.Trim(), b.Value!.Value, b.Unit!.Trim(), b.Description?.Trim() ?? ""))],
            request.SocioEconomicOutcomes!.Trim(), request.ParticipationEventId!.Value, request.UnintendedConsequences!.Trim());
    }

    public override async Task<CommandResult<Project>?> ApplyAsync(ProjectCommandContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        var details = _details ?? throw new InvalidOperationException("Validate the command before applying it.");
        var (project, db) = (context.Project, context.Db);
        var existing = evaluationId is { } id ? await db.Evaluations.FirstOrDefaultAsync(e => e.ProjectId == project.Id && e.Id == id, ct) : null;
        if (evaluationId is { } missing && existing is null)
            return CommandResult<Project>.NotFound(EvaluationAuditActions.EvaluationNotFound, $"Project {project.Id} has no evaluation {missing}.");
        if (EvaluationRules.RefuseOutsideDecisionState(context.Definition, project) is { } refused)
            return refused;
        var cycle = await EvaluationRules.CurrentCycleAsync(db, project, context.Definition, ct);
        if (existing is not null && existing.Cycle != cycle)
        {
            var closed = new LocalizedText($"The evaluation of cycle {existing.Cycle} is closed: its decision was taken. The project is in cycle {cycle}.",
                $"第 {existing.Cycle} 轮的评价已结束：该轮已作出决定。项目目前处于第 {cycle} 轮。");
            return CommandResult<Project>.Unprocessable(closed.En, [new UnmetGuard("cycle", closed)]);
        }
        if (existing is null && await db.Evaluations.AnyAsync(e => e.ProjectId == project.Id && e.Cycle == cycle, ct))
        {
            var twice = new LocalizedText($"Cycle {cycle} already has its evaluation; revise it (PUT) instead.", $"第 {cycle} 轮已有评价；请修改该评价。");
            return CommandResult<Project>.Unprocessable(twice.En, [new UnmetGuard("evaluation", twice)]);
        }
        var categories = context.Services.GetRequiredService<BenefitCategories>();
        var problems = new Dictionary<string, string[]>(StringComparer.Ordinal);
        for (var i = 0; i < details.Benefits.Count; i++)
        {
            if (!categories.IsKnown(details.Benefits[i].Category))
                problems[$"benefits[{i}].category"] = [EvaluationRules.Text(
                    $"'{TextRules.Quote(details.Benefits[i].Category)}' is not a benefit category of A4; known: {string.Join(", ", categories.All.Select(c => c.Value))}.",
                    $"“{TextRules.Quote(details.Benefits[i].Category)}”不是 A4 的惠益类别；可用：{string.Join("、", categories.All.Select(c => c.Value))}。")];
        }
        var consultation = await db.ParticipationEvents.AsNoTracking().FirstOrDefaultAsync(p => p.ProjectId == project.Id && p.Id == details.ParticipationEventId, ct);
        if (consultation is null)
            problems["participationEventId"] = [EvaluationRules.Text($"{details.ParticipationEventId} is not a participation event of this project.", $"{details.ParticipationEventId} 不是本项目的参与活动。")];
        else if (consultation.StepCode != EvaluationStep || !consultation.HasGenderCounts)
            problems["participationEventId"] = [EvaluationRules.Text(
                $"The stakeholders are consulted on the evaluation in an event for {EvaluationStep} counted by gender (participationRecorded); this one is for {consultation.StepCode}{(consultation.HasGenderCounts ? "" : ", not counted by gender")}.",
                $"评价须在按性别统计的 {EvaluationStep} 参与活动中征求利益攸关方意见（participationRecorded）；此活动属于 {consultation.StepCode}{(consultation.HasGenderCounts ? "" : "，且未按性别统计")}。")];
        if (problems.Count > 0)
            return CommandResult<Project>.Invalid(problems);

        var evaluation = existing ?? Evaluation.Create(project.Id, cycle, details, context.Caller.UserId, context.Now);
        var old = existing?.Details;
        var key = $"evaluations.{evaluation.Id}";
        if (existing is null)
            context.Audit.Set($"{key}.cycle", cycle);
        context.Audit
            .Change($"{key}.effectiveness", old?.Effectiveness, details.Effectiveness)
            .Change($"{key}.impact", old?.Impact, details.Impact)
            .Change($"{key}.costRealised", old?.CostRealised, details.CostRealised)
            .Change($"{key}.currency", old?.Currency, details.Currency)
            .Change($"{key}.benefits", old is null ? null : Summary(old.Benefits), Summary(details.Benefits))
            .Change($"{key}.socioEconomicOutcomes", old?.SocioEconomicOutcomes, details.SocioEconomicOutcomes)
            .Change($"{key}.participationEventId", old?.ParticipationEventId, details.ParticipationEventId)
            .Change($"{key}.unintendedConsequences", old?.UnintendedConsequences, details.UnintendedConsequences);
        if (existing is null)
        {
            db.Evaluations.Add(evaluation);
            Created = true;
        }
        else if (context.Audit.HasChanges)
        {
            existing.Update(details, context.Caller.UserId, context.Now);
        }
        Evaluation = evaluation;
        return null;
    }

    /// <summary>The step whose participation the evaluation's consultation is (RequestClosure's participationRecorded guard).</summary>
    public const string EvaluationStep = "D1";

    /// <summary>The benefits as one audited line: <c>"jobsAndLivelihoods 35 jobs; biodiversity 12 species"</c>.</summary>
    public static string Summary(IReadOnlyList<RealisedBenefit> benefits) =>
        benefits.Count == 0 ? "" : string.Join("; ", benefits.Select(b => b.ToString()));
}

/// <summary>
/// Takes an adaptive-management decision (D2): fires the transition the definition maps the decision to from the
/// project's state (<c>adaptiveDecision</c>), through <see cref="FireTransition"/> itself — the same resolution,
/// roles, membership, guards, comment rule, approval gate (closing enters the evaluation review, which opens its
/// request) and hooks — and records the decision in the same audit event and SaveChanges. The cycle must have its
/// evaluation (422 <c>evaluationRecorded</c>, listed with every unmet guard).
/// </summary>
public sealed class TakeAdaptiveDecision(Guid projectId, AdaptiveDecisionRequest request) : ProjectCommand(projectId, request?.ExpectedVersion)
{
    private FireTransition? _fire;

    public override string Action => AuditActions.Transition;

    public override IAuthorizationRequirement Operation => ProjectOperations.FireTransition;

    /// <summary>The decision recorded (after success).</summary>
    public AdaptiveDecision? Decision { get; private set; }

    public override void Validate(IDictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (string.IsNullOrWhiteSpace(request.Kind))
            errors["kind"] = [EvaluationRules.Text($"The decision is required: one of {string.Join(", ", AdaptiveDecisions.All)}.", $"决定为必填项：{string.Join("、", AdaptiveDecisions.All)} 之一。")];
        else if (!AdaptiveDecisions.IsKnown(request.Kind))
            errors["kind"] = [EvaluationRules.Text($"'{TextRules.Quote(request.Kind)}' is not a decision; decisions are {string.Join(", ", AdaptiveDecisions.All)}.",
                $"“{TextRules.Quote(request.Kind)}”不是有效的决定；可用：{string.Join("、", AdaptiveDecisions.All)}。")];
        EvaluationRules.Required(errors, "rationale", request.Rationale, "The rationale of the decision", "决定的理由");
    }

    public override CommandResult<Project>? Resolve(ProjectCommandContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (EvaluationRules.RefuseOutsideDecisionState(context.Definition, context.Project) is { } refused)
            return refused;
        var transition = context.Definition.FindDecision(context.Project.State, request.Kind!)!;
        _fire = new FireTransition(ProjectId, new FireTransitionRequest(transition.Trigger, request.Rationale!.Trim(), ExpectedVersion));
        return _fire.Resolve(context);
    }

    public override object AuthorizationResource(ProjectCommandContext context) => _fire!.AuthorizationResource(context);

    public override async Task<CommandResult<Project>?> ApplyAsync(ProjectCommandContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (project, db) = (context.Project, context.Db);
        var cycle = await EvaluationRules.CurrentCycleAsync(db, project, context.Definition, ct);
        var evaluation = await db.Evaluations.AsNoTracking().FirstOrDefaultAsync(e => e.ProjectId == project.Id && e.Cycle == cycle, ct);
        if (evaluation is null)
        {
            var evaluator = context.Services.GetRequiredService<TransitionEvaluator>();
            var missing = new LocalizedText(
                $"Record the evaluation of cycle {cycle} (effectiveness, impact, costs and benefits, stakeholders consulted) before deciding.",
                $"作出决定前，请先记录第 {cycle} 轮的评价（有效性、影响、成本和惠益、征求意见的利益攸关方）。");
            List<UnmetGuard> unmet = [new UnmetGuard(EvaluationAuditActions.EvaluationRecordedRule, missing),
                .. await evaluator.ConditionsAsync(project, context.Definition, context.Transition!, context.User, request.Rationale, ct)];
            return CommandResult<Project>.Unprocessable($"{unmet.Count} condition(s) of the decision '{request.Kind}' are not met.", unmet);
        }
        var from = project.State;
        if (await _fire!.ApplyAsync(context, ct) is { } refused)
            return refused;
        var decision = AdaptiveDecision.Create(project.Id, cycle, evaluation.Id, request.Kind!, request.Rationale!.Trim(), context.Transition!.Trigger,
            from, project.State, context.Caller.UserId, context.Now);
        db.AdaptiveDecisions.Add(decision);
        var key = $"decisions.{decision.Id}";
        context.Audit
            .Set($"{key}.kind", decision.Kind)
            .Set($"{key}.cycle", decision.Cycle)
            .Set($"{key}.evaluationId", decision.EvaluationId)
            .Set($"{key}.rationale", decision.Rationale);
        Decision = decision;
        return null;
    }
}

/// <summary>What the lesson commands share: the project's managers, in any state (lessons are learnt at every step, and a cancelled project's are worth as much); audited as <c>lessons.{id}.{field}</c>.</summary>
public abstract class LessonCommand(Guid projectId, int? expectedVersion) : ProjectCommand(projectId, expectedVersion)
{
    public override IAuthorizationRequirement Operation => ProjectOperations.Edit;

    public Lesson? Lesson { get; protected set; }

    protected static LessonDetails? ValidateInput(LessonRequest request, IDictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(errors);
        if (string.IsNullOrWhiteSpace(request.Topic))
            errors["topic"] = [EvaluationRules.Text($"The topic is required: one of {string.Join(", ", LessonTopics.All)}.", $"主题为必填项：{string.Join("、", LessonTopics.All)} 之一。")];
        else if (!LessonTopics.IsKnown(request.Topic))
            errors["topic"] = [EvaluationRules.Text($"'{TextRules.Quote(request.Topic)}' is not a topic; topics are {string.Join(", ", LessonTopics.All)}.",
                $"“{TextRules.Quote(request.Topic)}”不是有效的主题；可用：{string.Join("、", LessonTopics.All)}。")];
        EvaluationRules.Required(errors, "whatWorked", request.WhatWorked, "What worked", "有效的做法");
        EvaluationRules.Required(errors, "whatDidNot", request.WhatDidNot, "What did not work", "无效的做法");
        EvaluationRules.Required(errors, "recommendation", request.Recommendation, "The recommendation", "建议");
        return errors.Count > 0 ? null : new LessonDetails(request.Topic!, request.WhatWorked!.Trim(), request.WhatDidNot!.Trim(), request.Recommendation!.Trim());
    }

    protected static void AuditAll(ProjectCommandContext context, Guid id, LessonDetails? old, LessonDetails? now)
    {
        ArgumentNullException.ThrowIfNull(context);
        var key = $"lessons.{id}";
        context.Audit
            .Change($"{key}.topic", old?.Topic, now?.Topic)
            .Change($"{key}.whatWorked", old?.WhatWorked, now?.WhatWorked)
            .Change($"{key}.whatDidNot", old?.WhatDidNot, now?.WhatDidNot)
            .Change($"{key}.recommendation", old?.Recommendation, now?.Recommendation);
    }

    protected CommandResult<Project> NotFound(Guid lessonId) =>
        CommandResult<Project>.NotFound(EvaluationAuditActions.LessonNotFound, $"Project {ProjectId} has no lesson {lessonId}.");
}

public sealed class AddLesson(Guid projectId, LessonRequest request) : LessonCommand(projectId, request?.ExpectedVersion)
{
    private LessonDetails? _details;

    public override string Action => EvaluationAuditActions.LessonAdded;

    public override void Validate(IDictionary<string, string[]> errors) => _details = ValidateInput(request, errors);

    public override Task<CommandResult<Project>?> ApplyAsync(ProjectCommandContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        var lesson = Lesson.Create(ProjectId, _details!, context.Caller.UserId, context.Now);
        context.Db.Lessons.Add(lesson);
        AuditAll(context, lesson.Id, null, _details);
        Lesson = lesson;
        return Task.FromResult<CommandResult<Project>?>(null);
    }
}

public sealed class UpdateLesson(Guid projectId, Guid lessonId, LessonRequest request) : LessonCommand(projectId, request?.ExpectedVersion)
{
    private LessonDetails? _details;

    public override string Action => EvaluationAuditActions.LessonUpdated;

    public override void Validate(IDictionary<string, string[]> errors) => _details = ValidateInput(request, errors);

    public override async Task<CommandResult<Project>?> ApplyAsync(ProjectCommandContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        var lesson = await context.Db.Lessons.FirstOrDefaultAsync(l => l.ProjectId == ProjectId && l.Id == lessonId, ct);
        if (lesson is null)
            return NotFound(lessonId);
        AuditAll(context, lesson.Id, lesson.Details, _details);
        if (context.Audit.HasChanges)
            lesson.Update(_details!, context.Caller.UserId, context.Now);
        Lesson = lesson;
        return null;
    }
}

public sealed class RemoveLesson(Guid projectId, Guid lessonId, int? expectedVersion) : LessonCommand(projectId, expectedVersion)
{
    public override string Action => EvaluationAuditActions.LessonRemoved;

    public override async Task<CommandResult<Project>?> ApplyAsync(ProjectCommandContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        var lesson = await context.Db.Lessons.FirstOrDefaultAsync(l => l.ProjectId == ProjectId && l.Id == lessonId, ct);
        if (lesson is null)
            return NotFound(lessonId);
        AuditAll(context, lesson.Id, lesson.Details, null);
        context.Db.Lessons.Remove(lesson);
        return null;
    }
}
