namespace RestorationWorkflow.Web.Features.Approvals;

/// <summary>
/// <c>POST /api/approvals/delegations</c>: the delegate by <c>delegateEmail</c> or <c>delegateId</c> (one of them), the
/// window as UTC dates (both included), and for administrators the approver on whose behalf (<c>delegatorId</c>).
/// </summary>
public sealed record DelegationRequest(string? DelegateEmail, string? DelegateId, DateOnly? StartsOn, DateOnly? EndsOn, string? DelegatorId);

/// <summary>A delegation as the API shows it; <c>state</c> is one of <see cref="DelegationStates"/> on <c>today</c> (UTC).</summary>
public sealed record DelegationDto(
    Guid Id,
    string DelegatorId,
    string DelegatorName,
    string DelegatorEmail,
    string DelegateId,
    string DelegateName,
    string DelegateEmail,
    DateOnly StartsOn,
    DateOnly EndsOn,
    string State,
    DateTimeOffset CreatedAt,
    string CreatedById,
    string CreatedByName,
    DateTimeOffset? RevokedAt,
    string? RevokedById,
    string? RevokedByName);

/// <summary><c>GET /api/approvals/delegations</c>: the delegations the caller may see, newest window first.</summary>
public sealed record DelegationListDto(DateOnly Today, IReadOnlyList<DelegationDto> Items);

/// <summary>The state of a delegation on a given day.</summary>
public static class DelegationStates
{
    public const string Upcoming = "upcoming";
    public const string InForce = "inForce";
    public const string Ended = "ended";
    public const string Revoked = "revoked";
}

/// <summary>A user named in a delegation.</summary>
public sealed record DelegationUser(string Id, string Email, string Name)
{
    /// <summary>"Name (e-mail)", or the e-mail alone when the name is the e-mail.</summary>
    public string Label => string.IsNullOrWhiteSpace(Name) || string.Equals(Name, Email, StringComparison.Ordinal) ? Email : $"{Name} ({Email})";

    public static DelegationUser Unknown(string id) => new(id, "", id);
}
