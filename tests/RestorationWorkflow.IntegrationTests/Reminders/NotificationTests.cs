using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.IntegrationTests.Infrastructure;
using static RestorationWorkflow.IntegrationTests.Reminders.NotificationTestData;

namespace RestorationWorkflow.IntegrationTests.Reminders;

/// <summary>
/// In-app notifications: <c>/api/notifications</c> and <c>/Notifications</c> list a person's own, newest first, paged,
/// unread marked; marking one or all read; someone else's id is 404 (never 403) and stays unread; the bell counts the
/// unread ones on every page. Each test has its own users, so counts are exact.
/// </summary>
public sealed class NotificationTests(AppFactory factory) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task List_ShowsOnlyTheCallersOwn_NewestFirst_WithTheUnreadCount_AndPages()
    {
        using var me = await PersonAsync(factory, "notify-list", "ProjectManager");
        using var other = await PersonAsync(factory, "notify-other", "ProjectManager");
        var oldest = await NotifyAsync(factory, me.Id, "Oldest", 30, read: true);
        var middle = await NotifyAsync(factory, me.Id, "Middle", 20, stage: "before14");
        var newest = await NotifyAsync(factory, me.Id, "Newest", 10, stage: "overdue", link: "/Projects?q=x");
        await NotifyAsync(factory, other.Id, "Not mine", 5);

        var all = await (await me.Api.GetAsync("/api/notifications")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal([newest, middle, oldest], Ids(all));
        Assert.Equal((3, 2, 1, 25), (all.Number("total"), all.Number("unread"), all.Number("page"), all.Number("pageSize")));
        var first = all.GetProperty("items")[0];
        Assert.Equal(("Newest", "中文：Newest", "/Projects?q=x", "overdue", false), (first.GetProperty("title").Str("en"), first.GetProperty("title").Str("zh-Hans"),
            first.Str("link"), first.Str("stage"), first.GetProperty("read").GetBoolean()));
        Assert.Equal(("Overdue", "已逾期"), (first.GetProperty("stageLabel").Str("en"), first.GetProperty("stageLabel").Str("zh-Hans")));
        Assert.Equal("Due in 14 days", all.GetProperty("items")[1].GetProperty("stageLabel").Str("en"));
        Assert.True(all.GetProperty("items")[2].GetProperty("read").GetBoolean());

        var unread = await (await me.Api.GetAsync("/api/notifications?unread=true")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal([newest, middle], Ids(unread));
        var second = await (await me.Api.GetAsync("/api/notifications?page=2&pageSize=2")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal([oldest], Ids(second));
        Assert.Equal(3, second.Number("total"));

        var bad = await (await me.Api.GetAsync("/api/notifications?page=0&pageSize=201")).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["page", "pageSize"], bad.ErrorFields().Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task MarkRead_OwnIsRead_SomeoneElsesIs404AndStaysUnread_ReadAllMarksOnlyTheCallersUpToTheMomentGiven()
    {
        using var me = await PersonAsync(factory, "notify-mark", "Approver");
        using var other = await PersonAsync(factory, "notify-mark-other", "Approver");
        var mine = await NotifyAsync(factory, me.Id, "Mine", 40);
        var older = await NotifyAsync(factory, me.Id, "Older", 30);
        var later = await NotifyAsync(factory, me.Id, "Later", 1);
        var theirs = await NotifyAsync(factory, other.Id, "Theirs", 20);

        var marked = await (await me.Api.PostAsync($"/api/notifications/{mine}/read", null)).ExpectAsync(HttpStatusCode.OK);
        Assert.True(marked.GetProperty("read").GetBoolean());
        var readAt = marked.GetProperty("readAt").GetDateTimeOffset();
        // Again: nothing changes.
        var again = await (await me.Api.PostAsync($"/api/notifications/{mine}/read", null)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(readAt, again.GetProperty("readAt").GetDateTimeOffset());

        var refused = await (await me.Api.PostAsync($"/api/notifications/{theirs}/read", null)).ExpectProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal("notification-not-found", refused.Str("code"));
        await (await me.Api.PostAsync($"/api/notifications/{Guid.NewGuid()}/read", null)).ExpectProblemAsync(HttpStatusCode.NotFound);
        Assert.Null(await ReadAtAsync(theirs));

        // Up to 10 minutes ago: "Older" only ("Later" arrived after).
        var upTo = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(-10).ToString("O"));
        var some = await (await me.Api.PostAsync($"/api/notifications/read-all?upTo={upTo}", null)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal((1, 1), (some.Number("marked"), some.Number("unread")));
        Assert.NotNull(await ReadAtAsync(older));
        Assert.Null(await ReadAtAsync(later));

        var rest = await (await me.Api.PostAsync("/api/notifications/read-all", null)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal((1, 0), (rest.Number("marked"), rest.Number("unread")));
        Assert.Null(await ReadAtAsync(theirs));
        var list = await (await other.Api.GetAsync("/api/notifications")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(1, list.Number("unread"));
    }

    [Fact]
    public async Task Bell_CountsTheUnread_OnEveryPage_AndDropsWhenOneIsMarkedReadOnThePage()
    {
        using var me = await PersonAsync(factory, "notify-bell", "ProjectManager");
        Assert.Equal(0, Bell(await me.Browser.GetStringAsync("/Projects")));
        var first = await NotifyAsync(factory, me.Id, "First reminder", 20);
        await NotifyAsync(factory, me.Id, "Second reminder", 10);
        await NotifyAsync(factory, me.Id, "Already read", 5, read: true);

        Assert.Equal(2, Bell(await me.Browser.GetStringAsync("/Projects")));
        Assert.Equal(2, Bell(await me.Browser.GetStringAsync("/inbox")));
        var page = WebUtility.HtmlDecode(await me.Browser.GetStringAsync("/Notifications"));
        Assert.Contains("First reminder", page, StringComparison.Ordinal);
        Assert.Equal(2, Count(page, "data-testid=\"unread-mark\""));
        Assert.Equal(2, Count(page, "data-read=\"false\""));
        Assert.Equal(1, Count(page, "data-read=\"true\""));

        using var posted = await PostFormAsync(me.Browser, "/Notifications", $"/Notifications?handler=Read&id={first}");
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        Assert.Equal("/Notifications", posted.Headers.Location?.OriginalString);
        Assert.NotNull(await ReadAtAsync(first));
        Assert.Equal(1, Bell(await me.Browser.GetStringAsync("/Notifications")));

        // Without the anti-forgery token the post is refused and nothing is marked.
        var second = await factory.QueryDbAsync(db => db.Notifications.Where(n => n.UserId == me.Id && n.ReadAt == null).Select(n => n.Id).SingleAsync());
        using var forged = await me.Browser.PostAsync($"/Notifications?handler=Read&id={second}", new FormUrlEncodedContent([]));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Null(await ReadAtAsync(second));
    }

    [Fact]
    public async Task Page_OpensANotification_MarksItRead_AndGoesToItsItem_SomeoneElsesIs404_MarkAllEmptiesTheBell()
    {
        using var me = await PersonAsync(factory, "notify-open", "Auditor");
        using var other = await PersonAsync(factory, "notify-open-other", "Auditor");
        var project = Guid.NewGuid();
        var opened = await NotifyAsync(factory, me.Id, "Monitoring review due", 30, link: $"/Projects/{project}");
        await NotifyAsync(factory, me.Id, "Another", 20);
        await NotifyAsync(factory, me.Id, "And another", 10);
        var theirs = await NotifyAsync(factory, other.Id, "Theirs", 10);
        // A link that leaves the site (never written by the scan) goes back to the list instead.
        var offsite = await NotifyAsync(factory, me.Id, "Offsite", 15, link: "https://attacker.example/");

        using var open = await PostFormAsync(me.Browser, "/Notifications", $"/Notifications?handler=Open&id={opened}");
        Assert.Equal(HttpStatusCode.Redirect, open.StatusCode);
        Assert.Equal($"/Projects/{project}", open.Headers.Location?.OriginalString);
        Assert.NotNull(await ReadAtAsync(opened));
        using var away = await PostFormAsync(me.Browser, "/Notifications", $"/Notifications?handler=Open&id={offsite}");
        Assert.Equal("/Notifications", away.Headers.Location?.OriginalString);

        using var notMine = await PostFormAsync(me.Browser, "/Notifications", $"/Notifications?handler=Open&id={theirs}");
        Assert.Equal(HttpStatusCode.NotFound, notMine.StatusCode);
        using var notMineRead = await PostFormAsync(me.Browser, "/Notifications", $"/Notifications?handler=Read&id={theirs}");
        Assert.Equal(HttpStatusCode.NotFound, notMineRead.StatusCode);
        Assert.Null(await ReadAtAsync(theirs));

        Assert.Equal(2, Bell(await me.Browser.GetStringAsync("/Notifications")));
        using var all = await PostFormAsync(me.Browser, "/Notifications", "/Notifications?handler=ReadAll",
            new Dictionary<string, string> { ["upTo"] = DateTimeOffset.UtcNow.ToString("O") });
        Assert.Equal(HttpStatusCode.Redirect, all.StatusCode);
        var after = WebUtility.HtmlDecode(await me.Browser.GetStringAsync("/Notifications?unread=true"));
        Assert.Equal(0, Bell(after));
        Assert.Contains("data-testid=\"notifications-empty\"", after, StringComparison.Ordinal);
        Assert.Equal(1, Bell(await other.Browser.GetStringAsync("/Notifications")));
    }

    [Fact]
    public async Task AuditorsAndAdministrators_ListAndMarkTheirOwn()
    {
        foreach (var role in new[] { "Auditor", "Administrator" })
        {
            using var me = await PersonAsync(factory, "notify-" + role.ToLowerInvariant(), role);
            var id = await NotifyAsync(factory, me.Id, "For " + role, 5, stage: "escalation");
            var list = await (await me.Api.GetAsync("/api/notifications?unread=true")).ExpectAsync(HttpStatusCode.OK);
            Assert.Equal([id], Ids(list));
            Assert.Equal("Escalated: long overdue", list.GetProperty("items")[0].GetProperty("stageLabel").Str("en"));
            Assert.Equal(1, Bell(await me.Browser.GetStringAsync("/")));
            await (await me.Api.PostAsync($"/api/notifications/{id}/read", null)).ExpectAsync(HttpStatusCode.OK);
            Assert.Equal(0, Bell(await me.Browser.GetStringAsync("/")));
        }
    }

    [Fact]
    public async Task Anonymous_GetsNoList_AndIsSentToSignIn()
    {
        using var anonymous = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        await (await anonymous.GetAsync("/api/notifications")).ExpectProblemAsync(HttpStatusCode.Unauthorized);
        using var page = await anonymous.GetAsync("/Notifications");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        var location = page.Headers.Location!;
        Assert.StartsWith("/Account/Login", location.IsAbsoluteUri ? location.AbsolutePath : location.OriginalString, StringComparison.Ordinal);
    }

    private Task<DateTimeOffset?> ReadAtAsync(Guid id) =>
        factory.QueryDbAsync(db => db.Notifications.AsNoTracking().Where(n => n.Id == id).Select(n => n.ReadAt).SingleAsync());

    private static List<Guid> Ids(JsonElement list) => [.. list.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid())];

    private static int Count(string text, string what)
    {
        var count = 0;
        for (var at = text.IndexOf(what, StringComparison.Ordinal); at >= 0; at = text.IndexOf(what, at + what.Length, StringComparison.Ordinal))
            count++;
        return count;
    }
}
