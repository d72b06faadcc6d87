using System.Text.Json;
using Json.Schema;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Forms;

/// <summary>How a field is entered and shown, read from its schema (type, format, enum, <c>x-widget</c>).</summary>
public enum FormFieldKind
{
    Text,
    LongText,
    Number,
    WholeNumber,
    Date,
    Choice,
    MultiChoice,
    Boolean,
    Lines,
    Rows,
}

/// <summary>One allowed value of an enumeration with its labels.</summary>
public sealed record FormOption(string Value, LocalizedText Label);

/// <summary>
/// One property of a step form as the pages render it: its name, kind, labels, unit and limits, and for an array
/// of objects (<see cref="FormFieldKind.Rows"/>) the fields of one row.
/// </summary>
public sealed record FormField(
    string Name,
    FormFieldKind Kind,
    LocalizedText Label,
    bool Required,
    LocalizedText? Unit = null,
    IReadOnlyList<FormOption>? Options = null,
    IReadOnlyList<FormField>? Children = null,
    decimal? Minimum = null,
    decimal? Maximum = null,
    int? MaxLength = null)
{
    public IReadOnlyList<FormOption> Choices => Options ?? [];

    public IReadOnlyList<FormField> RowFields => Children ?? [];

    public LocalizedText? OptionLabel(string value) => Choices.FirstOrDefault(o => o.Value == value)?.Label;
}

/// <summary>
/// One version of one STAPER step's form (<c>workflows/forms/A1.v1.json</c>): a JSON Schema 2020-12 document with
/// label annotations (<c>x-label</c>, <c>x-enumLabels</c>, <c>x-unit</c>) and <c>x-form: {code, version}</c>.
/// The same schema validates the API, renders the page and is served to clients.
/// </summary>
public sealed class StepFormDefinition
{
    /// <summary>
    /// The audit field of the form's own status (<c>steps.A1.formStatus</c>), beside its fields' <c>steps.A1.{field}</c>:
    /// no form may have a field of this name (B1–B9 have a field <c>status</c>, the enabling measure's).
    /// </summary>
    public const string StatusAuditField = "formStatus";

    /// <summary>The audit field of the form version the values were saved against (<c>steps.A1.formVersion</c>).</summary>
    public const string VersionAuditField = "formVersion";

    internal StepFormDefinition(string code, int version, string sourceFile, JsonElement document, JsonSchema schema,
        LocalizedText label, LocalizedText? description, IReadOnlyList<FormField> fields)
    {
        Code = code;
        Version = version;
        SourceFile = sourceFile;
        Document = document;
        Schema = schema;
        Label = label;
        Description = description;
        Fields = fields;
    }

    public string Code { get; }

    public int Version { get; }

    /// <summary>The file it was loaded from, for messages.</summary>
    public string SourceFile { get; }

    /// <summary>The schema document as written (what <c>GET /api/forms/{code}</c> serves).</summary>
    public JsonElement Document { get; }

    public JsonSchema Schema { get; }

    public LocalizedText Label { get; }

    public LocalizedText? Description { get; }

    /// <summary>The top-level fields in the schema's order.</summary>
    public IReadOnlyList<FormField> Fields { get; }

    public string Key => $"{Code}@{Version}";
}
