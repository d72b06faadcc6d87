using Microsoft.AspNetCore.Authorization;
using RestorationWorkflow.Web.Features.Projects;
using RestorationWorkflow.Workflows.Guards;

namespace RestorationWorkflow.Web.Features.Safeguards;

public static class SafeguardsFeature
{
    /// <summary>The safeguard review: its reader, the guard data of <c>safeguardsCleared</c> and who may acknowledge a finding.</summary>
    public static IHostApplicationBuilder AddSafeguards(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddScoped<SafeguardReader>();
        builder.Services.AddGuardDataProvider<SafeguardGuardDataProvider>(SafeguardGuardData.Findings);
        builder.Services.AddSingleton<IAuthorizationHandler, AcknowledgeFindingHandler>();
        return builder;
    }
}
