using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.Approvals;
using RestorationWorkflow.Data;
using RestorationWorkflow.Identity;
using RestorationWorkflow.Web.Features.Identity;

namespace RestorationWorkflow.Web.Features.Approvals;

/// <summary>A delegation with the people it names.</summary>
public sealed record DelegationView(ApprovalDelegation Delegation, DelegationUser Delegator, DelegationUser Delegate, DelegationUser CreatedBy, DelegationUser? RevokedBy)
{
    /// <summary>One of <see cref="DelegationStates"/> on <paramref name="today"/>.</summary>
    public string StateOn(DateOnly today) => DelegationReader.StateOn(Delegation, today);

    public DelegationDto ToDto(DateOnly today) => new(
        Delegation.Id, Delegator.Id, Delegator.Name, Delegator.Email, Delegate.Id, Delegate.Name, Delegate.Email,
        Delegation.StartsOn, Delegation.EndsOn, StateOn(today), Delegation.CreatedAt, CreatedBy.Id, CreatedBy.Name,
        Delegation.RevokedAt, RevokedBy?.Id, RevokedBy?.Name);
}

/// <summary>
/// Reads approval delegations: for the API and page (what a caller may see), and for deciding on approvals
/// (<see cref="ActiveForDelegateAsync"/>, <see cref="FindActiveAsync"/>). A delegation is in force on a day when it is
/// not revoked, the day is inside its window (UTC dates, both included), and its delegator and delegate are still
/// active (not locked out) approvers.
/// </summary>
public sealed class DelegationReader(AppDbContext db, TimeProvider time)
{
    /// <summary>Today as a UTC calendar date, from the injected clock.</summary>
    public DateOnly Today => DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);

    public static string StateOn(ApprovalDelegation delegation, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(delegation);
        if (delegation.IsRevoked)
            return DelegationStates.Revoked;
        if (today < delegation.StartsOn)
            return DelegationStates.Upcoming;
        return today > delegation.EndsOn ? DelegationStates.Ended : DelegationStates.InForce;
    }

    /// <summary>The delegations in force on <paramref name="day"/> for which <paramref name="delegateId"/> is the delegate.</summary>
    public async Task<IReadOnlyList<ApprovalDelegation>> ActiveForDelegateAsync(string delegateId, DateOnly day, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(delegateId);
        var candidates = await db.ApprovalDelegations.AsNoTracking()
            .Where(d => d.DelegateId == delegateId && d.RevokedAt == null && d.StartsOn <= day && d.EndsOn >= day)
            .OrderBy(d => d.StartsOn).ThenBy(d => d.CreatedAt)
            .ToListAsync(cancellationToken);
        if (candidates.Count == 0)
            return [];
        var active = await ActiveApproverIdsAsync([delegateId, .. candidates.Select(d => d.DelegatorId)], cancellationToken);
        return active.Contains(delegateId) ? [.. candidates.Where(d => active.Contains(d.DelegatorId))] : [];
    }

    /// <summary>The delegation from <paramref name="delegatorId"/> to <paramref name="delegateId"/> in force on <paramref name="day"/>, if any.</summary>
    public async Task<ApprovalDelegation?> FindActiveAsync(string delegatorId, string delegateId, DateOnly day, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(delegatorId);
        ArgumentException.ThrowIfNullOrEmpty(delegateId);
        var found = await db.ApprovalDelegations.AsNoTracking()
            .Where(d => d.DelegatorId == delegatorId && d.DelegateId == delegateId && d.RevokedAt == null && d.StartsOn <= day && d.EndsOn >= day)
            .OrderBy(d => d.CreatedAt)
            .FirstOrDefaultAsync(cancellationToken);
        if (found is null)
            return null;
        var active = await ActiveApproverIdsAsync([delegatorId, delegateId], cancellationToken);
        return active.Contains(delegatorId) && active.Contains(delegateId) ? found : null;
    }

    /// <summary>
    /// The delegations <paramref name="user"/> may see: administrators and auditors all of them, approvers those they
    /// gave or received; <paramref name="userId"/> keeps those that user gave or received. Newest window first.
    /// </summary>
    public async Task<IReadOnlyList<DelegationView>> ListAsync(ClaimsPrincipal user, string? userId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var query = Visible(user);
        if (!string.IsNullOrEmpty(userId))
            query = query.Where(d => d.DelegatorId == userId || d.DelegateId == userId);
        var items = await query.OrderByDescending(d => d.StartsOn).ThenByDescending(d => d.CreatedAt).ToListAsync(cancellationToken);
        return await NameAsync(items, cancellationToken);
    }

    /// <summary>One delegation <paramref name="user"/> may see; null when there is none (or it is not theirs to see).</summary>
    public async Task<DelegationView?> FindAsync(ClaimsPrincipal user, Guid id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var found = await Visible(user).FirstOrDefaultAsync(d => d.Id == id, cancellationToken);
        return found is null ? null : (await NameAsync([found], cancellationToken))[0];
    }

    /// <summary>Names the people of <paramref name="delegations"/> (one query for all of them).</summary>
    public async Task<IReadOnlyList<DelegationView>> NameAsync(IReadOnlyList<ApprovalDelegation> delegations, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delegations);
        var ids = delegations.SelectMany(d => new[] { d.DelegatorId, d.DelegateId, d.CreatedById, d.RevokedById ?? "" })
            .Where(id => id.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        var users = await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id))
            .Select(u => new DelegationUser(u.Id, u.Email ?? "", string.IsNullOrEmpty(u.DisplayName) ? u.Email ?? u.Id : u.DisplayName))
            .ToDictionaryAsync(u => u.Id, StringComparer.Ordinal, cancellationToken);
        DelegationUser Named(string id) => users.GetValueOrDefault(id) ?? DelegationUser.Unknown(id);
        return [.. delegations.Select(d => new DelegationView(d, Named(d.DelegatorId), Named(d.DelegateId), Named(d.CreatedById),
            d.RevokedById is null ? null : Named(d.RevokedById)))];
    }

    /// <summary>Every approver who is not locked out, by name.</summary>
    public async Task<IReadOnlyList<DelegationUser>> ActiveApproversAsync(CancellationToken cancellationToken)
    {
        var approvers = await Approvers().ToListAsync(cancellationToken);
        var now = time.GetUtcNow();
        return [.. approvers.Where(u => u.LockoutEnd is not { } end || end <= now)
            .Select(u => new DelegationUser(u.Id, u.Email ?? "", string.IsNullOrEmpty(u.DisplayName) ? u.Email ?? u.Id : u.DisplayName))
            .OrderBy(u => u.Name, StringComparer.CurrentCulture).ThenBy(u => u.Email, StringComparer.Ordinal)];
    }

    /// <summary>Which of <paramref name="userIds"/> are approvers who are not locked out.</summary>
    public async Task<IReadOnlySet<string>> ActiveApproverIdsAsync(IReadOnlyCollection<string> userIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(userIds);
        var ids = userIds.Distinct(StringComparer.Ordinal).ToList();
        var approvers = await Approvers().Where(u => ids.Contains(u.Id)).Select(u => new { u.Id, u.LockoutEnd }).ToListAsync(cancellationToken);
        var now = time.GetUtcNow();
        return approvers.Where(u => u.LockoutEnd is not { } end || end <= now).Select(u => u.Id).ToHashSet(StringComparer.Ordinal);
    }

    private IQueryable<AppUser> Approvers() =>
        db.Users.AsNoTracking().Where(u => db.UserRoles.Any(ur => ur.UserId == u.Id && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == AppRoles.Approver)));

    private IQueryable<ApprovalDelegation> Visible(ClaimsPrincipal user)
    {
        var query = db.ApprovalDelegations.AsNoTracking();
        if (DelegationOperations.SeesAll(user))
            return query;
        var me = user.UserId();
        return query.Where(d => d.DelegatorId == me || d.DelegateId == me);
    }
}
