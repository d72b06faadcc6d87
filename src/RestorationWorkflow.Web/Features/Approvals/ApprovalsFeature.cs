using Microsoft.AspNetCore.Authorization;
using RestorationWorkflow.Web.Features.Projects;

namespace RestorationWorkflow.Web.Features.Approvals;

public static class ApprovalsFeature
{
    /// <summary>Approval gates: the snapshot builder, the request lifecycle hook, the reader with its kept diffs and who may decide.</summary>
    public static IHostApplicationBuilder AddApprovals(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddScoped<ApprovalSnapshotBuilder>();
        services.AddScoped<ApprovalLifecycle>();
        services.AddScoped<IProjectChangeHook>(sp => sp.GetRequiredService<ApprovalLifecycle>());
        services.AddScoped<ApprovalReader>();
        services.AddSingleton<SnapshotDiffs>();
        services.AddScoped<ApprovalsSectionReader>();
        services.AddSingleton<IAuthorizationHandler, DecideApprovalHandler>();
        return builder;
    }
}
