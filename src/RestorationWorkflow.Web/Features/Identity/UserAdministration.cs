using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.Audit;
using RestorationWorkflow.Commands;
using RestorationWorkflow.Data;
using RestorationWorkflow.Identity;
using RestorationWorkflow.Web.Features.Audit;

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
    UserManager<AppUser> users, RoleManager<IdentityRole> roles, AppDbContext db, AuditTrail audit, TimeProvider time, ILogger<UserAdministration> logger)
{
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
            return CommandResult<UserSummary>.Invalid("email", $"A user with the e-mail '{email}' already exists.");

        return await InTransactionAsync(async () =>
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
            return CommandResult<UserSummary>.NotFound(CommandErrorCodes.UserNotFound, $"No user has the id '{id}'.");
        await EnsureRolesAsync();
        return await InTransactionAsync(async () =>
        {
        var current = await users.GetRolesAsync(user);
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
            return CommandResult<UserSummary>.NotFound(CommandErrorCodes.UserNotFound, $"No user has the id '{id}'.");
        return await InTransactionAsync(async () =>
        {
        var wasLocked = user.LockoutEnd is { } end && end > time.GetUtcNow();
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

    /// <summary>A user's audit events, newest first.</summary>
    public async Task<IReadOnlyList<UserAuditEvent>> HistoryAsync(string id, CancellationToken cancellationToken = default) =>
        await db.UserAuditEvents.AsNoTracking().Where(e => e.UserId == id).OrderByDescending(e => e.Id).ToListAsync(cancellationToken);

    /// <summary>
    /// Runs Identity's operations (each saves through this scope's DbContext) and the audit event in one
    /// transaction; a refused change rolls back whatever Identity had already written.
    /// </summary>
    private async Task<CommandResult<UserSummary>> InTransactionAsync(Func<Task<CommandResult<UserSummary>>> change)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            var result = await change();
            if (!result.Succeeded)
            {
                await transaction.RollbackAsync();
                db.ChangeTracker.Clear();
                return result;
            }
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
            return result;
        });
    }

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
