namespace RestorationWorkflow.Approvals;

/// <summary>Where an approval request stands.</summary>
public enum ApprovalRequestStatus
{
    /// <summary>Waiting for decisions (or, when stale, for the manager to resubmit).</summary>
    Open = 0,

    /// <summary>The quorum approved; the gate's approve transition fired.</summary>
    Approved = 1,

    /// <summary>An approver rejected it; the gate's reject transition fired with the comment.</summary>
    Rejected = 2,

    /// <summary>The manager resubmitted after it went stale: a newer request replaces it.</summary>
    Superseded = 3,

    /// <summary>The project left the review another way (cancelled, or moved by the workflow migration).</summary>
    Cancelled = 4,
}

/// <summary>
/// Opened when a project enters a gated review state: what was submitted, as a canonical JSON snapshot of the
/// sections the gate covers and its SHA-256. Decisions sign that hash. A change to covered content while it is
/// open makes it stale: it cannot pass until the manager resubmits, which opens the next request.
/// </summary>
public sealed class ApprovalRequest
{
    private readonly List<ApprovalDecision> _decisions = [];

    private ApprovalRequest()
    {
    }

    public Guid Id { get; private set; }

    public Guid ProjectId { get; private set; }

    /// <summary>The gate id (<c>consent</c>, <c>plan</c>, <c>evaluation</c>).</summary>
    public string Gate { get; private set; } = "";

    /// <summary>The review state the request was opened in.</summary>
    public string State { get; private set; } = "";

    public int WorkflowVersion { get; private set; }

    /// <summary>1 for a gate's first request on the project, then one more per submission.</summary>
    public int Sequence { get; private set; }

    /// <summary>Who submitted (fired the transition into the review, or resubmitted).</summary>
    public string SubmittedById { get; private set; } = "";

    public DateTimeOffset OpenedAt { get; private set; }

    /// <summary>When a decision is due (the gate's <c>dueDays</c> after opening), if the gate sets one.</summary>
    public DateTimeOffset? DueAt { get; private set; }

    /// <summary>The quorum the gate asked for when the request opened.</summary>
    public int Quorum { get; private set; }

    /// <summary>Canonical JSON (sorted keys, no white space) of the covered sections.</summary>
    public string Snapshot { get; private set; } = "";

    /// <summary>Lower-case hex SHA-256 of <see cref="Snapshot"/>'s UTF-8 bytes.</summary>
    public string SnapshotHash { get; private set; } = "";

    /// <summary>
    /// The project's <see cref="Projects.Project.ContentStamp"/> read before <see cref="Snapshot"/> was built; null for
    /// requests opened before it existed, or when the project's copy was <see cref="CoveredContent.UnknownStamp"/>. While it equals the project's, the snapshot is current (<see cref="CoveredContent"/>).
    /// </summary>
    public long? ContentStamp { get; private set; }

    /// <summary>The request this one replaces (the previous submission to the same gate), for the diff.</summary>
    public Guid? PreviousRequestId { get; private set; }

    public ApprovalRequestStatus Status { get; private set; }

    public DateTimeOffset? ClosedAt { get; private set; }

    /// <summary>Covered content changed after the snapshot: the gate cannot pass until resubmitted.</summary>
    public bool Stale { get; private set; }

    public DateTimeOffset? StaleSince { get; private set; }

    /// <summary>The covered sections that changed (comma-separated), when stale.</summary>
    public string StaleSections { get; private set; } = "";

    /// <summary>
    /// The project is suspended from the request's review state (consent withdrawn): the request stays open for when it
    /// resumes, but nobody decides it meanwhile. Kept by the approval lifecycle with the project's state, so lists of
    /// decidable requests (the inbox, its badge, the calendar feed) filter on the request row alone.
    /// </summary>
    public bool OnHold { get; private set; }

    /// <summary>Concurrency token: two decisions racing on one request cannot both count.</summary>
    public int Revision { get; private set; }

    public IReadOnlyList<ApprovalDecision> Decisions => _decisions;

    public bool IsOpen => Status == ApprovalRequestStatus.Open;

    public static ApprovalRequest Open(
        Guid projectId, string gate, string state, int workflowVersion, int sequence, string submittedById, DateTimeOffset now,
        int? dueDays, int quorum, string snapshot, string snapshotHash, long? contentStamp, Guid? previousRequestId)
    {
        ArgumentException.ThrowIfNullOrEmpty(gate);
        ArgumentException.ThrowIfNullOrEmpty(snapshot);
        return new ApprovalRequest
        {
            Id = Guid.CreateVersion7(now),
            ProjectId = projectId,
            Gate = gate,
            State = state,
            WorkflowVersion = workflowVersion,
            Sequence = sequence,
            SubmittedById = submittedById,
            OpenedAt = now,
            DueAt = dueDays is { } days ? now.AddDays(days) : null,
            Quorum = quorum,
            Snapshot = snapshot,
            SnapshotHash = snapshotHash,
            ContentStamp = contentStamp,
            PreviousRequestId = previousRequestId,
            Status = ApprovalRequestStatus.Open,
        };
    }

    /// <summary>Distinct approvers who approved (a person counts once, whoever they acted for).</summary>
    public int ApprovalCount => CountApprovals(_decisions);

    /// <summary>How many people approved among <paramref name="decisions"/> (each decider counts once).</summary>
    public static int CountApprovals(IEnumerable<ApprovalDecision> decisions) =>
        decisions.Where(d => d.Decision == ApprovalDecisionKind.Approve).Select(d => d.DeciderId).Distinct(StringComparer.Ordinal).Count();

    /// <summary>Whether <paramref name="userId"/> already decided, in person or through a delegate.</summary>
    public bool HasDecided(string userId) =>
        _decisions.Any(d => d.DeciderId == userId || d.OnBehalfOfId == userId);

    public ApprovalDecision Decide(
        ApprovalDecisionKind decision, string deciderId, string? onBehalfOfId, string? comment, IReadOnlyList<string> sections, DateTimeOffset now)
    {
        if (!IsOpen)
            throw new InvalidOperationException($"Request {Id} is {Status}; it takes no decisions.");
        if (Stale)
            throw new InvalidOperationException($"Request {Id} is stale; it takes no decisions until resubmitted.");
        var made = new ApprovalDecision(Id, ProjectId, decision, deciderId, onBehalfOfId, comment, sections, SnapshotHash, now);
        _decisions.Add(made);
        Revision++;
        return made;
    }

    /// <summary>Records that covered content changed: sticky until the request is superseded.</summary>
    public void MarkStale(IEnumerable<string> sections, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(sections);
        if (!IsOpen || Stale)
            return;
        Stale = true;
        StaleSince = now;
        StaleSections = string.Join(',', sections);
        Revision++;
    }

    /// <summary>Puts the request on hold or takes it off (<see cref="OnHold"/>); whether it changed.</summary>
    public bool Hold(bool onHold)
    {
        if (!IsOpen || OnHold == onHold)
            return false;
        OnHold = onHold;
        Revision++;
        return true;
    }

    public void Close(ApprovalRequestStatus status, DateTimeOffset now)
    {
        if (status == ApprovalRequestStatus.Open)
            throw new ArgumentOutOfRangeException(nameof(status), "Closing needs a final status.");
        if (!IsOpen)
            return;
        Status = status;
        ClosedAt = now;
        Revision++;
    }
}
