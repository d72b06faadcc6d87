using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.IntegrationTests.Infrastructure;
using static RestorationWorkflow.IntegrationTests.Reminders.NotificationTestData;

namespace RestorationWorkflow.IntegrationTests.Reminders;

/// <summary>
/// Reminder preferences: <c>GET/PUT /api/me/preferences</c> and the page <c>/Account/Reminders</c> (e-mail on or off,
/// daily digest, language of e-mail), 400 naming the field; the language switch keeps the language of e-mail in step.
/// </summary>
public sealed class PreferenceTests(AppFactory factory) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task Api_RoundTrips_EveryRole_AndRefusesAnUnknownLanguageNamingTheField()
    {
        foreach (var role in new[] { "ProjectManager", "Approver", "Auditor", "Administrator" })
        {
            using var me = await PersonAsync(factory, "prefs-" + role.ToLowerInvariant(), role);
            var defaults = await (await me.Api.GetAsync("/api/me/preferences")).ExpectAsync(HttpStatusCode.OK);
            Assert.Equal((true, false, "en", false), (defaults.GetProperty("emailReminders").GetBoolean(), defaults.GetProperty("dailyDigest").GetBoolean(),
                defaults.Str("language"), defaults.GetProperty("calendarFeed").GetProperty("exists").GetBoolean()));

            var saved = await (await me.Api.PutAsJsonAsync("/api/me/preferences", new { emailReminders = false, dailyDigest = true, language = "zh-hans" }))
                .ExpectAsync(HttpStatusCode.OK);
            Assert.Equal("zh-Hans", saved.Str("language"));
            var read = await (await me.Api.GetAsync("/api/me/preferences")).ExpectAsync(HttpStatusCode.OK);
            Assert.Equal((false, true, "zh-Hans"), (read.GetProperty("emailReminders").GetBoolean(), read.GetProperty("dailyDigest").GetBoolean(), read.Str("language")));
            var stored = await factory.QueryDbAsync(db => db.Users.AsNoTracking().Where(u => u.Id == me.Id)
                .Select(u => new { u.EmailReminders, u.DailyDigest, u.PreferredLanguage }).SingleAsync());
            Assert.Equal((false, true, "zh-Hans"), (stored.EmailReminders, stored.DailyDigest, stored.PreferredLanguage));
        }

        using var someone = await PersonAsync(factory, "prefs-bad", "ProjectManager");
        var french = await (await someone.Api.PutAsJsonAsync("/api/me/preferences", new { emailReminders = true, dailyDigest = false, language = "fr" }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["language"], french.ErrorFields());
        Assert.Contains("'fr'", french.ErrorsOf("language")[0], StringComparison.Ordinal);
        var missing = await (await someone.Api.PutAsJsonAsync("/api/me/preferences", new { language = "en" })).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["dailyDigest", "emailReminders"], missing.ErrorFields().Order(StringComparer.Ordinal));
        var unknown = await (await someone.Api.PutAsJsonAsync("/api/me/preferences", new { emailReminders = true, dailyDigest = false, language = "en", theme = "dark" }))
            .ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("theme", unknown.ErrorFields());
        // Nothing was written by the refusals.
        var unchanged = await (await someone.Api.GetAsync("/api/me/preferences")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal((true, false, "en"), (unchanged.GetProperty("emailReminders").GetBoolean(), unchanged.GetProperty("dailyDigest").GetBoolean(), unchanged.Str("language")));
    }

    [Fact]
    public async Task Page_ShowsAndSavesThePreferences_AndRefusesAnUnknownLanguageNextToTheField()
    {
        using var me = await PersonAsync(factory, "prefs-page", "Auditor");
        var page = WebUtility.HtmlDecode(await me.Browser.GetStringAsync("/Account/Reminders"));
        Assert.Contains("Reminders and calendar", page, StringComparison.Ordinal);
        Assert.Contains("checked", Element(page, "input", "data-testid=\"email-reminders\""), StringComparison.Ordinal);
        Assert.DoesNotContain("checked", Element(page, "input", "data-testid=\"daily-digest\""), StringComparison.Ordinal);
        Assert.Contains("/Account/Reminders", WebUtility.HtmlDecode(await me.Browser.GetStringAsync("/Account/Manage")), StringComparison.Ordinal);

        using var saved = await PostFormAsync(me.Browser, "/Account/Reminders", "/Account/Reminders?handler=Save", new Dictionary<string, string>
        {
            ["Input.EmailReminders"] = "false", ["Input.DailyDigest"] = "true", ["Input.Language"] = "zh-Hans",
        });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var stored = await factory.QueryDbAsync(db => db.Users.AsNoTracking().Where(u => u.Id == me.Id)
            .Select(u => new { u.EmailReminders, u.DailyDigest, u.PreferredLanguage }).SingleAsync());
        Assert.Equal((false, true, "zh-Hans"), (stored.EmailReminders, stored.DailyDigest, stored.PreferredLanguage));
        var reloaded = WebUtility.HtmlDecode(await me.Browser.GetStringAsync("/Account/Reminders"));
        Assert.Contains("selected", Element(reloaded, "option", "value=\"zh-Hans\""), StringComparison.Ordinal);
        Assert.DoesNotContain("checked", Element(reloaded, "input", "data-testid=\"email-reminders\""), StringComparison.Ordinal);

        using var refused = await PostFormAsync(me.Browser, "/Account/Reminders", "/Account/Reminders?handler=Save", new Dictionary<string, string>
        {
            ["Input.EmailReminders"] = "true", ["Input.DailyDigest"] = "false", ["Input.Language"] = "klingon",
        });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Matches("""data-testid="language-error">'klingon' is not a language of e-mail""", WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync()));
        Assert.Equal("zh-Hans", await factory.QueryDbAsync(db => db.Users.AsNoTracking().Where(u => u.Id == me.Id).Select(u => u.PreferredLanguage).SingleAsync()));
    }

    [Fact]
    public async Task LanguageSwitch_KeepsTheLanguageOfEmailInStep_ForTheSignedInPerson()
    {
        using var me = await PersonAsync(factory, "prefs-switch", "Approver");
        using var other = await PersonAsync(factory, "prefs-switch-other", "Approver");

        using var chinese = await PostFormAsync(me.Browser, "/Projects", "/culture", new Dictionary<string, string> { ["culture"] = "zh-Hans", ["returnUrl"] = "/Projects" });
        Assert.Equal(HttpStatusCode.Redirect, chinese.StatusCode);
        Assert.Equal("zh-Hans", await LanguageAsync(me.Id));
        Assert.Equal("en", await LanguageAsync(other.Id));
        var prefs = await (await me.Api.GetAsync("/api/me/preferences")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("zh-Hans", prefs.Str("language"));

        using var english = await PostFormAsync(me.Browser, "/Projects", "/culture", new Dictionary<string, string> { ["culture"] = "en", ["returnUrl"] = "/Projects" });
        Assert.Equal("en", await LanguageAsync(me.Id));

        // Signed out, the switch still works and changes no one.
        using var anonymous = Identity.Accounts.Browser(factory);
        using var anon = await PostFormAsync(anonymous, "/Account/Login", "/culture", new Dictionary<string, string> { ["culture"] = "zh-Hans", ["returnUrl"] = "/" });
        Assert.Equal(HttpStatusCode.Redirect, anon.StatusCode);
        Assert.Equal("en", await LanguageAsync(me.Id));
    }

    /// <summary>The first <paramref name="tag"/> element (its opening tag) carrying <paramref name="attribute"/>.</summary>
    private static string Element(string html, string tag, string attribute)
    {
        var match = System.Text.RegularExpressions.Regex.Match(html, $"<{tag}\\b[^>]*{System.Text.RegularExpressions.Regex.Escape(attribute)}[^>]*>");
        Assert.True(match.Success, $"No <{tag}> with {attribute}.");
        return match.Value;
    }

    private Task<string> LanguageAsync(string id) =>
        factory.QueryDbAsync(db => db.Users.AsNoTracking().Where(u => u.Id == id).Select(u => u.PreferredLanguage).SingleAsync());
}
