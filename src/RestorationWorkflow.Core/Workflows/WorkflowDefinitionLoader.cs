using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Json.Schema;
using RestorationWorkflow.Identity;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Workflows.Guards;

namespace RestorationWorkflow.Workflows;

/// <summary>The outcome of checking one definition file: the definition when it is valid, and every problem found.</summary>
public sealed record WorkflowDefinitionValidation(WorkflowDefinition? Definition, IReadOnlyList<WorkflowDefinitionProblem> Problems)
{
    public bool IsValid => Definition is not null && Problems.Count == 0;
}

/// <summary>
/// Reads workflow definitions (<c>workflows/*.json</c>) and checks them in three passes:
/// <list type="number">
/// <item>the JSON schema <c>schema/workflow-definition.schema.json</c> (structure, names, enums, patterns);</item>
/// <item>strict deserialization (camelCase; unknown or missing required properties are errors);</item>
/// <item>semantics: every named state, guard type, role, gate and STAPER step exists, guard parameters are
/// valid, a trigger leaves a state once, every state is reachable, every non-terminal state has an exit,
/// every gate is used, <c>to</c> and <c>toPreviousState</c> are consistent, <c>monitoringOpen</c> is on a state
/// where work is done, <c>migrateFrom</c> names an earlier version and maps to states of this one; a state's
/// <c>gate</c> is a defined gate named by no other state, on a review state that one <c>approve</c> and at least one
/// <c>reject</c> transition carrying that gate leave, and no other transition leaving it carries a gate; a gate's
/// <c>covers</c> are known sections (<see cref="ApprovalSections"/>); a state's indicative <c>window</c> ends after it
/// starts and is not on a terminal or suspended state;</item>
/// <item>across files: a <c>migrateFrom</c> mapping names states of the source version and leaves none of them
/// without a counterpart.</item>
/// </list>
/// The semantic pass runs once a file matches the schema. Every problem of every file is collected and one
/// <see cref="WorkflowDefinitionException"/> lists them all.
/// </summary>
public sealed class WorkflowDefinitionLoader
{
    /// <summary>Where the schema lives, relative to the definitions folder.</summary>
    public const string SchemaPath = "schema/workflow-definition.schema.json";

    private readonly JsonSchema _schema;
    private readonly JsonElement _schemaRoot;

    /// <summary>A loader validating against the schema text <paramref name="schemaJson"/>.</summary>
    /// <exception cref="WorkflowDefinitionException">The schema itself is not valid.</exception>
    public WorkflowDefinitionLoader(string schemaJson, GuardRegistry guards)
        : this(schemaJson, guards, SchemaPath)
    {
    }

    private WorkflowDefinitionLoader(string schemaJson, GuardRegistry guards, string schemaFile)
    {
        ArgumentNullException.ThrowIfNull(schemaJson);
        ArgumentNullException.ThrowIfNull(guards);
        Guards = guards;
        try
        {
            using var document = JsonDocument.Parse(schemaJson);
            _schemaRoot = document.RootElement.Clone();
            // A private registry: building registers the schema by its $id, and the global registry refuses a second one.
            _schema = JsonSchema.Build(_schemaRoot, new BuildOptions { SchemaRegistry = new SchemaRegistry() });
        }
        catch (Exception ex) when (ex is JsonException or JsonSchemaException or ArgumentException or InvalidOperationException)
        {
            throw new WorkflowDefinitionException(
                $"The workflow definition schema {schemaFile} is invalid:",
                [new WorkflowDefinitionProblem(schemaFile, "$", ex.Message)]);
        }
    }

    /// <summary>The strict options definitions are read with (camelCase, no unknown members, required members enforced).</summary>
    public static JsonSerializerOptions SerializerOptions { get; } = CreateSerializerOptions();

    /// <summary>The guard types definitions may name.</summary>
    public GuardRegistry Guards { get; }

    /// <summary>A loader using <c>schema/workflow-definition.schema.json</c> under <paramref name="definitionsFolder"/>.</summary>
    /// <exception cref="WorkflowDefinitionException">The schema is missing or invalid.</exception>
    public static WorkflowDefinitionLoader ForFolder(string definitionsFolder, GuardRegistry guards)
    {
        ArgumentException.ThrowIfNullOrEmpty(definitionsFolder);
        var schemaFile = Path.Combine(definitionsFolder, SchemaPath.Replace('/', Path.DirectorySeparatorChar));
        if (!File.Exists(schemaFile))
        {
            throw new WorkflowDefinitionException(
                Heading(definitionsFolder),
                [new WorkflowDefinitionProblem(SchemaPath, "$", $"The JSON schema for workflow definitions is missing: expected {Path.GetFullPath(schemaFile)}.")]);
        }
        return new WorkflowDefinitionLoader(File.ReadAllText(schemaFile), guards, SchemaPath);
    }

    /// <summary>Loads and checks every definition in <paramref name="definitionsFolder"/> against the schema kept there.</summary>
    /// <exception cref="WorkflowDefinitionException">The schema or any definition is invalid.</exception>
    public static WorkflowCatalog LoadCatalog(string definitionsFolder, GuardRegistry guards) =>
        ForFolder(definitionsFolder, guards).LoadFolder(definitionsFolder);

    /// <summary>Loads every <c>*.json</c> directly in <paramref name="definitionsFolder"/> (not the <c>schema/</c> subfolder).</summary>
    /// <exception cref="WorkflowDefinitionException">The folder has no definitions or any of them is invalid.</exception>
    public WorkflowCatalog LoadFolder(string definitionsFolder)
    {
        ArgumentException.ThrowIfNullOrEmpty(definitionsFolder);
        var heading = Heading(definitionsFolder);
        if (!Directory.Exists(definitionsFolder))
            throw new WorkflowDefinitionException(heading, [new WorkflowDefinitionProblem(definitionsFolder, "$", "The folder does not exist.")]);

        var files = Directory.EnumerateFiles(definitionsFolder, "*.json", SearchOption.TopDirectoryOnly)
            .Where(path => string.Equals(Path.GetExtension(path), ".json", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .Select(path => new SourceFile(Path.GetFileName(path), File.ReadAllText(path), Path.GetFullPath(path)))
            .ToList();
        if (files.Count == 0)
        {
            throw new WorkflowDefinitionException(heading,
                [new WorkflowDefinitionProblem(definitionsFolder, "$", "The folder holds no workflow definition (*.json).")]);
        }
        return Load(files, heading);
    }

    /// <summary>Loads several definitions given as file name → JSON text (tests, uploads), in file-name order.</summary>
    /// <exception cref="WorkflowDefinitionException">Any definition is invalid, or two share an id and version.</exception>
    public WorkflowCatalog LoadFromJson(IReadOnlyDictionary<string, string> jsonByFileName)
    {
        ArgumentNullException.ThrowIfNull(jsonByFileName);
        var files = jsonByFileName.OrderBy(f => f.Key, StringComparer.Ordinal)
            .Select(f => new SourceFile(f.Key, f.Value, f.Key))
            .ToList();
        return Load(files, $"Workflow definitions {string.Join(", ", files.Select(f => f.Name))} are invalid:");
    }

    /// <summary>Loads one definition from JSON text; <paramref name="fileName"/> names it in messages.</summary>
    /// <exception cref="WorkflowDefinitionException">The definition is invalid.</exception>
    public WorkflowDefinition LoadFromJson(string json, string fileName)
    {
        var validation = Validate(json, fileName);
        if (!validation.IsValid)
            throw new WorkflowDefinitionException($"Workflow definition {fileName} is invalid:", validation.Problems);
        return validation.Definition!;
    }

    /// <summary>Checks one definition without throwing: every problem, and the definition when there are none.</summary>
    public WorkflowDefinitionValidation Validate(string json, string fileName)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(fileName);
        var problems = Check(json, fileName, out var parsed);
        if (parsed is not null)
            parsed.SourceFile = fileName;
        return new WorkflowDefinitionValidation(problems.Count == 0 ? parsed : null, problems);
    }

    private WorkflowCatalog Load(IReadOnlyList<SourceFile> files, string heading)
    {
        var problems = new List<WorkflowDefinitionProblem>();
        var definitions = new List<WorkflowDefinition>();
        var filesByKey = new Dictionary<(string Id, int Version), string>();
        foreach (var file in files)
        {
            var fileProblems = Check(file.Json, file.Name, out var parsed);
            problems.AddRange(fileProblems);
            if (parsed is null)
                continue;
            parsed.SourceFile = file.Source;
            if (!filesByKey.TryAdd((parsed.Id, parsed.Version), file.Name))
            {
                problems.Add(new WorkflowDefinitionProblem(file.Name, "$.version",
                    $"Workflow {parsed.Key} is already defined in {filesByKey[(parsed.Id, parsed.Version)]}; each file needs its own id and version."));
                continue;
            }
            if (fileProblems.Count == 0)
                definitions.Add(parsed);
        }
        foreach (var definition in definitions)
            CheckMigrationSource(definition, definitions, filesByKey[(definition.Id, definition.Version)], problems);
        if (problems.Count > 0)
            throw new WorkflowDefinitionException(heading, problems);
        return new WorkflowCatalog(definitions);
    }

    /// <summary>
    /// The checks of <c>migrateFrom</c> that need the source version (when it is loaded): every mapped state is a
    /// state of the source, and every state of the source that this version has not is mapped. A source that is not
    /// loaded (removed once no project is pinned to it) is not an error: there is nothing left to migrate from it.
    /// </summary>
    private static void CheckMigrationSource(WorkflowDefinition definition, IReadOnlyList<WorkflowDefinition> loaded, string fileName, List<WorkflowDefinitionProblem> problems)
    {
        if (definition.MigrateFrom is not { } from)
            return;
        var source = loaded.FirstOrDefault(d => d.Id == definition.Id && d.Version == from.Version);
        if (source is null)
            return;
        foreach (var (code, _) in from.States)
        {
            if (source.FindState(code) is null)
            {
                problems.Add(new WorkflowDefinitionProblem(fileName, $"$.migrateFrom.states.{code}",
                    $"'{code}' is not a state of {source.Key}; its states are {string.Join(", ", source.States.Select(s => s.Code))}."));
            }
        }
        foreach (var state in source.States)
        {
            if (definition.FindState(state.Code) is null && !from.States.ContainsKey(state.Code))
            {
                problems.Add(new WorkflowDefinitionProblem(fileName, "$.migrateFrom.states",
                    $"State '{state.Code}' of {source.Key} has no state in {definition.Key}: map it, such as \"{state.Code}\": \"{definition.InitialState}\"."));
            }
        }
    }

    /// <summary>All problems of one file; <paramref name="parsed"/> is set whenever the file deserialized.</summary>
    private List<WorkflowDefinitionProblem> Check(string json, string fileName, out WorkflowDefinition? parsed)
    {
        parsed = null;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            return [new WorkflowDefinitionProblem(fileName, ex.Path ?? "$", $"The file is not valid JSON: {ex.Message}")];
        }

        using (document)
        {
            var root = document.RootElement;
            var problems = EvaluateSchema(root, fileName);
            try
            {
                parsed = root.Deserialize<WorkflowDefinition>(SerializerOptions);
                if (parsed is null && problems.Count == 0)
                    problems.Add(new WorkflowDefinitionProblem(fileName, "$", "The file holds no workflow definition."));
            }
            catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException or ArgumentException)
            {
                // When the schema already failed, deserialization fails for the same reason: report the schema's words.
                if (problems.Count == 0)
                    problems.Add(new WorkflowDefinitionProblem(fileName, (ex as JsonException)?.Path ?? "$", WithoutPosition(ex.Message)));
                parsed = null;
            }

            if (parsed is not null && problems.Count == 0)
                new SemanticChecker(parsed, root, fileName, Guards, problems).Run();
            return problems;
        }
    }

    private List<WorkflowDefinitionProblem> EvaluateSchema(JsonElement root, string fileName)
    {
        var results = _schema.Evaluate(root, new EvaluationOptions
        {
            OutputFormat = OutputFormat.List,
            Culture = CultureInfo.InvariantCulture,
        });
        var problems = new List<WorkflowDefinitionProblem>();
        if (results.IsValid)
            return problems;

        Collect(results);
        if (problems.Count == 0)
            problems.Add(new WorkflowDefinitionProblem(fileName, "$", "The file does not match the workflow definition schema."));
        return [.. problems.Distinct()];

        void Collect(EvaluationResults node)
        {
            if (node.Errors is { } errors)
            {
                var pointer = node.InstanceLocation.ToString();
                foreach (var error in errors)
                    problems.Add(new WorkflowDefinitionProblem(fileName, JsonPaths.FromPointer(pointer, root), DescribeSchemaError(error.Key, error.Value, node, pointer, root)));
            }
            if (node.Details is { } details)
            {
                foreach (var child in details)
                    Collect(child);
            }
        }
    }

    private string DescribeSchemaError(string keyword, string message, EvaluationResults node, string pointer, JsonElement root)
    {
        var value = JsonPaths.Resolve(root, pointer);
        var found = value is { } v ? Shorten(v.GetRawText()) : "the value";
        var evaluationPath = node.EvaluationPath.ToString();
        switch (keyword)
        {
            case "" or "false" when evaluationPath.EndsWith("/additionalProperties", StringComparison.Ordinal)
                                    || evaluationPath.EndsWith("/unevaluatedProperties", StringComparison.Ordinal):
                return $"Unknown property '{JsonPaths.LastSegment(pointer)}': it is not part of the workflow definition schema.";
            case "enum":
                return SchemaKeyword(node, "enum") is { ValueKind: JsonValueKind.Array } allowed
                    ? $"{found} is not allowed here; use one of {string.Join(", ", allowed.EnumerateArray().Select(a => a.GetRawText()))}."
                    : $"{message} (found {found}).";
            case "pattern":
                return SchemaKeyword(node, "pattern") is { ValueKind: JsonValueKind.String } pattern
                    ? $"{found} does not match the pattern {pattern.GetString()}."
                    : $"{message} (found {found}).";
            default:
                return $"{message} (schema: {keyword}).";
        }
    }

    /// <summary>The value of a keyword of the subschema that reported an error, when its location resolves.</summary>
    private JsonElement? SchemaKeyword(EvaluationResults node, string keyword)
    {
        var fragment = node.SchemaLocation?.Fragment;
        if (string.IsNullOrEmpty(fragment))
            return null;
        var subschema = JsonPaths.Resolve(_schemaRoot, Uri.UnescapeDataString(fragment.TrimStart('#')));
        return subschema is { ValueKind: JsonValueKind.Object } s && s.TryGetProperty(keyword, out var value) ? value : null;
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : string.Concat(text.AsSpan(0, 77), "...");

    /// <summary>System.Text.Json appends "Path: … | LineNumber: … | BytePositionInLine: …"; the path is reported separately.</summary>
    private static string WithoutPosition(string message)
    {
        var index = message.IndexOf(" Path: ", StringComparison.Ordinal);
        return index < 0 ? message : message[..index];
    }

    private static string Heading(string folder) => $"Workflow definitions in {folder} are invalid:";

    private static JsonSerializerOptions CreateSerializerOptions()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            PropertyNameCaseInsensitive = false,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true,
            ReadCommentHandling = JsonCommentHandling.Disallow,
            AllowTrailingCommas = false,
            WriteIndented = true,
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    private sealed record SourceFile(string Name, string Json, string Source);

    /// <summary>The checks a schema cannot express: cross-references, reachability, exits.</summary>
    private sealed class SemanticChecker(
        WorkflowDefinition definition,
        JsonElement root,
        string fileName,
        GuardRegistry guards,
        List<WorkflowDefinitionProblem> problems)
    {
        private readonly Dictionary<string, int> _stateIndex = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int> _gateIndex = new(StringComparer.Ordinal);

        public void Run()
        {
            CheckStates();
            CheckMigrateFrom();
            CheckGates();
            CheckTransitions();
            CheckGatedStates();
            CheckUnusedGates();
            CheckAdaptiveDecisions();
            CheckReachability();
            CheckExits();
        }

        private void Add(string path, string message) => problems.Add(new WorkflowDefinitionProblem(fileName, path, message));

        private StateDefinition? State(string code) =>
            _stateIndex.TryGetValue(code, out var index) ? definition.States[index] : null;

        private void CheckStates()
        {
            for (var i = 0; i < definition.States.Count; i++)
            {
                var state = definition.States[i];
                if (!_stateIndex.TryAdd(state.Code, i))
                    Add($"$.states[{i}].code", $"State '{state.Code}' is defined twice (first at $.states[{_stateIndex[state.Code]}]).");
                for (var j = 0; j < state.Steps.Count; j++)
                {
                    if (!StaperSteps.IsKnown(state.Steps[j]))
                        Add($"$.states[{i}].steps[{j}]", $"'{state.Steps[j]}' is not a STAPER step code (A1…A6, B1…B9, C1…C5, D1…D3).");
                }
                if (state.MonitoringOpen && state.Kind is StateKind.Terminal or StateKind.Suspended)
                    Add($"$.states[{i}].monitoringOpen", $"State '{state.Code}' is {state.Kind.ToString().ToLowerInvariant()}: no work is done there, so monitoring cannot be open.");
                if (state.Window is { } window)
                {
                    if (state.Kind is StateKind.Terminal or StateKind.Suspended)
                        Add($"$.states[{i}].window", $"State '{state.Code}' is {state.Kind.ToString().ToLowerInvariant()}: no step is worked there, so it has no indicative window; remove it.");
                    if (window.ToYear <= window.FromYear)
                        Add($"$.states[{i}].window.toYear", $"The window of state '{state.Code}' must end after it starts: toYear {window.ToYear} is not after fromYear {window.FromYear}.");
                }
            }

            var initial = State(definition.InitialState);
            if (initial is null)
                Add("$.initialState", $"Unknown state '{definition.InitialState}': the initial state must be one of the states.");
            else if (initial.Kind is StateKind.Terminal or StateKind.Suspended)
                Add("$.initialState", $"The initial state '{initial.Code}' is {initial.Kind.ToString().ToLowerInvariant()}; a project must start in an active state.");
        }

        /// <summary>What <c>migrateFrom</c> says about this file alone; the source's states are checked once every file is read.</summary>
        private void CheckMigrateFrom()
        {
            if (definition.MigrateFrom is not { } from)
                return;
            if (from.Version >= definition.Version)
                Add("$.migrateFrom.version", $"Projects migrate from an earlier version: {from.Version} is not below {definition.Version}.");
            foreach (var (code, target) in from.States)
            {
                var state = State(target);
                if (state is null)
                    Add($"$.migrateFrom.states.{code}", $"Unknown state '{target}': '{code}' must map to a state of this definition ({string.Join(", ", definition.States.Select(s => s.Code))}).");
                else if (state.Kind == StateKind.Suspended)
                    Add($"$.migrateFrom.states.{code}", $"'{code}' maps to the suspended state '{target}', which needs a state to resume to; map it to an active, review or terminal state.");
            }
        }

        private void CheckGates()
        {
            for (var g = 0; g < definition.Gates.Count; g++)
            {
                var gate = definition.Gates[g];
                if (!_gateIndex.TryAdd(gate.Id, g))
                    Add($"$.gates[{g}].id", $"Gate '{gate.Id}' is defined twice (first at $.gates[{_gateIndex[gate.Id]}]).");
                for (var r = 0; r < gate.ApproverRoles.Count; r++)
                    CheckRole($"$.gates[{g}].approverRoles[{r}]", gate.ApproverRoles[r]);
                for (var c = 0; c < gate.Covers.Count; c++)
                {
                    if (!ApprovalSections.All.Contains(gate.Covers[c], StringComparer.Ordinal))
                        Add($"$.gates[{g}].covers[{c}]", $"Unknown section '{gate.Covers[c]}'; sections are {string.Join(", ", ApprovalSections.All)}.");
                }
            }
        }

        /// <summary>
        /// A review state that names a gate is decided through approval requests: reaching the gate's quorum fires its
        /// one <c>approve</c> transition, a rejection fires a <c>reject</c> transition. So the state must be a review
        /// state naming a defined gate no other state names; exactly one approve and at least one reject transition,
        /// each carrying that gate, leave it; no other transition leaving it carries a gate; and a transition carrying
        /// a gate decided in a state leaves only that state.
        /// </summary>
        private void CheckGatedStates()
        {
            var gateStates = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < definition.States.Count; i++)
            {
                var state = definition.States[i];
                if (state.Gate is not { } gate || _stateIndex[state.Code] != i)
                    continue;
                var path = $"$.states[{i}].gate";
                if (!_gateIndex.ContainsKey(gate))
                {
                    var known = definition.Gates.Count == 0 ? "none are defined" : $"defined gates are {string.Join(", ", definition.Gates.Select(g => g.Id))}";
                    Add(path, $"Unknown gate '{gate}'; {known}.");
                }
                if (state.Kind != StateKind.Review)
                {
                    Add(path, $"State '{state.Code}' is {state.Kind.ToString().ToLowerInvariant()}: only a review state may name a gate (a gate is decided while the project waits in review).");
                    continue;
                }
                if (!gateStates.TryAdd(gate, i))
                {
                    Add(path, $"Gate '{gate}' is already decided in state '{definition.States[gateStates[gate]].Code}' ($.states[{gateStates[gate]}]); a gate may be named by one state only.");
                    continue;
                }

                var approvals = new List<int>();
                var rejections = 0;
                for (var k = 0; k < definition.Transitions.Count; k++)
                {
                    var t = definition.Transitions[k];
                    if (!t.From.Contains(state.Code))
                        continue;
                    var transitionPath = $"$.transitions[{k}]";
                    if (t.Kind is "approve" or "reject")
                    {
                        if (t.Kind == "approve")
                            approvals.Add(k);
                        else
                            rejections++;
                        if (t.Gate is null)
                            Add(transitionPath, $"'{t.Trigger}' is the {t.Kind} transition of state '{state.Code}', which decides gate '{gate}': add \"gate\": \"{gate}\" (it fires from the gate's decisions).");
                        else if (t.Gate != gate)
                            Add($"{transitionPath}.gate", $"'{t.Trigger}' leaves state '{state.Code}', whose gate is '{gate}', but names gate '{t.Gate}'; a transition leaving a gated state may name only that state's gate.");
                    }
                    else if (t.Gate is not null)
                    {
                        Add($"{transitionPath}.gate", $"'{t.Trigger}' is a {t.Kind} transition leaving state '{state.Code}', which decides gate '{gate}'; only its approve and reject transitions may carry a gate.");
                    }
                }

                if (approvals.Count == 0)
                    Add(path, $"State '{state.Code}' decides gate '{gate}' but no approve transition leaves it: add one (\"kind\": \"approve\", \"gate\": \"{gate}\") for the quorum to fire.");
                foreach (var extra in approvals.Skip(1))
                    Add($"$.transitions[{extra}].kind", $"A second approve transition leaves state '{state.Code}' (the first is $.transitions[{approvals[0]}]); reaching the quorum of gate '{gate}' fires exactly one.");
                if (rejections == 0)
                    Add(path, $"State '{state.Code}' decides gate '{gate}' but no reject transition leaves it: add one (\"kind\": \"reject\", \"gate\": \"{gate}\") for a rejection to loop back.");
            }

            // A gate decided in a state is decided there only: a transition carrying it from another state would bypass the requests.
            for (var k = 0; k < definition.Transitions.Count; k++)
            {
                var t = definition.Transitions[k];
                if (t.Gate is null || !gateStates.TryGetValue(t.Gate, out var stateIndex))
                    continue;
                var decidedIn = definition.States[stateIndex].Code;
                foreach (var from in t.From.Where(f => f != decidedIn && State(f) is { Gate: null }))
                    Add($"$.transitions[{k}].gate", $"Gate '{t.Gate}' is decided in state '{decidedIn}', but '{t.Trigger}' carries it from '{from}'; only transitions leaving '{decidedIn}' may carry it.");
            }
        }

        /// <summary>
        /// <c>adaptiveDecision</c> (decision 0032): a decision is carried out by a transition of the kind it means (close:
        /// advance; every other: feedback) that leaves active states only, with no gate of its own; a state offers each
        /// decision once, and a state offering any offers all of them, so every decision a person takes there fires
        /// something.
        /// </summary>
        private void CheckAdaptiveDecisions()
        {
            var offered = new Dictionary<string, Dictionary<string, int>>(StringComparer.Ordinal);
            for (var k = 0; k < definition.Transitions.Count; k++)
            {
                var t = definition.Transitions[k];
                if (t.AdaptiveDecision is not { } decision)
                    continue;
                var path = $"$.transitions[{k}].adaptiveDecision";
                if (!AdaptiveDecisions.IsKnown(decision))
                {
                    Add(path, $"Unknown adaptive decision '{decision}'; decisions are {string.Join(", ", AdaptiveDecisions.All)}.");
                    continue;
                }
                var kind = AdaptiveDecisions.ExpectedKind(decision);
                if (t.Kind != kind)
                    Add(path, $"'{t.Trigger}' carries the decision '{decision}', which is a{(kind == "advance" ? "n" : "")} {kind} transition, but its kind is {t.Kind}.");
                if (t.Gate is not null)
                    Add(path, $"'{t.Trigger}' carries the decision '{decision}' and decides gate '{t.Gate}'; a decision leads to a gate, it does not decide one.");
                foreach (var from in t.From)
                {
                    if (State(from) is { } state && state.Kind != StateKind.Active)
                        Add(path, $"'{t.Trigger}' carries the decision '{decision}' from '{from}', which is {state.Kind.ToString().ToLowerInvariant()}; decisions are taken in active states.");
                    var decisions = offered.TryGetValue(from, out var d) ? d : offered[from] = new Dictionary<string, int>(StringComparer.Ordinal);
                    if (!decisions.TryAdd(decision, k))
                        Add(path, $"State '{from}' already offers the decision '{decision}' at $.transitions[{decisions[decision]}]; each decision fires one transition.");
                }
            }
            foreach (var (state, decisions) in offered)
            {
                var missing = AdaptiveDecisions.All.Where(d => !decisions.ContainsKey(d)).ToList();
                if (missing.Count > 0 && _stateIndex.TryGetValue(state, out var index))
                    Add($"$.states[{index}]", $"State '{state}' offers adaptive decisions but none for {string.Join(", ", missing)}; give each a transition (\"adaptiveDecision\": \"{missing[0]}\").");
            }
        }

        private void CheckRole(string path, string role)
        {
            if (!AppRoles.IsKnown(role))
                Add(path, $"Unknown role '{role}'; roles are {string.Join(", ", AppRoles.All)}.");
        }

        private void CheckTransitions()
        {
            var triggers = new Dictionary<(string State, string Trigger), int>();
            var transitionsJson = root.GetProperty("transitions");
            for (var i = 0; i < definition.Transitions.Count; i++)
            {
                var t = definition.Transitions[i];
                var path = $"$.transitions[{i}]";
                var fromIsList = transitionsJson[i].GetProperty("from").ValueKind == JsonValueKind.Array;

                for (var j = 0; j < t.From.Count; j++)
                {
                    var from = t.From[j];
                    var fromPath = fromIsList ? $"{path}.from[{j}]" : $"{path}.from";
                    var state = State(from);
                    if (state is null)
                        Add(fromPath, $"Unknown state '{from}'.");
                    else if (state.Kind == StateKind.Terminal)
                        Add(fromPath, $"State '{from}' is terminal: no transition may leave it.");
                    if (!triggers.TryAdd((from, t.Trigger), i))
                        Add($"{path}.trigger", $"Trigger '{t.Trigger}' already leaves state '{from}' at $.transitions[{triggers[(from, t.Trigger)]}]; a trigger may leave a state only once.");
                }

                if (t.ToPreviousState)
                {
                    if (t.To is not null)
                        Add($"{path}.to", "Give either 'to' or 'toPreviousState': true, not both.");
                    foreach (var from in t.From.Where(f => State(f) is { Kind: not StateKind.Suspended and not StateKind.Terminal }))
                        Add($"{path}.toPreviousState", $"'toPreviousState' returns from a suspended state, but '{from}' is not suspended.");
                }
                else if (t.To is null)
                {
                    Add(path, "The transition has no target: give 'to', or 'toPreviousState': true to return from a suspension.");
                }
                else if (State(t.To) is null)
                {
                    Add($"{path}.to", $"Unknown state '{t.To}'.");
                }

                for (var r = 0; r < t.Roles.Count; r++)
                    CheckRole($"{path}.roles[{r}]", t.Roles[r]);

                for (var k = 0; k < t.Guards.Count; k++)
                {
                    var guardDefinition = t.Guards[k];
                    var guardPath = $"{path}.guards[{k}]";
                    var guard = guards.Find(guardDefinition.Type);
                    if (guard is null)
                    {
                        Add($"{guardPath}.type", $"Unknown guard type '{guardDefinition.Type}'; registered types are {string.Join(", ", guards.Types.Order(StringComparer.Ordinal))}.");
                        continue;
                    }
                    foreach (var problem in guard.ValidateParameters(guardDefinition))
                        Add(problem.Parameter is null ? guardPath : $"{guardPath}.{problem.Parameter}", problem.Message);
                }

                if (t.Gate is not null && !_gateIndex.ContainsKey(t.Gate))
                {
                    var known = definition.Gates.Count == 0 ? "none are defined" : $"defined gates are {string.Join(", ", definition.Gates.Select(g => g.Id))}";
                    Add($"{path}.gate", $"Unknown gate '{t.Gate}'; {known}.");
                }
            }
        }

        private void CheckUnusedGates()
        {
            for (var g = 0; g < definition.Gates.Count; g++)
            {
                var id = definition.Gates[g].Id;
                if (!definition.Transitions.Any(t => t.Gate == id))
                    Add($"$.gates[{g}].id", $"Gate '{id}' is not used by any transition.");
            }
        }

        /// <summary>
        /// Breadth-first from the initial state along <c>to</c>. A <c>toPreviousState</c> transition returns to a
        /// state that has a transition into the suspended state it leaves; such a state was reached before the
        /// suspension, so returning to it reaches nothing new.
        /// </summary>
        private void CheckReachability()
        {
            if (State(definition.InitialState) is null)
                return;
            var reached = new HashSet<string>(StringComparer.Ordinal) { definition.InitialState };
            var queue = new Queue<string>([definition.InitialState]);
            while (queue.TryDequeue(out var state))
            {
                foreach (var t in definition.TransitionsFrom(state))
                {
                    if (!t.ToPreviousState && t.To is not null && State(t.To) is not null && reached.Add(t.To))
                        queue.Enqueue(t.To);
                }
            }

            for (var i = 0; i < definition.States.Count; i++)
            {
                var code = definition.States[i].Code;
                if (!reached.Contains(code) && _stateIndex[code] == i)
                    Add($"$.states[{i}]", $"State '{code}' cannot be reached from the initial state '{definition.InitialState}'.");
            }
        }

        private void CheckExits()
        {
            for (var i = 0; i < definition.States.Count; i++)
            {
                var state = definition.States[i];
                if (state.Kind != StateKind.Terminal && _stateIndex[state.Code] == i && !definition.TransitionsFrom(state.Code).Any())
                    Add($"$.states[{i}]", $"State '{state.Code}' is not terminal but no transition leaves it.");
            }
        }
    }
}

/// <summary>Converts JSON Pointers (<c>/transitions/3/to</c>) to the JSON paths used in messages (<c>$.transitions[3].to</c>).</summary>
internal static class JsonPaths
{
    public static string FromPointer(string pointer, JsonElement root)
    {
        if (string.IsNullOrEmpty(pointer))
            return "$";
        var path = new StringBuilder("$");
        JsonElement? current = root;
        foreach (var segment in Segments(pointer))
        {
            if (current is { ValueKind: JsonValueKind.Array } array
                && int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            {
                path.Append('[').Append(index.ToString(CultureInfo.InvariantCulture)).Append(']');
                current = index < array.GetArrayLength() ? array[index] : null;
                continue;
            }
            if (segment.Length > 0 && segment.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '$') && !char.IsAsciiDigit(segment[0]))
                path.Append('.').Append(segment);
            else
                path.Append("['").Append(segment.Replace("'", "\\'", StringComparison.Ordinal)).Append("']");
            current = current is { ValueKind: JsonValueKind.Object } obj && obj.TryGetProperty(segment, out var child) ? child : null;
        }
        return path.ToString();
    }

    public static JsonElement? Resolve(JsonElement root, string pointer)
    {
        var current = root;
        if (string.IsNullOrEmpty(pointer))
            return current;
        foreach (var segment in Segments(pointer))
        {
            if (current.ValueKind == JsonValueKind.Array
                && int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var index)
                && index < current.GetArrayLength())
            {
                current = current[index];
            }
            else if (current.ValueKind == JsonValueKind.Object && current.TryGetProperty(segment, out var child))
            {
                current = child;
            }
            else
            {
                return null;
            }
        }
        return current;
    }

    public static string LastSegment(string pointer) => Segments(pointer).LastOrDefault() ?? "";

    private static IEnumerable<string> Segments(string pointer) =>
        (pointer.StartsWith('/') ? pointer[1..] : pointer).Split('/')
            .Select(s => s.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal));
}
