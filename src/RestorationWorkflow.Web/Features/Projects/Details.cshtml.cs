using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using RestorationWorkflow.Audit;
using RestorationWorkflow.Data;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Web.Features.Projects;

/// <summary>The project page: progress, diagram, checklist, the caller's actions and the history.</summary>
public sealed class DetailsModel(ProjectService service, AppDbContext db, IAuthorizationService authorization, IStringLocalizer<SharedResource> localizer) : PageModel
{
    public Project Project { get; private set; } = null!;

    public WorkflowDefinition Definition { get; private set; } = null!;

    public StateDefinition State { get; private set; } = null!;

    public bool CanEdit { get; private set; }

    public IReadOnlyList<TransitionEvaluation> Transitions { get; private set; } = [];

    public IReadOnlyList<AuditEvent> History { get; private set; } = [];

    public IReadOnlyDictionary<string, string> Names { get; private set; } = new Dictionary<string, string>();

    public string Diagram { get; private set; } = "";

    /// <summary>Errors of the last command, shown above the section it came from.</summary>
    public List<string> Errors { get; } = [];

    public string? ErrorSection { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) => await LoadAsync(id, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostChecklistAsync(Guid id, string code, string status, string? note, int expectedVersion, CancellationToken ct)
    {
        var result = await service.UpdateChecklistAsync(id, code, new UpdateChecklistRequest(status, note, expectedVersion), User, ct);
        return await AfterCommandAsync(id, result, "checklist", localizer["Step {0} saved.", code], ct);
    }

    public async Task<IActionResult> OnPostTransitionAsync(Guid id, string trigger, string? comment, int expectedVersion, CancellationToken ct)
    {
        var result = await service.FireAsync(id, new FireTransitionRequest(trigger, comment, expectedVersion), User, ct);
        return await AfterCommandAsync(id, result, "actions", localizer["Done: the project is now {0}.", result.Value is { } p ? service.DefinitionOf(p).GetState(p.State).Label.For(CultureInfo.CurrentUICulture) : ""], ct);
    }

    public async Task<IActionResult> OnPostMemberAsync(Guid id, string? email, int expectedVersion, CancellationToken ct)
    {
        var result = await service.AddManagerAsync(id, new AddMemberRequest(email, expectedVersion), User, ct);
        return await AfterCommandAsync(id, result, "team", localizer["{0} now manages this project.", email ?? ""], ct);
    }

    private async Task<IActionResult> AfterCommandAsync(Guid id, CommandResult<Project> result, string section, LocalizedString success, CancellationToken ct)
    {
        if (result.Status == CommandStatus.NotFound && result.Detail?.StartsWith("No project", StringComparison.Ordinal) == true)
            return NotFound();
        if (result.Succeeded)
        {
            TempData["Message"] = success.Value;
            return RedirectToPage(new { id });
        }
        db.ChangeTracker.Clear();
        ErrorSection = section;
        var culture = CultureInfo.CurrentUICulture;
        switch (result.Status)
        {
            case CommandStatus.Conflict:
                Errors.Add(localizer["Someone else changed this project meanwhile. The page now shows the current version; check it and try again."]);
                break;
            case CommandStatus.Forbidden:
                Errors.Add(localizer["You may not do this."]);
                Errors.AddRange(result.Reasons.Select(r => r.Message.For(culture)));
                break;
            case CommandStatus.Unprocessable when result.Reasons.Count > 0:
                Errors.AddRange(result.Reasons.Select(r => r.Message.For(culture)));
                break;
            case CommandStatus.Invalid:
                Errors.AddRange(result.Errors.SelectMany(e => e.Value));
                break;
            default:
                Errors.Add(result.Detail ?? localizer["The change was refused."]);
                break;
        }
        Response.StatusCode = result.Status switch
        {
            CommandStatus.Conflict => StatusCodes.Status409Conflict,
            CommandStatus.Forbidden => StatusCodes.Status403Forbidden,
            CommandStatus.Unprocessable => StatusCodes.Status422UnprocessableEntity,
            _ => StatusCodes.Status400BadRequest,
        };
        return await LoadAsync(id, ct) ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        var project = await service.LoadAsync(id, ct);
        if (project is null)
            return false;
        if (!(await authorization.AuthorizeAsync(User, project, ProjectOperations.Read)).Succeeded)
            return false;
        Project = project;
        Definition = service.DefinitionOf(project);
        State = Definition.GetState(project.State);
        CanEdit = (await authorization.AuthorizeAsync(User, project, ProjectOperations.Edit)).Succeeded
            && State.Kind is not (StateKind.Terminal or StateKind.Suspended);
        Transitions = service.EvaluateTransitions(project, User);
        History = await db.AuditEvents.AsNoTracking().Where(e => e.ProjectId == id).OrderByDescending(e => e.Sequence).ToListAsync(ct);
        Names = await ProjectQueries.UserNamesAsync(db, project.Members.Select(m => m.UserId).Concat(project.Checklist.Select(c => c.UpdatedById)), ct);
        Diagram = MermaidDiagram.Render(Definition, project.State, CultureInfo.CurrentUICulture, compact: true);
        return true;
    }

    /// <summary>Done or not-applicable steps of a group, out of all its steps.</summary>
    public (int Settled, int Total) Progress(string group)
    {
        var items = Project.Checklist.Where(i => i.Code.StartsWith(group, StringComparison.Ordinal)).ToList();
        return (items.Count(i => i.IsSettled), items.Count);
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
