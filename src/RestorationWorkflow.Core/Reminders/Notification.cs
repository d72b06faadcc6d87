namespace RestorationWorkflow.Reminders;

/// <summary>
/// One in-app notification of one person (the bell). Stored when the reminder is decided, in both languages, before
/// any e-mail is attempted: an unreachable mail server loses nothing.
/// </summary>
public sealed class Notification
{
    private Notification()
    {
    }

    public Guid Id { get; private set; }

    public string UserId { get; private set; } = "";

    public Guid? ProjectId { get; private set; }

    public Guid? SentReminderId { get; private set; }

    /// <summary>The reminder stage (<see cref="ReminderStages"/>) or <c>weeklyDigest</c>.</summary>
    public string Stage { get; private set; } = "";

    public string TitleEn { get; private set; } = "";

    public string TitleZh { get; private set; } = "";

    /// <summary>A site-relative link to the item (a project page, its section), never an API path.</summary>
    public string Link { get; private set; } = "";

    public DateOnly? DueOn { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? ReadAt { get; private set; }

    public static Notification Create(string userId, Guid? projectId, Guid? sentReminderId, string stage, Workflows.LocalizedText title, string link, DateOnly? dueOn, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(link);
        return new Notification
        {
            Id = Guid.CreateVersion7(now),
            UserId = userId,
            ProjectId = projectId,
            SentReminderId = sentReminderId,
            Stage = stage,
            TitleEn = title.En,
            TitleZh = title.ZhHans,
            Link = link,
            DueOn = dueOn,
            CreatedAt = now,
        };
    }

    /// <summary>Marks it read; false when it already was.</summary>
    public bool MarkRead(DateTimeOffset now)
    {
        if (ReadAt is not null)
            return false;
        ReadAt = now;
        return true;
    }
}
