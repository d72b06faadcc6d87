using System.Security.Claims;
using RestorationWorkflow.Approvals;
using RestorationWorkflow.Web.Features.Projects;
using RestorationWorkflow.Web.Infrastructure;
using RestorationWorkflow.Workflows;

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

        projects.MapGet("/", async (Guid id, string? status, string? gate, ProjectReader reader, WorkflowCatalog catalog, ApprovalReader approvals, ClaimsPrincipal user,
            CancellationToken ct) =>
        {
            ApprovalRequestStatus? wanted = null;
            if (status is not null)
            {
                if (!EnumNames.TryParse<ApprovalRequestStatus>(status, out var named))
                    return Invalid("status", $"The status must be one of {StatusNames}, not '{TextRules.Quote(status)}'.");
                wanted = named;
            }
            var read = await reader.ReadAsync(id, user, ct);
            if (!read.Ok)
                return read.Refusal;
            if (gate is not null && catalog.DefinitionOf(read.Project) is var definition && definition.FindGate(gate) is null)
                return Invalid("gate", $"The project's workflow has no gate '{TextRules.Quote(gate)}'; its gates are {string.Join(", ", definition.Gates.Select(g => g.Id))}.");
            return TypedResults.Ok(await approvals.ForProjectAsync(read.Project, new ApprovalFilter(wanted, gate), ct));
        }).WithName("ListApprovals").WithSummary("The project's gates, each with its open request, and the approval requests of its history with their decisions, snapshot hash, stale flag and changes since the previous submission: every request, or those of one status (open, approved, rejected, superseded, cancelled) and/or one gate.")
            .Produces<ProjectApprovalsDto>().ProducesValidationProblem().ProducesProblem(404);

        projects.MapPost("/{gate}/resubmit", async (Guid id, string gate, ResubmitApprovalRequest request, ProjectCommands commands, ApprovalReader approvals, ClaimsPrincipal user, CancellationToken ct) =>
        {
            var command = new ResubmitApproval(id, gate, request);
            var result = await commands.ExecuteAsync(command, user, ct);
            if (!result.Succeeded)
                return result.ToHttp(_ => TypedResults.Ok());
            var opened = await approvals.SummaryAsync(result.Value!, command.Opened!.Id, ct);
            return TypedResults.Created($"/api/approvals/{command.Opened.Id}", opened!);
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
            var decided = await approvals.SummaryAsync(result.Value!, requestId, ct);
            return TypedResults.Created($"/api/approvals/{requestId}", new ApprovalDecisionResultDto(
                command.Decision!.Id, decided!, result.Value!.State, result.Value.Version, command.Fired?.Trigger));
        }).WithName("DecideApproval").WithSummary("Approve or reject (comment required) an open request. 403 names the rule (role, submitter, teamMember, alreadyDecided, delegation); 409 when the request is closed or stale.")
            .Produces<ApprovalDecisionResultDto>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(404).ProducesProblem(409).ProducesProblem(422);
        return app;
    }

    private static readonly string StatusNames = string.Join(", ", Enum.GetNames<ApprovalRequestStatus>().Select(n => n.ToLowerInvariant()));

    private static Microsoft.AspNetCore.Http.HttpResults.ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: "The request is not valid.");

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult NotFound(Guid requestId) =>
        TypedResults.Problem(statusCode: 404, title: "Not found.", detail: $"No approval request has the id {requestId}.",
            extensions: new Dictionary<string, object?> { ["code"] = ApprovalErrorCodes.RequestNotFound });
}

/// <summary>The decision made, the request after it, and where the project is now (the trigger fired, if the gate passed or returned).</summary>
public sealed record ApprovalDecisionResultDto(Guid DecisionId, ApprovalRequestDto Request, string ProjectState, int ProjectVersion, string? Fired);
