using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.Audit;
using RestorationWorkflow.Commands;
using RestorationWorkflow.Data;
using RestorationWorkflow.Identity;
using RestorationWorkflow.Web.Features.Audit;
using RestorationWorkflow.Workflows;
using RestorationWorkflow.Web.Infrastructure;
using RestorationWorkflow.Web.Infrastructure.Persistence;

namespace RestorationWorkflow.Web.Features.Identity;

/// <summary>A user as administrators see it.</summary>
public sealed record UserSummary(string Id, string Email, string DisplayName, IReadOnlyList<string> Roles, bool LockedOut, DateTimeOffset? LockoutEnd, int AccessFailedCount);

/// <summary>Who changes a user account, for the audit event.</summary>
public sealed record Actor(string Id, string Name)
{
    /// <summary>Start-up seeding and the <c>create-admin</c> command.</summary>
    public static readonly Actor System = new("system", "System");

    public static Actor From(ClaimsPrincipal user) => new(user.UserId(), user.DisplayName());
}

/// <summary>
/// Creating users, changing roles, locking and unlocking: one service behind the admin pages, the
/// admin API, the <c>create-admin</c> command and the demo seeding, so every path applies the same rules.
/// Each change and its <see cref="UserAuditEvent"/> commit in one transaction, or not at all.
/// </summary>
public sealed class UserAdministration(
    UserManager<AppUser> users, RoleManager<IdentityRole> roles, AppDbContext db, AuditTrail audit, AccountStatusCache accounts, TimeProvider time,
    ILogger<UserAdministration> logger)
{
    /// <summary>The rule that keeps the product administrable: the last active administrator is never demoted or locked.</summary>
    public static readonly UnmetGuard LastActiveAdministrator = new("last-active-administrator", new LocalizedText(
        "This is the last active administrator: make another user an administrator (or unlock one) first.",
        "这是最后一位有效的管理员：请先将另一位用户设为管理员（或解锁一位管理员）。"));

    public async Task EnsureRolesAsync()
    {
        foreach (var role in AppRoles.All)
        {
            if (!await roles.RoleExistsAsync(role))
                await roles.CreateAsync(new IdentityRole(role));
        }
    }

    public async Task<IReadOnlyList<UserSummary>> ListAsync(CancellationToken cancellationToken = default)
    {
        var all = await users.Users.OrderBy(u => u.Email).ToListAsync(cancellationToken);
        var result = new List<UserSummary>(all.Count);
        foreach (var user in all)
            result.Add(await SummarizeAsync(user));
        return result;
    }

    public async Task<UserSummary?> FindAsync(string id)
    {
        var user = await users.FindByIdAsync(id);
        return user is null ? null : await SummarizeAsync(user);
    }

    public async Task<CommandResult<UserSummary>> CreateAsync(Actor actor, string? email, string? displayName, string? password, IReadOnlyCollection<string>? roleNames)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(email) || !new System.ComponentModel.DataAnnotations.EmailAddressAttribute().IsValid(email))
            errors["email"] = ["A valid e-mail address is required."];
        if (string.IsNullOrWhiteSpace(password))
            errors["password"] = ["A password is required."];
        var unknown = (roleNames ?? []).Where(r => !AppRoles.IsKnown(r)).ToList();
        if (unknown.Count > 0)
            errors["roles"] = [$"Unknown role(s): {string.Join(", ", unknown)}. Known: {string.Join(", ", AppRoles.All)}."];
        if (errors.Count > 0)
            return CommandResult<UserSummary>.Invalid(errors);

        await EnsureRolesAsync();
        if (await users.FindByEmailAsync(email!) is not null)
            return CommandResult<UserSummary>.Invalid("email", $"A user with the e-mail '{TextRules.Quote(email)}' already exists.");

        return await InTransactionAsync(null, async () =>
        {
        var user = new AppUser
        {
            UserName = email!.Trim(),
            Email = email.Trim(),
            EmailConfirmed = true,
            DisplayName = string.IsNullOrWhiteSpace(displayName) ? email.Trim() : displayName.Trim(),
            CreatedAt = time.GetUtcNow(),
        };
        var created = await users.CreateAsync(user, password!);
        if (!created.Succeeded)
            return CommandResult<UserSummary>.Invalid(ToErrors(created, "password"));
        if (roleNames is { Count: > 0 })
        {
            var added = await users.AddToRolesAsync(user, roleNames.Distinct(StringComparer.Ordinal));
            if (!added.Succeeded)
                return CommandResult<UserSummary>.Invalid(ToErrors(added, "roles"));
        }
        Audit(actor, user, UserAuditActions.Created, new { roles = new { @new = roleNames ?? [] }, displayName = new { @new = user.DisplayName } });
        logger.LogInformation("Created user {Email} with roles {Roles}", user.Email, string.Join(",", roleNames ?? []));
        return CommandResult<UserSummary>.Ok(await SummarizeAsync(user));
        });
    }

    public async Task<CommandResult<UserSummary>> SetRolesAsync(Actor actor, string id, IReadOnlyCollection<string>? roleNames)
    {
        var wanted = (roleNames ?? []).Distinct(StringComparer.Ordinal).ToList();
        var unknown = wanted.Where(r => !AppRoles.IsKnown(r)).ToList();
        if (unknown.Count > 0)
            return CommandResult<UserSummary>.Invalid("roles", $"Unknown role(s): {string.Join(", ", unknown)}. Known: {string.Join(", ", AppRoles.All)}.");
        var user = await users.FindByIdAsync(id);
        if (user is null)
            return CommandResult<UserSummary>.NotFound(CommandErrorCodes.UserNotFound, $"No user has the id '{TextRules.Quote(id)}'.");
        await EnsureRolesAsync();
        return await InTransactionAsync(user.Id, async () =>
        {
        if (await ReloadAsync(user) is not { } fresh)
            return UserGone(id);
        user = fresh;
        var current = await users.GetRolesAsync(user);
        if (current.Contains(AppRoles.Administrator) && !wanted.Contains(AppRoles.Administrator) && await IsLastActiveAdministratorAsync(user))
            return LastAdministratorRefusal(user, "remove the Administrator role of");
        var removed = await users.RemoveFromRolesAsync(user, current.Except(wanted));
        if (!removed.Succeeded)
            return CommandResult<UserSummary>.Invalid(ToErrors(removed, "roles"));
        var added = await users.AddToRolesAsync(user, wanted.Except(current));
        if (!added.Succeeded)
            return CommandResult<UserSummary>.Invalid(ToErrors(added, "roles"));
        await users.UpdateSecurityStampAsync(user);
        Audit(actor, user, UserAuditActions.RolesChanged, new { roles = new { old = current.Order(StringComparer.Ordinal), @new = wanted.Order(StringComparer.Ordinal) } });
        logger.LogInformation("Roles of {Email} set to {Roles}", user.Email, string.Join(",", wanted));
        return CommandResult<UserSummary>.Ok(await SummarizeAsync(user));
        });
    }

    public async Task<CommandResult<UserSummary>> SetLockedAsync(Actor actor, string id, bool locked)
    {
        var user = await users.FindByIdAsync(id);
        if (user is null)
            return CommandResult<UserSummary>.NotFound(CommandErrorCodes.UserNotFound, $"No user has the id '{TextRules.Quote(id)}'.");
        return await InTransactionAsync(user.Id, async () =>
        {
        if (await ReloadAsync(user) is not { } fresh)
            return UserGone(id);
        user = fresh;
        var wasLocked = user.LockoutEnd is { } end && end > time.GetUtcNow();
        if (locked && !wasLocked && await IsLastActiveAdministratorAsync(user))
            return LastAdministratorRefusal(user, "lock");
        await users.SetLockoutEnabledAsync(user, true);
        await users.SetLockoutEndDateAsync(user, locked ? DateTimeOffset.MaxValue : null);
        if (!locked)
            await users.ResetAccessFailedCountAsync(user);
        await users.UpdateSecurityStampAsync(user);
        Audit(actor, user, locked ? UserAuditActions.Locked : UserAuditActions.Unlocked, new { locked = new { old = wasLocked, @new = locked } });
        logger.LogInformation("User {Email} {Action}", user.Email, locked ? "locked" : "unlocked");
        return CommandResult<UserSummary>.Ok(await SummarizeAsync(user));
        });
    }

    /// <summary>
    /// A user changes their own password (the page and <c>POST /api/auth/manage/info</c>): Identity's check of the
    /// current password and the password rules, a new security stamp (so every bearer token issued before stops
    /// working) and the audit event, in one transaction. Errors are keyed <c>oldPassword</c> and <c>newPassword</c>.
    /// </summary>
    public async Task<CommandResult<UserSummary>> ChangePasswordAsync(AppUser user, string? currentPassword, string? newPassword)
    {
        ArgumentNullException.ThrowIfNull(user);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(currentPassword))
            errors["oldPassword"] = ["The current password is required to set a new one."];
        if (string.IsNullOrEmpty(newPassword))
            errors["newPassword"] = ["A new password is required."];
        if (errors.Count > 0)
            return CommandResult<UserSummary>.Invalid(errors);
        return await InTransactionAsync(user.Id, async () =>
        {
            if (await ReloadAsync(user) is not { } fresh)
                return UserGone(user.Id);
            user = fresh;
            var changed = await users.ChangePasswordAsync(user, currentPassword!, newPassword!);
            if (!changed.Succeeded)
            {
                var mismatch = changed.Errors.Where(e => e.Code == nameof(IdentityErrorDescriber.PasswordMismatch)).Select(e => e.Description).ToArray();
                var rules = changed.Errors.Where(e => e.Code != nameof(IdentityErrorDescriber.PasswordMismatch)).Select(e => e.Description).ToArray();
                var refused = new Dictionary<string, string[]>(StringComparer.Ordinal);
                if (mismatch.Length > 0)
                    refused["oldPassword"] = mismatch;
                if (rules.Length > 0)
                    refused["newPassword"] = rules;
                return CommandResult<UserSummary>.Invalid(refused);
            }
            // Never the password or its hash: only that it changed.
            Audit(new Actor(user.Id, string.IsNullOrWhiteSpace(user.DisplayName) ? user.Email ?? user.Id : user.DisplayName), user,
                AccountAuditActions.PasswordChanged, new { password = new { changed = true } });
            logger.LogInformation("User {Email} changed their password", user.Email);
            return CommandResult<UserSummary>.Ok(await SummarizeAsync(user));
        });
    }

    /// <summary>A user's audit events, newest first.</summary>
    public async Task<IReadOnlyList<UserAuditEvent>> HistoryAsync(string id, CancellationToken cancellationToken = default) =>
        await db.UserAuditEvents.AsNoTracking().Where(e => e.UserId == id).OrderByDescending(e => e.Id).ToListAsync(cancellationToken);

    /// <summary>
    /// Runs Identity's operations (each saves through this scope's DbContext) and the audit event in one
    /// serializable transaction (<see cref="SerializableTransaction"/>); a refused change rolls back whatever Identity
    /// had already written. Serializable, so two administrators locking or demoting each other at once cannot both pass
    /// the last-administrator check: on PostgreSQL the one that loses the race is run again from the start (each change
    /// reads its user again, <see cref="ReloadAsync"/>) and then sees the other's change. After the commit this node
    /// forgets what it cached about the account (<see cref="AccountStatusCache"/>), so the user's bearer tokens from
    /// before the change stop working at once.
    /// </summary>
    private async Task<CommandResult<UserSummary>> InTransactionAsync(string? userId, Func<Task<CommandResult<UserSummary>>> change)
    {
        var outcome = await SerializableTransaction.RunAsync(db, change, CancellationToken.None);
        if (outcome.Succeeded && userId is not null)
            accounts.Forget(userId);
        return outcome;
    }

    /// <summary>
    /// The user as the transaction sees it: the tracked instance on a first attempt, read again after a lost race
    /// cleared the change tracker.
    /// </summary>
    private async Task<AppUser?> ReloadAsync(AppUser user) =>
        db.Entry(user).State == EntityState.Detached ? await users.FindByIdAsync(user.Id) : user;

    private static CommandResult<UserSummary> UserGone(string id) =>
        CommandResult<UserSummary>.NotFound(CommandErrorCodes.UserNotFound, $"No user has the id '{TextRules.Quote(id)}'.");

    /// <summary>True when <paramref name="user"/> is an unlocked administrator and no other unlocked administrator exists.</summary>
    private async Task<bool> IsLastActiveAdministratorAsync(AppUser user)
    {
        var now = time.GetUtcNow();
        bool Active(AppUser u) => u.LockoutEnd is not { } end || end <= now;
        if (!Active(user) || !await users.IsInRoleAsync(user, AppRoles.Administrator))
            return false;
        var administrators = await users.GetUsersInRoleAsync(AppRoles.Administrator);
        return !administrators.Any(u => u.Id != user.Id && Active(u));
    }

    private static CommandResult<UserSummary> LastAdministratorRefusal(AppUser user, string action) =>
        CommandResult<UserSummary>.Unprocessable($"Cannot {action} {user.Email}: {LastActiveAdministrator.Message.En}", [LastActiveAdministrator]);

    private void Audit(Actor actor, AppUser user, string action, object changes) =>
        audit.AppendUser(actor.Id, actor.Name, user, action, changes, time.GetUtcNow());

    private async Task<UserSummary> SummarizeAsync(AppUser user)
    {
        var userRoles = await users.GetRolesAsync(user);
        var locked = user.LockoutEnd is { } end && end > time.GetUtcNow();
        return new UserSummary(user.Id, user.Email ?? "", user.DisplayName, [.. userRoles.Order(StringComparer.Ordinal)], locked, user.LockoutEnd, user.AccessFailedCount);
    }

    private static Dictionary<string, string[]> ToErrors(IdentityResult result, string field) =>
        new(StringComparer.Ordinal) { [field] = [.. result.Errors.Select(e => e.Description)] };
}
