using Microsoft.EntityFrameworkCore;

namespace RestorationWorkflow.IntegrationTests.Infrastructure;

/// <summary>Arranging projects on an earlier workflow version (new projects start on the latest).</summary>
public static class WorkflowsApi
{
    /// <summary>The version of staper-restoration new projects start on (the latest shipped).</summary>
    public const int LatestVersion = 3;

    /// <summary>Every state of staper-restoration v1, in definition order.</summary>
    public static readonly string[] V1States =
    [
        "Draft", "Assessment", "ConsentReview", "EnablingEnvironment", "Planning", "PlanReview",
        "Implementation", "Monitoring", "Evaluation", "Closed", "Suspended", "Cancelled",
    ];

    /// <summary>Where v2 puts a project in each v1 state: the same code, but EnablingEnvironment → Planning.</summary>
    public static string V2StateOf(string v1State) => v1State == "EnablingEnvironment" ? "Planning" : v1State;

    /// <summary>
    /// Pins a project to <paramref name="workflowVersion"/> and puts it in <paramref name="state"/> (and, when
    /// suspended, the state it left) directly in the database.
    /// </summary>
    public static Task PinAsync(this AppFactory factory, Guid id, int workflowVersion, string state, string? stateBeforeSuspension = null)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return factory.WithDbAsync(async db =>
        {
            var rows = await db.Projects.Where(p => p.Id == id).ExecuteUpdateAsync(s => s
                .SetProperty(p => p.WorkflowVersion, workflowVersion)
                .SetProperty(p => p.State, state)
                .SetProperty(p => p.StateBeforeSuspension, stateBeforeSuspension));
            Assert.Equal(1, rows);
        });
    }

    /// <summary>The project's state before its suspension, straight from the database.</summary>
    public static Task<string?> StateBeforeSuspensionAsync(this AppFactory factory, Guid id) =>
        factory.QueryDbAsync(db => db.Projects.AsNoTracking().Where(p => p.Id == id).Select(p => p.StateBeforeSuspension).SingleAsync());
}
