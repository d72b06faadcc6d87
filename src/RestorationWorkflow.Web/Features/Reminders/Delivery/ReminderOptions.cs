using System.Globalization;
using RestorationWorkflow.Reminders;
using RestorationWorkflow.Web.Features.Reminders.Due;
using RestorationWorkflow.Web.Infrastructure;

namespace RestorationWorkflow.Web.Features.Reminders.Delivery;

/// <summary>
/// The <c>Reminders</c>, <c>Email</c> and <c>App</c> settings of the scan and its deliveries, read and checked once at
/// start-up (a bad value stops start-up with one line naming the key).
/// </summary>
public sealed class ReminderOptions
{
    /// <summary><c>Reminders:ScanCron</c>: when the scan runs (UTC), default every 15 minutes.</summary>
    public string ScanCron { get; init; } = "*/15 * * * *";

    /// <summary><c>Reminders:DailyDigestCron</c>: when the daily digests go out (UTC), default 06:00.</summary>
    public string DailyDigestCron { get; init; } = "0 6 * * *";

    /// <summary><c>Reminders:WeeklyDigestCron</c>: when approvers and administrators get the weekly digest (UTC), default Monday 06:30.</summary>
    public string WeeklyDigestCron { get; init; } = "30 6 * * 1";

    /// <summary>
    /// <c>Reminders:RunServer</c>: whether this process runs Hangfire's background server (workers, recurring-job
    /// scheduler). On by default; off where something else runs the jobs (tests call them directly).
    /// </summary>
    public bool RunServer { get; init; } = true;

    /// <summary><c>Reminders:WorkerCount</c>: Hangfire workers of this node (default 2: e-mail is I/O, the machine has two cores).</summary>
    public int WorkerCount { get; init; } = 2;

    /// <summary>
    /// <c>Reminders:PollSeconds</c>: how often this node's server looks for recurring and scheduled jobs that are due
    /// (Hangfire's schedule polling interval, default 15 s). Every node looks; one of them enqueues each occurrence.
    /// </summary>
    public int PollSeconds { get; init; } = 15;

    /// <summary><c>Reminders:PageSize</c>: due items read and written per transaction by the scan (default 2,000).</summary>
    public int PageSize { get; init; } = 2000;

    /// <summary><c>Reminders:ReenqueueAfterMinutes</c>: a pending e-mail whose job was enqueued this long ago is enqueued again (default 30).</summary>
    public int ReenqueueAfterMinutes { get; init; } = 30;

    /// <summary><c>Reminders:DigestListLimit</c>: the most items one digest e-mail lists (default 200; the rest are counted).</summary>
    public int DigestListLimit { get; init; } = 200;

    /// <summary><c>Email:Attempts</c>: delivery attempts of one e-mail before it is marked failed (default 5; Hangfire retries with back-off).</summary>
    public int EmailAttempts { get; init; } = 5;

    /// <summary><c>App:BaseUrl</c>: the site's address for links in e-mail (a job has no request to take it from).</summary>
    public Uri? BaseUrl { get; init; }

    /// <summary>The settings, checked.</summary>
    /// <exception cref="StartupException">A value is out of range or not a number (one line naming the key).</exception>
    public static ReminderOptions Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var reminders = configuration.GetSection("Reminders");
        var defaults = new ReminderOptions();
        return new ReminderOptions
        {
            ScanCron = Text(reminders, "ScanCron", defaults.ScanCron),
            DailyDigestCron = Text(reminders, "DailyDigestCron", defaults.DailyDigestCron),
            WeeklyDigestCron = Text(reminders, "WeeklyDigestCron", defaults.WeeklyDigestCron),
            RunServer = Flag(reminders, "RunServer", defaults.RunServer),
            WorkerCount = Number(reminders, "WorkerCount", defaults.WorkerCount, 1, 64),
            PollSeconds = Number(reminders, "PollSeconds", defaults.PollSeconds, 1, 300),
            PageSize = Number(reminders, "PageSize", defaults.PageSize, 10, 10_000),
            ReenqueueAfterMinutes = Number(reminders, "ReenqueueAfterMinutes", defaults.ReenqueueAfterMinutes, 1, 24 * 60),
            DigestListLimit = Number(reminders, "DigestListLimit", defaults.DigestListLimit, 1, 10_000),
            EmailAttempts = Number(configuration.GetSection("Email"), "Attempts", defaults.EmailAttempts, 1, 50),
            BaseUrl = BaseUrlOf(configuration["App:BaseUrl"]),
        };
    }

    /// <summary>The absolute address of a site-relative <paramref name="link"/>, or the link itself when no base URL is set.</summary>
    public string Absolute(string link)
    {
        ArgumentNullException.ThrowIfNull(link);
        return BaseUrl is null ? link : new Uri(BaseUrl, link.TrimStart('/')).ToString();
    }

    private static string Text(IConfigurationSection section, string key, string fallback) =>
        section[key] is { Length: > 0 } value ? value.Trim() : fallback;

    private static bool Flag(IConfigurationSection section, string key, bool fallback)
    {
        var text = section[key];
        if (string.IsNullOrWhiteSpace(text))
            return fallback;
        return bool.TryParse(text, out var value) ? value : throw Bad(section, key, text, "true or false");
    }

    private static int Number(IConfigurationSection section, string key, int fallback, int min, int max)
    {
        var text = section[key];
        if (string.IsNullOrWhiteSpace(text))
            return fallback;
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw Bad(section, key, text, string.Create(CultureInfo.InvariantCulture, $"a whole number from {min} to {max}"));
    }

    private static Uri? BaseUrlOf(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            throw new StartupException($"App:BaseUrl '{TextRules.Quote(text)}' is not an absolute http(s) address, e.g. https://restoration.example.org/.");
        // A base that ends in '/' keeps its path when links are appended (https://host/app/ + Projects/1).
        return uri.AbsolutePath.EndsWith('/') ? uri : new Uri(uri + "/");
    }

    private static StartupException Bad(IConfigurationSection section, string key, string value, string expected) =>
        new($"{section.Path}:{key} '{TextRules.Quote(value)}' is not valid; use {expected}.");
}
