using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.Audit;
using RestorationWorkflow.Commands;
using RestorationWorkflow.Forms;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Web.Features.Audit;
using RestorationWorkflow.Web.Features.Projects;
using RestorationWorkflow.Web.Infrastructure;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Web.Features.Forms;

public sealed record UpdateStepFormRequest(JsonElement? Values, int? ExpectedVersion);

public sealed record ConfirmStepFormRequest(int? ExpectedVersion);

/// <summary>
/// When a step's form may change: the project is active (not closed, suspended or under review) and has reached
/// the step — its state is the state that lists the step, or one after it on the forward path.
/// </summary>
public static class StepFormRules
{
    /// <summary>The form the project's definition uses for <paramref name="code"/>, or the 404.</summary>
    public static CommandResult<Project>? Resolve(ProjectCommandContext context, string code, out StepFormDefinition? form)
    {
        ArgumentNullException.ThrowIfNull(context);
        form = context.Services.GetRequiredService<StepFormCatalog>().For(context.Project.WorkflowId, context.Project.WorkflowVersion, code);
        return form is null
            ? CommandResult<Project>.NotFound(CommandErrorCodes.StepFormNotFound,
                $"'{TextRules.Quote(code)}' has no form in workflow {context.Definition.Key}; steps without a form keep the checklist.")
            : null;
    }

    /// <summary>Null when the form may be edited now; otherwise the 422 naming why.</summary>
    public static CommandResult<Project>? CanEdit(WorkflowDefinition definition, Project project, string code)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(project);
        var state = definition.GetState(project.State);
        var label = state.Label;
        if (ProjectContentRules.Frozen(definition, project, new("its forms cannot change", "表单不能更改")) is { } frozen)
            return frozen;
        if (!HasReached(definition, project.State, code))
        {
            var home = HomeState(definition, code);
            return Refuse("stepNotReached", new LocalizedText(
                $"Form {code} can be edited from the step {home?.Label.En ?? code} on; the project is still in {label.En}.",
                $"表单 {code} 从“{home?.Label.ZhHans ?? code}”阶段起才能填写；项目目前处于“{label.ZhHans}”。"));
        }
        return null;

        static CommandResult<Project> Refuse(string guard, LocalizedText message) =>
            CommandResult<Project>.Unprocessable(message.En, [new UnmetGuard(guard, message)]);
    }

    /// <summary>
    /// Whether <paramref name="state"/> is the state listing <paramref name="code"/> or comes after it: states are
    /// ranked by their distance from the initial state along forward transitions (advance, approve).
    /// </summary>
    public static bool HasReached(WorkflowDefinition definition, string state, string code)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var ranks = Ranks(definition);
        var home = HomeState(definition, code);
        return home is not null && ranks.TryGetValue(state, out var current) && ranks.TryGetValue(home.Code, out var needed) && current >= needed;
    }

    /// <summary>The earliest state whose <c>steps</c> list the code.</summary>
    public static StateDefinition? HomeState(WorkflowDefinition definition, string code)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var ranks = Ranks(definition);
        return definition.States.Where(s => s.Steps.Contains(code) && ranks.ContainsKey(s.Code)).MinBy(s => ranks[s.Code]);
    }

    private static Dictionary<string, int> Ranks(WorkflowDefinition definition)
    {
        var ranks = new Dictionary<string, int>(StringComparer.Ordinal) { [definition.InitialState] = 0 };
        var queue = new Queue<string>([definition.InitialState]);
        while (queue.TryDequeue(out var state))
        {
            foreach (var t in definition.TransitionsFrom(state).Where(t => t.Kind is "advance" or "approve" && t.To is not null))
            {
                if (ranks.TryAdd(t.To!, ranks[state] + 1))
                    queue.Enqueue(t.To!);
            }
        }
        return ranks;
    }

    /// <summary>
    /// Records each top-level field that changed as <c>steps.A1.field</c>: old → new, whole values (lists of rows
    /// too, so that verification can replay them; the history summarizes rows as "2 rows: row 2 added").
    /// </summary>
    public static void AuditValues(AuditRecord audit, string code, StepFormDefinition form, JsonObject old, JsonObject @new)
    {
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(form);
        ArgumentNullException.ThrowIfNull(old);
        ArgumentNullException.ThrowIfNull(@new);
        var names = form.Fields.Select(f => f.Name).Concat(old.Select(p => p.Key)).Concat(@new.Select(p => p.Key)).Distinct(StringComparer.Ordinal);
        foreach (var name in names)
        {
            var (before, after) = (old[name], @new[name]);
            if (!JsonNode.DeepEquals(before, after))
                audit.Record($"steps.{code}.{name}", before?.DeepClone(), after?.DeepClone());
        }
    }

    /// <summary>Records the form's own status changing (<c>steps.A1.formStatus</c>).</summary>
    public static void AuditStatus(AuditRecord audit, string code, StepFormStatus old, StepFormStatus @new)
    {
        ArgumentNullException.ThrowIfNull(audit);
        audit.Change($"steps.{code}.{StepFormDefinition.StatusAuditField}", Status(old), Status(@new));
    }

    public static string Status(StepFormStatus status) => ProjectMapping.FormStatus(status);

    public static JsonObject Parse(string? values) =>
        string.IsNullOrEmpty(values) ? [] : JsonNode.Parse(values) as JsonObject ?? [];

    public static async Task<StepForm> LoadOrAddAsync(ProjectCommandContext context, string code, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        var row = await context.Db.StepForms.FirstOrDefaultAsync(f => f.ProjectId == context.Project.Id && f.Code == code, ct);
        if (row is null)
        {
            row = new StepForm(context.Project.Id, code);
            context.Db.StepForms.Add(row);
        }
        return row;
    }
}

/// <summary>
/// Saves a step's form: the values are checked with the form's JSON Schema (400 naming each field and rule); a
/// part may be saved (in progress), and the form is complete when every required field is filled. Saving
/// confirms a form marked to review. Each changed top-level field is audited old → new.
/// </summary>
public sealed class UpdateStepForm(Guid projectId, string code, UpdateStepFormRequest request) : ProjectCommand(projectId, request?.ExpectedVersion)
{
    private StepFormDefinition? _form;

    public override string Action => AuditActions.StepFormUpdated;

    public override IAuthorizationRequirement Operation => ProjectOperations.Edit;

    public override void Validate(IDictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (request.Values is not { ValueKind: JsonValueKind.Object })
            errors["values"] = ["The form's values are required, as a JSON object ({} to clear the form)."];
    }

    public override CommandResult<Project>? Resolve(ProjectCommandContext context) => StepFormRules.Resolve(context, code, out _form);

    public override async Task<CommandResult<Project>?> ApplyAsync(ProjectCommandContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        var form = _form!;
        var check = StepFormValidator.Validate(form, request.Values!.Value);
        if (!check.IsValid)
            return CommandResult<Project>.Invalid(check.Errors);
        if (StepFormRules.CanEdit(context.Definition, context.Project, code) is { } refused)
            return refused;
        if (await UnknownSitesAsync(context, check.Values, ct) is { Count: > 0 } unknown)
            return CommandResult<Project>.Invalid(unknown);
        var row = await StepFormRules.LoadOrAddAsync(context, code, ct);
        var (oldStatus, oldVersion) = (row.Status, row.FormVersion);
        StepFormRules.AuditValues(context.Audit, code, form, StepFormRules.Parse(row.Values), check.Values);
        row.Save(check.Values.ToJsonString(), form.Version, check.IsComplete, check.Values.Count == 0, context.Caller.UserId, context.Now);
        StepFormRules.AuditStatus(context.Audit, code, oldStatus, row.Status);
        if (oldVersion != 0)
            context.Audit.Change($"steps.{code}.{StepFormDefinition.VersionAuditField}", oldVersion, row.FormVersion);
        return null;
    }

    /// <summary>
    /// Every field named <c>siteIds</c> (C5's "where") must list sites of this project: each unknown id is a 400 at its
    /// path, e.g. <c>values.implemented[0].siteIds[1]</c>.
    /// </summary>
    private static async Task<Dictionary<string, string[]>> UnknownSitesAsync(ProjectCommandContext context, System.Text.Json.Nodes.JsonNode? values, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var sites = context.Services.GetRequiredService<ISiteLookup>();
        var references = new List<(string Path, string Id)>();
        Collect(values, "values", references);
        foreach (var (path, id) in references)
        {
            if (!Guid.TryParse(id, out var siteId) || !await sites.SiteExistsAsync(context.Project.Id, siteId, ct))
                errors[path] = [$"The project has no site {id}."];
        }
        return errors;

        static void Collect(System.Text.Json.Nodes.JsonNode? node, string path, List<(string, string)> found)
        {
            switch (node)
            {
                case System.Text.Json.Nodes.JsonObject obj:
                    foreach (var (name, child) in obj)
                    {
                        if (name == "siteIds" && child is System.Text.Json.Nodes.JsonArray ids)
                        {
                            for (var k = 0; k < ids.Count; k++)
                                found.Add(($"{path}.{name}[{k}]", ids[k]?.GetValue<string>() ?? ""));
                        }
                        else
                        {
                            Collect(child, $"{path}.{name}", found);
                        }
                    }
                    break;
                case System.Text.Json.Nodes.JsonArray array:
                    for (var k = 0; k < array.Count; k++)
                        Collect(array[k], $"{path}[{k}]", found);
                    break;
            }
        }
    }
}

/// <summary>Confirms a form that a feedback transition marked to review, its content unchanged.</summary>
public sealed class ConfirmStepForm(Guid projectId, string code, ConfirmStepFormRequest request) : ProjectCommand(projectId, request?.ExpectedVersion)
{
    private StepFormDefinition? _form;

    public override string Action => AuditActions.StepFormConfirmed;

    public override IAuthorizationRequirement Operation => ProjectOperations.Edit;

    public override CommandResult<Project>? Resolve(ProjectCommandContext context) => StepFormRules.Resolve(context, code, out _form);

    public override async Task<CommandResult<Project>?> ApplyAsync(ProjectCommandContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (StepFormRules.CanEdit(context.Definition, context.Project, code) is { } refused)
            return refused;
        var row = await StepFormRules.LoadOrAddAsync(context, code, ct);
        if (row.Status != StepFormStatus.ToReview)
        {
            var message = new LocalizedText($"Form {code} is not waiting to be confirmed (it is {StepFormRules.Status(row.Status)}).",
                $"表单 {code} 无需重新确认。");
            return CommandResult<Project>.Unprocessable(message.En, [new UnmetGuard("notToReview", message)]);
        }
        var values = StepFormRules.Parse(row.Values);
        var check = StepFormValidator.Validate(_form!, JsonSerializer.SerializeToElement(values));
        var oldVersion = row.FormVersion;
        // The values as stored again (normally unchanged): any difference is audited like an edit.
        StepFormRules.AuditValues(context.Audit, code, _form!, values, check.Values);
        row.Save(check.Values.ToJsonString(), _form!.Version, check.IsComplete, check.Values.Count == 0, context.Caller.UserId, context.Now);
        StepFormRules.AuditStatus(context.Audit, code, StepFormStatus.ToReview, row.Status);
        if (oldVersion != 0)
            context.Audit.Change($"steps.{code}.{StepFormDefinition.VersionAuditField}", oldVersion, row.FormVersion);
        return null;
    }
}

/// <summary>
/// A feedback transition (kind <c>feedback</c>) back to an earlier step marks the forms of the target state's steps
/// "to review": their content stays, and the forward guard asks for them to be confirmed again. Audited in the
/// transition's own event.
/// </summary>
public sealed class FeedbackMarksFormsToReview(StepFormCatalog forms) : ITransitionHook
{
    public async Task AfterFireAsync(ProjectCommandContext context, TransitionDefinition transition, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(transition);
        if (transition.Kind != "feedback")
            return;
        var project = context.Project;
        var codes = context.Definition.GetState(project.State).Steps
            .Where(code => forms.For(project.WorkflowId, project.WorkflowVersion, code) is not null).ToList();
        if (codes.Count == 0)
            return;
        var rows = await context.Db.StepForms.Where(f => f.ProjectId == project.Id && codes.Contains(f.Code)).ToListAsync(ct);
        foreach (var row in rows.OrderBy(r => r.Code, StringComparer.Ordinal))
        {
            var old = row.Status;
            if (row.MarkToReview(context.Caller.UserId, context.Now))
                StepFormRules.AuditStatus(context.Audit, row.Code, old, row.Status);
        }
    }
}
