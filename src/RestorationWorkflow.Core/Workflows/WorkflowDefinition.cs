using System.Text.Json;
using System.Text.Json.Serialization;

namespace RestorationWorkflow.Workflows;

/// <summary>
/// A versioned workflow definition as loaded from <c>workflows/*.json</c>. Plain data: the
/// <see cref="WorkflowDefinitionLoader"/> validates it and <see cref="Projects.Project"/> runs it on Stateless.
/// </summary>
public sealed class WorkflowDefinition
{
    [JsonPropertyName("$schema")]
    public string? Schema { get; init; }

    public required string Id { get; init; }

    public required int Version { get; init; }

    public required LocalizedText Title { get; init; }

    public LocalizedText? Description { get; init; }

    /// <summary>The state a new project starts in.</summary>
    public required string InitialState { get; init; }

    public required IReadOnlyList<StateDefinition> States { get; init; }

    public required IReadOnlyList<TransitionDefinition> Transitions { get; init; }

    public IReadOnlyList<GateDefinition> Gates { get; init; } = [];

    /// <summary>
    /// How projects of an earlier version move to this one: the source version and, for each of its states that
    /// this version has not, the state that takes its place. States with the same code in both map to themselves.
    /// </summary>
    public MigrationSource? MigrateFrom { get; init; }

    /// <summary>Where this definition was read from (for messages); not part of the JSON.</summary>
    [JsonIgnore]
    public string SourceFile { get; set; } = "";

    /// <summary>A stable key such as <c>staper-restoration@1</c>.</summary>
    [JsonIgnore]
    public string Key => $"{Id}@{Version}";

    public StateDefinition? FindState(string code) => States.FirstOrDefault(s => s.Code == code);

    public StateDefinition GetState(string code) =>
        FindState(code) ?? throw new InvalidOperationException($"State '{code}' is not in workflow {Key}.");

    /// <summary>Every transition that leaves <paramref name="state"/>, in definition order.</summary>
    public IEnumerable<TransitionDefinition> TransitionsFrom(string state) => Transitions.Where(t => t.From.Contains(state));

    public TransitionDefinition? FindTransition(string fromState, string trigger) =>
        Transitions.FirstOrDefault(t => t.Trigger == trigger && t.From.Contains(fromState));

    public GateDefinition? FindGate(string id) => Gates.FirstOrDefault(g => g.Id == id);

    /// <summary>The transition that carries out adaptive decision <paramref name="decision"/> from <paramref name="state"/>, or null.</summary>
    public TransitionDefinition? FindDecision(string state, string decision) =>
        Transitions.FirstOrDefault(t => t.AdaptiveDecision == decision && t.From.Contains(state));

    /// <summary>The states in which adaptive-management decisions are taken (v3: Evaluation), in definition order.</summary>
    public IReadOnlyList<StateDefinition> DecisionStates() =>
        [.. States.Where(s => Transitions.Any(t => t.AdaptiveDecision is not null && t.From.Contains(s.Code)))];

    /// <summary>The gate decided through approval requests in <paramref name="state"/>, or null (not a gated review state).</summary>
    public GateDefinition? GateOfState(string state) =>
        FindState(state)?.Gate is { } gate ? FindGate(gate) : null;

    /// <summary>
    /// The state of this version that a project in <paramref name="state"/> of version <paramref name="fromVersion"/>
    /// moves to: the declared mapping when <see cref="MigrateFrom"/> names that version, else the same code; null when
    /// this version has no such state.
    /// </summary>
    public string? MapStateFrom(int fromVersion, string state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (MigrateFrom is { } source && source.Version == fromVersion && source.States.TryGetValue(state, out var mapped))
            return FindState(mapped)?.Code;
        return FindState(state)?.Code;
    }
}

/// <summary>
/// <c>"migrateFrom": {"version": 1, "states": {"EnablingEnvironment": "Planning"}}</c>: the version projects are
/// migrated from and where its states that no longer exist go. Checked at load against both definitions.
/// </summary>
public sealed class MigrationSource
{
    public required int Version { get; init; }

    /// <summary>Source state code → state code of this version.</summary>
    public IReadOnlyDictionary<string, string> States { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);
}

[JsonConverter(typeof(JsonStringEnumConverter<StateKind>))]
public enum StateKind
{
    [JsonStringEnumMemberName("active")] Active,
    [JsonStringEnumMemberName("review")] Review,
    [JsonStringEnumMemberName("suspended")] Suspended,
    [JsonStringEnumMemberName("terminal")] Terminal,
}

public sealed class StateDefinition
{
    public required string Code { get; init; }

    /// <summary>The STAPER step group: <c>A</c>, <c>B</c>, <c>C</c>, <c>D</c> or <c>none</c>.</summary>
    public required string Group { get; init; }

    public required StateKind Kind { get; init; }

    public required LocalizedText Label { get; init; }

    public LocalizedText? Description { get; init; }

    /// <summary>The STAPER step codes (A1…D3) a project works on while in this state.</summary>
    public IReadOnlyList<string> Steps { get; init; } = [];

    /// <summary>
    /// Whether monitoring measurements may be recorded while a project is in this state (v2: from planning on, as
    /// paragraph 16 of the annex asks monitoring to start when the project is designed).
    /// </summary>
    public bool MonitoringOpen { get; init; }

    /// <summary>
    /// For a review state: the id of the approval gate decided in it. Entering the state opens an approval request;
    /// the gate's approve and reject transitions then fire from decisions, never directly (v3 on).
    /// </summary>
    public string? Gate { get; init; }

    /// <summary>
    /// The indicative window of the state (Appendix II of the plan: years 1–3, 3–6), in years from the project's start
    /// date. Advisory only: a project still in the state after its end gets a warning and a reminder, never a block.
    /// </summary>
    public StepWindow? Window { get; init; }
}

/// <summary>
/// <c>"window": {"fromYear": 0, "toYear": 3}</c>: a state's indicative window, from <see cref="FromYear"/> to
/// <see cref="ToYear"/> years after the project's start date (the loader checks that it ends after it starts).
/// </summary>
public sealed class StepWindow
{
    public required int FromYear { get; init; }

    public required int ToYear { get; init; }

    /// <summary>The first day of the window for a project that started on <paramref name="projectStart"/>.</summary>
    public DateOnly StartsOn(DateOnly projectStart) => projectStart.AddYears(FromYear);

    /// <summary>The day the window ends (due) for a project that started on <paramref name="projectStart"/>.</summary>
    public DateOnly EndsOn(DateOnly projectStart) => projectStart.AddYears(ToYear);
}

public sealed class TransitionDefinition
{
    /// <summary>The states it leaves from: one code, or several (a list in JSON).</summary>
    [JsonConverter(typeof(StringOrArrayConverter))]
    public required IReadOnlyList<string> From { get; init; }

    public required string Trigger { get; init; }

    /// <summary>The target state; absent when <see cref="ToPreviousState"/> is set.</summary>
    public string? To { get; init; }

    /// <summary>Returns to the state the project was in before it was suspended (Resume).</summary>
    public bool ToPreviousState { get; init; }

    /// <summary>Roles that may fire it (<see cref="Identity.AppRoles"/>).</summary>
    public required IReadOnlyList<string> Roles { get; init; }

    public IReadOnlyList<GuardDefinition> Guards { get; init; } = [];

    public bool RequiresComment { get; init; }

    /// <summary>The approval gate this transition decides, if any.</summary>
    public string? Gate { get; init; }

    /// <summary>What the transition means: advance, feedback, approve, reject, suspend, resume, cancel.</summary>
    public string Kind { get; init; } = "advance";

    /// <summary>
    /// The adaptive-management decision (D2, <see cref="AdaptiveDecisions"/>) this transition carries out, or null: taking
    /// that decision in the transition's state fires it (decision 0032).
    /// </summary>
    public string? AdaptiveDecision { get; init; }

    public required LocalizedText Label { get; init; }
}

/// <summary>
/// One guard on a transition: <c>{"type": "checklistComplete", "steps": ["A1", "A2"]}</c>. Every property
/// but <c>type</c> is a parameter the guard of that type reads.
/// </summary>
public sealed class GuardDefinition
{
    public required string Type { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement> Parameters { get; init; } = [];

    public IReadOnlyList<string> GetStrings(string name) =>
        Parameters.TryGetValue(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? [.. value.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!)]
            : [];
}

/// <summary>
/// An approval gate: which roles decide, how many distinct approvers must approve (quorum), whether the
/// submitter and the project team are kept out (separation of duties), the approval SLA in days and the
/// sections of the project its requests snapshot.
/// </summary>
public sealed class GateDefinition
{
    public required string Id { get; init; }

    public required LocalizedText Label { get; init; }

    public required IReadOnlyList<string> ApproverRoles { get; init; }

    public int Quorum { get; init; } = 1;

    /// <summary>Neither the submitter nor (for gates decided by requests) any member of the project team may decide.</summary>
    public bool SeparationOfDuties { get; init; } = true;

    /// <summary>Days from a request's opening to its due date (the approval SLA); null: no due date.</summary>
    public int? DueDays { get; init; }

    /// <summary>The snapshotted sections (<see cref="ApprovalSections"/>); empty: every section.</summary>
    public IReadOnlyList<string> Covers { get; init; } = [];
}

/// <summary>The sections of a project an approval request can snapshot (a gate's <c>covers</c>).</summary>
public static class ApprovalSections
{
    public const string Registry = "registry";
    public const string Team = "team";
    public const string Checklist = "checklist";
    public const string Forms = "forms";
    public const string Sites = "sites";
    public const string Stakeholders = "stakeholders";
    public const string Participation = "participation";
    public const string Consents = "consents";
    public const string Targets = "targets";
    public const string Safeguards = "safeguards";
    public const string Evidence = "evidence";

    public static readonly IReadOnlyList<string> All =
        [Registry, Team, Checklist, Forms, Sites, Stakeholders, Participation, Consents, Targets, Safeguards, Evidence];

    /// <summary>What a gate covers: its list, or every section when it names none.</summary>
    public static IReadOnlyList<string> Of(GateDefinition gate)
    {
        ArgumentNullException.ThrowIfNull(gate);
        return gate.Covers.Count > 0 ? gate.Covers : All;
    }
}

internal sealed class StringOrArrayConverter : JsonConverter<IReadOnlyList<string>>
{
    public override IReadOnlyList<string> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
            return [reader.GetString()!];
        return JsonSerializer.Deserialize<List<string>>(ref reader, options) ?? [];
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<string> value, JsonSerializerOptions options)
    {
        if (value.Count == 1)
            writer.WriteStringValue(value[0]);
        else
            JsonSerializer.Serialize(writer, value, options);
    }
}
