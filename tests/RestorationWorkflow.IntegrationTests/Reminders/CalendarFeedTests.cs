using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Ical.Net.DataTypes;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.IntegrationTests.Infrastructure;
using RestorationWorkflow.Reminders;
using RestorationWorkflow.Web.Features.Reminders.Notifications;
using RestorationWorkflow.Workflows;
using static RestorationWorkflow.IntegrationTests.Reminders.NotificationTestData;
using IcalCalendar = Ical.Net.Calendar;

namespace RestorationWorkflow.IntegrationTests.Reminders;

/// <summary>
/// The personal calendar feed <c>GET /api/calendar/{token}.ics</c>: anonymous, found by the token's hash; exactly the
/// owner's due items by the audience rule (managed projects; approval decisions the owner may take) as all-day events
/// with stable UIDs and display alarms, in the owner's language; a wrong, revoked or replaced token, or a locked-out
/// owner: 404. The token is shown once (API and page) and only its hash is stored.
/// </summary>
public sealed class CalendarFeedTests(AppFactory factory) : IClassFixture<AppFactory>
{
    private static readonly DateOnly Today = DateOnly.FromDateTime(DateTime.UtcNow);

    [Fact]
    public async Task Feed_HoldsExactlyTheOwnersItems_AsAllDayEventsWithStableUidsAndAlarms_InTheOwnersLanguage()
    {
        using var manager = await PersonAsync(factory, "cal-manager", "ProjectManager");
        using var otherManager = await PersonAsync(factory, "cal-other", "ProjectManager");
        using var approver = await PersonAsync(factory, "cal-approver", "Approver");
        var p1 = await manager.Api.CreateProjectAsync("Calendar P1");
        var p2 = await manager.Api.CreateProjectAsync("Calendar P2");
        var q = await otherManager.Api.CreateProjectAsync("Calendar Q");
        // R waits for consent, submitted by its manager: the approver may decide it. S too, but the approver is on S's team.
        var (r, requestR) = await SubmittedForConsentAsync(otherManager.Api, "Calendar R", null);
        var (s, requestS) = await SubmittedForConsentAsync(otherManager.Api, "Calendar S", approver.Email);

        var target = Guid.NewGuid();
        var monitoring = Due(p1, DueItemKinds.TargetMonitoring, $"targetMonitoring:{target}", target, Today.AddDays(10), "Monitoring review of target 1", "目标 1 的监测审查");
        var planReview = Due(p1, DueItemKinds.PlanReview, "planReview", null, Today.AddDays(-3), "Plan review", "计划审查");
        var window = Due(p2, DueItemKinds.StepWindow, "stepWindow:Assessment", null, Today.AddDays(100), "Assessment window ends", "评估期限结束");
        var others = Due(q, DueItemKinds.TargetDeadline, $"targetDeadline:{Guid.NewGuid()}", null, Today.AddDays(7), "Someone else's deadline", "他人的截止日期");
        var decideR = Due(r, DueItemKinds.ApprovalDecision, $"approvalDecision:{requestR}", requestR, Today.AddDays(5), "Decide consent of R", "决定 R 的同意");
        var decideS = Due(s, DueItemKinds.ApprovalDecision, $"approvalDecision:{requestS}", requestS, Today.AddDays(6), "Decide consent of S", "决定 S 的同意");
        await ReplaceDueItemsAsync([p1, p2, q, r, s], monitoring, planReview, window, others, decideR, decideS);

        var token = await CreateTokenAsync(manager.Api);
        using var anonymous = factory.CreateClient();
        using var response = await anonymous.GetAsync($"/api/calendar/{token}.ics");
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/calendar; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString() ?? "", StringComparison.Ordinal);
        Assert.Contains($"DTSTART;VALUE=DATE:{Today.AddDays(10):yyyyMMdd}", text, StringComparison.Ordinal);

        var calendar = IcalCalendar.Load(text)!;
        var events = calendar.Events.OrderBy(e => e.Start!.Date).ToList();
        Assert.Equal(
            [CalendarFeed.Uid(p1, planReview.Key), CalendarFeed.Uid(p1, monitoring.Key), CalendarFeed.Uid(p2, window.Key)],
            events.Select(e => e.Uid));
        foreach (var (evt, item) in events.Zip([planReview, monitoring, window]))
        {
            Assert.False(evt.Start!.HasTime);
            Assert.Equal(item.DueOn, evt.Start.Date);
            Assert.Equal(item.DueOn.AddDays(1), evt.End!.Date);
            Assert.Equal(item.TitleEn, evt.Summary);
            Assert.Equal(new Uri($"http://localhost/Projects/{item.ProjectId}"), evt.Url);
            Assert.Contains(item.TitleEn, evt.Description, StringComparison.Ordinal);
            Assert.Contains($"/Projects/{item.ProjectId}", evt.Description, StringComparison.Ordinal);
            Assert.Equal(["DISPLAY", "DISPLAY"], evt.Alarms.Select(a => a.Action));
            Assert.Equal([-Duration.FromHours(63), Duration.FromHours(9)], evt.Alarms.Select(a => a.Trigger!.Duration!.Value));
            Assert.All(evt.Alarms, a => Assert.Equal(item.TitleEn, a.Description));
        }
        Assert.Contains("Plan review — ", events[0].Description, StringComparison.Ordinal);
        Assert.DoesNotContain("Someone else", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Decide consent", text, StringComparison.Ordinal);

        // The approver's feed: the decision of R only (on S's team, the approver may not decide S); no project items.
        var approverEvents = await EventsAsync(anonymous, await CreateTokenAsync(approver.Api));
        Assert.Equal([(CalendarFeed.Uid(r, decideR.Key), Today.AddDays(5), "Decide consent of R")],
            approverEvents.Select(e => (e.Uid, e.Start!.Date, e.Summary)));
        // R's manager does not decide R: the decision is not in their feed, their deadline in Q is.
        var otherEvents = await EventsAsync(anonymous, await CreateTokenAsync(otherManager.Api));
        Assert.Equal([CalendarFeed.Uid(q, others.Key)], otherEvents.Select(e => e.Uid));

        // In Chinese once the owner prefers it; a moved item keeps its UID (calendar clients update it, no duplicate).
        await (await manager.Api.PutAsJsonAsync("/api/me/preferences", new { emailReminders = true, dailyDigest = false, language = "zh-Hans" })).ExpectAsync(HttpStatusCode.OK);
        await factory.WithDbAsync(async db =>
        {
            var stored = await db.DueItems.SingleAsync(d => d.Id == monitoring.Id);
            stored.Reschedule(Today.AddDays(40), stored.Title, DateTimeOffset.UtcNow);
            await db.SaveChangesAsync();
        });
        var moved = await EventsAsync(anonymous, token);
        Assert.Equal(3, moved.Count);
        var movedMonitoring = Assert.Single(moved, e => e.Uid == CalendarFeed.Uid(p1, monitoring.Key));
        Assert.Equal((Today.AddDays(40), "目标 1 的监测审查"), (movedMonitoring.Start!.Date, movedMonitoring.Summary));
        Assert.Contains("监测审查——", movedMonitoring.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongRevokedOrReplacedToken_And_LockedOutOwner_Are404_AndOnlyTheHashIsStored()
    {
        using var me = await PersonAsync(factory, "cal-token", "Auditor");
        using var anonymous = factory.CreateClient();
        // Never created: 404 (well-formed or not).
        var problem = await (await anonymous.GetAsync($"/api/calendar/{CalendarTokens.NewToken()}.ics")).ExpectProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal("calendar-feed-not-found", problem.Str("code"));
        await (await anonymous.GetAsync("/api/calendar/not-a-token.ics")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await me.Api.DeleteAsync("/api/me/calendar-token")).ExpectProblemAsync(HttpStatusCode.NotFound);

        var created = await (await me.Api.PostAsync("/api/me/calendar-token", null)).ExpectAsync(HttpStatusCode.OK);
        var first = created.Str("token");
        Assert.Equal(43, first.Length);
        Assert.Equal($"http://localhost/api/calendar/{first}.ics", created.Str("url"));
        var stored = await factory.QueryDbAsync(db => db.Users.AsNoTracking().Where(u => u.Id == me.Id).Select(u => u.CalendarTokenHash).SingleAsync());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(first))), stored);
        var preferences = await (await me.Api.GetAsync("/api/me/preferences")).ExpectAsync(HttpStatusCode.OK);
        Assert.True(preferences.GetProperty("calendarFeed").GetProperty("exists").GetBoolean());
        Assert.DoesNotContain(first, preferences.GetRawText(), StringComparison.Ordinal);
        Assert.Empty(await EventsAsync(anonymous, first));

        // A wrong token (one character changed) finds nothing.
        var wrong = (first[0] == 'A' ? 'B' : 'A') + first[1..];
        await (await anonymous.GetAsync($"/api/calendar/{wrong}.ics")).ExpectProblemAsync(HttpStatusCode.NotFound);

        // Replaced: the first stops working, the second works.
        var second = await CreateTokenAsync(me.Api);
        await (await anonymous.GetAsync($"/api/calendar/{first}.ics")).ExpectProblemAsync(HttpStatusCode.NotFound);
        Assert.Empty(await EventsAsync(anonymous, second));

        // Locked out: 404 until unlocked.
        using var admin = await factory.ClientForAsync(DemoUsers.Admin);
        await (await admin.PostAsync($"/api/admin/users/{me.Id}/lock", null)).ExpectAsync(HttpStatusCode.OK);
        await (await anonymous.GetAsync($"/api/calendar/{second}.ics")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await admin.PostAsync($"/api/admin/users/{me.Id}/unlock", null)).ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(await EventsAsync(anonymous, second));

        // Revoked: 404, and revoking again is 404 too.
        using var reSignedIn = await factory.ClientForAsync(me.Email, Identity.Accounts.Password);
        using var revoked = await reSignedIn.DeleteAsync("/api/me/calendar-token");
        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        await (await anonymous.GetAsync($"/api/calendar/{second}.ics")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await reSignedIn.DeleteAsync("/api/me/calendar-token")).ExpectProblemAsync(HttpStatusCode.NotFound);
        Assert.Null(await factory.QueryDbAsync(db => db.Users.AsNoTracking().Where(u => u.Id == me.Id).Select(u => u.CalendarTokenHash).SingleAsync()));

        // Each creation and the revocation are in the user audit chain, without the token or its hash.
        var events = await factory.QueryDbAsync(db => db.UserAuditEvents.AsNoTracking().Where(e => e.UserId == me.Id && e.Action.StartsWith("user.calendar"))
            .OrderBy(e => e.Sequence).Select(e => new { e.Action, e.Changes }).ToListAsync());
        Assert.Equal([CalendarAuditActions.Created, CalendarAuditActions.Created, CalendarAuditActions.Revoked], events.Select(e => e.Action));
        Assert.All(events, e => Assert.DoesNotContain(stored!, e.Changes, StringComparison.Ordinal));
        Assert.All(events, e => Assert.DoesNotContain(first, e.Changes, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Page_ShowsTheFeedAddressOnce_ThenOnlyThatAFeedExists_AndRevokes()
    {
        using var me = await PersonAsync(factory, "cal-page", "Administrator");
        var before = WebUtility.HtmlDecode(await me.Browser.GetStringAsync("/Account/Reminders"));
        Assert.Contains("data-exists=\"false\"", before, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"calendar-url\"", before, StringComparison.Ordinal);

        using var created = await PostFormAsync(me.Browser, "/Account/Reminders", "/Account/Reminders?handler=CreateToken");
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.Contains("no-store", created.Headers.CacheControl?.ToString() ?? "", StringComparison.Ordinal);
        var shown = WebUtility.HtmlDecode(await created.Content.ReadAsStringAsync());
        var url = System.Text.RegularExpressions.Regex.Match(shown, """value="(?<url>http://localhost/api/calendar/(?<token>[A-Za-z0-9_-]{43})\.ics)" aria-label="[^"]*" data-testid="calendar-url" """.TrimEnd());
        Assert.True(url.Success, "The new feed's address is on the page.");
        using var anonymous = factory.CreateClient();
        Assert.Empty(await EventsAsync(anonymous, url.Groups["token"].Value));

        var again = WebUtility.HtmlDecode(await me.Browser.GetStringAsync("/Account/Reminders"));
        Assert.Contains("data-exists=\"true\"", again, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"calendar-url\"", again, StringComparison.Ordinal);
        Assert.DoesNotContain(url.Groups["token"].Value, again, StringComparison.Ordinal);

        using var revoked = await PostFormAsync(me.Browser, "/Account/Reminders", "/Account/Reminders?handler=RevokeToken");
        Assert.Equal(HttpStatusCode.Redirect, revoked.StatusCode);
        await (await anonymous.GetAsync(new Uri(url.Groups["url"].Value).AbsolutePath)).ExpectProblemAsync(HttpStatusCode.NotFound);
        Assert.Contains("data-exists=\"false\"", WebUtility.HtmlDecode(await me.Browser.GetStringAsync("/Account/Reminders")), StringComparison.Ordinal);
    }

    private static DueItem Due(Guid projectId, string kind, string key, Guid? sourceId, DateOnly dueOn, string en, string zh) =>
        DueItem.Create(projectId, kind, key, sourceId, dueOn, new LocalizedText(en, zh), DateTimeOffset.UtcNow);

    /// <summary>The projects' due items are exactly <paramref name="items"/> (whatever the project commands computed is removed first).</summary>
    private Task ReplaceDueItemsAsync(Guid[] projects, params DueItem[] items) => factory.WithDbAsync(async db =>
    {
        await db.DueItems.Where(d => projects.Contains(d.ProjectId)).ExecuteDeleteAsync();
        db.DueItems.AddRange(items);
        await db.SaveChangesAsync();
    });

    /// <summary>A project of <paramref name="manager"/> submitted for consent (with <paramref name="memberEmail"/> on its team); its open request.</summary>
    private static async Task<(Guid Project, Guid Request)> SubmittedForConsentAsync(HttpClient manager, string name, string? memberEmail)
    {
        var id = await manager.CreateProjectAsync(name);
        var version = await manager.FireAsync(id, "StartAssessment", 1);
        version = await manager.CompleteStepsAsync(id, ProjectsApi.AssessmentSteps, version);
        if (memberEmail is not null)
        {
            version = (await (await manager.PostAsJsonAsync($"/api/projects/{id}/team", new { email = memberEmail, role = "member", expectedVersion = version }))
                .ExpectAsync(HttpStatusCode.OK)).Number("version");
        }
        await manager.FireAsync(id, "SubmitAssessment", version);
        return (id, (await manager.OpenRequestAsync(id, "consent")).GetProperty("id").GetGuid());
    }

    private static async Task<string> CreateTokenAsync(HttpClient client) =>
        (await (await client.PostAsync("/api/me/calendar-token", null)).ExpectAsync(HttpStatusCode.OK)).Str("token");

    private static async Task<IReadOnlyList<Ical.Net.CalendarComponents.CalendarEvent>> EventsAsync(HttpClient anonymous, string token)
    {
        using var response = await anonymous.GetAsync($"/api/calendar/{token}.ics");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"The feed answered {(int)response.StatusCode}: {text}");
        return [.. IcalCalendar.Load(text)!.Events.OrderBy(e => e.Start!.Date)];
    }
}

/// <summary>The feed's per-client limit: over it, 429 with Retry-After (a ProblemDetails).</summary>
public sealed class CalendarFeedRateLimitTests(CalendarFeedRateLimitTests.LimitedApp factory) : IClassFixture<CalendarFeedRateLimitTests.LimitedApp>
{
    public sealed class LimitedApp : AppFactory
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Reminders:CalendarFeed:PermitLimit"] = "3",
            ["Reminders:CalendarFeed:Window"] = "00:10:00",
        };
    }

    [Fact]
    public async Task FourthReadInTheWindow_Is429_WithRetryAfter()
    {
        using var anonymous = factory.CreateClient();
        for (var i = 0; i < 3; i++)
            await (await anonymous.GetAsync($"/api/calendar/{CalendarTokens.NewToken()}.ics")).ExpectProblemAsync(HttpStatusCode.NotFound);
        using var limited = await anonymous.GetAsync($"/api/calendar/{CalendarTokens.NewToken()}.ics");
        await limited.ExpectProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.True(int.Parse(limited.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) > 0);
        // The limit is the feed's only: the rest of the API answers as before.
        await (await anonymous.GetAsync("/api/notifications")).ExpectProblemAsync(HttpStatusCode.Unauthorized);
    }
}
