using System.Security.Claims;
using RestorationWorkflow.Identity;
using RestorationWorkflow.Web.Infrastructure;

namespace RestorationWorkflow.Web.Features.Inbox;

/// <summary>
/// <c>GET /api/inbox</c> and the <c>/inbox</c> page: what waits on the signed-in user, for every role (requests to
/// decide, stale requests to resubmit, next actions of managed projects, returned requests, approvals to give again,
/// overdue requests for administrators and auditors), sorted by due date.
/// </summary>
public static class InboxFeature
{
    public static IHostApplicationBuilder AddInbox(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddScoped<InboxReader>();
        return builder;
    }

    public static IEndpointRouteBuilder MapInbox(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/inbox", async (InboxReader inbox, ClaimsPrincipal user, CancellationToken ct) => TypedResults.Ok(await inbox.ReadAsync(user, ct)))
            .WithApiTag("Inbox", "What waits on the signed-in user: approvals to decide, requests to resubmit, next actions, returned and overdue requests.")
            .RequireAuthorization(Policies.SignedInWithRole)
            .WithName("GetInbox")
            .WithSummary("The signed-in user's inbox, sorted by due date (none last), with the count of each kind and the navigation's count (badge).")
            .Produces<InboxDto>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        return app;
    }
}
