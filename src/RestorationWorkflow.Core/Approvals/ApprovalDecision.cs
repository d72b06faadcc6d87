namespace RestorationWorkflow.Approvals;

public enum ApprovalDecisionKind
{
    Approve = 0,
    Reject = 1,
}

/// <summary>
/// One approver's decision on one request, bound to the snapshot hash they reviewed. Never edited or deleted:
/// when content changes the request goes stale and a resubmission opens a new request.
/// </summary>
public sealed class ApprovalDecision
{
    private ApprovalDecision()
    {
    }

    internal ApprovalDecision(
        Guid requestId, Guid projectId, ApprovalDecisionKind decision, string deciderId, string? onBehalfOfId, string? comment,
        IReadOnlyList<string> sections, string snapshotHash, DateTimeOffset decidedAt)
    {
        Id = Guid.CreateVersion7(decidedAt);
        RequestId = requestId;
        ProjectId = projectId;
        Decision = decision;
        DeciderId = deciderId;
        OnBehalfOfId = onBehalfOfId;
        Comment = string.IsNullOrWhiteSpace(comment) ? null : comment.Trim();
        Sections = [.. sections];
        SnapshotHash = snapshotHash;
        DecidedAt = decidedAt;
    }

    public Guid Id { get; private set; }

    public Guid RequestId { get; private set; }

    public Guid ProjectId { get; private set; }

    public ApprovalDecisionKind Decision { get; private set; }

    /// <summary>The person who decided (a delegate, when <see cref="OnBehalfOfId"/> is set).</summary>
    public string DeciderId { get; private set; } = "";

    /// <summary>The approver the decider acted for under a delegation, or null.</summary>
    public string? OnBehalfOfId { get; private set; }

    public string? Comment { get; private set; }

    /// <summary>For a rejection: the covered sections the approver asks to change (may be empty).</summary>
    public List<string> Sections { get; private set; } = [];

    /// <summary>The snapshot hash the decision signs.</summary>
    public string SnapshotHash { get; private set; } = "";

    public DateTimeOffset DecidedAt { get; private set; }
}
