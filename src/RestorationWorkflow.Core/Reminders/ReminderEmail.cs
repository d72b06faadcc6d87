namespace RestorationWorkflow.Reminders;

/// <summary>Where one reminder e-mail stands.</summary>
public enum ReminderEmailStatus
{
    /// <summary>Waiting for its delivery job (or for the next scan to re-enqueue a job that was lost).</summary>
    Pending = 0,

    /// <summary>The person asked for a daily digest: the digest job sends it with the others of the day.</summary>
    HeldForDigest = 1,

    Sent = 2,

    /// <summary>Given up after the retries (the in-app notification stays); the dashboard shows the failed job.</summary>
    Failed = 3,
}

/// <summary>
/// The outbox of reminder e-mail: one row per person per notification, written in the scan's transaction. A
/// delivery job sends it and marks it sent; a job lost with an in-memory queue is re-enqueued by the next scan.
/// </summary>
public sealed class ReminderEmail
{
    private ReminderEmail()
    {
    }

    public Guid Id { get; private set; }

    public Guid NotificationId { get; private set; }

    public string UserId { get; private set; } = "";

    public ReminderEmailStatus Status { get; private set; }

    public int Attempts { get; private set; }

    public string LastError { get; private set; } = "";

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>When a delivery job was last enqueued for it (the scan re-enqueues a pending row long past this).</summary>
    public DateTimeOffset EnqueuedAt { get; private set; }

    public DateTimeOffset? SentAt { get; private set; }

    /// <summary>Concurrency token: two delivery jobs for one row cannot both mark it sent.</summary>
    public int Revision { get; private set; }

    public static ReminderEmail Create(Guid notificationId, string userId, bool digest, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        return new ReminderEmail
        {
            Id = Guid.CreateVersion7(now),
            NotificationId = notificationId,
            UserId = userId,
            Status = digest ? ReminderEmailStatus.HeldForDigest : ReminderEmailStatus.Pending,
            CreatedAt = now,
            EnqueuedAt = now,
        };
    }

    public void Enqueued(DateTimeOffset now)
    {
        EnqueuedAt = now;
        Revision++;
    }

    public void AttemptFailed(string error, bool final)
    {
        Attempts++;
        LastError = error.Length > 2000 ? error[..2000] : error;
        if (final)
            Status = ReminderEmailStatus.Failed;
        Revision++;
    }

    public void MarkSent(DateTimeOffset now)
    {
        Attempts++;
        Status = ReminderEmailStatus.Sent;
        SentAt = now;
        LastError = "";
        Revision++;
    }
}
