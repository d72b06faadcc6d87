using System.Globalization;
using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.Approvals;
using RestorationWorkflow.Data;
using RestorationWorkflow.Identity;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Reminders;
using RestorationWorkflow.Web.Features.Approvals;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Web.Features.Reminders.Notifications;

/// <summary>One due item as the feed shows it: the item, its project's code and name.</summary>
public sealed record FeedItem(Guid DueItemId, Guid ProjectId, string Kind, string Key, DateOnly DueOn, LocalizedText Title, DateTimeOffset UpdatedAt, string ProjectCode, string ProjectName);

/// <summary>
/// The personal iCalendar feed (<c>GET /api/calendar/{token}.ics</c>): the due items of the token's owner by the
/// reminders' audience rule — every item of the projects the person manages, and the decisions of the open approval
/// requests the person may decide (in an approver role of the gate, and, where the gate separates duties, neither
/// the submitter nor on the project's team; not yet decided) — as all-day events with two display alarms (three days
/// before and on the day, 09:00 local time). A token that matches no one, or whose owner is locked out or holds no
/// role, finds nothing (404).
/// </summary>
public sealed class CalendarFeed(AppDbContext db, WorkflowCatalog catalog, TimeProvider time)
{
    /// <summary>Items in one feed at most (the earliest due first).</summary>
    public const int MaxEvents = 2000;

    /// <summary>The alarms, relative to the start of the all-day event (midnight): 09:00 three days before, 09:00 on the day.</summary>
    public static readonly IReadOnlyList<Duration> Alarms = [-Duration.FromHours(63), Duration.FromHours(9)];

    /// <summary>The event's UID: stable for a due item across recomputations (its project and key), so a calendar client updates it rather than adding another.</summary>
    public static string Uid(Guid projectId, string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var safe = new string([.. key.Select(c => char.IsAsciiLetterOrDigit(c) || c is ':' or '-' or '.' or '_' ? c : '-')]);
        return string.Create(CultureInfo.InvariantCulture, $"{projectId:N}-{safe}@restoration-workflow");
    }

    /// <summary>The feed of the token's owner as iCalendar text, or null when the token opens no feed.</summary>
    public async Task<string?> RenderAsync(string token, Uri site, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(site);
        if (!CalendarTokens.IsWellFormed(token))
            return null;
        var hash = CalendarTokens.Hash(token);
        var owner = await db.Users.AsNoTracking().Where(u => u.CalendarTokenHash == hash)
            .Select(u => new { u.Id, u.LockoutEnd, u.PreferredLanguage })
            .FirstOrDefaultAsync(ct);
        if (owner is null || (owner.LockoutEnd is { } end && end > time.GetUtcNow()))
            return null;
        var roles = await (from ur in db.UserRoles.AsNoTracking()
                           join r in db.Roles.AsNoTracking() on ur.RoleId equals r.Id
                           where ur.UserId == owner.Id
                           select r.Name).ToListAsync(ct);
        if (roles.Count == 0)
            return null;
        var items = await ItemsForAsync(owner.Id, roles.OfType<string>().ToHashSet(StringComparer.Ordinal), ct);
        var chinese = owner.PreferredLanguage == ReminderLanguages.Chinese;
        return Serialize(items, site, chinese ? CultureInfo.GetCultureInfo("zh-Hans") : CultureInfo.GetCultureInfo("en"));
    }

    /// <summary>The due items of <paramref name="userId"/> by the audience rule, the earliest first.</summary>
    public async Task<IReadOnlyList<FeedItem>> ItemsForAsync(string userId, IReadOnlySet<string> roles, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(roles);
        var me = userId;
        var managed =
            from m in db.ProjectMembers.AsNoTracking()
            where m.UserId == me && m.Role == ProjectMemberRole.Manager
            join d in db.DueItems.AsNoTracking() on m.ProjectId equals d.ProjectId
            where d.Kind != DueItemKinds.ApprovalDecision
            join p in db.Projects.AsNoTracking() on d.ProjectId equals p.Id
            select new { d.Id, d.ProjectId, d.Kind, d.Key, d.DueOn, d.TitleEn, d.TitleZh, d.UpdatedAt, p.Code, p.Name };
        var rows = await managed.OrderBy(d => d.DueOn).Take(MaxEvents).ToListAsync(ct);

        var deciding = DecidableRequests.For(me, roles.Contains, catalog);
        if (deciding.Any)
        {
            var decidable =
                from r in deciding.Query(db).AsNoTracking()
                join d in db.DueItems.AsNoTracking() on (Guid?)r.Id equals d.SourceId
                where d.Kind == DueItemKinds.ApprovalDecision && d.ProjectId == r.ProjectId
                join p in db.Projects.AsNoTracking() on d.ProjectId equals p.Id
                select new { d.Id, d.ProjectId, d.Kind, d.Key, d.DueOn, d.TitleEn, d.TitleZh, d.UpdatedAt, p.Code, p.Name };
            rows.AddRange(await decidable.OrderBy(d => d.DueOn).Take(MaxEvents).ToListAsync(ct));
        }
        return [.. rows.DistinctBy(r => r.Id).OrderBy(r => r.DueOn).ThenBy(r => r.Code, StringComparer.Ordinal).ThenBy(r => r.Key, StringComparer.Ordinal).Take(MaxEvents)
            .Select(r => new FeedItem(r.Id, r.ProjectId, r.Kind, r.Key, r.DueOn, new LocalizedText(r.TitleEn, r.TitleZh), r.UpdatedAt, r.Code, r.Name))];
    }

    /// <summary>The items as an iCalendar document in <paramref name="culture"/>'s language.</summary>
    public static string Serialize(IEnumerable<FeedItem> items, Uri site, CultureInfo culture)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(site);
        ArgumentNullException.ThrowIfNull(culture);
        var calendar = new Ical.Net.Calendar { ProductId = "-//RestorationWorkflow//Reminders//EN", Method = "PUBLISH" };
        calendar.AddProperty("X-WR-CALNAME", new LocalizedText("RestorationWorkflow: due items", "生态恢复工作流：到期事项").For(culture));
        foreach (var item in items)
        {
            var title = item.Title.For(culture);
            var day = item.DueOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var url = new Uri(site, $"Projects/{item.ProjectId}");
            var kind = KindLabel(item.Kind).For(culture);
            var description = new LocalizedText(
                $"{kind} — {item.ProjectCode} {item.ProjectName}: {title}, due {day}.\n{url}",
                $"{kind}——{item.ProjectCode} {item.ProjectName}：{title}，截止 {day}。\n{url}").For(culture);
            var stamp = new CalDateTime(item.UpdatedAt.UtcDateTime, "UTC", true);
            var evt = new CalendarEvent
            {
                Uid = Uid(item.ProjectId, item.Key),
                Start = new CalDateTime(item.DueOn),
                End = new CalDateTime(item.DueOn.AddDays(1)),
                Summary = title,
                Description = description,
                Url = url,
                DtStamp = stamp,
                LastModified = stamp,
                Transparency = TransparencyType.Transparent,
            };
            foreach (var offset in Alarms)
                evt.Alarms.Add(new Alarm { Action = AlarmAction.Display, Description = title, Trigger = new Trigger(offset) });
            calendar.Events.Add(evt);
        }
        return new CalendarSerializer().SerializeToString(calendar) ?? "";
    }

    /// <summary>What kind of thing is due, as the feed's description names it.</summary>
    public static LocalizedText KindLabel(string kind) => kind switch
    {
        DueItemKinds.TargetMonitoring => new("Monitoring review", "监测审查"),
        DueItemKinds.TargetDeadline => new("Target deadline", "目标截止日期"),
        DueItemKinds.PlanReview => new("Plan review", "计划审查"),
        DueItemKinds.ApprovalDecision => new("Approval decision", "审批决定"),
        DueItemKinds.ConsentRenewal => new("Consent renewal", "同意续期"),
        DueItemKinds.StepWindow => new("Step window ends", "步骤期限结束"),
        _ => new(kind, kind),
    };
}
