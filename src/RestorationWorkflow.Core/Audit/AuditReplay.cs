using System.Text.Json;
using RestorationWorkflow.Projects;

namespace RestorationWorkflow.Audit;

/// <summary>What a project's stored rows say, for comparison with its replayed events.</summary>
public sealed record ProjectRows(
    string State, string WorkflowId, int WorkflowVersion, int Version,
    IReadOnlyCollection<string> ManagerIds, IReadOnlyDictionary<string, (ChecklistStatus Status, string? Note)> Checklist);

/// <summary>
/// Rebuilds a project's state, workflow version, managers and checklist from its audit events alone and compares
/// them with the stored rows: a row edited in the database without an event (a forged state, an inserted manager,
/// a checklist item set to done) no longer matches its history, and the first difference is named.
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
        var checklist = StaperSteps.All.ToDictionary(s => s.Code, _ => (Status: ChecklistStatus.Open, Note: (string?)null), StringComparer.Ordinal);
        foreach (var e in eventsInOrder)
        {
            state = e.ToState ?? state;
            workflowId = e.WorkflowId;
            workflowVersion = e.WorkflowVersion;
            using var changes = JsonDocument.Parse(string.IsNullOrEmpty(e.Changes) ? "{}" : e.Changes);
            switch (e.Action)
            {
                case AuditActions.ProjectCreated:
                    managers.Add(e.ActorId);
                    break;
                case AuditActions.MemberAdded:
                    if (AddedManagerEmail(changes.RootElement) is { } address)
                        managers.Add(userIdByEmail(address) ?? $"unknown user {address}");
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
        foreach (var (code, expected) in checklist.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            if (!rows.Checklist.TryGetValue(code, out var stored))
                return $"Checklist step {code} is missing.";
            if (stored.Status != expected.Status)
                return $"Checklist step {code} is {Name(stored.Status)}, but its events say {Name(expected.Status)}.";
            if (!string.Equals(stored.Note, expected.Note, StringComparison.Ordinal))
                return $"The note of checklist step {code} differs from what its events recorded.";
        }
        return null;
    }

    /// <summary>The e-mail a <c>project.member-added</c> event records (<c>{"managers": {"added": "…"}}</c>), or null.</summary>
    public static string? AddedManagerEmail(AuditEvent auditEvent)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        if (auditEvent.Action != AuditActions.MemberAdded)
            return null;
        using var changes = JsonDocument.Parse(string.IsNullOrEmpty(auditEvent.Changes) ? "{}" : auditEvent.Changes);
        return AddedManagerEmail(changes.RootElement);
    }

    private static string? AddedManagerEmail(JsonElement changes) =>
        changes.TryGetProperty("managers", out var managers) && managers.TryGetProperty("added", out var added)
            && added.ValueKind == JsonValueKind.String
            ? added.GetString()
            : null;

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
