using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.Audit;
using RestorationWorkflow.Data;
using RestorationWorkflow.Identity;
using RestorationWorkflow.Projects;

namespace RestorationWorkflow.Web.Features.Audit;

/// <summary>
/// What one command changed, for its audit event: each field's old and new value, the trigger and comment.
/// Commands fill it in; <see cref="AuditTrail"/> turns it into the event.
/// </summary>
public sealed class AuditRecord
{
    private readonly Dictionary<string, object?> _changes = new(StringComparer.Ordinal);

    public string? Trigger { get; set; }

    public string? Comment { get; set; }

    /// <summary>The names of the recorded fields.</summary>
    public IEnumerable<string> Fields => _changes.Keys;

    /// <summary>Whether anything was recorded; a command that changed nothing writes nothing.</summary>
    public bool HasChanges => _changes.Count > 0;

    /// <summary>Records <paramref name="field"/> going from <paramref name="old"/> to <paramref name="new"/>; equal values are not recorded.</summary>
    public AuditRecord Change<T>(string field, T old, T @new)
    {
        if (!EqualityComparer<T>.Default.Equals(old, @new))
            _changes[field] = new ChangeValue<T>(old, @new);
        return this;
    }

    /// <summary>Records <paramref name="field"/> as old → new even when they are equal (a transition that re-enters its state).</summary>
    public AuditRecord Record<T>(string field, T old, T @new)
    {
        _changes[field] = new ChangeValue<T>(old, @new);
        return this;
    }

    /// <summary>Records the first value of <paramref name="field"/> (a created project).</summary>
    public AuditRecord Set<T>(string field, T value)
    {
        _changes[field] = new NewValue<T>(value);
        return this;
    }

    /// <summary>Records <paramref name="value"/> added to a collection <paramref name="field"/> (a team member).</summary>
    public AuditRecord Added<T>(string field, T value)
    {
        _changes[field] = new AddedValue<T>(value);
        return this;
    }

    /// <summary>Records <paramref name="value"/> removed from a collection <paramref name="field"/> (a team member).</summary>
    public AuditRecord Removed<T>(string field, T value)
    {
        _changes[field] = new RemovedValue<T>(value);
        return this;
    }

    internal string ToJson() => JsonSerializer.Serialize(_changes, Json);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private sealed record ChangeValue<T>(T Old, T New);

    private sealed record NewValue<T>(T New);

    private sealed record AddedValue<T>(T Added);

    private sealed record RemovedValue<T>(T Removed);
}

/// <summary>
/// The one place that builds audit events: project events chained to the project's head (SHA-256, see
/// <see cref="AuditChain"/>), user-account events. Events are added to the same DbContext as the change, so
/// they commit in the same transaction or not at all.
/// </summary>
public sealed class AuditTrail(AppDbContext db, AuditHeadSeal seal)
{
    private static readonly JsonSerializerOptions Camel = new(JsonSerializerDefaults.Web);

    /// <summary>Appends the event of one project command: actor, action, states, the recorded changes.</summary>
    public AuditEvent Append(Project project, Caller caller, string action, string? fromState, AuditRecord record, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(record);
        var auditEvent = new AuditEvent
        {
            ActorId = caller.UserId,
            ActorName = caller.DisplayName,
            At = now,
            Action = action,
            FromState = fromState,
            ToState = project.State,
            Trigger = record.Trigger,
            Comment = string.IsNullOrWhiteSpace(record.Comment) ? null : record.Comment.Trim(),
            Changes = record.ToJson(),
            WorkflowId = project.WorkflowId,
            WorkflowVersion = project.WorkflowVersion,
        };
        project.AppendAudit(auditEvent, seal);
        db.AuditEvents.Add(auditEvent);
        return auditEvent;
    }

    /// <summary>Adds the event of one change to a user account (never a secret).</summary>
    public UserAuditEvent AppendUser(string actorId, string actorName, AppUser user, string action, object changes, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(user);
        var auditEvent = new UserAuditEvent
        {
            At = now,
            ActorId = actorId,
            ActorName = actorName,
            Action = action,
            UserId = user.Id,
            UserEmail = user.Email ?? "",
            Changes = JsonSerializer.Serialize(changes, Camel),
        };
        // One chain over every user-account event: after the newest stored one, or one added in this unit of work.
        // A concurrent writer that takes the same sequence fails on the unique index, and its transaction rolls back.
        var pending = db.ChangeTracker.Entries<UserAuditEvent>().Where(e => e.State == EntityState.Added).Select(e => e.Entity)
            .OrderByDescending(e => e.Sequence).FirstOrDefault();
        var (sequence, hash) = pending is not null
            ? (pending.Sequence, pending.Hash)
            : db.UserAuditEvents.AsNoTracking().OrderByDescending(e => e.Sequence).Select(e => new ValueTuple<int, string>(e.Sequence, e.Hash)).FirstOrDefault();
        auditEvent.Sequence = sequence + 1;
        AuditChain.Seal(auditEvent, sequence == 0 ? null : hash);
        db.UserAuditEvents.Add(auditEvent);
        return auditEvent;
    }
}
