using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Json.Schema;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Forms;

/// <summary>
/// Loads <c>workflows/forms/</c>: one JSON Schema per code and version (<c>A1.v1.json</c>) and
/// <c>manifest.json</c> naming the form versions each workflow definition uses. Checks, for every file, that it
/// parses, is a valid JSON Schema 2020-12 (JsonSchema.Net), names a known STAPER code and version that match its
/// file name, labels every property and enumeration value in English and Chinese, and that its examples are valid
/// complete values; and that the manifest names loaded definitions, steps of those definitions and existing forms.
/// Every problem of every file is collected into one <see cref="WorkflowDefinitionException"/> (file: JSON path: message).
/// </summary>
public static partial class StepFormLoader
{
    public const string ManifestFile = "manifest.json";

    [GeneratedRegex("^(?<code>[A-D][1-9])\\.v(?<version>[1-9][0-9]{0,3})\\.json$")]
    private static partial Regex FormFileName();

    /// <summary>Loads the folder; a missing folder means no forms (every code keeps its checklist).</summary>
    /// <exception cref="WorkflowDefinitionException">Any file is invalid.</exception>
    public static StepFormCatalog LoadFolder(string folder, WorkflowCatalog workflows)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        if (!Directory.Exists(folder))
            return StepFormCatalog.Empty;
        var files = Directory.EnumerateFiles(folder, "*.json", SearchOption.TopDirectoryOnly)
            .Order(StringComparer.Ordinal)
            .ToDictionary(p => Path.GetFileName(p), File.ReadAllText, StringComparer.Ordinal);
        return Load(files, workflows, $"Step forms in {folder} are invalid:");
    }

    /// <summary>Loads forms given as file name → JSON text (tests).</summary>
    /// <exception cref="WorkflowDefinitionException">Any file is invalid.</exception>
    public static StepFormCatalog Load(IReadOnlyDictionary<string, string> jsonByFileName, WorkflowCatalog workflows, string heading = "Step forms are invalid:")
    {
        ArgumentNullException.ThrowIfNull(jsonByFileName);
        ArgumentNullException.ThrowIfNull(workflows);
        var problems = new List<WorkflowDefinitionProblem>();
        var forms = new List<StepFormDefinition>();
        var present = new HashSet<(string, int)>();
        string? manifestJson = null;
        foreach (var (name, json) in jsonByFileName.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            if (name == ManifestFile)
            {
                manifestJson = json;
                continue;
            }
            var match = FormFileName().Match(name);
            if (!match.Success)
            {
                problems.Add(new(name, "$", "A step form file is named <code>.v<version>.json (such as A1.v1.json), or manifest.json."));
                continue;
            }
            var (fileCode, fileVersion) = (match.Groups["code"].Value, int.Parse(match.Groups["version"].Value, CultureInfo.InvariantCulture));
            present.Add((fileCode, fileVersion));
            if (LoadForm(name, json, fileCode, fileVersion, problems) is { } form)
                forms.Add(form);
        }
        var manifest = new Dictionary<(string, int), IReadOnlyDictionary<string, int>>();
        if (manifestJson is null)
        {
            if (forms.Count > 0)
                problems.Add(new(ManifestFile, "$", "The manifest naming the form versions of each workflow definition is missing."));
        }
        else
        {
            ReadManifest(manifestJson, present, workflows, manifest, problems);
        }
        if (problems.Count > 0)
            throw new WorkflowDefinitionException(heading, problems);
        return new StepFormCatalog(forms, manifest);
    }

    private static StepFormDefinition? LoadForm(string file, string json, string fileCode, int fileVersion, List<WorkflowDefinitionProblem> problems)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(json);
            root = document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            problems.Add(new(file, ex.Path ?? "$", $"The file is not valid JSON: {ex.Message}"));
            return null;
        }
        var before = problems.Count;
        void Add(string path, string message) => problems.Add(new(file, path, message));

        if (root.ValueKind != JsonValueKind.Object)
        {
            Add("$", "A step form is a JSON Schema object.");
            return null;
        }
        if (!root.TryGetProperty("$schema", out var dialect) || dialect.GetString() != "https://json-schema.org/draft/2020-12/schema")
            Add("$['$schema']", "A step form declares \"$schema\": \"https://json-schema.org/draft/2020-12/schema\".");

        // A valid schema: the 2020-12 meta-schema accepts it, and JsonSchema.Net builds it.
        var meta = MetaSchemas.Draft202012.Evaluate(root, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (!meta.IsValid)
        {
            foreach (var detail in meta.Details ?? [])
            {
                foreach (var error in detail.Errors ?? new Dictionary<string, string>())
                    Add(JsonPath(detail.InstanceLocation.ToString()), $"Not a valid JSON Schema 2020-12: {error.Value} ({error.Key}).");
            }
            if (problems.Count == before)
                Add("$", "Not a valid JSON Schema 2020-12.");
        }
        JsonSchema? schema = null;
        try
        {
            schema = JsonSchema.Build(root, new BuildOptions { SchemaRegistry = new SchemaRegistry() });
        }
        catch (Exception ex) when (ex is JsonException or JsonSchemaException or ArgumentException or InvalidOperationException or KeyNotFoundException)
        {
            Add("$", $"JsonSchema.Net cannot build the schema: {ex.Message}");
        }

        // x-form: the code and version, matching the file name.
        var code = fileCode;
        if (!root.TryGetProperty("x-form", out var xform) || xform.ValueKind != JsonValueKind.Object)
        {
            Add("$['x-form']", "A step form names its code and version: \"x-form\": {\"code\": \"A1\", \"version\": 1}.");
        }
        else
        {
            var declaredCode = xform.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
            if (declaredCode is null || !StaperSteps.IsKnown(declaredCode))
                Add("$['x-form'].code", $"'{declaredCode}' is not a STAPER step code (A1…A6, B1…B9, C1…C5, D1…D3).");
            else if (declaredCode != fileCode)
                Add("$['x-form'].code", $"The form says code {declaredCode} but its file is named for {fileCode}.");
            if (!xform.TryGetProperty("version", out var v) || v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out var version) || version != fileVersion)
                Add("$['x-form'].version", $"The form's version must be the integer {fileVersion}, as in its file name.");
        }
        if (!StaperSteps.IsKnown(code))
            Add("$", $"'{code}' is not a STAPER step code.");

        var label = Label(root, "$", "x-label", Add, required: true);
        var description = root.TryGetProperty("x-description", out _) ? Label(root, "$", "x-description", Add, required: true) : null;
        if (!root.TryGetProperty("type", out var type) || type.GetString() != "object" || !root.TryGetProperty("properties", out _))
            Add("$", "A step form is an object schema (\"type\": \"object\") with \"properties\".");
        var fields = Fields(root, "$", Add, depth: 0);
        foreach (var reserved in new[] { StepFormDefinition.StatusAuditField, StepFormDefinition.VersionAuditField }.Where(n => fields.Any(f => f.Name == n)))
            Add($"$.properties.{reserved}", $"'{reserved}' names the form's own status or version in the audit trail; give the field another name.");

        if (problems.Count > before || schema is null)
            return null;
        var form = new StepFormDefinition(code, fileVersion, file, root, schema, label!, description, fields);

        // The examples are complete, valid values: the documentation and the tests' fixtures.
        if (root.TryGetProperty("examples", out var examples) && examples.ValueKind == JsonValueKind.Array)
        {
            var i = 0;
            foreach (var example in examples.EnumerateArray())
            {
                var check = StepFormValidator.Validate(form, example);
                foreach (var (field, messages) in check.Errors)
                    Add($"$.examples[{i}]{field["values".Length..]}", $"The example is not valid: {string.Join(" ", messages)}");
                if (check.Missing.Count > 0)
                    Add($"$.examples[{i}]", $"The example is not complete; missing: {string.Join(", ", check.Missing)}.");
                i++;
            }
        }
        return problems.Count > before ? null : form;
    }

    /// <summary>The fields of an object schema; each property needs <c>x-label</c>, each enumeration <c>x-enumLabels</c>.</summary>
    private static List<FormField> Fields(JsonElement objectSchema, string path, Action<string, string> add, int depth)
    {
        var fields = new List<FormField>();
        if (!objectSchema.TryGetProperty("properties", out var properties) || properties.ValueKind != JsonValueKind.Object)
            return fields;
        var required = objectSchema.TryGetProperty("required", out var r) && r.ValueKind == JsonValueKind.Array
            ? r.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToHashSet(StringComparer.Ordinal)
            : [];
        if (!objectSchema.TryGetProperty("additionalProperties", out var additional) || additional.ValueKind != JsonValueKind.False)
            add(path, "Each object in a step form sets \"additionalProperties\": false, so a misspelt field is refused.");
        foreach (var property in properties.EnumerateObject())
        {
            var propertyPath = $"{path}.properties.{property.Name}";
            if (property.Value.ValueKind != JsonValueKind.Object)
            {
                add(propertyPath, "Each property of a step form is a schema object.");
                continue;
            }
            var field = Field(property.Name, property.Value, propertyPath, required.Contains(property.Name), add, depth);
            if (field is not null)
                fields.Add(field);
        }
        foreach (var name in required.Where(n => !properties.TryGetProperty(n, out _)))
            add($"{path}.required", $"'{name}' is required but not a property.");
        return fields;
    }

    private static FormField? Field(string name, JsonElement schema, string path, bool required, Action<string, string> add, int depth)
    {
        var label = Label(schema, path, "x-label", add, required: true);
        var unit = schema.TryGetProperty("x-unit", out _) ? Label(schema, path, "x-unit", add, required: true) : null;
        var type = schema.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        decimal? min = schema.TryGetProperty("minimum", out var mn) && mn.ValueKind == JsonValueKind.Number ? mn.GetDecimal() : null;
        decimal? max = schema.TryGetProperty("maximum", out var mx) && mx.ValueKind == JsonValueKind.Number ? mx.GetDecimal() : null;
        int? maxLength = schema.TryGetProperty("maxLength", out var ml) && ml.ValueKind == JsonValueKind.Number ? ml.GetInt32() : null;
        if (label is null)
            return null;
        switch (type)
        {
            case "string" when schema.TryGetProperty("enum", out _):
                return new FormField(name, FormFieldKind.Choice, label, required, Options: Options(schema, path, add));
            case "string":
                var format = schema.TryGetProperty("format", out var f) ? f.GetString() : null;
                var widget = schema.TryGetProperty("x-widget", out var w) ? w.GetString() : null;
                var kind = format == "date" ? FormFieldKind.Date : widget == "textarea" ? FormFieldKind.LongText : FormFieldKind.Text;
                return new FormField(name, kind, label, required, unit, MaxLength: maxLength);
            case "number":
                return new FormField(name, FormFieldKind.Number, label, required, unit, Minimum: min, Maximum: max);
            case "integer":
                return new FormField(name, FormFieldKind.WholeNumber, label, required, unit, Minimum: min, Maximum: max);
            case "boolean":
                return new FormField(name, FormFieldKind.Boolean, label, required);
            case "array":
                if (!schema.TryGetProperty("items", out var items) || items.ValueKind != JsonValueKind.Object)
                {
                    add(path, "An array field needs an \"items\" schema.");
                    return null;
                }
                var itemType = items.TryGetProperty("type", out var it) ? it.GetString() : null;
                if (itemType == "string" && items.TryGetProperty("enum", out _))
                    return new FormField(name, FormFieldKind.MultiChoice, label, required, Options: Options(items, $"{path}.items", add));
                if (itemType == "string")
                    return new FormField(name, FormFieldKind.Lines, label, required);
                if (itemType == "object" && depth == 0)
                    return new FormField(name, FormFieldKind.Rows, label, required, Children: Fields(items, $"{path}.items", add, depth + 1));
                add(path, "Arrays hold strings, enumeration values, or (at the top level) objects.");
                return null;
            default:
                add($"{path}.type", $"Unsupported field type '{type}'; use string, number, integer, boolean or array.");
                return null;
        }
    }

    private static List<FormOption> Options(JsonElement schema, string path, Action<string, string> add)
    {
        var options = new List<FormOption>();
        if (!schema.TryGetProperty("enum", out var values) || values.ValueKind != JsonValueKind.Array)
            return options;
        schema.TryGetProperty("x-enumLabels", out var labels);
        if (labels.ValueKind != JsonValueKind.Object)
        {
            add($"{path}['x-enumLabels']", "An enumeration needs \"x-enumLabels\": {value: {\"en\": …, \"zh-Hans\": …}} for each value.");
            return options;
        }
        foreach (var value in values.EnumerateArray())
        {
            var text = value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
            if (!labels.TryGetProperty(text, out _))
            {
                add($"{path}['x-enumLabels']", $"The enumeration value '{text}' has no labels.");
                continue;
            }
            if (Label(labels, $"{path}['x-enumLabels']", text, add, required: true) is { } label)
                options.Add(new FormOption(text, label));
        }
        return options;
    }

    /// <summary>Reads <c>{"en": …, "zh-Hans": …}</c> under <paramref name="keyword"/>; both texts must be non-empty.</summary>
    private static LocalizedText? Label(JsonElement owner, string path, string keyword, Action<string, string> add, bool required)
    {
        var keywordPath = keyword.All(char.IsAsciiLetterOrDigit) ? $"{path}.{keyword}" : $"{path}['{keyword}']";
        if (!owner.TryGetProperty(keyword, out var label) || label.ValueKind != JsonValueKind.Object)
        {
            if (required)
                add(keywordPath, $"A label in both languages is required: \"{keyword}\": {{\"en\": \"…\", \"zh-Hans\": \"…\"}}.");
            return null;
        }
        var en = label.TryGetProperty("en", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;
        var zh = label.TryGetProperty("zh-Hans", out var z) && z.ValueKind == JsonValueKind.String ? z.GetString() : null;
        if (string.IsNullOrWhiteSpace(en))
            add($"{keywordPath}.en", "The English label is missing.");
        if (string.IsNullOrWhiteSpace(zh))
            add($"{keywordPath}['zh-Hans']", "The Chinese (zh-Hans) label is missing.");
        return string.IsNullOrWhiteSpace(en) || string.IsNullOrWhiteSpace(zh) ? null : new LocalizedText(en, zh);
    }

    private static void ReadManifest(
        string json, HashSet<(string, int)> present, WorkflowCatalog workflows,
        Dictionary<(string, int), IReadOnlyDictionary<string, int>> manifest, List<WorkflowDefinitionProblem> problems)
    {
        void Add(string path, string message) => problems.Add(new(ManifestFile, path, message));
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(json);
            root = document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            Add(ex.Path ?? "$", $"The file is not valid JSON: {ex.Message}");
            return;
        }
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("workflows", out var entries) || entries.ValueKind != JsonValueKind.Array)
        {
            Add("$", "The manifest is {\"workflows\": [{\"id\": …, \"version\": …, \"forms\": {\"A1\": 1, …}}]}.");
            return;
        }
        var i = 0;
        foreach (var entry in entries.EnumerateArray())
        {
            var path = $"$.workflows[{i++}]";
            var id = entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty("id", out var idValue) && idValue.ValueKind == JsonValueKind.String ? idValue.GetString()! : null;
            var version = entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty("version", out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n) ? n : (int?)null;
            if (id is null || version is null || !entry.TryGetProperty("forms", out var map) || map.ValueKind != JsonValueKind.Object)
            {
                Add(path, "Each entry names a workflow \"id\", its \"version\" and its \"forms\" (code → form version).");
                continue;
            }
            var definition = workflows.Find(id, version.Value);
            if (definition is null)
            {
                Add(path, $"Workflow {id}@{version} is not loaded.");
                continue;
            }
            var steps = definition.States.SelectMany(s => s.Steps).ToHashSet(StringComparer.Ordinal);
            var codes = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var form in map.EnumerateObject())
            {
                var formPath = $"{path}.forms.{form.Name}";
                if (!steps.Contains(form.Name))
                    Add(formPath, $"'{form.Name}' is not a step of {id}@{version}.");
                else if (form.Value.ValueKind != JsonValueKind.Number || !form.Value.TryGetInt32(out var formVersion))
                    Add(formPath, "The form version is an integer.");
                else if (!present.Contains((form.Name, formVersion)))
                    Add(formPath, $"No form {form.Name}.v{formVersion}.json is loaded.");
                else
                    codes[form.Name] = formVersion;
            }
            if (!manifest.TryAdd((id, version.Value), codes))
                Add(path, $"Workflow {id}@{version} is listed twice.");
        }
    }

    private static string JsonPath(string pointer)
    {
        if (string.IsNullOrEmpty(pointer) || pointer == "/")
            return "$";
        var path = new System.Text.StringBuilder("$");
        foreach (var segment in pointer.TrimStart('/').Split('/'))
        {
            if (int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                path.Append('[').Append(index.ToString(CultureInfo.InvariantCulture)).Append(']');
            else if (segment.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
                path.Append('.').Append(segment);
            else
                path.Append("['").Append(segment.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).Append("']");
        }
        return path.ToString();
    }

    internal static string FieldPath(string prefix, string pointer)
    {
        var path = JsonPath(pointer);
        return prefix + path[1..];
    }
}
