using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using RestorationWorkflow.Web.Features.Identity;
using RestorationWorkflow.Web.Infrastructure;

namespace RestorationWorkflow.Web.Features.Reminders.Notifications;

/// <summary>How often one client address may read calendar feeds (configuration section <c>Reminders:CalendarFeed</c>).</summary>
public sealed class CalendarFeedOptions
{
    public const string Section = "Reminders:CalendarFeed";

    /// <summary>Reads per client address and window (calendar clients poll every few minutes to hours).</summary>
    public int PermitLimit { get; set; } = 60;

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>
/// What a person sees and sets about reminders: the bell and the <c>/Notifications</c> page, the preferences page
/// <c>/Account/Reminders</c>, their API, and the personal calendar feed.
/// </summary>
public static class NotificationsFeature
{
    public static IHostApplicationBuilder AddNotifications(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddScoped<NotificationInbox>();
        services.AddScoped<ReminderPreferences>();
        services.AddScoped<CalendarFeed>();
        services.AddScoped<ICultureChoiceObserver, EmailLanguageFollowsSwitch>();
        services.AddOptions<CalendarFeedOptions>().BindConfiguration(CalendarFeedOptions.Section);
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = (context, _) =>
            {
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                    context.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                return ValueTask.CompletedTask;
            };
            o.AddPolicy(NotificationEndpoints.FeedRateLimit, context =>
            {
                var limits = context.RequestServices.GetRequiredService<IOptions<CalendarFeedOptions>>().Value;
                return RateLimitPartition.GetFixedWindowLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "", _ => new FixedWindowRateLimiterOptions
                {
                    // A setting of zero or less falls back to the default rather than closing the feed.
                    PermitLimit = limits.PermitLimit > 0 ? limits.PermitLimit : new CalendarFeedOptions().PermitLimit,
                    Window = limits.Window > TimeSpan.Zero ? limits.Window : new CalendarFeedOptions().Window,
                    QueueLimit = 0,
                });
            });
        });
        return builder;
    }

    public static IEndpointRouteBuilder MapNotifications(this IEndpointRouteBuilder app) => NotificationEndpoints.Map(app);
}

/// <summary>A signed-in person who switches the interface's language gets their e-mail and calendar feed in it too.</summary>
public sealed class EmailLanguageFollowsSwitch(ReminderPreferences preferences) : ICultureChoiceObserver
{
    public async Task CultureChosenAsync(HttpContext context, string culture, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.User.Identity?.IsAuthenticated == true)
            await preferences.FollowLanguageAsync(context.User.UserId(), culture, cancellationToken);
    }
}
