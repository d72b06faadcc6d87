using RestorationWorkflow.Workflows;
using RestorationWorkflow.Workflows.Guards;

namespace RestorationWorkflow.Web.Features.Workflows;

public static class WorkflowsFeature
{
    /// <summary>
    /// Loads and validates every definition in <c>Workflows:Path</c> (default: <c>workflows/</c> beside the app)
    /// now, so that a bad file stops start-up with one message per problem naming the file and JSON path; the
    /// guard registry, the engine and the version migrator.
    /// </summary>
    public static IHostApplicationBuilder AddWorkflows(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configured = builder.Configuration["Workflows:Path"];
        var folder = string.IsNullOrWhiteSpace(configured)
            ? Path.Combine(AppContext.BaseDirectory, "workflows")
            : Path.GetFullPath(configured, builder.Environment.ContentRootPath);
        var registry = GuardRegistry.Default;
        var catalog = WorkflowDefinitionLoader.LoadCatalog(folder, registry);
        builder.Services.AddSingleton(registry);
        builder.Services.AddSingleton(catalog);
        builder.Services.AddSingleton<WorkflowEngine>();
        builder.Services.AddScoped<WorkflowMigrator>();
        builder.Services.AddScoped<GateStaffingCheck>();
        return builder;
    }

    /// <summary>
    /// Logs, once at start-up after the users are seeded, each gate whose quorum exceeds the active users holding one of
    /// its approver roles. A warning, not a start-up failure: users are added after the definitions (decision 0026).
    /// </summary>
    public static Task LogGateStaffingAsync(this IServiceProvider services, CancellationToken ct = default) =>
        GateStaffingCheck.LogGateStaffingAsync(services, ct);
}
