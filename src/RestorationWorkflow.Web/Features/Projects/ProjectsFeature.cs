using Microsoft.AspNetCore.Authorization;
using RestorationWorkflow.Workflows.Guards;

namespace RestorationWorkflow.Web.Features.Projects;

public static class ProjectsFeature
{
    /// <summary>
    /// The project command path and its reads: the store, the commands, the transition evaluator, one
    /// authorization handler per operation, the guard data this feature owns (the checklist), and the cache of
    /// stamped guard data that every feature's providers share (decision 0069).
    /// </summary>
    public static IHostApplicationBuilder AddProjects(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddScoped<ProjectStore>();
        services.AddScoped<ProjectReader>();
        services.AddScoped<ProjectCommands>();
        services.AddScoped<TransitionEvaluator>();
        services.AddSingleton<StampedGuardDataCache>();
        services.AddGuardDataProvider<ChecklistGuardDataProvider>(ProjectGuardData.Checklist);
        services.AddSingleton<IAuthorizationHandler, ReadProjectHandler>();
        services.AddSingleton<IAuthorizationHandler, CreateProjectHandler>();
        services.AddSingleton<IAuthorizationHandler, EditProjectHandler>();
        services.AddSingleton<IAuthorizationHandler, ManageProjectTeamHandler>();
        services.AddSingleton<IAuthorizationHandler, MigrateProjectHandler>();
        services.AddSingleton<IAuthorizationHandler, FireTransitionHandler>();
        return builder;
    }
}
