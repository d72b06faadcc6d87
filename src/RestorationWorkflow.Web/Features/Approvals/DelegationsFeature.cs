using Microsoft.AspNetCore.Authorization;
using RestorationWorkflow.Identity;

namespace RestorationWorkflow.Web.Features.Approvals;

public static class DelegationsFeature
{
    /// <summary>Approval delegations: the reader (also used to decide on behalf of another approver), the commands, the policies and who may give and revoke them.</summary>
    public static IHostApplicationBuilder AddDelegations(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddScoped<DelegationReader>();
        builder.Services.AddScoped<DelegationCommands>();
        builder.Services.AddSingleton<IAuthorizationHandler, CreateDelegationHandler>();
        builder.Services.AddSingleton<IAuthorizationHandler, RevokeDelegationHandler>();
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policies.ReadDelegations, p => p.RequireAuthenticatedUser().RequireRole(AppRoles.Approver, AppRoles.Administrator, AppRoles.Auditor))
            .AddPolicy(Policies.ManageDelegations, p => p.RequireAuthenticatedUser().RequireRole(AppRoles.Approver, AppRoles.Administrator));
        return builder;
    }

    /// <summary>Maps <see cref="DelegationEndpoints"/>.</summary>
    public static IEndpointRouteBuilder MapDelegations(this IEndpointRouteBuilder app) => DelegationEndpoints.Map(app);
}
