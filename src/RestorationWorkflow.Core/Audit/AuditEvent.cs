namespace RestorationWorkflow.Audit;

/// <summary>
/// One state change of a project, written in the same transaction as the change. Each event carries
/// the SHA-256 of its own content and of the project's previous event, so an edited or deleted row
/// breaks the chain (<see cref="AuditChain.Verify(IReadOnlyList{AuditEvent}, int, string)"/>).
/// </summary>
public sealed class AuditEvent
{
    public long Id { get; set; }

    public Guid ProjectId { get; set; }

    /// <summary>1, 2, 3… within the project; unique with <see cref="ProjectId"/>.</summary>
    public int Sequence { get; set; }

    public string ActorId { get; set; } = "";

    public string ActorName { get; set; } = "";

    public DateTimeOffset At { get; set; }

    /// <summary>What happened: <see cref="AuditActions"/>.</summary>
    public string Action { get; set; } = "";

    public string? FromState { get; set; }

    public string? ToState { get; set; }

    public string? Trigger { get; set; }

    public string? Comment { get; set; }

    /// <summary>The changed values as a JSON object (field → {old, new}).</summary>
    public string Changes { get; set; } = "{}";

    public string WorkflowId { get; set; } = "";

    public int WorkflowVersion { get; set; }

    public string PreviousHash { get; set; } = "";

    public string Hash { get; set; } = "";
}

public static class AuditActions
{
    public const string ProjectCreated = "project.created";
    public const string ProjectUpdated = "project.updated";
    public const string Transition = "workflow.transition";
    public const string ChecklistUpdated = "checklist.updated";
    public const string WorkflowMigrated = "workflow.migrated";
    public const string MemberAdded = "project.member-added";
    public const string EvidenceAttached = "evidence.attached";
    public const string StepFormUpdated = "step-form.updated";
    public const string StepFormConfirmed = "step-form.confirmed";
    public const string SiteAdded = "site.added";
    public const string SiteUpdated = "site.updated";
    public const string SiteRemoved = "site.removed";
    public const string TargetAdded = "target.added";
    public const string TargetUpdated = "target.updated";
    public const string TargetRemoved = "target.removed";
    public const string MemberRemoved = "project.member-removed";
}
