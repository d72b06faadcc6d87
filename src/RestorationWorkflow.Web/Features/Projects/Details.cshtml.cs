using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using RestorationWorkflow.Audit;
using RestorationWorkflow.Commands;
using RestorationWorkflow.Data;
using RestorationWorkflow.Forms;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Web.Features.Approvals;
using RestorationWorkflow.Web.Features.Audit;
using RestorationWorkflow.Web.Infrastructure;
using RestorationWorkflow.Workflows;
using RestorationWorkflow.Workflows.Guards;

namespace RestorationWorkflow.Web.Features.Projects;

/// <summary>The project page: progress, diagram, checklist, the caller's actions and the history.</summary>
public sealed class DetailsModel(
    ProjectStore store, ProjectCommands commands, TransitionEvaluator evaluator, WorkflowCatalog catalog, AppDbContext db,
    IAuthorizationService authorization, IStringLocalizer<SharedResource> localizer, StepFormCatalog forms,
    ApprovalReader approvalReader, ApprovalsSectionReader approvalsSection) : PageModel
{
    public Project Project { get; private set; } = null!;

    public WorkflowDefinition Definition { get; private set; } = null!;

    public StateDefinition State { get; private set; } = null!;

    public IReadOnlyDictionary<string, ChecklistItem> Checklist { get; private set; } = new Dictionary<string, ChecklistItem>();

    public bool CanEdit { get; private set; }

    /// <summary>Which steps have a form (linked from the checklist) and where each stands.</summary>
    public StepFormStatuses FormStatuses { get; private set; } = StepFormStatuses.None;

    /// <summary>Whether the caller manages the project (the registry edit page); the command still refuses a frozen state.</summary>
    public bool CanEditRegistry { get; private set; }

    public IReadOnlyList<TransitionEvaluation> Transitions { get; private set; } = [];

    public IReadOnlyList<AuditEvent> History { get; private set; } = [];

    public IReadOnlyDictionary<string, string> Names { get; private set; } = new Dictionary<string, string>();

    public string Diagram { get; private set; } = "";

    /// <summary>Messages of the last refused command, shown above the section it came from.</summary>
    public IReadOnlyList<string> Errors { get; private set; } = [];

    public string? ErrorSection { get; private set; }

    /// <summary>The gates of the workflow with their history, and what the caller may decide or resubmit.</summary>
    public ApprovalsSection Approvals { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) => await LoadAsync(id, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostChecklistAsync(Guid id, string code, string status, string? note, int expectedVersion, CancellationToken ct)
    {
        var result = await commands.ExecuteAsync(new UpdateChecklistItem(id, code, new UpdateChecklistRequest(status, note, expectedVersion)), User, ct);
        return await AfterCommandAsync(id, result, "checklist", () => localizer["Step {0} saved.", code], ct);
    }

    public async Task<IActionResult> OnPostTransitionAsync(Guid id, string trigger, string? comment, int expectedVersion, CancellationToken ct)
    {
        var result = await commands.ExecuteAsync(new FireTransition(id, new FireTransitionRequest(trigger, comment, expectedVersion)), User, ct);
        return await AfterCommandAsync(id, result, "actions",
            () => localizer["Done: the project is now {0}.", catalog.DefinitionOf(result.Value!).GetState(result.Value!.State).Label.For(CultureInfo.CurrentUICulture)], ct);
    }

    public async Task<IActionResult> OnPostMemberAsync(Guid id, string? email, string? role, int expectedVersion, CancellationToken ct)
    {
        var result = await commands.ExecuteAsync(new AddTeamMember(id, new AddTeamMemberRequest(email, role ?? "manager", expectedVersion)), User, ct);
        return await AfterCommandAsync(id, result, "team",
            () => role == "member" ? localizer["{0} is now a member of this project's team.", email ?? ""] : localizer["{0} now manages this project.", email ?? ""], ct);
    }

    public async Task<IActionResult> OnPostRemoveMemberAsync(Guid id, string userId, int expectedVersion, CancellationToken ct)
    {
        var result = await commands.ExecuteAsync(new RemoveTeamMember(id, userId, expectedVersion), User, ct);
        if (result.Code == TeamRules.MemberNotFound)
            result = CommandResult<Project>.Invalid("userId", localizer["This person is no longer on the team."]);
        return await AfterCommandAsync(id, result, "team", () => localizer["Removed from the team."], ct);
    }

    /// <summary>
    /// An approver decides the open request from the Approvals section: approve, or reject with a comment, for
    /// themselves or on behalf of an approver whose delegation they hold; the snapshot hash shown is what they sign.
    /// </summary>
    public async Task<IActionResult> OnPostDecideAsync(
        Guid id, Guid requestId, string? decision, string? comment, string[]? sections, string? onBehalfOf, string? snapshotHash, CancellationToken ct)
    {
        var command = new DecideApproval(id, requestId, new ApprovalDecisionRequest(
            decision, comment, sections ?? [], string.IsNullOrWhiteSpace(onBehalfOf) ? null : onBehalfOf, string.IsNullOrEmpty(snapshotHash) ? null : snapshotHash, null));
        var result = await commands.ExecuteAsync(command, User, ct);
        return await AfterApprovalCommandAsync(id, result, comment, sections ?? [], () =>
        {
            var project = result.Value!;
            var state = catalog.DefinitionOf(project).GetState(project.State).Label.For(CultureInfo.CurrentUICulture);
            if (command.Decision!.Decision == RestorationWorkflow.Approvals.ApprovalDecisionKind.Reject)
                return localizer["Rejected: the project is back in {0}.", state];
            return command.Fired is null
                ? localizer["Your approval is recorded ({0} of {1}).", command.Request!.ApprovalCount, command.Request.Quorum]
                : localizer["Approved: the gate passed and the project is now {0}.", state];
        }, ct);
    }

    /// <summary>A manager of the project resubmits a stale request: a new request with a fresh snapshot replaces it.</summary>
    public async Task<IActionResult> OnPostResubmitAsync(Guid id, string gate, string? comment, int expectedVersion, CancellationToken ct)
    {
        var command = new ResubmitApproval(id, gate, new ResubmitApprovalRequest(expectedVersion, comment));
        var result = await commands.ExecuteAsync(command, User, ct);
        return await AfterApprovalCommandAsync(id, result, null, [], () => localizer["Resubmitted: request #{0} is open with a new snapshot.", command.Opened!.Sequence], ct);
    }

    /// <summary>
    /// One request with its canonical JSON snapshot, as <c>GET /api/approvals/{requestId}</c> gives it, for a
    /// signed-in reader of the project (the API takes bearer tokens only).
    /// </summary>
    public async Task<IActionResult> OnGetSnapshotAsync(Guid id, Guid requestId, CancellationToken ct)
    {
        var project = await store.FindAsync(id, ct);
        if (project is null || !(await authorization.AuthorizeAsync(User, project, ProjectOperations.Read)).Succeeded)
            return NotFound();
        return await approvalReader.RequestAsync(project, requestId, ct) is { } detail ? new JsonResult(detail) : NotFound();
    }

    /// <summary>
    /// The project's JSON export (<c>GET /api/projects/{id}/export.json</c>, no personal data) as a download, for a signed-in
    /// reader of the project (the API takes bearer tokens only).
    /// </summary>
    public async Task<IActionResult> OnGetExportAsync(Guid id, [FromServices] Portfolio.ProjectExport export, CancellationToken ct)
    {
        var project = await store.FindAsync(id, ct);
        if (project is null)
            return NotFound();
        if (!(await authorization.AuthorizeAsync(User, project, ProjectOperations.Read)).Succeeded)
            return Forbid();
        var exported = await export.BuildAsync(project, ct);
        var bytes = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(exported, Portfolio.ProjectExport.JsonOptions);
        return File(bytes, "application/json", Portfolio.ProjectExport.FileName(project));
    }

    private async Task<IActionResult> AfterApprovalCommandAsync(
        Guid id, CommandResult<Project> result, string? comment, IReadOnlyList<string> sections, Func<LocalizedString> success, CancellationToken ct)
    {
        if (result.Code is CommandErrorCodes.ProjectNotFound or ApprovalErrorCodes.RequestNotFound or ApprovalErrorCodes.GateNotFound)
            return NotFound();
        if (result.Succeeded)
        {
            TempData["Message"] = success().Value;
            return RedirectToPage(null, null, new { id }, "approvals");
        }
        result.ShowOn(this, localizer);
        // The approval refusals say what happened to the request rather than the generic "someone else changed it".
        var specific = result.Code switch
        {
            ApprovalErrorCodes.RequestStale => localizer["What this request covers is not what you reviewed any more: it changed after it was opened or after you loaded the page. Review it again; if it is stale, the project's manager resubmits it."],
            ApprovalErrorCodes.RequestClosed => localizer["This request is closed; it takes no more decisions."],
            ApprovalErrorCodes.NotInReview => localizer["The project is not in this review now; decisions wait until it returns."],
            ApprovalErrorCodes.NotStale => localizer["Nothing the gate covers changed since the request was opened; it needs no resubmission."],
            _ => null,
        };
        if (specific is not null)
        {
            ModelState.Clear();
            ModelState.AddModelError("", specific.Value);
        }
        ErrorSection = "approvals";
        if (!await LoadAsync(id, ct))
            return NotFound();
        // The fields of the decision form show their messages next to them; any other message heads the section. (Model
        // state keys ignore case: the bound "comment" and the command's "Comment" are one entry.)
        var fields = ModelState.Where(e => ApprovalFormFields.Contains(e.Key) && e.Value is { Errors.Count: > 0 })
            .ToDictionary(e => ApprovalFormFields.TryGetValue(e.Key, out var name) ? name : e.Key,
                e => (IReadOnlyList<string>)[.. e.Value!.Errors.Select(x => x.ErrorMessage)], StringComparer.Ordinal);
        Approvals = Approvals with
        {
            Errors = [.. ModelState.Where(e => !ApprovalFormFields.Contains(e.Key)).SelectMany(e => e.Value!.Errors).Select(e => e.ErrorMessage)],
            FieldErrors = fields,
            PostedComment = comment,
            PostedSections = sections,
        };
        Errors = [.. Approvals.Errors, .. fields.Values.SelectMany(m => m)];
        return Page();
    }

    private static readonly HashSet<string> ApprovalFormFields = new(["Comment", "Sections", "OnBehalfOf"], StringComparer.OrdinalIgnoreCase);

    private async Task<IActionResult> AfterCommandAsync(Guid id, CommandResult<Project> result, string section, Func<LocalizedString> success, CancellationToken ct)
    {
        if (result.Code == CommandErrorCodes.ProjectNotFound)
            return NotFound();
        if (result.Succeeded)
        {
            TempData["Message"] = success().Value;
            return RedirectToPage(new { id });
        }
        result.ShowOn(this, localizer);
        ErrorSection = section;
        Errors = ModelState.Messages();
        return await LoadAsync(id, ct) ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        var project = await store.FindAsync(id, ct);
        if (project is null || !(await authorization.AuthorizeAsync(User, project, ProjectOperations.Read)).Succeeded)
            return false;
        Project = project;
        Definition = catalog.DefinitionOf(project);
        State = Definition.GetState(project.State);
        Checklist = await store.ChecklistAsync(id, ct);
        FormStatuses = await store.StepFormStatusesAsync(project, forms, ct);
        CanEditRegistry = (await authorization.AuthorizeAsync(User, project, ProjectOperations.Edit)).Succeeded;
        CanEdit = CanEditRegistry
            && State.Kind is not (StateKind.Terminal or StateKind.Suspended or StateKind.Review);
        Transitions = await evaluator.EvaluateAllAsync(project, Definition, User, ct);
        History = await AuditQueries.EventsOf(db, id).OrderByDescending(e => e.Sequence).ToListAsync(ct);
        Names = await ProjectQueries.UserNamesAsync(db, project.Members.Select(m => m.UserId).Concat(Checklist.Values.Select(c => c.UpdatedById)), ct);
        Approvals = await approvalsSection.ReadAsync(project, User, ct);
        Diagram = MermaidDiagram.Render(Definition, project.State, CultureInfo.CurrentUICulture, compact: true);
        return true;
    }

    /// <summary>Done or not-applicable steps of a group, out of all its steps.</summary>
    public (int Settled, int Total) Progress(string group)
    {
        var items = Checklist.Values.Where(i => i.Code.StartsWith(group, StringComparison.Ordinal)).ToList();
        return (items.Count(i => IsSettled(i, FormStatuses)), items.Count);
    }

    /// <summary>A step counts as settled when not applicable (with its reason) or, with a form, complete; else when done.</summary>
    public static bool IsSettled(ChecklistItem item, StepFormStatuses forms)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(forms);
        return item.Status == ChecklistStatus.NotApplicable && item.IsSettled
            || (forms.HasForm(item.Code) ? forms.StatusOf(item.Code) == StepFormStatus.Complete : item.IsSettled);
    }

    /// <summary>An audit event's changes as "field: old → new" lines.</summary>
    public static IReadOnlyList<(string Field, string? Old, string? New)> Changes(string json)
    {
        var lines = new List<(string, string?, string?)>();
        using var document = System.Text.Json.JsonDocument.Parse(string.IsNullOrEmpty(json) ? "{}" : json);
        foreach (var field in document.RootElement.EnumerateObject())
        {
            if (field.Value.ValueKind != System.Text.Json.JsonValueKind.Object)
            {
                lines.Add((field.Name, null, Text(field.Value)));
                continue;
            }
            System.Text.Json.JsonElement? oldValue = null, newValue = null;
            string? old = null, @new = null;
            foreach (var part in field.Value.EnumerateObject())
            {
                if (part.NameEquals("old"))
                    (oldValue, old) = (part.Value, Text(part.Value));
                else
                    (newValue, @new) = (part.Value, Text(part.Value));
            }
            // A form's list of rows is recorded whole (for verification) and shown as "3 rows: row 2 changed".
            if (IsRows(oldValue) || IsRows(newValue))
                (old, @new) = (RowsSummary(oldValue), RowsSummary(newValue, oldValue));
            lines.Add((field.Name, old, @new));
        }
        return lines;

        static bool IsRows(System.Text.Json.JsonElement? value) =>
            value is { ValueKind: System.Text.Json.JsonValueKind.Array } array && array.GetArrayLength() > 0
            && array[0].ValueKind == System.Text.Json.JsonValueKind.Object;

        static string? Text(System.Text.Json.JsonElement value) => value.ValueKind switch
        {
            System.Text.Json.JsonValueKind.Null => null,
            System.Text.Json.JsonValueKind.String => value.GetString(),
            System.Text.Json.JsonValueKind.Array => string.Join(", ", value.EnumerateArray().Select(v => Text(v))),
            _ => value.GetRawText(),
        };
    }

    /// <summary>"3 rows", and against the old rows "3 rows: row 2 changed, row 3 added"; null when there were none and are none.</summary>
    private static string? RowsSummary(System.Text.Json.JsonElement? rows, System.Text.Json.JsonElement? before = null)
    {
        static List<System.Text.Json.JsonElement>? Items(System.Text.Json.JsonElement? value) =>
            value is { ValueKind: System.Text.Json.JsonValueKind.Array } array ? [.. array.EnumerateArray()] : null;
        var (now, then) = (Items(rows), Items(before));
        if (now is null)
            return then is null ? null : "0 rows";
        var text = now.Count == 1 ? "1 row" : $"{now.Count.ToString(CultureInfo.InvariantCulture)} rows";
        if (then is null)
            return text;
        var notes = new List<string>();
        for (var i = 0; i < Math.Max(now.Count, then.Count); i++)
        {
            var n = (i + 1).ToString(CultureInfo.InvariantCulture);
            if (i >= then.Count)
                notes.Add($"row {n} added");
            else if (i >= now.Count)
                notes.Add($"row {n} removed");
            else if (!System.Text.Json.JsonElement.DeepEquals(now[i], then[i]))
                notes.Add($"row {n} changed");
        }
        return notes.Count == 0 ? text : $"{text}: {string.Join(", ", notes)}";
    }

    public string StateLabel(string? code) =>
        code is null ? "" : Definition.FindState(code)?.Label.For(CultureInfo.CurrentUICulture) ?? code;
}
