using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace RestorationWorkflow.Forms;

/// <summary>
/// The outcome of checking a form's values: the normalized values (empty fields dropped), the rule each invalid
/// field breaks (keyed <c>values.drivers[1]</c>), and the required fields still missing.
/// </summary>
public sealed record StepFormCheck(JsonObject Values, IReadOnlyDictionary<string, string[]> Errors, IReadOnlyList<string> Missing)
{
    public bool IsValid => Errors.Count == 0;

    /// <summary>Valid and every required field filled.</summary>
    public bool IsComplete => IsValid && Missing.Count == 0;
}

/// <summary>
/// Validates a form's values with its JSON Schema (JsonSchema.Net, formats asserted). Saving part of a form is
/// allowed: a missing required field is not an error but makes the form incomplete. Empty values (null, blank
/// text, empty lists and rows) count as not filled in and are not stored.
/// </summary>
public static class StepFormValidator
{
    private static readonly EvaluationOptions Options = new()
    {
        OutputFormat = OutputFormat.List,
        RequireFormatValidation = true,
        Culture = CultureInfo.InvariantCulture,
    };

    public static StepFormCheck Validate(StepFormDefinition form, JsonElement values)
    {
        ArgumentNullException.ThrowIfNull(form);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (values.ValueKind != JsonValueKind.Object)
        {
            errors["values"] = ["type: the values of a form are a JSON object."];
            return new StepFormCheck([], errors, []);
        }
        var normalized = (JsonObject)(Normalize(JsonNode.Parse(values.GetRawText())) ?? new JsonObject());
        var element = JsonSerializer.SerializeToElement(normalized);
        var results = form.Schema.Evaluate(element, Options);
        if (!results.IsValid)
            Collect(results, errors);
        var missing = new List<string>();
        Missing(form.Fields, normalized, "values", missing);
        return new StepFormCheck(normalized, errors, missing);
    }

    /// <summary>Values for a form that holds nothing yet.</summary>
    public static JsonObject Empty() => [];

    private static void Collect(EvaluationResults node, Dictionary<string, string[]> errors)
    {
        if (node.Errors is { } nodeErrors)
        {
            var pointer = node.InstanceLocation.ToString();
            foreach (var (keyword, message) in nodeErrors)
            {
                if (keyword == "required")
                    continue;
                var field = StepFormLoader.FieldPath("values", pointer);
                var evaluation = node.EvaluationPath.ToString();
                var text = keyword is "" or "false" && evaluation.EndsWith("/additionalProperties", StringComparison.Ordinal)
                    ? "additionalProperties: this field is not part of the form."
                    : $"{keyword}: {message}";
                errors[field] = errors.TryGetValue(field, out var existing) ? [.. existing, text] : [text];
            }
        }
        foreach (var child in node.Details ?? [])
            Collect(child, errors);
    }

    private static void Missing(IReadOnlyList<FormField> fields, JsonObject values, string path, List<string> missing)
    {
        foreach (var field in fields)
        {
            var value = values[field.Name];
            if (value is null)
            {
                if (field.Required)
                    missing.Add($"{path}.{field.Name}");
                continue;
            }
            if (field.Kind == FormFieldKind.Rows && value is JsonArray rows)
            {
                for (var i = 0; i < rows.Count; i++)
                {
                    if (rows[i] is JsonObject row)
                        Missing(field.RowFields, row, $"{path}.{field.Name}[{i}]", missing);
                }
            }
        }
    }

    /// <summary>Drops null, blank strings, and arrays and objects left empty; trims nothing else.</summary>
    private static JsonNode? Normalize(JsonNode? node)
    {
        switch (node)
        {
            case null:
                return null;
            case JsonObject obj:
                var result = new JsonObject();
                foreach (var (name, value) in obj.ToList())
                {
                    obj.Remove(name);
                    if (Normalize(value) is { } kept)
                        result[name] = kept;
                }
                return result;
            case JsonArray array:
                var items = new JsonArray();
                foreach (var item in array.ToList())
                {
                    array.Remove(item);
                    if (Normalize(item) is { } kept && !(kept is JsonObject { Count: 0 }))
                        items.Add(kept);
                }
                return items.Count == 0 ? null : items;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String && string.IsNullOrWhiteSpace(value.GetValue<string>()):
                return null;
            default:
                return node;
        }
    }
}
