using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using RestorationWorkflow.Commands;
using RestorationWorkflow.Data;
using RestorationWorkflow.Forms;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Web.Features.Projects;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Web.Features.Forms;

/// <summary>
/// The one page for every step form, rendered from its JSON Schema: fields by kind, labels in the current
/// language, errors next to their fields; read-only for whoever may not edit the project or when the step
/// cannot change now. Posted as a plain form (works without JavaScript); rows are added and removed by
/// <c>js/step-form.js</c> when it runs.
/// </summary>
public sealed class StepModel(
    ProjectStore store, ProjectCommands commands, WorkflowCatalog workflows, StepFormCatalog forms, AppDbContext db,
    IAuthorizationService authorization, IStepEvidenceReader evidence, IStringLocalizer<SharedResource> localizer) : PageModel
{
    public Project Project { get; private set; } = null!;

    public StepFormDefinition Form { get; private set; } = null!;

    public StepFormDto Step { get; private set; } = null!;

    /// <summary>What the fields show: the stored values, or what was just posted when it was refused.</summary>
    public JsonObject Values { get; private set; } = [];

    public bool CanEdit { get; private set; }

    /// <summary>Why a manager of the project cannot edit the form now (under review, step not reached).</summary>
    public string? ReadOnlyReason { get; private set; }

    public IReadOnlyDictionary<string, string[]> FieldErrors { get; private set; } = new Dictionary<string, string[]>();

    public IReadOnlyList<string> Errors { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid id, string code, CancellationToken ct) =>
        await LoadAsync(id, code, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(Guid id, string code, int expectedVersion, string? intent, CancellationToken ct)
    {
        if (!await LoadAsync(id, code, ct))
            return NotFound();
        CommandResult<Project> result;
        if (intent == "confirm")
        {
            result = await commands.ExecuteAsync(new ConfirmStepForm(id, code, new ConfirmStepFormRequest(expectedVersion)), User, ct);
        }
        else
        {
            var posted = StepFormPost.Read(Request.Form, Form.Fields, "values");
            result = await commands.ExecuteAsync(
                new UpdateStepForm(id, code, new UpdateStepFormRequest(System.Text.Json.JsonSerializer.SerializeToElement(posted), expectedVersion)), User, ct);
            if (!result.Succeeded)
                Values = posted;
        }
        if (result.Code == CommandErrorCodes.ProjectNotFound)
            return NotFound();
        if (result.Succeeded)
        {
            TempData["Message"] = localizer["Form {0} saved.", code].Value;
            return RedirectToPage(new { id, code });
        }
        Response.StatusCode = result.Status switch
        {
            CommandStatus.Invalid => 400,
            CommandStatus.Forbidden => 403,
            CommandStatus.Conflict => 409,
            CommandStatus.NotFound => 404,
            _ => 422,
        };
        FieldErrors = result.Errors;
        var culture = CultureInfo.CurrentUICulture;
        Errors = result.Status switch
        {
            CommandStatus.Invalid => [localizer["Some fields are not valid; see the messages next to them."]],
            CommandStatus.Conflict => [localizer["Someone else changed this project meanwhile. The page now shows the current version; check it and try again."]],
            CommandStatus.Forbidden => [localizer["You may not do this."], .. result.Reasons.Select(r => r.Message.For(culture))],
            _ when result.Reasons.Count > 0 => [.. result.Reasons.Select(r => r.Message.For(culture))],
            _ => [result.Detail ?? localizer["The change was refused."]],
        };
        if (result.Status == CommandStatus.Conflict)
            await LoadAsync(id, code, ct);
        return Page();
    }

    private async Task<bool> LoadAsync(Guid id, string code, CancellationToken ct)
    {
        var project = await store.FindAsync(id, ct);
        if (project is null || !(await authorization.AuthorizeAsync(User, project, ProjectOperations.Read)).Succeeded)
            return false;
        var form = forms.For(project.WorkflowId, project.WorkflowVersion, code);
        if (form is null)
            return false;
        Project = project;
        Form = form;
        Step = await StepFormsFeature.ReadAsync(project, form, db, evidence, ct);
        Values = Step.Values;
        var definition = workflows.DefinitionOf(project);
        var manages = (await authorization.AuthorizeAsync(User, project, ProjectOperations.Edit)).Succeeded;
        var blocked = StepFormRules.CanEdit(definition, project, code);
        CanEdit = manages && blocked is null;
        ReadOnlyReason = manages && blocked is not null ? blocked.Reasons[0].Message.For(CultureInfo.CurrentUICulture) : null;
        return true;
    }

    /// <summary>The errors of one field path (<c>values.benefits[0].unit</c>), and of anything under it.</summary>
    public IReadOnlyList<string> ErrorsOf(string path) =>
        [.. FieldErrors.Where(e => e.Key == path || e.Key.StartsWith(path + "[", StringComparison.Ordinal)).SelectMany(e => e.Value)];

    /// <summary>A scalar as an input shows it.</summary>
    public static string Text(JsonNode? node) => node switch
    {
        null => "",
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => node.ToJsonString(),
    };

    public static IReadOnlyList<string> Strings(JsonNode? node) =>
        node is JsonArray array ? [.. array.Select(Text)] : [];
}

/// <summary>Turns a posted HTML form (<c>values.field</c>, <c>values.rows[0].field</c>) into form values by the schema's fields.</summary>
public static class StepFormPost
{
    public static JsonObject Read(IFormCollection form, IReadOnlyList<FormField> fields, string prefix)
    {
        ArgumentNullException.ThrowIfNull(form);
        ArgumentNullException.ThrowIfNull(fields);
        var values = new JsonObject();
        foreach (var field in fields)
        {
            var name = $"{prefix}.{field.Name}";
            JsonNode? value = field.Kind switch
            {
                FormFieldKind.MultiChoice => Array(form[name].Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v!.Trim())),
                FormFieldKind.Lines => Array(form[name].ToString().Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0)),
                FormFieldKind.Rows => Rows(form, field, name),
                _ => Scalar(field, form[name].ToString()),
            };
            if (value is not null)
                values[field.Name] = value;
        }
        return values;
    }

    private static JsonArray? Array(IEnumerable<string> items)
    {
        var array = new JsonArray([.. items.Select(i => (JsonNode?)JsonValue.Create(i))]);
        return array.Count == 0 ? null : array;
    }

    private static JsonArray? Rows(IFormCollection form, FormField field, string name)
    {
        var indices = form.Keys.Where(k => k.StartsWith(name + "[", StringComparison.Ordinal))
            .Select(k => k[(name.Length + 1)..].Split(']')[0])
            .Select(i => int.TryParse(i, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1)
            .Where(i => i is >= 0 and < 1000).Distinct().Order().ToList();
        var rows = new JsonArray();
        foreach (var index in indices)
        {
            var row = Read(form, field.RowFields, $"{name}[{index.ToString(CultureInfo.InvariantCulture)}]");
            if (row.Count > 0)
                rows.Add(row);
        }
        return rows.Count == 0 ? null : rows;
    }

    /// <summary>A number that does not parse is kept as text, so the schema names the field ("type").</summary>
    private static JsonValue? Scalar(FormField field, string raw)
    {
        var text = raw.Trim();
        if (text.Length == 0)
            return null;
        return field.Kind switch
        {
            FormFieldKind.Number or FormFieldKind.WholeNumber when decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var number) => JsonValue.Create(number),
            FormFieldKind.Boolean when text is "true" or "false" => JsonValue.Create(text == "true"),
            _ => JsonValue.Create(field.Kind is FormFieldKind.LongText ? raw.Replace("\r\n", "\n", StringComparison.Ordinal) : text),
        };
    }
}
