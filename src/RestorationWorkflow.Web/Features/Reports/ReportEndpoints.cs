using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using RestorationWorkflow.Reports;
using RestorationWorkflow.Web.Features.Projects;
using RestorationWorkflow.Web.Infrastructure;

namespace RestorationWorkflow.Web.Features.Reports;

/// <summary>The body of a report request.</summary>
public sealed record ReportRequestDto(string? Kind, string? Language);

/// <summary>The answer to a request: the new report's id and status (queued).</summary>
public sealed record ReportAcceptedDto(Guid Id, string Status);

public sealed record ReportDto(
    Guid Id, string Kind, string Language, Guid? ProjectId, string? ProjectCode, string? ProjectName, string Status, string? FailureReason,
    long? Size, string? Sha256, int? PageCount, string RequestedById, string RequestedBy, DateTimeOffset RequestedAt,
    DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, string? FileUrl);

public sealed record ReportListDto(Guid ProjectId, int Page, int PageSize, int Total, IReadOnlyList<ReportDto> Items);

/// <summary>
/// <c>/api/projects/{id}/reports</c>, <c>/api/reports</c>, <c>/api/reports/{id}</c> and <c>/api/reports/{id}/file</c>:
/// request a report (202, rendered by a job), follow it, list a project's, download the checked file (decision 0036).
/// </summary>
public static class ReportEndpoints
{
    private const string Tag = "Reports";
    private const string TagText = "PDF reports: requested, rendered by a background job, stored once and downloaded with a check of their SHA-256.";

    public static IEndpointRouteBuilder MapReports(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPost("/api/projects/{id:guid}/reports", RequestProjectAsync)
            .WithApiTag(Tag, TagText).RequireAuthorization(ReportPolicies.ProjectReports)
            .WithName("RequestProjectReport").WithSummary("Requests a project report {kind: audit-trail, language: en | zh-Hans}; 202 with its id.")
            .Produces<ReportAcceptedDto>(StatusCodes.Status202Accepted).ProducesValidationProblem()
            .ProducesProblem(401).ProducesProblem(403).ProducesProblem(404);

        app.MapGet("/api/projects/{id:guid}/reports", ListAsync)
            .WithApiTag(Tag, TagText).RequireAuthorization(ReportPolicies.ProjectReports)
            .WithName("ListProjectReports").WithSummary("The project's reports, newest first, a page at a time (page from 1).")
            .Produces<ReportListDto>().ProducesValidationProblem().ProducesProblem(401).ProducesProblem(403).ProducesProblem(404);

        app.MapPost("/api/reports", RequestPortfolioAsync)
            .WithApiTag(Tag, TagText).RequireAuthorization(ReportPolicies.PortfolioReports)
            .WithName("RequestPortfolioReport").WithSummary("Requests a portfolio report {kind, language}; 202 with its id.")
            .Produces<ReportAcceptedDto>(StatusCodes.Status202Accepted).ProducesValidationProblem()
            .ProducesProblem(401).ProducesProblem(403);

        app.MapGet("/api/reports/{id:guid}", GetAsync)
            .WithApiTag(Tag, TagText).RequireAuthorization(ReportPolicies.Reports)
            .WithName("GetReport").WithSummary("A report's status (queued, rendering, done, failed with reason), size and SHA-256.")
            .Produces<ReportDto>().ProducesProblem(401).ProducesProblem(403).ProducesProblem(404);

        app.MapGet("/api/reports/{id:guid}/file", DownloadAsync)
            .WithApiTag(Tag, TagText).RequireAuthorization(ReportPolicies.Reports)
            .WithName("DownloadReport").ExemptFromRequestLimit().WithSummary("The PDF, checked against its stored SHA-256 (409 report-tampered when altered); each download is recorded.")
            .Produces(StatusCodes.Status200OK, contentType: "application/pdf")
            .ProducesProblem(401).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        return app;
    }

    private static Task<IResult> RequestProjectAsync(Guid id, ReportRequestDto? body, ReportService service, ClaimsPrincipal user, CancellationToken ct) =>
        RequestAsync(ReportScope.Project, id, body, service, user, ct);

    private static Task<IResult> RequestPortfolioAsync(ReportRequestDto? body, ReportService service, ClaimsPrincipal user, CancellationToken ct) =>
        RequestAsync(ReportScope.Portfolio, null, body, service, user, ct);

    private static async Task<IResult> RequestAsync(ReportScope scope, Guid? projectId, ReportRequestDto? body, ReportService service, ClaimsPrincipal user, CancellationToken ct)
    {
        var result = await service.RequestAsync(scope, projectId, body?.Kind, body?.Language, user, ct);
        if (result.Refusal is { } refusal)
            return Problem(refusal);
        var report = result.Report!;
        return TypedResults.Accepted($"/api/reports/{report.Id}", new ReportAcceptedDto(report.Id, report.Status));
    }

    private static async Task<IResult> GetAsync(Guid id, ReportService service, ClaimsPrincipal user, CancellationToken ct)
    {
        var (view, refusal) = await service.GetAsync(id, user, ct);
        return view is null ? Problem(refusal!) : TypedResults.Ok(ToDto(view));
    }

    private static async Task<IResult> ListAsync(Guid id, int? page, ProjectReader reader, ReportService service, ClaimsPrincipal user, CancellationToken ct)
    {
        if (page is < 1)
        {
            return Problem(new ReportRefusal(400, "page", RestorationWorkflow.Commands.CommandErrorCodes.Validation,
                new("The page is counted from 1.", "页码从 1 开始。")));
        }
        var read = await reader.ReadAsync(id, user, ct);
        if (!read.Ok)
            return read.Refusal;
        if (!await service.MayAsync(user, read.Project))
            return TypedResults.Forbid();
        var (items, total) = await service.ListAsync(read.Project, page ?? 1, ct);
        return TypedResults.Ok(new ReportListDto(id, page ?? 1, service.PageSize, total, [.. items.Select(ToDto)]));
    }

    private static async Task<IResult> DownloadAsync(Guid id, HttpContext http, ReportService service, ClaimsPrincipal user, CancellationToken ct)
    {
        var download = await service.DownloadAsync(id, user, ct);
        if (download.Refusal is { } refusal)
            return Problem(refusal);
        Evidence.EvidenceEndpoints.SetDownloadHeaders(http.Response, download.FileName!);
        return TypedResults.File(download.Bytes!, "application/pdf");
    }

    public static ReportDto ToDto(ReportView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var r = view.Report;
        return new ReportDto(r.Id, r.Kind, r.Language, r.ProjectId, view.ProjectCode, view.ProjectName, r.Status, r.FailureReason, r.Size, r.Sha256,
            r.PageCount, r.RequestedById, view.RequestedBy, r.RequestedAt, r.StartedAt, r.FinishedAt,
            r.Status == ReportStatus.Done ? $"/api/reports/{r.Id}/file" : null);
    }

    /// <summary>A refusal as ProblemDetails: 400 with <c>errors</c> keyed by the field; 403 with the reasons; 404; 409 with its code.</summary>
    public static IResult Problem(ReportRefusal refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        var culture = CultureInfo.CurrentUICulture;
        var message = refusal.Message.For(culture);
        if (refusal.Field is { } field)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, detail: message, title: "The request is not valid.",
                extensions: new Dictionary<string, object?> { ["code"] = refusal.Code });
        }
        var problem = new ProblemDetails
        {
            Status = refusal.Status,
            Title = refusal.Status switch
            {
                403 => "Forbidden.",
                404 => "Not found.",
                _ => "The report cannot be served.",
            },
            Detail = message,
        };
        problem.Extensions["code"] = refusal.Code;
        if (refusal.Rules is { } rules)
            problem.Extensions["reasons"] = rules.Select(r => new { guard = r.Guard, message = r.Message.For(culture) }).ToList();
        return TypedResults.Problem(problem);
    }
}
