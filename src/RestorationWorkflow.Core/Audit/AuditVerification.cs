namespace RestorationWorkflow.Audit;

/// <summary>
/// The last verification of one project's audit chain: when, the result, and the head it covered. The auditor
/// overview shows it without recomputing every chain; a head that moved since is shown as not yet verified.
/// </summary>
public sealed class AuditVerification
{
    public Guid ProjectId { get; set; }

    public DateTimeOffset VerifiedAt { get; set; }

    /// <summary>Who asked for it, or <c>system</c>.</summary>
    public string VerifiedById { get; set; } = "";

    public bool Valid { get; set; }

    public int EventCount { get; set; }

    /// <summary>The project's chain head (<c>Project.AuditSequence</c>, <c>Project.AuditHead</c>) when verified.</summary>
    public int HeadSequence { get; set; }

    public string HeadHash { get; set; } = "";

    /// <summary>The first broken link, when not valid.</summary>
    public int? BrokenSequence { get; set; }

    public long? BrokenEventId { get; set; }

    public string? Reason { get; set; }
}
