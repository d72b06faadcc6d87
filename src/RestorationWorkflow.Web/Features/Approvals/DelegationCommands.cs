using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.Approvals;
using RestorationWorkflow.Commands;
using RestorationWorkflow.Data;
using RestorationWorkflow.Identity;
using RestorationWorkflow.Web.Features.Audit;
using RestorationWorkflow.Web.Features.Identity;
using RestorationWorkflow.Web.Features.Projects;
using RestorationWorkflow.Web.Infrastructure;
using RestorationWorkflow.Web.Infrastructure.Persistence;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Web.Features.Approvals;

/// <summary>The user audit events of delegations (beside <see cref="RestorationWorkflow.Audit.UserAuditActions"/>), on the delegator's account.</summary>
public static class DelegationAuditActions
{
    public const string Created = "user.delegation-created";
    public const string Revoked = "user.delegation-revoked";
}

/// <summary>Stable codes of delegation refusals (beside <see cref="CommandErrorCodes"/>).</summary>
public static class DelegationErrorCodes
{
    public const string NotFound = "delegation-not-found";
    public const string AlreadyRevoked = "delegation-revoked";
}

/// <summary>
/// Giving and revoking approval delegations, for the API and the page alike: validate (400) → authorize (403) → the
/// rules on the people and the window (422, each naming its field) → the change and its user audit event in one
/// serializable transaction, so two overlapping delegations cannot both pass the overlap check.
/// </summary>
public sealed class DelegationCommands(
    AppDbContext db, UserManager<AppUser> users, DelegationReader reader, AuditTrail audit, IAuthorizationService authorization, TimeProvider time,
    ILogger<DelegationCommands> logger)
{
    /// <summary>The longest window, in days (both ends included).</summary>
    public const int MaxDays = 366;

    public async Task<CommandResult<DelegationView>> CreateAsync(ClaimsPrincipal user, DelegationRequest? request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        request ??= new DelegationRequest(null, null, null, null, null);
        var errors = Validate(request);
        if (errors.Count > 0)
            return CommandResult<DelegationView>.Invalid(errors);
        var (start, end) = (request.StartsOn!.Value, request.EndsOn!.Value);
        var byEmail = !string.IsNullOrWhiteSpace(request.DelegateEmail);
        var delegateField = byEmail ? "delegateEmail" : "delegateId";
        var me = user.UserId();
        var delegatorId = string.IsNullOrWhiteSpace(request.DelegatorId) ? me : request.DelegatorId.Trim();
        var onBehalf = !string.Equals(delegatorId, me, StringComparison.Ordinal);

        var authorized = await authorization.AuthorizeAsync(user, new DelegationOwner(delegatorId), DelegationOperations.Create);
        if (!authorized.Succeeded)
            return CommandResult<DelegationView>.Forbidden("You may not give this delegation.", authorized.Rules());

        return await InTransactionAsync(async () =>
        {
            var delegator = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == delegatorId, cancellationToken);
            if (delegator is null)
                return Refuse("delegatorId", Both($"No user has the id '{TextRules.Quote(delegatorId)}'.", $"没有 id 为“{TextRules.Quote(delegatorId)}”的用户。"));
            var email = byEmail ? users.NormalizeEmail(request.DelegateEmail!.Trim()) : null;
            var delegateId = byEmail ? null : request.DelegateId!.Trim();
            var delegateUser = byEmail
                ? await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.NormalizedEmail == email, cancellationToken)
                : await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == delegateId, cancellationToken);
            if (delegateUser is null)
            {
                var given = TextRules.Quote(byEmail ? request.DelegateEmail!.Trim() : request.DelegateId!.Trim());
                return Refuse(delegateField, byEmail
                    ? Both($"No user has the e-mail '{given}'.", $"没有电子邮件为“{given}”的用户。")
                    : Both($"No user has the id '{given}'.", $"没有 id 为“{given}”的用户。"));
            }
            var from = Name(delegator);
            var to = Name(delegateUser);
            if (delegateUser.Id == delegator.Id)
            {
                return Refuse(delegateField, onBehalf
                    ? Both($"{from} cannot delegate to themselves.", $"{from} 不能委托给自己。")
                    : Both("You cannot delegate to yourself.", "您不能委托给自己。"));
            }
            var active = await reader.ActiveApproverIdsAsync([delegator.Id, delegateUser.Id], cancellationToken);
            if (!active.Contains(delegator.Id))
            {
                return Refuse("delegatorId", onBehalf
                    ? Both($"{from} is not an active approver: only approvers who are not locked out can delegate their approvals.",
                        $"{from} 不是有效的审批人：只有未被锁定的审批人才能委托其审批。")
                    : Both("You are not an active approver: only approvers who are not locked out can delegate their approvals.",
                        "您不是有效的审批人：只有未被锁定的审批人才能委托其审批。"));
            }
            if (!active.Contains(delegateUser.Id))
            {
                return Refuse(delegateField, Both(
                    $"{to} is not an active approver: a delegation goes to an approver who is not locked out.",
                    $"{to} 不是有效的审批人：只能委托给未被锁定的审批人。"));
            }

            var today = reader.Today;
            var unmet = new List<UnmetGuard>();
            if (end < today)
            {
                unmet.Add(Rule("endsOn",
                    $"The window ends on {Day(end)}, before today ({Day(today)}): a delegation cannot lie wholly in the past.",
                    $"期限于 {Day(end)} 结束，早于今天（{Day(today)}）：委托期限不能全部在过去。"));
            }
            var overlapping = await Overlapping(start, end).Where(d => d.DelegatorId == delegator.Id).OrderBy(d => d.StartsOn).FirstOrDefaultAsync(cancellationToken);
            if (overlapping is not null)
            {
                var other = await LabelAsync(overlapping.DelegateId, cancellationToken);
                unmet.Add(Rule("startsOn",
                    $"{from} already delegates to {other} from {Day(overlapping.StartsOn)} to {Day(overlapping.EndsOn)}, which overlaps {Day(start)} to {Day(end)}: revoke that delegation or choose other dates.",
                    $"{from} 已于 {Day(overlapping.StartsOn)} 至 {Day(overlapping.EndsOn)} 委托给 {other}，与 {Day(start)} 至 {Day(end)} 重叠：请先撤销该委托或选择其他日期。"));
            }
            var passedOn = await Overlapping(start, end).Where(d => d.DelegatorId == delegateUser.Id).OrderBy(d => d.StartsOn).FirstOrDefaultAsync(cancellationToken);
            if (passedOn is not null)
            {
                var other = await LabelAsync(passedOn.DelegateId, cancellationToken);
                unmet.Add(Rule(delegateField,
                    $"{to} has delegated their own approvals to {other} from {Day(passedOn.StartsOn)} to {Day(passedOn.EndsOn)}, which overlaps this window: delegations cannot be chained.",
                    $"{to} 已于 {Day(passedOn.StartsOn)} 至 {Day(passedOn.EndsOn)} 将自己的审批委托给 {other}，与此期限重叠：委托不能转委托。"));
            }
            var received = await Overlapping(start, end).Where(d => d.DelegateId == delegator.Id).OrderBy(d => d.StartsOn).FirstOrDefaultAsync(cancellationToken);
            if (received is not null)
            {
                var other = await LabelAsync(received.DelegatorId, cancellationToken);
                unmet.Add(Rule("startsOn",
                    $"{from} decides on behalf of {other} from {Day(received.StartsOn)} to {Day(received.EndsOn)}, which overlaps this window: delegations cannot be chained.",
                    $"{from} 于 {Day(received.StartsOn)} 至 {Day(received.EndsOn)} 代表 {other} 审批，与此期限重叠：委托不能转委托。"));
            }
            if (unmet.Count > 0)
                return CommandResult<DelegationView>.Unprocessable(string.Join(" ", unmet.Select(u => u.Message.En)), unmet);

            var now = time.GetUtcNow();
            var delegation = new ApprovalDelegation(delegator.Id, delegateUser.Id, start, end, me, now);
            db.ApprovalDelegations.Add(delegation);
            audit.AppendUser(me, user.DisplayName(), delegator, DelegationAuditActions.Created, new
            {
                delegation = new { @new = delegation.Id },
                delegateId = new { @new = delegateUser.Id },
                delegateEmail = new { @new = delegateUser.Email },
                startsOn = new { @new = Day(start) },
                endsOn = new { @new = Day(end) },
            }, now);
            logger.LogInformation("Delegation {Id}: {Delegator} to {Delegate} from {Start} to {End}", delegation.Id, delegator.Email, delegateUser.Email, start, end);
            return CommandResult<DelegationView>.Ok((await reader.NameAsync([delegation], cancellationToken))[0]);
        }, cancellationToken);
    }

    public async Task<CommandResult<DelegationView>> RevokeAsync(ClaimsPrincipal user, Guid id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var me = user.UserId();
        return await InTransactionAsync(async () =>
        {
            var delegation = await db.ApprovalDelegations.FirstOrDefaultAsync(d => d.Id == id, cancellationToken);
            if (delegation is null || !(DelegationOperations.SeesAll(user) || delegation.DelegatorId == me || delegation.DelegateId == me))
                return CommandResult<DelegationView>.NotFound(DelegationErrorCodes.NotFound, $"No delegation has the id '{id}'.");
            var authorized = await authorization.AuthorizeAsync(user, delegation, DelegationOperations.Revoke);
            if (!authorized.Succeeded)
                return CommandResult<DelegationView>.Forbidden("You may not revoke this delegation.", authorized.Rules());
            if (delegation.IsRevoked)
            {
                return CommandResult<DelegationView>.Conflict(DelegationErrorCodes.AlreadyRevoked, Text(
                    $"This delegation was already revoked on {delegation.RevokedAt!.Value.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC.",
                    $"此委托已于 {delegation.RevokedAt!.Value.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC 撤销。"));
            }
            var delegator = await db.Users.AsNoTracking().FirstAsync(u => u.Id == delegation.DelegatorId, cancellationToken);
            var now = time.GetUtcNow();
            delegation.Revoke(me, now);
            audit.AppendUser(me, user.DisplayName(), delegator, DelegationAuditActions.Revoked, new
            {
                delegation = new { old = delegation.Id },
                revoked = new { old = false, @new = true },
            }, now);
            logger.LogInformation("Delegation {Id} revoked", delegation.Id);
            return CommandResult<DelegationView>.Ok((await reader.NameAsync([delegation], cancellationToken))[0]);
        }, cancellationToken);
    }

    /// <summary>The rules on the request's form (400): the delegate named once, both dates, in order, at most <see cref="MaxDays"/> days.</summary>
    private static Dictionary<string, string[]> Validate(DelegationRequest request)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var byEmail = !string.IsNullOrWhiteSpace(request.DelegateEmail);
        var byId = !string.IsNullOrWhiteSpace(request.DelegateId);
        if (!byEmail && !byId)
            errors["delegateEmail"] = [Text("The delegate is required: give delegateEmail or delegateId.", "被委托人为必填项：请提供 delegateEmail 或 delegateId。")];
        else if (byEmail && byId)
            errors["delegateId"] = [Text("Name the delegate once: give delegateEmail or delegateId, not both.", "被委托人只能指定一次：请提供 delegateEmail 或 delegateId，不能两者都提供。")];
        if (request.StartsOn is null)
            errors["startsOn"] = [Text("The first day of the delegation (startsOn, a UTC date) is required.", "委托的第一天（startsOn，UTC 日期）为必填项。")];
        if (request.EndsOn is null)
            errors["endsOn"] = [Text("The last day of the delegation (endsOn, a UTC date) is required.", "委托的最后一天（endsOn，UTC 日期）为必填项。")];
        if (request is { StartsOn: { } start, EndsOn: { } end })
        {
            if (end < start)
            {
                errors["endsOn"] = [Text($"The last day ({Day(end)}) must be on or after the first day ({Day(start)}).",
                    $"最后一天（{Day(end)}）不能早于第一天（{Day(start)}）。")];
            }
            else if (end.DayNumber - start.DayNumber + 1 > MaxDays)
            {
                var days = end.DayNumber - start.DayNumber + 1;
                errors["endsOn"] = [Text($"A delegation lasts at most {MaxDays} days; this one would last {days}.",
                    $"委托最长 {MaxDays} 天；此委托为 {days} 天。")];
            }
        }
        return errors;
    }

    /// <summary>The non-revoked delegations whose window shares a day with [<paramref name="start"/>, <paramref name="end"/>].</summary>
    private IQueryable<ApprovalDelegation> Overlapping(DateOnly start, DateOnly end) =>
        db.ApprovalDelegations.AsNoTracking().Where(d => d.RevokedAt == null && d.StartsOn <= end && start <= d.EndsOn);

    private async Task<string> LabelAsync(string userId, CancellationToken cancellationToken)
    {
        var found = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == userId, cancellationToken);
        return found is null ? userId : Name(found);
    }

    private static string Name(AppUser user) =>
        new DelegationUser(user.Id, user.Email ?? "", string.IsNullOrWhiteSpace(user.DisplayName) ? user.Email ?? user.Id : user.DisplayName).Label;

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Text(string en, string zh) => new LocalizedText(en, zh).For(CultureInfo.CurrentUICulture);

    private static UnmetGuard Rule(string field, string en, string zh) => new(field, new LocalizedText(en, zh));

    private static LocalizedText Both(string en, string zh) => new(en, zh);

    private static CommandResult<DelegationView> Refuse(string field, LocalizedText message) =>
        CommandResult<DelegationView>.Unprocessable(message.En, [new UnmetGuard(field, message)]);

    /// <summary>
    /// The checks and the change in one serializable transaction (<see cref="SerializableTransaction"/>), so that a
    /// concurrent delegation cannot slip between the overlap check and the insert; a refusal writes nothing. A change
    /// that loses a race to another writer is run again (its overlap check then sees the other delegation); one that
    /// keeps losing answers 409.
    /// </summary>
    private async Task<CommandResult<DelegationView>> InTransactionAsync(Func<Task<CommandResult<DelegationView>>> change, CancellationToken cancellationToken)
    {
        try
        {
            return await SerializableTransaction.RunAsync(db, change, cancellationToken);
        }
        catch (Exception ex) when (SerializableTransaction.LostRace(ex))
        {
            db.ChangeTracker.Clear();
            return CommandResult<DelegationView>.Conflict(CommandErrorCodes.ConcurrentChange, Text(
                "Another change was saved at the same moment; try again.", "同一时刻保存了另一项更改；请重试。"));
        }
    }
}
