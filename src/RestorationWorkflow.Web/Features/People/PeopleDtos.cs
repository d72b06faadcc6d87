namespace RestorationWorkflow.Web.Features.People;

/// <summary><c>POST</c>/<c>PUT /api/projects/{id}/stakeholders…</c>.</summary>
public sealed record StakeholderRequest(string? Name, string? Group, bool? IsIplc, string? Contact, int? ExpectedVersion);

/// <summary>
/// A stakeholder as the caller may see it: <c>contact</c> is null and <c>contactMasked</c> true unless the caller is
/// on the project's team or an administrator (personal data).
/// </summary>
public sealed record StakeholderDto(
    Guid Id, Guid ProjectId, string Name, string Group, string GroupLabel, bool IsIplc, string? Contact, bool ContactMasked,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, int Version);

/// <summary><c>POST</c>/<c>PUT /api/projects/{id}/participation…</c>: attendance by gender and by IPLC membership.</summary>
public sealed record ParticipationRequest(
    DateOnly? Date, string? StepCode, string? Method, string? Purpose, int? Women, int? Men, int? OtherGender, int? IplcMembers, int? NonIplcMembers,
    string? Outcome, Guid? EvidenceFileId, int? ExpectedVersion);

public sealed record ParticipationDto(
    Guid Id, Guid ProjectId, DateOnly Date, string StepCode, string Method, string Purpose, int Women, int Men, int OtherGender,
    int IplcMembers, int NonIplcMembers, string Outcome, Guid? EvidenceFileId, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, int Version);

/// <summary>
/// <c>POST</c>/<c>PUT /api/projects/{id}/consents…</c>; <c>withdrawn</c> is recorded through <c>…/withdrawal</c>.
/// <c>renewOn</c> (optional): when the consent must be renewed or a condition of it falls due.
/// </summary>
public sealed record ConsentRequest(
    Guid? StakeholderId, IReadOnlyList<string>? Scopes, string? Outcome, DateOnly? Date, string? Conditions, Guid? EvidenceFileId, int? ExpectedVersion,
    DateOnly? RenewOn = null);

/// <summary><c>POST /api/projects/{id}/consents/{consentId}/withdrawal</c>.</summary>
public sealed record ConsentWithdrawalRequest(DateOnly? Date, string? Reason, int? ExpectedVersion);

/// <summary><c>POST /api/projects/{id}/consents/{consentId}/verification</c> (approvers).</summary>
public sealed record ConsentVerificationRequest(int? ExpectedVersion);

public sealed record ConsentDto(
    Guid Id, Guid ProjectId, Guid StakeholderId, string StakeholderName, IReadOnlyList<string> Scopes, string Outcome, string OutcomeLabel,
    DateOnly Date, string Conditions, Guid? EvidenceFileId, string? VerifiedById, string? VerifiedByName, DateTimeOffset? VerifiedAt,
    DateOnly? WithdrawnOn, string WithdrawalReason, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, int Version, string ProjectState, DateOnly? RenewOn);

/// <summary>A list under a project, with the project's version for the next write.</summary>
public sealed record PeopleListDto<T>(Guid ProjectId, int Version, IReadOnlyList<T> Items);

/// <summary>What a <c>DELETE</c> returns.</summary>
public sealed record PeopleItemRemovedDto(Guid ProjectId, Guid ItemId, int Version);
