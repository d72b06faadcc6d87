using System.Text.Json;
using RestorationWorkflow.Forms;
using RestorationWorkflow.Projects;

namespace RestorationWorkflow.Audit;

/// <summary>
/// What a project's stored rows say, for comparison with its replayed events. <c>MemberIds</c> (the team's members
/// who do not manage it) and <c>Registry</c> (<see cref="ProjectRegistryFields.Values"/>) are compared when given.
/// </summary>
public sealed record ProjectRows(
    string State, string WorkflowId, int WorkflowVersion, int Version,
    IReadOnlyCollection<string> ManagerIds, IReadOnlyDictionary<string, (ChecklistStatus Status, string? Note)> Checklist,
    IReadOnlyCollection<string>? MemberIds = null, IReadOnlyDictionary<string, JsonElement>? Registry = null,
    IReadOnlyDictionary<string, StoredStepForm>? StepForms = null);

/// <summary>A stored step form: its status as the API names it (<c>empty</c>, <c>inProgress</c>, <c>complete</c>, <c>toReview</c>) and its values (a JSON object).</summary>
public sealed record StoredStepForm(string Status, JsonElement Values);

/// <summary>
/// Rebuilds a project's state, workflow version, team (managers and members), registry fields and checklist from
/// its audit events alone and compares them with the stored rows: a row edited in the database without an event (a
/// forged state, an inserted manager, a checklist item set to done, a budget changed) no longer matches its
/// history, and the first difference is named. A registry field is compared once an event has recorded it: projects
/// created before the registry was audited field by field (issue 15) have their unrecorded fields unchecked until
/// their first edit records them. Step forms (<c>StepForms</c>, when given) are rebuilt field by field from
/// <c>steps.A1.{field}</c> and their status from <c>steps.A1.formStatus</c>: a value or a status set in the database,
/// or a field no event recorded, is named. A form whose events come from before its status had a key of its own (its
/// status recorded as <c>steps.A1.status</c>, its rows only summarized: decision 0047) is not compared.
/// </summary>
public static class AuditReplay
{
    /// <summary>Null when the rows are what the events say; otherwise the first difference.</summary>
    /// <param name="eventsInOrder">The project's events, oldest first (a verified chain).</param>
    /// <param name="rows">The stored project, its managers and its checklist.</param>
    /// <param name="userIdByEmail">Resolves the e-mail a <c>project.member-added</c> event records to the user's id.</param>
    public static string? Compare(IReadOnlyList<AuditEvent> eventsInOrder, ProjectRows rows, Func<string, string?> userIdByEmail)
    {
        ArgumentNullException.ThrowIfNull(eventsInOrder);
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(userIdByEmail);
        if (eventsInOrder.Count == 0)
            return "The project has no events.";

        string? state = null, workflowId = null;
        var workflowVersion = 0;
        var managers = new HashSet<string>(StringComparer.Ordinal);
        var members = new HashSet<string>(StringComparer.Ordinal);
        var registry = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        var checklist = StaperSteps.All.ToDictionary(s => s.Code, _ => (Status: ChecklistStatus.Open, Note: (string?)null), StringComparer.Ordinal);
        var forms = new Dictionary<string, ReplayedForm>(StringComparer.Ordinal);
        foreach (var e in eventsInOrder)
        {
            state = e.ToState ?? state;
            workflowId = e.WorkflowId;
            workflowVersion = e.WorkflowVersion;
            using var changes = JsonDocument.Parse(string.IsNullOrEmpty(e.Changes) ? "{}" : e.Changes);
            // Step forms change in their own events and in transitions (a feedback loop marks them to review).
            ReplayForms(changes.RootElement, forms);
            switch (e.Action)
            {
                case AuditActions.ProjectCreated:
                    managers.Add(e.ActorId);
                    ReplayRegistry(changes.RootElement, registry);
                    break;
                case AuditActions.ProjectUpdated:
                    ReplayRegistry(changes.RootElement, registry);
                    break;
                case AuditActions.MemberAdded or AuditActions.MemberRemoved:
                    // Removals first: a role change records the new role added and the old one removed in one event.
                    foreach (var (set, field) in new[] { (managers, "managers"), (members, "members") })
                    {
                        if (TeamEmail(changes.RootElement, field, "removed") is { } removed)
                            set.Remove(userIdByEmail(removed) ?? $"unknown user {removed}");
                    }
                    foreach (var (set, field) in new[] { (managers, "managers"), (members, "members") })
                    {
                        if (TeamEmail(changes.RootElement, field, "added") is { } added)
                            set.Add(userIdByEmail(added) ?? $"unknown user {added}");
                    }
                    break;
                case AuditActions.ChecklistUpdated:
                    foreach (var field in changes.RootElement.EnumerateObject())
                    {
                        var parts = field.Name.Split('.');
                        if (parts.Length != 3 || parts[0] != "checklist" || !checklist.TryGetValue(parts[1], out var item))
                            continue;
                        var value = field.Value.TryGetProperty("new", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
                        checklist[parts[1]] = parts[2] switch
                        {
                            "status" => (ParseStatus(value) ?? item.Status, item.Note),
                            "note" => (item.Status, value),
                            _ => item,
                        };
                    }
                    break;
            }
        }

        if (!string.Equals(state, rows.State, StringComparison.Ordinal))
            return $"The project's state is {rows.State}, but its events end in {state}.";
        if (!string.Equals(workflowId, rows.WorkflowId, StringComparison.Ordinal) || workflowVersion != rows.WorkflowVersion)
            return $"The project is pinned to {rows.WorkflowId}@{rows.WorkflowVersion}, but its events say {workflowId}@{workflowVersion}.";
        if (rows.Version != eventsInOrder.Count)
            return $"The project is at version {rows.Version}, but it has {eventsInOrder.Count} event(s); each change adds exactly one.";
        var extra = rows.ManagerIds.Where(m => !managers.Contains(m)).Order(StringComparer.Ordinal).ToList();
        var missing = managers.Where(m => !rows.ManagerIds.Contains(m)).Order(StringComparer.Ordinal).ToList();
        if (extra.Count > 0)
            return $"The team has manager(s) no event added: {string.Join(", ", extra)}.";
        if (missing.Count > 0)
            return $"Manager(s) added by events are missing from the team: {string.Join(", ", missing)}.";
        if (rows.MemberIds is { } memberIds)
        {
            var extraMembers = memberIds.Where(m => !members.Contains(m)).Order(StringComparer.Ordinal).ToList();
            var missingMembers = members.Where(m => !memberIds.Contains(m)).Order(StringComparer.Ordinal).ToList();
            if (extraMembers.Count > 0)
                return $"The team has member(s) no event added: {string.Join(", ", extraMembers)}.";
            if (missingMembers.Count > 0)
                return $"Member(s) added by events are missing from the team: {string.Join(", ", missingMembers)}.";
        }
        if (rows.Registry is { } storedRegistry)
        {
            foreach (var field in ProjectRegistryFields.Replayed)
            {
                if (registry.TryGetValue(field, out var expected) && (!storedRegistry.TryGetValue(field, out var actual) || !SameValue(expected, actual)))
                    return $"The project's {field} differs from what its events recorded.";
            }
        }
        foreach (var (code, expected) in checklist.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            if (!rows.Checklist.TryGetValue(code, out var stored))
                return $"Checklist step {code} is missing.";
            if (stored.Status != expected.Status)
                return $"Checklist step {code} is {Name(stored.Status)}, but its events say {Name(expected.Status)}.";
            if (!string.Equals(stored.Note, expected.Note, StringComparison.Ordinal))
                return $"The note of checklist step {code} differs from what its events recorded.";
        }
        return rows.StepForms is { } storedForms ? CompareForms(forms, storedForms) : null;
    }

    /// <summary>What a project's events say of one step form.</summary>
    private sealed class ReplayedForm
    {
        public string Status { get; set; } = EmptyForm;

        /// <summary>Each recorded field's last value (JSON null: cleared).</summary>
        public Dictionary<string, JsonElement> Values { get; } = new(StringComparer.Ordinal);

        /// <summary>Recorded before the form's status had its own key: not compared.</summary>
        public bool Legacy { get; set; }
    }

    private const string EmptyForm = "empty";

    private static readonly HashSet<string> FormStatuses = new(StringComparer.Ordinal) { EmptyForm, "inProgress", "complete", "toReview" };

    private static void ReplayForms(JsonElement changes, Dictionary<string, ReplayedForm> forms)
    {
        foreach (var change in changes.EnumerateObject())
        {
            if (!change.Name.StartsWith("steps.", StringComparison.Ordinal))
                continue;
            var parts = change.Name.Split('.', 3);
            if (parts.Length != 3 || !StaperSteps.IsKnown(parts[1]) || change.Value.ValueKind != JsonValueKind.Object)
                continue;
            if (!forms.TryGetValue(parts[1], out var form))
                forms[parts[1]] = form = new ReplayedForm();
            var value = change.Value.TryGetProperty("new", out var v) ? v.Clone() : default;
            switch (parts[2])
            {
                case StepFormDefinition.StatusAuditField:
                    form.Status = value.ValueKind == JsonValueKind.String ? value.GetString()! : EmptyForm;
                    break;
                case StepFormDefinition.VersionAuditField:
                    break;
                // The form's status under the key it had before decision 0047 (no form's own "status" field takes these values).
                case "status" when value.ValueKind == JsonValueKind.String && FormStatuses.Contains(value.GetString()!):
                    form.Legacy = true;
                    break;
                default:
                    form.Values[parts[2]] = value;
                    break;
            }
        }
    }

    private static string? CompareForms(Dictionary<string, ReplayedForm> forms, IReadOnlyDictionary<string, StoredStepForm> stored)
    {
        foreach (var code in forms.Keys.Union(stored.Keys).Order(StringComparer.Ordinal))
        {
            var replayed = forms.GetValueOrDefault(code);
            if (replayed is { Legacy: true })
                continue;
            var row = stored.GetValueOrDefault(code);
            var status = row?.Status ?? EmptyForm;
            var expectedStatus = replayed?.Status ?? EmptyForm;
            if (!string.Equals(status, expectedStatus, StringComparison.Ordinal))
                return $"Step form {code} is {status}, but its events say {expectedStatus}.";
            if (row is not null && row.Values.ValueKind != JsonValueKind.Object)
                return $"The values of step form {code} are not a JSON object.";
            var values = row is not null
                ? row.Values.EnumerateObject().Where(p => p.Value.ValueKind != JsonValueKind.Null).ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal)
                : [];
            foreach (var (field, expected) in replayed?.Values.OrderBy(f => f.Key, StringComparer.Ordinal) ?? Enumerable.Empty<KeyValuePair<string, JsonElement>>())
            {
                var expectedSet = expected.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null);
                var isSet = values.TryGetValue(field, out var actual);
                if (isSet != expectedSet || isSet && !SameValue(expected, actual))
                    return $"The field {field} of step form {code} differs from what its events recorded.";
            }
            foreach (var field in values.Keys.Order(StringComparer.Ordinal))
            {
                if (replayed is null || !replayed.Values.ContainsKey(field))
                    return $"Step form {code} has a value for {field} that no event recorded.";
            }
        }
        return null;
    }

    /// <summary>
    /// The e-mails a team event records (<c>{"managers": {"added": "…"}, "members": {"removed": "…"}}</c>): what the
    /// replay resolves to user ids. Empty for any other event.
    /// </summary>
    public static IReadOnlyList<string> TeamEmails(AuditEvent auditEvent)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        if (auditEvent.Action is not (AuditActions.MemberAdded or AuditActions.MemberRemoved))
            return [];
        using var changes = JsonDocument.Parse(string.IsNullOrEmpty(auditEvent.Changes) ? "{}" : auditEvent.Changes);
        var emails = new List<string>();
        foreach (var field in new[] { "managers", "members" })
        {
            foreach (var part in new[] { "added", "removed" })
            {
                if (TeamEmail(changes.RootElement, field, part) is { } email)
                    emails.Add(email);
            }
        }
        return emails;
    }

    private static string? TeamEmail(JsonElement changes, string field, string part) =>
        changes.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.Object && value.TryGetProperty(part, out var email)
            && email.ValueKind == JsonValueKind.String
            ? email.GetString()
            : null;

    /// <summary>The registry fields an event recorded: <c>{"field": {"new": …}}</c> (created) or <c>{"old": …, "new": …}</c> (updated).</summary>
    private static void ReplayRegistry(JsonElement changes, Dictionary<string, JsonElement> registry)
    {
        foreach (var field in ProjectRegistryFields.Replayed)
        {
            if (changes.TryGetProperty(field, out var change) && change.ValueKind == JsonValueKind.Object && change.TryGetProperty("new", out var value))
                registry[field] = value.Clone();
        }
    }

    /// <summary>Equal JSON values; numbers compared as decimals (120.5 and 120.50 are the same amount).</summary>
    private static bool SameValue(JsonElement a, JsonElement b)
    {
        if (a.ValueKind == JsonValueKind.Number && b.ValueKind == JsonValueKind.Number)
            return a.TryGetDecimal(out var x) && b.TryGetDecimal(out var y) ? x == y : a.GetRawText() == b.GetRawText();
        if (a.ValueKind != b.ValueKind)
            return false;
        return a.ValueKind switch
        {
            JsonValueKind.String => string.Equals(a.GetString(), b.GetString(), StringComparison.Ordinal),
            JsonValueKind.Array => a.GetArrayLength() == b.GetArrayLength() && a.EnumerateArray().Zip(b.EnumerateArray()).All(p => SameValue(p.First, p.Second)),
            JsonValueKind.Object => a.EnumerateObject().Count() == b.EnumerateObject().Count()
                && a.EnumerateObject().All(p => b.TryGetProperty(p.Name, out var other) && SameValue(p.Value, other)),
            _ => true,
        };
    }

    private static ChecklistStatus? ParseStatus(string? value) => value switch
    {
        "open" => ChecklistStatus.Open,
        "done" => ChecklistStatus.Done,
        "notApplicable" => ChecklistStatus.NotApplicable,
        _ => null,
    };

    private static string Name(ChecklistStatus status) => status switch
    {
        ChecklistStatus.NotApplicable => "notApplicable",
        _ => status.ToString().ToLowerInvariant(),
    };
}

/// <summary>
/// An HMAC-SHA256 over a chain's head (project id, sequence, hash) with a key from configuration that is not stored
/// in the database: rewinding a head (deleting the last events and setting the head back) needs the key.
/// </summary>
public sealed class AuditHeadSeal(byte[]? key)
{
    /// <summary>No key configured: heads are not sealed, and verification says so.</summary>
    public bool Enabled => key is { Length: > 0 };

    public string Seal(Guid projectId, int sequence, string hash)
    {
        if (!Enabled)
            return "";
        var message = System.Text.Encoding.UTF8.GetBytes(FormattableString.Invariant($"{projectId:D}|{sequence}|{hash}"));
        return Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(key!, message));
    }

    public bool Verify(Guid projectId, int sequence, string hash, string mac) =>
        System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.ASCII.GetBytes(Seal(projectId, sequence, hash)), System.Text.Encoding.ASCII.GetBytes(mac ?? ""));
}
