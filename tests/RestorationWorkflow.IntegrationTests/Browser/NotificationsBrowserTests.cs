using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using RestorationWorkflow.IntegrationTests.Infrastructure;
using RestorationWorkflow.Reminders;
using RestorationWorkflow.Workflows;
using static Microsoft.Playwright.Assertions;

namespace RestorationWorkflow.IntegrationTests.Browser;

/// <summary>
/// A person's reminders in the browser, in English and in Chinese: the bell counts the unread notifications, the list
/// marks them, marking one read (and opening one) lowers the count, and the preferences page creates a calendar feed
/// whose address is shown once.
/// </summary>
public sealed class NotificationsBrowserTests(KestrelAppFactory app, BrowserFixture browser) : IClassFixture<KestrelAppFactory>, IClassFixture<BrowserFixture>
{
    [BrowserFact]
    public async Task Bell_List_MarkRead_Open_AndCalendarFeed_InEnglishAndChinese()
    {
        _ = app.BaseAddress; // starts Kestrel before the API clients
        foreach (var (email, language) in new[] { (DemoUsers.Pm, "en"), (DemoUsers.Pm2, "zh") })
        {
            using var api = await app.ClientForAsync(email);
            var project = await api.CreateProjectAsync(language == "zh" ? "红树林恢复 Mangrove" : "Mangrove restoration");
            var userId = await app.QueryDbAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());
            await NotifyAsync(userId, project, "before14", 3, "Monitoring review of “mangrove cover” due in 14 days", "“红树林覆盖率”的监测审查将于 14 天后到期", 14);
            await NotifyAsync(userId, project, "due", 2, "Plan review is due today", "计划审查今天到期", 0);
            await NotifyAsync(userId, project, "overdue", 1, "Consent renewal is overdue", "同意续期已逾期", -1);

            var page = await browser.SignInAsync(app.BaseAddress, email, language == "zh" ? "zh-CN" : "en-US");
            var bell = page.GetByTestId("notification-badge");
            await Expect(bell).ToHaveTextAsync("3");
            await page.Locator("[data-nav=notifications]").ClickAsync();
            await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/Notifications$"));
            var items = page.GetByTestId("notification");
            await Expect(items).ToHaveCountAsync(3);
            await Expect(page.Locator("[data-testid=notification][data-read=false]")).ToHaveCountAsync(3);
            await Expect(items.First).ToContainTextAsync(language == "zh" ? "同意续期已逾期" : "Consent renewal is overdue");
            await BrowserFixture.ScreenshotAsync(page, $"40-notifications-{language}");

            // Mark the newest read: the count drops, the item is no longer marked unread.
            await items.First.GetByTestId("mark-read").ClickAsync();
            await Expect(bell).ToHaveTextAsync("2");
            await Expect(page.Locator("[data-testid=notification][data-read=true]")).ToHaveCountAsync(1);
            await BrowserFixture.ScreenshotAsync(page, $"41-notification-read-{language}");

            // Open another: it is marked read and its project page opens.
            await page.Locator("[data-testid=notification][data-read=false]").First.GetByTestId("open-notification").ClickAsync();
            await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/Projects/{project}$"));
            await Expect(page.GetByTestId("notification-badge")).ToHaveTextAsync("1");

            // Preferences: create the calendar feed; its address is shown once.
            await page.GotoAsync("/Notifications");
            await page.GetByTestId("preferences-link").ClickAsync();
            await Expect(page.GetByTestId("calendar-feed-status")).ToHaveAttributeAsync("data-exists", "false");
            await page.GetByTestId("create-calendar-token").ClickAsync();
            var url = page.GetByTestId("calendar-url");
            await Expect(url).ToHaveValueAsync(new System.Text.RegularExpressions.Regex(@"/api/calendar/[A-Za-z0-9_-]{43}\.ics$"));
            await Expect(page.GetByTestId("calendar-feed-status")).ToHaveAttributeAsync("data-exists", "true");
            await BrowserFixture.ScreenshotAsync(page, $"42-reminder-preferences-{language}");
            var feed = new Uri(await url.InputValueAsync());
            using var anonymous = new HttpClient { BaseAddress = app.BaseAddress };
            using var response = await anonymous.GetAsync(feed.PathAndQuery);
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);

            await page.GotoAsync("/Account/Reminders");
            await Expect(page.GetByTestId("calendar-feed-status")).ToHaveAttributeAsync("data-exists", "true");
            await Expect(page.GetByTestId("calendar-url")).ToHaveCountAsync(0);
            await page.Context.CloseAsync();
        }
    }

    private Task NotifyAsync(string userId, Guid project, string stage, int minutesAgo, string en, string zh, int dueInDays) => app.WithDbAsync(async db =>
    {
        var at = DateTimeOffset.UtcNow.AddMinutes(-minutesAgo);
        db.Notifications.Add(Notification.Create(userId, project, null, stage, new LocalizedText(en, zh), $"/Projects/{project}",
            DateOnly.FromDateTime(DateTime.UtcNow).AddDays(dueInDays), at));
        await db.SaveChangesAsync();
    });
}
