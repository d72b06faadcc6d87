namespace RestorationWorkflow.Reminders;

/// <summary>
/// A monitoring review a project recorded: of one target (<see cref="TargetId"/>) or of the whole plan (null). The
/// next review falls due one interval after the latest one recorded, so a late review moves the next date.
/// </summary>
public sealed class MonitoringReview
{
    private MonitoringReview()
    {
    }

    public Guid Id { get; private set; }

    public Guid ProjectId { get; private set; }

    /// <summary>The target reviewed; null for a review of the plan (C4's protocol).</summary>
    public Guid? TargetId { get; private set; }

    public DateOnly ReviewedOn { get; private set; }

    public string Summary { get; private set; } = "";

    public string RecordedById { get; private set; } = "";

    public DateTimeOffset RecordedAt { get; private set; }

    public static MonitoringReview Create(Guid projectId, Guid? targetId, DateOnly reviewedOn, string summary, string recordedById, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentException.ThrowIfNullOrEmpty(recordedById);
        return new MonitoringReview
        {
            Id = Guid.CreateVersion7(now),
            ProjectId = projectId,
            TargetId = targetId,
            ReviewedOn = reviewedOn,
            Summary = summary,
            RecordedById = recordedById,
            RecordedAt = now,
        };
    }
}
