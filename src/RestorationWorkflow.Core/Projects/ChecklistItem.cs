namespace RestorationWorkflow.Projects;

public enum ChecklistStatus
{
    Open,
    Done,
    NotApplicable,
}

/// <summary>One STAPER step of one project: open, done, or not applicable with a reason.</summary>
public sealed class ChecklistItem
{
    private ChecklistItem()
    {
    }

    public ChecklistItem(Guid projectId, string code)
    {
        ProjectId = projectId;
        Code = code;
        Status = ChecklistStatus.Open;
    }

    public Guid ProjectId { get; private set; }

    public string Code { get; private set; } = "";

    public ChecklistStatus Status { get; private set; }

    public string? Note { get; private set; }

    public string? UpdatedById { get; private set; }

    public DateTimeOffset? UpdatedAt { get; private set; }

    /// <summary>Done, or not applicable with a reason.</summary>
    public bool IsSettled => Status == ChecklistStatus.Done
        || (Status == ChecklistStatus.NotApplicable && !string.IsNullOrWhiteSpace(Note));

    internal void Update(ChecklistStatus status, string? note, string actorId, DateTimeOffset now)
    {
        if (status == ChecklistStatus.NotApplicable && string.IsNullOrWhiteSpace(note))
            throw new ArgumentException("A step marked not applicable needs a reason in its note.", nameof(note));
        Status = status;
        Note = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        UpdatedById = actorId;
        UpdatedAt = now;
    }
}
