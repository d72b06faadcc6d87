using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using RestorationWorkflow.Commands;
using RestorationWorkflow.Identity;
using RestorationWorkflow.Web.Features.Identity;
using RestorationWorkflow.Web.Infrastructure;

namespace RestorationWorkflow.Web.Features.Admin;

public sealed record CreateUserRequest(string? Email, string? DisplayName, string? Password, IReadOnlyList<string>? Roles);

public sealed record SetRolesRequest(IReadOnlyList<string>? Roles);

public sealed record UserHistoryItem(long Id, DateTimeOffset At, string ActorId, string ActorName, string Action, System.Text.Json.JsonElement Changes);

/// <summary><c>/api/admin/users</c>: administrators list users, create them with roles, change roles, lock and unlock.</summary>
public static class AdminUsersEndpoints
{
    public static IEndpointRouteBuilder MapAdminUsersApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/admin/users")
            .WithApiTag("Administration", "User accounts for administrators: create, roles, lock and unlock, and each account's audit events.")
            .RequireAuthorization(Policies.ManageUsers)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        group.MapGet("/", async (UserAdministration admin, CancellationToken ct) => TypedResults.Ok(await admin.ListAsync(ct)))
            .WithName("ListUsers").WithSummary("Lists every user with roles and lock-out state.");

        group.MapGet("/{id}", async Task<Results<Ok<UserSummary>, ProblemHttpResult>> (string id, UserAdministration admin) =>
                await admin.FindAsync(id) is { } user ? TypedResults.Ok(user) : UserNotFound(id))
            .WithName("GetUser").WithSummary("One user.").ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/", async (CreateUserRequest request, UserAdministration admin, ClaimsPrincipal user) =>
            {
                var result = await admin.CreateAsync(Actor.From(user), request.Email, request.DisplayName, request.Password, request.Roles);
                return result.ToHttp(created => TypedResults.Created($"/api/admin/users/{created.Id}", created));
            })
            .WithName("CreateUser").WithSummary("Creates a user with a password and roles.")
            .Produces<UserSummary>(StatusCodes.Status201Created).ProducesValidationProblem();

        group.MapPut("/{id}/roles", async (string id, SetRolesRequest request, UserAdministration admin, ClaimsPrincipal user) =>
                ToResult(await admin.SetRolesAsync(Actor.From(user), id, request.Roles)))
            .WithName("SetUserRoles").WithSummary("Replaces a user's roles; 422 when it would demote the last active administrator.")
            .Produces<UserSummary>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        group.MapPost("/{id}/lock", async (string id, UserAdministration admin, ClaimsPrincipal user) =>
                ToResult(await admin.SetLockedAsync(Actor.From(user), id, locked: true)))
            .WithName("LockUser").WithSummary("Locks a user out until unlocked; 422 for the last active administrator.")
            .Produces<UserSummary>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        group.MapPost("/{id}/unlock", async (string id, UserAdministration admin, ClaimsPrincipal user) =>
                ToResult(await admin.SetLockedAsync(Actor.From(user), id, locked: false)))
            .WithName("UnlockUser").WithSummary("Ends a lock-out and resets the failed sign-in count.")
            .Produces<UserSummary>().ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/{id}/history", async Task<Results<Ok<List<UserHistoryItem>>, ProblemHttpResult>> (string id, UserAdministration admin, CancellationToken ct) =>
            {
                if (await admin.FindAsync(id) is null)
                    return UserNotFound(id);
                var events = await admin.HistoryAsync(id, ct);
                return TypedResults.Ok(events.Select(e => new UserHistoryItem(e.Id, e.At, e.ActorId, e.ActorName, e.Action, ParseJson(e.Changes))).ToList());
            })
            .WithName("GetUserHistory").WithSummary("Audit events of one user account, newest first.").ProducesProblem(StatusCodes.Status404NotFound);

        return app;
    }

    private static IResult ToResult(CommandResult<UserSummary> result) => result.ToHttp(user => TypedResults.Ok(user));

    private static System.Text.Json.JsonElement ParseJson(string json)
    {
        using var document = System.Text.Json.JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    private static ProblemHttpResult UserNotFound(string id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "User not found.", detail: $"No user has the id '{TextRules.Quote(id)}'.");
}
