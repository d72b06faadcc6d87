namespace RestorationWorkflow.Projects;

/// <summary>Where a step's form stands.</summary>
public enum StepFormStatus
{
    /// <summary>Nothing filled in.</summary>
    Empty,

    /// <summary>Saved, but a required field is still missing.</summary>
    InProgress,

    /// <summary>Every required field filled.</summary>
    Complete,

    /// <summary>A feedback transition sent the project back: the content stays, and must be confirmed again.</summary>
    ToReview,
}

/// <summary>
/// The values one project holds for one STAPER step's form (<c>workflows/forms/</c>), as JSON text validated by the
/// form's schema, with the form version they were saved against. Changed only through the project command path.
/// </summary>
public sealed class StepForm
{
    private StepForm()
    {
    }

    public StepForm(Guid projectId, string code)
    {
        ProjectId = projectId;
        Code = code;
        Values = "{}";
        Status = StepFormStatus.Empty;
    }

    public Guid ProjectId { get; private set; }

    public string Code { get; private set; } = "";

    /// <summary>The form's values as a JSON object.</summary>
    public string Values { get; private set; } = "{}";

    /// <summary>The version of the form (<c>x-form.version</c>) the values were saved against.</summary>
    public int FormVersion { get; private set; }

    public StepFormStatus Status { get; private set; }

    public string? UpdatedById { get; private set; }

    public DateTimeOffset? UpdatedAt { get; private set; }

    /// <summary>Complete and not waiting to be confirmed again.</summary>
    public bool IsSettled => Status == StepFormStatus.Complete;

    /// <summary>Stores new values; saving (even unchanged values) confirms a form marked to review.</summary>
    public void Save(string values, int formVersion, bool complete, bool empty, string actorId, DateTimeOffset now)
    {
        Values = values;
        FormVersion = formVersion;
        Status = empty ? StepFormStatus.Empty : complete ? StepFormStatus.Complete : StepFormStatus.InProgress;
        UpdatedById = actorId;
        UpdatedAt = now;
    }

    /// <summary>A feedback transition asks for the form to be confirmed again; an empty form has nothing to review.</summary>
    public bool MarkToReview(string actorId, DateTimeOffset now)
    {
        if (Status is StepFormStatus.Empty or StepFormStatus.ToReview)
            return false;
        Status = StepFormStatus.ToReview;
        UpdatedById = actorId;
        UpdatedAt = now;
        return true;
    }
}
