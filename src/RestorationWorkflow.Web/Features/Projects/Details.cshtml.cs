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
using RestorationWorkflow.Web.Features.Audit;
using RestorationWorkflow.Web.Infrastructure;
using RestorationWorkflow.Workflows;
using RestorationWorkflow.Workflows.Guards;

namespace RestorationWorkflow.Web.Features.Projects;

/// <summary>The project page: progress, diagram, checklist, the caller's actions and the history.</summary>
public sealed class DetailsModel(
    ProjectStore store, ProjectCommands commands, TransitionEvaluator evaluator, WorkflowCatalog catalog, AppDbContext db,
    IAuthorizationService authorization, IStringLocalizer<SharedResource> localizer, StepFormCatalog forms) : PageModel
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
        Diagram = MermaidDiagram.Render(Definition, project.State, CultureInfo.CurrentUICulture, compact: true);
        return true;
    }

    /// <summary>Done or not-applicable steps of a group, out of all its steps.</summary>
    public (int Settled, int Total) Progress(string group)
    {
        var items = Checklist.Values.Where(i => i.Code.StartsWith(group, StringComparison.Ordinal)).ToList();
        return (items.Count(i => i.Status == ChecklistStatus.NotApplicable && i.IsSettled
            || (FormStatuses.HasForm(i.Code) ? FormStatuses.StatusOf(i.Code) == StepFormStatus.Complete : i.IsSettled)), items.Count);
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
            string? old = null, @new = null;
            foreach (var part in field.Value.EnumerateObject())
            {
                if (part.NameEquals("old"))
                    old = Text(part.Value);
                else
                    @new = Text(part.Value);
            }
            lines.Add((field.Name, old, @new));
        }
        return lines;

        static string? Text(System.Text.Json.JsonElement value) => value.ValueKind switch
        {
            System.Text.Json.JsonValueKind.Null => null,
            System.Text.Json.JsonValueKind.String => value.GetString(),
            System.Text.Json.JsonValueKind.Array => string.Join(", ", value.EnumerateArray().Select(v => Text(v))),
            _ => value.GetRawText(),
        };
    }

    public string StateLabel(string? code) =>
        code is null ? "" : Definition.FindState(code)?.Label.For(CultureInfo.CurrentUICulture) ?? code;
}
