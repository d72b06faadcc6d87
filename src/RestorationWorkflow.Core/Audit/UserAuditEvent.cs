namespace RestorationWorkflow.Audit;

/// <summary>
/// One change to a user account (created, roles changed, locked, unlocked), written in the same
/// transaction as the change. Project events live in <see cref="AuditEvent"/>.
/// </summary>
public sealed class UserAuditEvent
{
    public long Id { get; set; }

    /// <summary>1, 2, 3… over all user-account events (one chain of their own); unique.</summary>
    public int Sequence { get; set; }

    public DateTimeOffset At { get; set; }

    /// <summary>Who did it; <c>system</c> for start-up seeding and the <c>create-admin</c> command.</summary>
    public string ActorId { get; set; } = "";

    public string ActorName { get; set; } = "";

    /// <summary>What happened: <see cref="UserAuditActions"/>.</summary>
    public string Action { get; set; } = "";

    public string UserId { get; set; } = "";

    public string UserEmail { get; set; } = "";

    /// <summary>The changed values as a JSON object (field → {old, new}).</summary>
    public string Changes { get; set; } = "{}";

    public string PreviousHash { get; set; } = "";

    public string Hash { get; set; } = "";
}

public static class UserAuditActions
{
    public const string Created = "user.created";
    public const string RolesChanged = "user.roles-changed";
    public const string Locked = "user.locked";
    public const string Unlocked = "user.unlocked";
}
