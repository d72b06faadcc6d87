using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using RestorationWorkflow.Identity;
using RestorationWorkflow.Web.Features.Identity;

namespace RestorationWorkflow.Web.Features.Reminders.Notifications;

/// <summary>
/// <c>/Notifications</c>: the signed-in person's notifications, newest first, paged; the unread ones marked. Opening one
/// marks it read and goes to its item; "mark as read" and "mark all as read" post with anti-forgery. Someone else's
/// notification id answers 404.
/// </summary>
[Authorize(Policy = Policies.SignedInWithRole)]
public sealed class IndexModel(NotificationInbox inbox, TimeProvider time, IStringLocalizer<SharedResource> localizer) : PageModel
{
    public const int PageSize = 20;

    public NotificationListDto List { get; private set; } = null!;

    public bool UnreadOnly { get; private set; }

    /// <summary>When the page was read: "mark all as read" marks what had arrived by then.</summary>
    public DateTimeOffset ReadAt { get; private set; }

    public int PageCount => Math.Max(1, (List.Total + PageSize - 1) / PageSize);

    public string PageLink(int page) => Link(page, UnreadOnly);

    public async Task<IActionResult> OnGetAsync(int? p, bool unread, CancellationToken ct)
    {
        UnreadOnly = unread;
        ReadAt = time.GetUtcNow();
        var number = Math.Clamp(p ?? 1, 1, NotificationInbox.MaxPage);
        List = await inbox.ListAsync(User.UserId(), unread, number, PageSize, ct);
        if (List.Items.Count == 0 && number > 1)
            return Redirect(Link(PageCount, unread));
        return Page();
    }

    public async Task<IActionResult> OnPostReadAsync(Guid id, int? p, bool unread, CancellationToken ct)
    {
        var result = await inbox.MarkReadAsync(User.UserId(), id, ct);
        if (!result.Succeeded)
            return NotFound();
        return Redirect(Link(p ?? 1, unread));
    }

    public async Task<IActionResult> OnPostReadAllAsync(DateTimeOffset? upTo, bool unread, CancellationToken ct)
    {
        var marked = await inbox.MarkAllReadAsync(User.UserId(), upTo, ct);
        TempData["Message"] = localizer["{0} notification(s) marked as read.", marked.Marked].Value;
        return Redirect(Link(1, unread));
    }

    /// <summary>Opens a notification: marks it read and goes to its item (a page of this site; anything else: back to the list).</summary>
    public async Task<IActionResult> OnPostOpenAsync(Guid id, CancellationToken ct)
    {
        var me = User.UserId();
        var result = await inbox.MarkReadAsync(me, id, ct);
        if (!result.Succeeded)
            return NotFound();
        var link = result.Value!.Link;
        return Url.IsLocalUrl(link) ? LocalRedirect(link) : Redirect("/Notifications");
    }

    private static string Link(int page, bool unread)
    {
        var query = new List<string>();
        if (unread)
            query.Add("unread=true");
        if (page > 1)
            query.Add("p=" + page.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return query.Count == 0 ? "/Notifications" : "/Notifications?" + string.Join('&', query);
    }
}
