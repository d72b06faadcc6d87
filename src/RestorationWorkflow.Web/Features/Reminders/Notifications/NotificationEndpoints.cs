using System.Security.Claims;
using System.Text;
using RestorationWorkflow.Commands;
using RestorationWorkflow.Identity;
using RestorationWorkflow.Web.Features.Identity;
using RestorationWorkflow.Web.Infrastructure;

namespace RestorationWorkflow.Web.Features.Reminders.Notifications;

/// <summary>
/// <c>/api/notifications</c> (the caller's own in-app notifications), <c>/api/me/preferences</c> and
/// <c>/api/me/calendar-token</c> (the caller's reminder preferences and calendar feed), and the feed itself,
/// <c>/api/calendar/{token}.ics</c>, which a calendar client reads without signing in.
/// </summary>
public static class NotificationEndpoints
{
    /// <summary>The rate-limiter policy of the calendar feed (per client address).</summary>
    public const string FeedRateLimit = "calendar-feed";

    public static IEndpointRouteBuilder Map(IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var notifications = app.MapGroup("/api/notifications")
            .WithApiTag("Notifications", "The caller's in-app reminders: list them, mark them read. Someone else's notification is not found (404).")
            .RequireAuthorization(Policies.SignedInWithRole)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        notifications.MapGet("/", async (bool? unread, int? page, int? pageSize, NotificationInbox inbox, ClaimsPrincipal user, CancellationToken ct) =>
        {
            var (number, size) = (page ?? 1, pageSize ?? NotificationInbox.DefaultPageSize);
            var errors = NotificationInbox.ValidatePaging(number, size);
            if (errors.Count > 0)
                return CommandResult<NotificationListDto>.Invalid(errors).ToHttp(TypedResults.Ok);
            return TypedResults.Ok(await inbox.ListAsync(user.UserId(), unread == true, number, size, ct));
        })
            .WithName("ListNotifications")
            .WithSummary("The caller's notifications, newest first (unread=true: only the unread), paged (page 1–100,000, pageSize 1–200, default 25), with the count of unread ones.")
            .Produces<NotificationListDto>().ProducesValidationProblem();

        notifications.MapPost("/{id:guid}/read", async (Guid id, NotificationInbox inbox, ClaimsPrincipal user, CancellationToken ct) =>
            (await inbox.MarkReadAsync(user.UserId(), id, ct)).ToHttp(TypedResults.Ok))
            .WithName("MarkNotificationRead")
            .WithSummary("Marks one of the caller's notifications read (one already read stays as it was); 404 for an id that is not the caller's.")
            .Produces<NotificationDto>().ProducesProblem(StatusCodes.Status404NotFound);

        notifications.MapPost("/read-all", async (DateTimeOffset? upTo, NotificationInbox inbox, ClaimsPrincipal user, CancellationToken ct) =>
            TypedResults.Ok(await inbox.MarkAllReadAsync(user.UserId(), upTo, ct)))
            .WithName("MarkAllNotificationsRead")
            .WithSummary("Marks every unread notification of the caller read (upTo=: only those created up to that moment), and answers how many.")
            .Produces<MarkedReadDto>().ProducesValidationProblem();

        var me = app.MapGroup("/api/me")
            .WithApiTag("Preferences", "The caller's reminder preferences and personal calendar feed.")
            .RequireAuthorization(Policies.SignedInWithRole)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        me.MapGet("/preferences", async (ReminderPreferences preferences, ClaimsPrincipal user, CancellationToken ct) =>
            await preferences.GetAsync(user.UserId(), ct) is { } found
                ? Results.Ok(found)
                : CommandResult<PreferencesDto>.NotFound(CommandErrorCodes.UserNotFound, "The signed-in account no longer exists.").ToHttp(TypedResults.Ok))
            .WithName("GetPreferences")
            .WithSummary("E-mail reminders on or off, a daily digest instead of single messages, the language of e-mail and of the calendar feed (en, zh-Hans), and whether a calendar feed exists.")
            .Produces<PreferencesDto>().ProducesProblem(StatusCodes.Status404NotFound);

        me.MapPut("/preferences", async (PreferencesRequest request, ReminderPreferences preferences, ClaimsPrincipal user, CancellationToken ct) =>
            (await preferences.UpdateAsync(user.UserId(), request, ct)).ToHttp(TypedResults.Ok))
            .WithName("UpdatePreferences")
            .WithSummary("Replaces the caller's reminder preferences: emailReminders, dailyDigest and language (en or zh-Hans) are all required; 400 names each bad field.")
            .Produces<PreferencesDto>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        me.MapPost("/calendar-token", async (ReminderPreferences preferences, ClaimsPrincipal user, HttpContext http, CancellationToken ct) =>
        {
            var created = await preferences.CreateTokenAsync(user, ct);
            if (!created.Succeeded)
                return created.ToHttp(_ => TypedResults.Ok());
            var (token, at) = created.Value;
            http.Response.Headers.CacheControl = "no-store";
            return TypedResults.Ok(new CalendarTokenDto(token, FeedUrl(http.Request, token), at));
        })
            .WithName("CreateCalendarToken")
            .WithSummary("Creates the caller's calendar feed token, replacing any previous one (which stops working). The token and the feed's URL are answered this once: only a hash is stored.")
            .Produces<CalendarTokenDto>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        me.MapDelete("/calendar-token", async (ReminderPreferences preferences, ClaimsPrincipal user, CancellationToken ct) =>
            (await preferences.RevokeTokenAsync(user, ct)).ToHttp(_ => TypedResults.NoContent()))
            .WithName("RevokeCalendarToken")
            .WithSummary("Revokes the caller's calendar feed token: the feed answers 404 from now on; 404 when there is none.")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        app.MapGet("/api/calendar/{token}.ics", async (string token, CalendarFeed feed, HttpContext http, CancellationToken ct) =>
        {
            // Never kept by a cache on the way: the feed is one person's.
            http.Response.Headers.CacheControl = "private, no-store";
            var ics = await feed.RenderAsync(token, Site(http.Request), ct);
            if (ics is null)
            {
                return CommandResult<string>.NotFound("calendar-feed-not-found",
                    "No calendar feed has this address: it was revoked or replaced, or its owner can no longer sign in.").ToHttp(TypedResults.Ok);
            }
            return Results.Text(ics, "text/calendar", Encoding.UTF8);
        })
            .AllowAnonymous()
            .RequireRateLimiting(FeedRateLimit)
            .WithApiTag("Calendar", "A person's due items as an iCalendar feed, for calendar clients, which cannot sign in: the secret token in the address is the key.")
            .WithName("GetCalendarFeed")
            .WithSummary("The token owner's due items as all-day events (UID stable per item) with display alarms 3 days before and on the day; 404 for a wrong, revoked or replaced token or an owner who is locked out or holds no role; 429 when a client asks too often.")
            .Produces<string>(StatusCodes.Status200OK, "text/calendar")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        return app;
    }

    /// <summary>The site's root as the client reached it (behind a proxy, from the forwarded headers).</summary>
    public static Uri Site(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new Uri($"{request.Scheme}://{request.Host}{request.PathBase}/");
    }

    /// <summary>The absolute URL of the feed of <paramref name="token"/>.</summary>
    public static string FeedUrl(HttpRequest request, string token) => new Uri(Site(request), CalendarTokens.FeedPath(token).TrimStart('/')).ToString();
}
