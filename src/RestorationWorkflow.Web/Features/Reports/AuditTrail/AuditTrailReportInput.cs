namespace RestorationWorkflow.Web.Features.Reports.AuditTrail;

/// <summary>
/// Everything the audit-trail report shows, already in the report's language where it comes from data (state names,
/// what each event did); <see cref="AuditTrailReportSource"/> builds it from the database, <see cref="AuditTrailReport"/>
/// draws it. Its SHA-256 (as JSON) is printed in every page's footer.
/// </summary>
public sealed record AuditTrailReportInput(
    string Language,
    DateTimeOffset GeneratedAt,
    string RequestedBy,
    AuditTrailProject Project,
    AuditTrailChain Chain,
    IReadOnlyList<AuditTrailEntry> Events);

/// <summary>The project: code, name, current state's label and workflow (id and version).</summary>
public sealed record AuditTrailProject(Guid Id, string Code, string Name, string State, string Workflow);

/// <summary>The chain's head and the result of verifying it when the report was made.</summary>
public sealed record AuditTrailChain(
    int HeadSequence,
    string HeadHash,
    bool Valid,
    int EventCount,
    int? BrokenSequence,
    string? Reason,
    DateTimeOffset VerifiedAt);

/// <summary>One event: when, who, what (described), the states before and after, the comment, each changed value, its hash.</summary>
public sealed record AuditTrailEntry(
    int Sequence,
    DateTimeOffset At,
    string Actor,
    string Action,
    string? FromState,
    string? ToState,
    string? Comment,
    IReadOnlyList<AuditTrailChange> Changes,
    string Hash);

/// <summary>A changed value: the field and its old and new values (<c>null</c>: none).</summary>
public sealed record AuditTrailChange(string Field, string? Old, string? New);
