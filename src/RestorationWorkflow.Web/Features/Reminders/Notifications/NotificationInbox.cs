using System.Globalization;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.Commands;
using RestorationWorkflow.Data;
using RestorationWorkflow.Reminders;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Web.Features.Reminders.Notifications;

/// <summary>One in-app notification as the API and the page show it. <c>link</c> is a page of this site.</summary>
public sealed record NotificationDto(
    Guid Id, Guid? ProjectId, string Stage, LocalizedText StageLabel, LocalizedText Title, string Link, DateOnly? DueOn, DateTimeOffset CreatedAt,
    DateTimeOffset? ReadAt)
{
    public bool Read => ReadAt is not null;
}

/// <summary>A page of the caller's notifications, newest first; <c>unread</c> counts all the caller's unread ones.</summary>
public sealed record NotificationListDto(IReadOnlyList<NotificationDto> Items, int Page, int PageSize, int Total, int Unread);

/// <summary>How many notifications were marked read, and how many unread remain.</summary>
public sealed record MarkedReadDto(int Marked, int Unread);

/// <summary>Stable codes of notification refusals (beside <see cref="CommandErrorCodes"/>).</summary>
public static class NotificationErrorCodes
{
    public const string NotFound = "notification-not-found";
}

/// <summary>
/// A person's own notifications: the bell's unread count (one count on the index <c>(UserId, ReadAt, CreatedAt)</c>,
/// read on every page like the inbox badge, nothing cached), the list, and marking them read. Every query is
/// filtered on the caller's id: someone else's notification is "not found", never "forbidden", so its id
/// reveals nothing.
/// </summary>
public sealed class NotificationInbox(AppDbContext db, TimeProvider time)
{
    public const int MaxPage = 100_000;
    public const int MaxPageSize = 200;
    public const int DefaultPageSize = 25;

    public Task<int> UnreadCountAsync(string userId, CancellationToken ct) =>
        db.Notifications.AsNoTracking().CountAsync(n => n.UserId == userId && n.ReadAt == null, ct);

    /// <summary>The paging rules of every list (400 naming <c>page</c> or <c>pageSize</c>).</summary>
    public static Dictionary<string, string[]> ValidatePaging(int page, int pageSize)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (page is < 1 or > MaxPage)
            errors["page"] = [Text($"The page must be between 1 and {MaxPage}.", $"页码必须在 1 到 {MaxPage} 之间。")];
        if (pageSize is < 1 or > MaxPageSize)
            errors["pageSize"] = [Text($"The page size must be between 1 and {MaxPageSize}.", $"每页条数必须在 1 到 {MaxPageSize} 之间。")];
        return errors;
    }

    public async Task<NotificationListDto> ListAsync(string userId, bool unreadOnly, int page, int pageSize, CancellationToken ct)
    {
        var mine = db.Notifications.AsNoTracking().Where(n => n.UserId == userId);
        var unread = await mine.CountAsync(n => n.ReadAt == null, ct);
        var shown = unreadOnly ? mine.Where(n => n.ReadAt == null) : mine;
        var total = unreadOnly ? unread : await shown.CountAsync(ct);
        var offset = checked((page - 1) * pageSize);
        var rows = await shown.OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id).Skip(offset).Take(pageSize).ToListAsync(ct);
        return new NotificationListDto([.. rows.Select(ToDto)], page, pageSize, total, unread);
    }

    /// <summary>Marks one of the caller's notifications read (again: nothing changes); someone else's or none: 404.</summary>
    public async Task<CommandResult<NotificationDto>> MarkReadAsync(string userId, Guid id, CancellationToken ct)
    {
        var notification = await db.Notifications.FirstOrDefaultAsync(n => n.Id == id && n.UserId == userId, ct);
        if (notification is null)
            return NotFound(id);
        if (notification.MarkRead(time.GetUtcNow()))
            await db.SaveChangesAsync(ct);
        return CommandResult<NotificationDto>.Ok(ToDto(notification));
    }

    /// <summary>
    /// Marks every unread notification of the caller read, or only those created up to <paramref name="upTo"/> (the
    /// newest the page showed), so one that arrives while the person reads the list stays unread.
    /// </summary>
    public async Task<MarkedReadDto> MarkAllReadAsync(string userId, DateTimeOffset? upTo, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var unread = db.Notifications.Where(n => n.UserId == userId && n.ReadAt == null);
        if (upTo is { } limit)
            unread = unread.Where(n => n.CreatedAt <= limit);
        var marked = await unread.ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, now), ct);
        return new MarkedReadDto(marked, await UnreadCountAsync(userId, ct));
    }

    /// <summary>The notification's link, for opening it from the page; null when it is not the caller's.</summary>
    public async Task<string?> LinkAsync(string userId, Guid id, CancellationToken ct) =>
        await db.Notifications.AsNoTracking().Where(n => n.Id == id && n.UserId == userId).Select(n => n.Link).FirstOrDefaultAsync(ct);

    public static CommandResult<NotificationDto> NotFound(Guid id) =>
        CommandResult<NotificationDto>.NotFound(NotificationErrorCodes.NotFound, Text($"You have no notification with the id '{id}'.", $"您没有 id 为“{id}”的通知。"));

    public static NotificationDto ToDto(Notification n)
    {
        ArgumentNullException.ThrowIfNull(n);
        return new NotificationDto(n.Id, n.ProjectId, n.Stage, StageLabel(n.Stage), new LocalizedText(n.TitleEn, n.TitleZh), n.Link, n.DueOn, n.CreatedAt, n.ReadAt);
    }

    /// <summary>What a stage means to the person reminded.</summary>
    public static LocalizedText StageLabel(string stage) => stage switch
    {
        ReminderStages.Due => new("Due today", "今天到期"),
        ReminderStages.Overdue => new("Overdue", "已逾期"),
        ReminderStages.Escalation => new("Escalated: long overdue", "已升级：长期逾期"),
        "weeklyDigest" => new("Weekly digest", "每周摘要"),
        _ when stage.StartsWith("before", StringComparison.Ordinal) && int.TryParse(stage.AsSpan(6), NumberStyles.None, CultureInfo.InvariantCulture, out var days) =>
            new($"Due in {days} days", $"{days} 天后到期"),
        _ => new(stage, stage),
    };

    private static string Text(string en, string zh) => new LocalizedText(en, zh).For(CultureInfo.CurrentUICulture);
}
