using System.Security.Claims;
using RestorationWorkflow.Web.Features.Projects;
using RestorationWorkflow.Web.Infrastructure;

namespace RestorationWorkflow.Web.Features.Approvals;

/// <summary>
/// <c>/api/projects/{id}/approvals</c> (gates, requests, decisions, snapshot hashes, stale flags, diffs),
/// <c>/api/approvals/{requestId}</c> (one request with its snapshot), <c>POST /api/approvals/{requestId}/decisions</c>
/// and <c>POST /api/projects/{id}/approvals/{gate}/resubmit</c>, through the project command path.
/// </summary>
public static class ApprovalEndpoints
{
    public static IEndpointRouteBuilder MapApprovals(this IEndpointRouteBuilder app)
    {
        var projects = app.MapGroup("/api/projects/{id:guid}/approvals")
            .WithApiTag("Approvals", "Approval gates: requests opened on entering a review, approvers' decisions, stale sign-offs, resubmission.")
            .RequireAuthorization(RestorationWorkflow.Identity.Policies.ReadProjects)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        projects.MapGet("/", async (Guid id, ProjectReader reader, ApprovalReader approvals, ClaimsPrincipal user, CancellationToken ct) =>
        {
            var read = await reader.ReadAsync(id, user, ct);
            if (!read.Ok)
                return read.Refusal;
            return TypedResults.Ok(await approvals.ForProjectAsync(read.Project, ct));
        }).WithName("ListApprovals").WithSummary("The project's gates and every approval request with its decisions, snapshot hash, stale flag and changes since the previous submission.")
            .Produces<ProjectApprovalsDto>().ProducesProblem(404);

        projects.MapPost("/{gate}/resubmit", async (Guid id, string gate, ResubmitApprovalRequest request, ProjectCommands commands, ApprovalReader approvals, ClaimsPrincipal user, CancellationToken ct) =>
        {
            var command = new ResubmitApproval(id, gate, request);
            var result = await commands.ExecuteAsync(command, user, ct);
            if (!result.Succeeded)
                return result.ToHttp(_ => TypedResults.Ok());
            var detail = await approvals.RequestAsync(result.Value!, command.Opened!.Id, ct);
            return TypedResults.Created($"/api/approvals/{command.Opened.Id}", detail!.Request);
        }).WithName("ResubmitApproval").WithSummary("A manager of the project resubmits a stale request: a new request with a fresh snapshot replaces it (409 when nothing changed).")
            .Produces<ApprovalRequestDto>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(404).ProducesProblem(409).ProducesProblem(422);

        var requests = app.MapGroup("/api/approvals/{requestId:guid}")
            .WithApiTag("Approvals", "Approval gates: requests opened on entering a review, approvers' decisions, stale sign-offs, resubmission.")
            .RequireAuthorization(RestorationWorkflow.Identity.Policies.ReadProjects)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        requests.MapGet("/", async (Guid requestId, ProjectReader reader, ApprovalReader approvals, ClaimsPrincipal user, CancellationToken ct) =>
        {
            if (await approvals.ProjectOfAsync(requestId, ct) is not { } projectId)
                return NotFound(requestId);
            var read = await reader.ReadAsync(projectId, user, ct);
            if (!read.Ok)
                return read.Refusal;
            return await approvals.RequestAsync(read.Project, requestId, ct) is { } detail ? TypedResults.Ok(detail) : NotFound(requestId);
        }).WithName("GetApprovalRequest").WithSummary("One approval request with its canonical JSON snapshot and the changes since the previous submission.")
            .Produces<ApprovalRequestDetailDto>().ProducesProblem(404);

        requests.MapPost("/decisions", async (Guid requestId, ApprovalDecisionRequest request, ProjectCommands commands, ApprovalReader approvals, ClaimsPrincipal user, CancellationToken ct) =>
        {
            if (await approvals.ProjectOfAsync(requestId, ct) is not { } projectId)
                return NotFound(requestId);
            var command = new DecideApproval(projectId, requestId, request);
            var result = await commands.ExecuteAsync(command, user, ct);
            if (!result.Succeeded)
                return result.ToHttp(_ => TypedResults.Ok());
            var detail = await approvals.RequestAsync(result.Value!, requestId, ct);
            return TypedResults.Created($"/api/approvals/{requestId}", new ApprovalDecisionResultDto(
                command.Decision!.Id, detail!.Request, result.Value!.State, result.Value.Version, command.Fired?.Trigger));
        }).WithName("DecideApproval").WithSummary("Approve or reject (comment required) an open request. 403 names the rule (role, submitter, teamMember, alreadyDecided, delegation); 409 when the request is closed or stale.")
            .Produces<ApprovalDecisionResultDto>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(404).ProducesProblem(409).ProducesProblem(422);
        return app;
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult NotFound(Guid requestId) =>
        TypedResults.Problem(statusCode: 404, title: "Not found.", detail: $"No approval request has the id {requestId}.",
            extensions: new Dictionary<string, object?> { ["code"] = ApprovalErrorCodes.RequestNotFound });
}

/// <summary>The decision made, the request after it, and where the project is now (the trigger fired, if the gate passed or returned).</summary>
public sealed record ApprovalDecisionResultDto(Guid DecisionId, ApprovalRequestDto Request, string ProjectState, int ProjectVersion, string? Fired);
