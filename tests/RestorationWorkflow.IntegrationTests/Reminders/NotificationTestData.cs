using System.Net;
using System.Text.RegularExpressions;
using RestorationWorkflow.IntegrationTests.Identity;
using RestorationWorkflow.IntegrationTests.Infrastructure;
using RestorationWorkflow.Reminders;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.IntegrationTests.Reminders;

/// <summary>People and notifications for the notification, preference and calendar tests, written straight to the database.</summary>
public static partial class NotificationTestData
{
    /// <summary>A new user with <paramref name="roles"/>, a bearer client and a signed-in cookie session.</summary>
    public static async Task<Person> PersonAsync(AppFactory factory, string prefix, params string[] roles)
    {
        var (id, email) = await Accounts.CreateAsync(factory, prefix, roles);
        return new Person(id, email, await factory.ClientForAsync(email, Accounts.Password), await Accounts.SignedInBrowserAsync(factory, email, Accounts.Password));
    }

    /// <summary>Stores a notification of <paramref name="userId"/> created <paramref name="minutesAgo"/> before now.</summary>
    public static async Task<Guid> NotifyAsync(AppFactory factory, string userId, string title, int minutesAgo, string stage = "due", string? link = null, bool read = false)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var at = DateTimeOffset.UtcNow.AddMinutes(-minutesAgo);
        var notification = Notification.Create(userId, null, null, stage, new LocalizedText(title, "中文：" + title), link ?? "/Projects", DateOnly.FromDateTime(at.UtcDateTime), at);
        if (read)
            notification.MarkRead(at);
        await factory.WithDbAsync(async db =>
        {
            db.Notifications.Add(notification);
            await db.SaveChangesAsync();
        });
        return notification.Id;
    }

    /// <summary>Posts a page's form handler with the session's anti-forgery token (taken from <paramref name="tokenPage"/>).</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(HttpClient browser, string tokenPage, string action, IDictionary<string, string>? fields = null)
    {
        ArgumentNullException.ThrowIfNull(browser);
        var form = new Dictionary<string, string>(fields ?? new Dictionary<string, string>())
        {
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(PageSession.Token(await browser.GetStringAsync(tokenPage))),
        };
        using var content = new FormUrlEncodedContent(form);
        return await browser.PostAsync(action, content);
    }

    /// <summary>The bell's count on a page's navigation.</summary>
    public static int Bell(string html)
    {
        var match = BellCount().Match(html);
        Assert.True(match.Success, "The page has no notification bell.");
        return int.Parse(match.Groups["count"].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    [GeneratedRegex("""data-testid="notification-badge">(?<count>\d+)<""")]
    private static partial Regex BellCount();
}

/// <summary>A user made for one test: its id, e-mail, a bearer client for the API and a cookie session for the pages.</summary>
public sealed record Person(string Id, string Email, HttpClient Api, HttpClient Browser) : IDisposable
{
    public void Dispose()
    {
        Api.Dispose();
        Browser.Dispose();
    }
}
