using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.Audit;
using RestorationWorkflow.Commands;
using RestorationWorkflow.Forms;
using RestorationWorkflow.Data;
using RestorationWorkflow.Identity;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Web.Features.Audit;
using RestorationWorkflow.Web.Infrastructure;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Web.Features.Projects;

/// <summary>Creates a project on the default workflow's latest version, managed by its creator.</summary>
public sealed class CreateProject(CreateProjectRequest request, string workflowId)
{
    public const string DefaultWorkflowId = "staper-restoration";

    private string _code = "";

    public string Action => AuditActions.ProjectCreated;

    /// <summary>Whether the code was generated (<see cref="PrepareAsync"/>): a generated code that loses a race is generated again.</summary>
    public bool CodeGenerated { get; private set; }

    public void Validate(IDictionary<string, string[]> errors) => ValidateDetails(request, errors, codeRequired: false);

    /// <summary>
    /// Checks the code the caller gave (another project's code: 422 naming <c>code</c>) or generates one:
    /// <c>{country}-{year of the start date, else of today}-{next number, 001 on}</c>.
    /// </summary>
    /// <param name="db">Where the codes are looked up.</param>
    /// <param name="now">The time of the create: its year when no start date is given.</param>
    /// <param name="attempt">1, then one more each time a generated code lost a race: from the second attempt a random
    /// gap is left, so that creates racing in one group commit stop picking the same number.</param>
    /// <param name="ct">Cancels the lookups.</param>
    public async Task<CommandResult<Project>?> PrepareAsync(AppDbContext db, DateTimeOffset now, int attempt, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (!string.IsNullOrWhiteSpace(request.Code))
        {
            _code = RegistryValidation.NormalizeCode(request.Code);
            CodeGenerated = false;
            return await RegistryValidation.CodeTakenAsync(db, _code, null, ct) ? RegistryValidation.DuplicateCode(_code) : null;
        }
        var prefix = ProjectRegistryRules.GeneratedPrefix(request.Country!, request.StartDate?.Year ?? now.Year);
        var taken = await db.Projects.AsNoTracking().Where(p => p.Code.StartsWith(prefix)).Select(p => p.Code).ToListAsync(ct);
        var last = taken.Select(c => int.TryParse(c.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0)
            .DefaultIfEmpty(0).Max();
#pragma warning disable CA5394 // Not security: a gap that spreads racing creates over different numbers.
        var gap = attempt <= 1 ? 0 : Random.Shared.Next(attempt * 4);
#pragma warning restore CA5394
        _code = prefix + (last + 1 + gap).ToString("D3", CultureInfo.InvariantCulture);
        CodeGenerated = true;
        return null;
    }

    public Project Create(WorkflowCatalog catalog, Caller caller, DateTimeOffset now, AuditRecord audit)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(audit);
        var definition = catalog.Latest(workflowId)
            ?? throw new InvalidOperationException($"The default workflow '{workflowId}' is not loaded.");
        var project = Project.Create(RegistryValidation.Details(request), definition, caller.UserId, now, RegistryValidation.Registry(request, _code));
        // Every registry field's first value, so that the audit replay can rebuild them all.
        foreach (var (field, value) in ProjectRegistryFields.Of(project))
            audit.Set(field, value);
        return project;
    }

    public static void ValidateDetails(CreateProjectRequest request, IDictionary<string, string[]> errors, bool codeRequired = false)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(errors);
        if (string.IsNullOrWhiteSpace(request.Name))
            errors["name"] = ["A name is required."];
        else if (request.Name.Trim().Length > 200)
            errors["name"] = ["The name may have at most 200 characters."];
        else
            ValidateText(errors, "name", request.Name);
        if (request.Description is { Length: > 4000 })
            errors["description"] = ["The description may have at most 4000 characters."];
        else
            ValidateText(errors, "description", request.Description, multiline: true);
        if (string.IsNullOrWhiteSpace(request.Country))
            errors["country"] = ["A country (ISO 3166-1 alpha-2 code such as KE or CN) is required."];
        else if (!Countries.IsKnown(request.Country.Trim()))
            errors["country"] = [$"'{TextRules.Quote(request.Country)}' is not an ISO 3166-1 alpha-2 country code."];
        var types = request.EcosystemTypes ?? [];
        for (var i = 0; i < types.Count; i++)
        {
            if (!EcosystemTypes.IsKnown(types[i]))
                errors[$"ecosystemTypes[{i}]"] = [$"'{TextRules.Quote(types[i])}' is not an ecosystem type; known: {string.Join(", ", EcosystemTypes.All.Select(t => t.Code))}."];
        }
        if (types.Distinct(StringComparer.Ordinal).Count() != types.Count)
            errors["ecosystemTypes"] = ["Each ecosystem type may be listed once."];
        if (request.AreaHectares is null)
            errors["areaHectares"] = ["The area in hectares is required (0 when not yet known)."];
        else if (request.AreaHectares < 0 || request.AreaHectares > 1_000_000_000m)
            errors["areaHectares"] = ["The area must be between 0 and 1,000,000,000 hectares."];
        RegistryValidation.Validate(request, errors, codeRequired);
    }

    /// <summary>Adds the <see cref="TextRules"/> problem of a free-text field, if any, under <paramref name="field"/>.</summary>
    public static void ValidateText(IDictionary<string, string[]> errors, string field, string? value, bool multiline = false)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (TextRules.Problem(value, multiline) is { } problem)
            errors[field] = [problem];
    }
}

/// <summary>Sets one checklist step to open, done, or not applicable with a reason.</summary>
public sealed class UpdateChecklistItem(Guid projectId, string code, UpdateChecklistRequest request)
    : ProjectCommand(projectId, request?.ExpectedVersion)
{
    public override string Action => AuditActions.ChecklistUpdated;

    public override IAuthorizationRequirement Operation => ProjectOperations.Edit;

    public override void Validate(IDictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var status = ProjectMapping.ParseStatus(request.Status);
        if (status is null)
            errors["status"] = ["Status must be one of: open, done, notApplicable."];
        if (status == ChecklistStatus.NotApplicable && string.IsNullOrWhiteSpace(request.Note))
            errors["note"] = ["A step marked not applicable needs the reason in the note."];
        if (request.Note is { Length: > 4000 })
            errors["note"] = ["The note may have at most 4000 characters."];
        else
            CreateProject.ValidateText(errors, "note", request.Note, multiline: true);
    }

    public override Task<Project?> LoadAsync(ProjectStore store, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(store);
        return store.FindForChangeAsync(ProjectId, code, ct);
    }

    public override CommandResult<Project>? Resolve(ProjectCommandContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Project.FindChecklistItem(code) is null
            ? CommandResult<Project>.NotFound(CommandErrorCodes.ChecklistItemNotFound, $"'{TextRules.Quote(code)}' is not a STAPER step code (A1…D3).")
            : null;
    }

    public override async Task<CommandResult<Project>?> ApplyAsync(ProjectCommandContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (ProjectContentRules.Frozen(context.Definition, context.Project, new("its checklist cannot change", "清单不能更改")) is { } frozen)
            return frozen;
        var status = ProjectMapping.ParseStatus(request.Status)!.Value;
        foreach (var rule in context.Services.GetServices<IChecklistRule>())
        {
            if (await rule.CheckAsync(context, code, status, ct) is { } refused)
                return refused;
        }
        if (status == ChecklistStatus.Done
            && context.Services.GetService<StepFormCatalog>()?.For(context.Project.WorkflowId, context.Project.WorkflowVersion, code) is { } form)
        {
            // A step with a form is done when its form is complete, never by a tick.
            return CommandResult<Project>.Unprocessable(
                $"Step {code} has a form ({form.Label.En}): fill it in; it cannot be ticked done.",
                [new UnmetGuard("form", new LocalizedText(
                    $"Step {code} has a form ({form.Label.En}): fill it in at /api/projects/{context.Project.Id}/steps/{code}; it cannot be ticked done.",
                    $"步骤 {code} 有表单（{form.Label.ZhHans}）：请填写表单，不能直接勾选为完成。"))]);
        }
        var change = context.Project.UpdateChecklistItem(code, status, request.Note, context.Caller.UserId, context.Now);
        context.Audit
            .Change($"checklist.{code}.status", ProjectMapping.Status(change.OldStatus), ProjectMapping.Status(change.NewStatus))
            .Change($"checklist.{code}.note", change.OldNote, change.NewNote);
        return null;
    }
}

/// <summary>
/// A rule another feature adds to checklist changes (A3 cannot be not applicable while the project has an IPLC
/// stakeholder): a refusal, or null to go on. Runs inside <see cref="UpdateChecklistItem"/> after the freeze rule.
/// </summary>
public interface IChecklistRule
{
    Task<CommandResult<Project>?> CheckAsync(ProjectCommandContext context, string code, ChecklistStatus status, CancellationToken ct);
}

/// <summary>
/// Runs after a transition fired, inside its command: another feature changes what the move implies (a feedback
/// transition marks the target step's forms to review) and records it in the same audit event and SaveChanges.
/// </summary>
public interface ITransitionHook
{
    Task AfterFireAsync(ProjectCommandContext context, TransitionDefinition transition, CancellationToken ct);
}

/// <summary>Fires a workflow transition: roles, membership and separation of duties by the handler, conditions by the engine.</summary>
public sealed class FireTransition(Guid projectId, FireTransitionRequest request) : ProjectCommand(projectId, request?.ExpectedVersion)
{
    public override string Action => AuditActions.Transition;

    public override IAuthorizationRequirement Operation => ProjectOperations.FireTransition;

    public override void Validate(IDictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (string.IsNullOrWhiteSpace(request.Trigger))
            errors["trigger"] = ["The trigger to fire is required."];
        else
            CreateProject.ValidateText(errors, "trigger", request.Trigger);
        if (request.Comment is { Length: > 4000 })
            errors["comment"] = ["The comment may have at most 4000 characters."];
        else
            CreateProject.ValidateText(errors, "comment", request.Comment, multiline: true);
    }

    public override CommandResult<Project>? Resolve(ProjectCommandContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (project, definition) = (context.Project, context.Definition);
        if (!definition.Transitions.Any(t => t.Trigger == request.Trigger))
            return CommandResult<Project>.Invalid("trigger", $"'{TextRules.Quote(request.Trigger)}' is not a trigger of workflow {definition.Key}.");
        context.Transition = definition.FindTransition(project.State, request.Trigger!);
        if (context.Transition is null)
        {
            var message = new LocalizedText($"'{TextRules.Quote(request.Trigger)}' does not leave the state {project.State}.", $"“{TextRules.Quote(request.Trigger)}”不能从状态 {project.State} 执行。");
            return CommandResult<Project>.Unprocessable(message.En, [new UnmetGuard("state", message)]);
        }
        return null;
    }

    public override object AuthorizationResource(ProjectCommandContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new ProjectTransition(context.Project, context.Definition, context.Transition!);
    }

    public override async Task<CommandResult<Project>?> ApplyAsync(ProjectCommandContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        var evaluator = context.Services.GetRequiredService<TransitionEvaluator>();
        var unmet = (await evaluator.ConditionsAsync(context.Project, context.Definition, context.Transition!, context.User, request.Comment, ct)).ToList();
        if (context.Transition!.Kind == "approve")
            unmet.AddRange(await evaluator.SubmissionConditionsAsync(context.Project, context.Definition, context.User, ct));
        if (unmet.Count > 0)
            return CommandResult<Project>.Unprocessable($"{unmet.Count} condition(s) of '{TextRules.Quote(request.Trigger)}' are not met.", unmet);
        var from = context.Project.State;
        context.Project.Fire(context.Definition, request.Trigger!, context.Caller.UserId);
        context.Audit.Trigger = request.Trigger;
        context.Audit.Comment = request.Comment;
        context.Audit.Record("state", from, context.Project.State);
        foreach (var hook in context.Services.GetServices<ITransitionHook>())
            await hook.AfterFireAsync(context, context.Transition!, ct);
        return null;
    }
}

/// <summary>
/// Moves a project to another version of its workflow definition: its state (and the state a suspended project
/// returns to) becomes the one the target maps it to — the same code, or the target's <c>migrateFrom</c> mapping.
/// </summary>
public sealed class MoveToWorkflowVersion(Guid projectId, int expectedVersion, WorkflowDefinition target) : ProjectCommand(projectId, expectedVersion)
{
    public override string Action => AuditActions.WorkflowMigrated;

    public override IAuthorizationRequirement Operation => ProjectOperations.Migrate;

    public override Task<CommandResult<Project>?> ApplyAsync(ProjectCommandContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        var project = context.Project;
        if (project.WorkflowId != target.Id)
            return Refused($"The project runs workflow '{project.WorkflowId}', not '{target.Id}'.");
        if (WorkflowMigration.Problem(project.WorkflowVersion, project.State, project.StateBeforeSuspension, target) is { } problem)
            return Refused(problem);
        var (oldVersion, oldState, oldBefore) = (project.WorkflowVersion, project.State, project.StateBeforeSuspension);
        project.MoveToWorkflowVersion(target);
        context.Audit.Change("workflowVersion", oldVersion, target.Version);
        context.Audit.Change("state", oldState, project.State);
        context.Audit.Change("stateBeforeSuspension", oldBefore, project.StateBeforeSuspension);
        return Task.FromResult<CommandResult<Project>?>(null);

        static Task<CommandResult<Project>?> Refused(string message) =>
            Task.FromResult<CommandResult<Project>?>(CommandResult<Project>.Unprocessable(message, [new UnmetGuard("state", new LocalizedText(message, message))]));
    }
}

/// <summary>Whether a project's states have a place in a target version (used by the dry run and the move alike).</summary>
public static class WorkflowMigration
{
    /// <summary>Null when both states map into <paramref name="target"/>; otherwise why not.</summary>
    public static string? Problem(int fromVersion, string state, string? stateBeforeSuspension, WorkflowDefinition target)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (target.MapStateFrom(fromVersion, state) is null)
            return $"State '{state}' does not exist in {target.Key} and its migrateFrom maps no state for it.";
        if (stateBeforeSuspension is not null && target.MapStateFrom(fromVersion, stateBeforeSuspension) is null)
            return $"The project was suspended from '{stateBeforeSuspension}', which does not exist in {target.Key} and its migrateFrom maps no state for it.";
        return null;
    }
}
