using System.Security.Claims;
using RestorationWorkflow.Commands;
using RestorationWorkflow.Identity;
using RestorationWorkflow.Web.Infrastructure;

namespace RestorationWorkflow.Web.Features.Approvals;

/// <summary>
/// <c>/api/approvals/delegations</c>: an approver lets another approver decide on their behalf for a window of UTC dates.
/// Approvers see the delegations they gave and received, administrators and auditors all of them; approvers give their
/// own, administrators on behalf of any approver; the delegator or an administrator revokes (the row stays).
/// </summary>
public static class DelegationEndpoints
{
    public static IEndpointRouteBuilder Map(IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var group = app.MapGroup("/api/approvals/delegations")
            .WithApiTag("Delegations", "Approval delegations: an approver lets another approver decide on their behalf from startsOn to endsOn (UTC dates, both included).")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        group.MapGet("/", async (string? userId, DelegationReader reader, ClaimsPrincipal user, CancellationToken ct) =>
        {
            var today = reader.Today;
            var items = await reader.ListAsync(user, userId, ct);
            return TypedResults.Ok(new DelegationListDto(today, [.. items.Select(d => d.ToDto(today))]));
        }).RequireAuthorization(Policies.ReadDelegations)
            .WithName("ListDelegations")
            .WithSummary("The delegations the caller gave and received (administrators and auditors: all; ?userId= keeps those that user gave or received), with their state today.")
            .Produces<DelegationListDto>();

        group.MapGet("/{id:guid}", async (Guid id, DelegationReader reader, ClaimsPrincipal user, CancellationToken ct) =>
            await reader.FindAsync(user, id, ct) is { } found
                ? Results.Ok(found.ToDto(reader.Today))
                : CommandResult<DelegationView>.NotFound(DelegationErrorCodes.NotFound, $"No delegation has the id '{id}'.").ToHttp(_ => Results.Empty))
            .RequireAuthorization(Policies.ReadDelegations)
            .WithName("GetDelegation").WithSummary("One delegation the caller may see.")
            .Produces<DelegationDto>().ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/", async (DelegationRequest request, DelegationCommands commands, DelegationReader reader, ClaimsPrincipal user, CancellationToken ct) =>
            (await commands.CreateAsync(user, request, ct)).ToHttp(created =>
                TypedResults.Created($"/api/approvals/delegations/{created.Delegation.Id}", created.ToDto(reader.Today))))
            .RequireAuthorization(Policies.ManageDelegations)
            .WithName("CreateDelegation")
            .WithSummary("Delegates the caller's approvals (administrators: delegatorId's) to delegateEmail or delegateId from startsOn to endsOn; 400 and 422 name the field (self-delegation, a delegate who is not an active approver, a window in the past or overlapping another, chains).")
            .Produces<DelegationDto>(StatusCodes.Status201Created).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        group.MapDelete("/{id:guid}", async (Guid id, DelegationCommands commands, DelegationReader reader, ClaimsPrincipal user, CancellationToken ct) =>
            (await commands.RevokeAsync(user, id, ct)).ToHttp(revoked => TypedResults.Ok(revoked.ToDto(reader.Today))))
            .RequireAuthorization(Policies.ManageDelegations)
            .WithName("RevokeDelegation")
            .WithSummary("Revokes a delegation (the delegator or an administrator); the delegation stays, marked revoked; 409 when it already is.")
            .Produces<DelegationDto>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }
}
