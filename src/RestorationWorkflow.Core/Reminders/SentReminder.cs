namespace RestorationWorkflow.Reminders;

/// <summary>The stages of a due item at which the scan reminds someone. Stored as these codes.</summary>
public static class ReminderStages
{
    /// <summary>N days before the due date (N from <c>Reminders:BeforeDueDays</c>, default 14 and 3): the code is <c>before{N}</c>.</summary>
    public static string Before(int days) => "before" + days.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public const string Due = "due";

    public const string Overdue = "overdue";

    /// <summary>Overdue by <c>Reminders:EscalationDays</c> (7): the project's approvers and the administrators.</summary>
    public const string Escalation = "escalation";
}

/// <summary>
/// The record that one stage of one due item (at one due date) was reminded. Its <see cref="Key"/> is unique, and the
/// scan inserts it before it enqueues any delivery: re-runs, retries, two nodes scanning at once and restarts find
/// the key taken and send nothing twice. A due date that moves makes new keys, so the moved item is reminded again.
/// Weekly digests of long-overdue items use the same table with their own keys.
/// </summary>
public sealed class SentReminder
{
    private SentReminder()
    {
    }

    public Guid Id { get; private set; }

    /// <summary><c>{dueItemId}:{stage}:{dueOn:yyyy-MM-dd}</c>, or <c>digest:{isoYear}-W{week}:{userId}</c> for a weekly digest.</summary>
    public string Key { get; private set; } = "";

    public Guid? DueItemId { get; private set; }

    public Guid? ProjectId { get; private set; }

    /// <summary>A code of <see cref="ReminderStages"/>, or <c>weeklyDigest</c>.</summary>
    public string Stage { get; private set; } = "";

    public DateOnly? DueOn { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public static string KeyFor(Guid dueItemId, string stage, DateOnly dueOn) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{dueItemId:N}:{stage}:{dueOn:yyyy-MM-dd}");

    public static SentReminder Create(string key, Guid? dueItemId, Guid? projectId, string stage, DateOnly? dueOn, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentException.ThrowIfNullOrEmpty(stage);
        return new SentReminder
        {
            Id = Guid.CreateVersion7(now),
            Key = key,
            DueItemId = dueItemId,
            ProjectId = projectId,
            Stage = stage,
            DueOn = dueOn,
            CreatedAt = now,
        };
    }
}
