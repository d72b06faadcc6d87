namespace RestorationWorkflow.Approvals;

/// <summary>
/// An approver lets another approver decide on their behalf from <see cref="StartsOn"/> to <see cref="EndsOn"/>
/// (UTC dates, both included). Revoked, never deleted: decisions made under it keep pointing at it.
/// </summary>
public sealed class ApprovalDelegation
{
    private ApprovalDelegation()
    {
    }

    public ApprovalDelegation(string delegatorId, string delegateId, DateOnly startsOn, DateOnly endsOn, string createdById, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrEmpty(delegatorId);
        ArgumentException.ThrowIfNullOrEmpty(delegateId);
        Id = Guid.CreateVersion7(now);
        DelegatorId = delegatorId;
        DelegateId = delegateId;
        StartsOn = startsOn;
        EndsOn = endsOn;
        CreatedById = createdById;
        CreatedAt = now;
    }

    public Guid Id { get; private set; }

    /// <summary>The approver who is away.</summary>
    public string DelegatorId { get; private set; } = "";

    /// <summary>The approver who decides for them.</summary>
    public string DelegateId { get; private set; } = "";

    public DateOnly StartsOn { get; private set; }

    public DateOnly EndsOn { get; private set; }

    public string CreatedById { get; private set; } = "";

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? RevokedAt { get; private set; }

    public string? RevokedById { get; private set; }

    public bool IsRevoked => RevokedAt is not null;

    /// <summary>Whether it is in force on <paramref name="day"/> (not revoked, inside its window).</summary>
    public bool ActiveOn(DateOnly day) => !IsRevoked && StartsOn <= day && day <= EndsOn;

    /// <summary>Whether its window shares a day with [<paramref name="start"/>, <paramref name="end"/>].</summary>
    public bool Overlaps(DateOnly start, DateOnly end) => !IsRevoked && StartsOn <= end && start <= EndsOn;

    public void Revoke(string byUserId, DateTimeOffset now)
    {
        if (IsRevoked)
            return;
        RevokedAt = now;
        RevokedById = byUserId;
    }
}
