using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.Data;
using RestorationWorkflow.Web.Features.Identity;
using RestorationWorkflow.Web.Features.Projects;
using RestorationWorkflow.Web.Infrastructure;

namespace RestorationWorkflow.Web.Features.Audit;

public sealed record UserChainVerificationDto(bool Valid, int EventCount, long? BrokenEventId, int? BrokenSequence, string? Reason);

public sealed record AuditVerificationDto(Guid ProjectId, bool Valid, int EventCount, long? BrokenEventId, int? BrokenSequence, string? Reason, DateTimeOffset VerifiedAt);

/// <summary>The audit feature's services and endpoints.</summary>
public static class AuditFeature
{
    public static IHostApplicationBuilder AddAudit(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton(AuditHeadKey.Load(builder.Configuration));
        builder.Services.AddHostedService<AuditHeadKey.MissingWarning>();
        builder.Services.AddScoped<AuditTrail>();
        builder.Services.AddScoped<AuditVerifier>();
        return builder;
    }

    /// <summary><c>/api/projects/{id}/history</c> and <c>/api/projects/{id}/audit/verify</c>.</summary>
    public static IEndpointRouteBuilder MapAudit(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/projects/{id:guid}")
            .WithApiTag("Audit", "A project's audit events and the verification of their SHA-256 chain.")
            .RequireAuthorization(RestorationWorkflow.Identity.Policies.ReadProjects)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/history", HistoryAsync).WithName("GetProjectHistory").WithSummary("The project's audit events, oldest first.")
            .Produces<List<AuditEventDto>>();

        group.MapGet("/audit/verify", VerifyAsync)
            .WithName("VerifyAuditChain").WithSummary("Recomputes the SHA-256 chain, records the result and names the first broken link.")
            .Produces<AuditVerificationDto>();
        app.MapGet("/api/audit/users/verify", VerifyUsersAsync)
            .WithTags("Audit")
            .RequireAuthorization(RestorationWorkflow.Identity.Policies.ReadAuditTrail)
            .WithName("VerifyUserAuditChain")
            .WithSummary("Recomputes the SHA-256 chain of every user-account event and names the first broken link.")
            .Produces<UserChainVerificationDto>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        return app;
    }

    private static async Task<IResult> VerifyUsersAsync(AppDbContext db, CancellationToken ct)
    {
        var events = await db.UserAuditEvents.AsNoTracking().OrderBy(e => e.Sequence).ToListAsync(ct);
        var broken = RestorationWorkflow.Audit.AuditChain.Verify(events);
        return TypedResults.Ok(new UserChainVerificationDto(broken is null, events.Count, broken?.EventId, broken?.Sequence, broken?.Reason));
    }

    private static async Task<IResult> HistoryAsync(Guid id, ProjectReader reader, AppDbContext db, ClaimsPrincipal user, CancellationToken ct)
    {
        var read = await reader.ReadAsync(id, user, ct);
        if (!read.Ok)
            return read.Refusal;
        var events = await AuditQueries.EventsOf(db, id).ToListAsync(ct);
        return TypedResults.Ok(events.Select(AuditMapping.ToDto).ToList());
    }

    private static async Task<IResult> VerifyAsync(Guid id, ProjectReader reader, AuditVerifier verifier, ClaimsPrincipal user, CancellationToken ct)
    {
        var read = await reader.ReadAsync(id, user, ct);
        if (!read.Ok)
            return read.Refusal;
        var result = (await verifier.VerifyAsync(id, user.UserId(), ct))!;
        return TypedResults.Ok(new AuditVerificationDto(id, result.Valid, result.EventCount, result.BrokenEventId, result.BrokenSequence, result.Reason, result.VerifiedAt));
    }
}
