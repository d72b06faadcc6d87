using System.Globalization;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.Commands;
using RestorationWorkflow.Data;
using RestorationWorkflow.Identity;
using RestorationWorkflow.Web.Features.Audit;
using RestorationWorkflow.Web.Features.Identity;
using RestorationWorkflow.Web.Infrastructure;
using RestorationWorkflow.Web.Infrastructure.Persistence;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Web.Features.Reminders.Notifications;

/// <summary>The languages of reminder e-mail and of the calendar feed.</summary>
public static class ReminderLanguages
{
    public const string English = "en";
    public const string Chinese = "zh-Hans";

    public static readonly IReadOnlyList<string> All = [English, Chinese];

    /// <summary>The canonical code for <paramref name="code"/> (any case), or null when it is not one of <see cref="All"/>.</summary>
    public static string? Canonical(string? code) => All.FirstOrDefault(l => string.Equals(l, code?.Trim(), StringComparison.OrdinalIgnoreCase));

    public static LocalizedText Label(string code) => code == Chinese ? new("Chinese (Simplified)", "简体中文") : new("English", "英语");
}

/// <summary>The user audit events of the calendar feed (beside <see cref="RestorationWorkflow.Audit.UserAuditActions"/>): who can read one's due items without signing in.</summary>
public static class CalendarAuditActions
{
    public const string Created = "user.calendar-feed-created";
    public const string Revoked = "user.calendar-feed-revoked";
}

/// <summary>Stable codes of preference refusals (beside <see cref="CommandErrorCodes"/>).</summary>
public static class PreferenceErrorCodes
{
    public const string NoCalendarFeed = "calendar-feed-not-found";
}

/// <summary>Whether the caller has a calendar feed, and since when (the token itself is never shown again).</summary>
public sealed record CalendarFeedStatusDto(bool Exists, DateTimeOffset? CreatedAt);

/// <summary>The caller's reminder preferences.</summary>
public sealed record PreferencesDto(bool EmailReminders, bool DailyDigest, string Language, CalendarFeedStatusDto CalendarFeed);

/// <summary><c>PUT /api/me/preferences</c>: every field is required (the whole set is replaced).</summary>
public sealed record PreferencesRequest(bool? EmailReminders, bool? DailyDigest, string? Language);

/// <summary>A new calendar feed: the token and the feed's URL, shown this once.</summary>
public sealed record CalendarTokenDto(string Token, string Url, DateTimeOffset CreatedAt);

/// <summary>
/// A person's reminder preferences (e-mail on or off, a daily digest instead of single messages, the language of
/// e-mail and of the calendar feed) and their calendar feed's token. Creating a token replaces the previous one;
/// creating and revoking are user audit events (they decide who may read the person's due items without signing in),
/// the preferences themselves are personal settings and are not audited.
/// </summary>
public sealed class ReminderPreferences(AppDbContext db, AuditTrail audit, TimeProvider time, ILogger<ReminderPreferences> logger)
{
    public async Task<PreferencesDto?> GetAsync(string userId, CancellationToken ct) =>
        await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new PreferencesDto(u.EmailReminders, u.DailyDigest, u.PreferredLanguage,
                new CalendarFeedStatusDto(u.CalendarTokenHash != null, u.CalendarTokenCreatedAt)))
            .FirstOrDefaultAsync(ct);

    public async Task<CommandResult<PreferencesDto>> UpdateAsync(string userId, PreferencesRequest? request, CancellationToken ct)
    {
        request ??= new PreferencesRequest(null, null, null);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (request.EmailReminders is null)
            errors["emailReminders"] = [Text("Say whether reminders are also sent by e-mail (emailReminders: true or false).", "请说明是否也通过电子邮件发送提醒（emailReminders：true 或 false）。")];
        if (request.DailyDigest is null)
            errors["dailyDigest"] = [Text("Say whether reminders come as one daily digest (dailyDigest: true or false).", "请说明是否以每日摘要发送提醒（dailyDigest：true 或 false）。")];
        var language = ReminderLanguages.Canonical(request.Language);
        if (language is null)
        {
            var given = string.IsNullOrWhiteSpace(request.Language) ? null : TextRules.Quote(request.Language.Trim());
            errors["language"] = [given is null
                ? Text("The language of e-mail is required: en or zh-Hans.", "电子邮件语言为必填项：en 或 zh-Hans。")
                : Text($"'{given}' is not a language of e-mail: use en or zh-Hans.", $"“{given}”不是可用的电子邮件语言：请使用 en 或 zh-Hans。")];
        }
        if (errors.Count > 0)
            return CommandResult<PreferencesDto>.Invalid(errors);
        var (email, digest, stamp) = (request.EmailReminders!.Value, request.DailyDigest!.Value, Guid.NewGuid().ToString());
        var changed = await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(s => s
            .SetProperty(u => u.EmailReminders, email)
            .SetProperty(u => u.DailyDigest, digest)
            .SetProperty(u => u.PreferredLanguage, language)
            .SetProperty(u => u.ConcurrencyStamp, stamp), ct);
        if (changed == 0)
            return UserNotFound(userId).Refusal<PreferencesDto>();
        return CommandResult<PreferencesDto>.Ok((await GetAsync(userId, ct))!);
    }

    /// <summary>Keeps the language of e-mail with the interface's (the language switch); false when nothing changed.</summary>
    public async Task<bool> FollowLanguageAsync(string userId, string culture, CancellationToken ct)
    {
        if (ReminderLanguages.Canonical(culture) is not { } language)
            return false;
        var stamp = Guid.NewGuid().ToString();
        return await db.Users.Where(u => u.Id == userId && u.PreferredLanguage != language)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.PreferredLanguage, language).SetProperty(u => u.ConcurrencyStamp, stamp), ct) > 0;
    }

    /// <summary>
    /// A new feed token for the caller, replacing any previous one (which stops working at once). The token is
    /// returned this once; only its hash is stored.
    /// </summary>
    public async Task<CommandResult<(string Token, DateTimeOffset CreatedAt)>> CreateTokenAsync(ClaimsPrincipal caller, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var token = CalendarTokens.NewToken();
        var hash = CalendarTokens.Hash(token);
        var now = time.GetUtcNow();
        var result = await ChangeFeedAsync(caller, user =>
        {
            var replaced = user.CalendarTokenHash is not null;
            user.CalendarTokenHash = hash;
            user.CalendarTokenCreatedAt = now;
            audit.AppendUser(user.Id, caller.DisplayName(), user, CalendarAuditActions.Created,
                new { calendarFeed = new { old = replaced ? "replaced" : "none", @new = "created" } }, now);
            return null;
        }, ct);
        if (!result.Succeeded)
            return result.Refusal<(string, DateTimeOffset)>();
        logger.LogInformation("Calendar feed token created for user {UserId}", caller.UserId());
        return CommandResult<(string, DateTimeOffset)>.Ok((token, now));
    }

    /// <summary>Revokes the caller's feed token: the feed answers 404 from now on. 404 when there is none.</summary>
    public async Task<CommandResult<bool>> RevokeTokenAsync(ClaimsPrincipal caller, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var now = time.GetUtcNow();
        var result = await ChangeFeedAsync(caller, user =>
        {
            if (user.CalendarTokenHash is null)
                return CommandResult<bool>.NotFound(PreferenceErrorCodes.NoCalendarFeed, Text("You have no calendar feed to revoke.", "您没有可撤销的日历订阅。"));
            user.CalendarTokenHash = null;
            user.CalendarTokenCreatedAt = null;
            audit.AppendUser(user.Id, caller.DisplayName(), user, CalendarAuditActions.Revoked,
                new { calendarFeed = new { old = "created", @new = "revoked" } }, now);
            return null;
        }, ct);
        if (result.Succeeded)
            logger.LogInformation("Calendar feed token revoked for user {UserId}", caller.UserId());
        return result;
    }

    /// <summary>
    /// Loads the caller's account, applies <paramref name="change"/> (null: go on; a result: refuse, nothing written) and
    /// saves it with its audit event in one serializable transaction (<see cref="SerializableTransaction"/>). A change that
    /// loses a race for the user audit chain is run again; one that keeps losing, or an account changed since it was
    /// read, answers 409.
    /// </summary>
    private async Task<CommandResult<bool>> ChangeFeedAsync(ClaimsPrincipal caller, Func<AppUser, CommandResult<bool>?> change, CancellationToken ct)
    {
        var userId = caller.UserId();
        try
        {
            return await SerializableTransaction.RunAsync(db, async () =>
            {
                var user = await db.Users.FirstOrDefaultAsync(u => u.Id == userId, ct);
                var refusal = user is null ? UserNotFound(userId) : change(user);
                if (refusal is not null)
                    return refusal;
                // As Identity's own updates do: an account change read before this one and saved after it fails
                // (a concurrency failure) instead of writing back the old token.
                user!.ConcurrencyStamp = Guid.NewGuid().ToString();
                return CommandResult<bool>.Ok(true);
            }, ct);
        }
        catch (Exception ex) when (SerializableTransaction.LostRace(ex) || ex is DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return CommandResult<bool>.Conflict(CommandErrorCodes.ConcurrentChange, Text(
                "Another change to your account was saved at the same moment; try again.", "同一时刻保存了对您账户的另一项更改；请重试。"));
        }
    }

    private static CommandResult<bool> UserNotFound(string userId) =>
        CommandResult<bool>.NotFound(CommandErrorCodes.UserNotFound, Text($"No user has the id '{userId}'.", $"没有 id 为“{userId}”的用户。"));

    private static string Text(string en, string zh) => new LocalizedText(en, zh).For(CultureInfo.CurrentUICulture);
}
