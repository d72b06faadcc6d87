namespace RestorationWorkflow.Reminders;

/// <summary>The reminder thresholds (configuration section <c>Reminders</c>).</summary>
public sealed class ReminderThresholds
{
    /// <summary>Days before the due date at which to remind, e.g. 14 and 3.</summary>
    public IReadOnlyList<int> BeforeDueDays { get; init; } = [14, 3];

    /// <summary>Overdue by this many days: escalate to the project's approvers and the administrators.</summary>
    public int EscalationDays { get; init; } = 7;

    /// <summary>Overdue by this many days: listed in the weekly digest of approvers and administrators.</summary>
    public int DigestOverdueDays { get; init; } = 30;
}

/// <summary>One stage of a due item's reminders and the day from which it is due to be sent.</summary>
public sealed record ReminderStage(string Stage, DateOnly From);

/// <summary>
/// When each reminder of a due item falls, pure: before-due stages (earliest first), due on the day, overdue the day
/// after, escalation <see cref="ReminderThresholds.EscalationDays"/> after. The scan sends the latest stage reached
/// that was not sent yet for the same due date; the project page shows the stages still ahead.
/// </summary>
public static class ReminderSchedule
{
    public static IReadOnlyList<ReminderStage> Stages(DateOnly dueOn, ReminderThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(thresholds);
        var stages = thresholds.BeforeDueDays.Where(d => d > 0).Distinct().OrderByDescending(d => d)
            .Select(d => new ReminderStage(ReminderStages.Before(d), dueOn.AddDays(-d)))
            .ToList();
        stages.Add(new ReminderStage(ReminderStages.Due, dueOn));
        stages.Add(new ReminderStage(ReminderStages.Overdue, dueOn.AddDays(1)));
        stages.Add(new ReminderStage(ReminderStages.Escalation, dueOn.AddDays(Math.Max(2, thresholds.EscalationDays))));
        return stages;
    }

    /// <summary>The latest stage reached on <paramref name="today"/>, or null before the first.</summary>
    public static ReminderStage? Reached(DateOnly dueOn, DateOnly today, ReminderThresholds thresholds) =>
        Stages(dueOn, thresholds).LastOrDefault(s => s.From <= today);
}
