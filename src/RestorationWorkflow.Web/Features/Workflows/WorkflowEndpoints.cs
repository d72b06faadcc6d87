using System.Globalization;
using System.Security.Claims;
using System.Text.Json.Serialization;
using RestorationWorkflow.Identity;
using RestorationWorkflow.Web.Infrastructure;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Web.Features.Workflows;

public sealed record WorkflowSummary(string Id, int Version, string Title, int States, int Transitions, bool Latest);

/// <summary>A gate whose quorum exceeds the active users holding one of its approver roles (decision 0026).</summary>
public sealed record GateWarningResponse(string Gate, int Quorum, IReadOnlyList<string> ApproverRoles, int Approvers, LocalizedText Message);

/// <summary>
/// One definition as loaded, and <see cref="Warnings"/>: what is wrong with it given today's users, which the loader
/// cannot know (a gate's quorum larger than the active users who may decide it).
/// </summary>
public sealed record WorkflowDefinitionResponse(
    [property: JsonPropertyName("$schema")] string? Schema,
    string Id,
    int Version,
    LocalizedText Title,
    LocalizedText? Description,
    string InitialState,
    IReadOnlyList<StateDefinition> States,
    IReadOnlyList<TransitionDefinition> Transitions,
    IReadOnlyList<GateDefinition> Gates,
    MigrationSource? MigrateFrom,
    IReadOnlyList<GateWarningResponse> Warnings)
{
    public static WorkflowDefinitionResponse From(WorkflowDefinition d, IEnumerable<GateStaffingWarning> warnings)
    {
        ArgumentNullException.ThrowIfNull(d);
        return new(d.Schema, d.Id, d.Version, d.Title, d.Description, d.InitialState, d.States, d.Transitions, d.Gates, d.MigrateFrom,
            [.. warnings.Select(w => new GateWarningResponse(w.Gate, w.Quorum, w.ApproverRoles, w.Approvers, w.Message))]);
    }
}

/// <summary><c>/api/workflows</c>: the loaded definitions, their diagrams, and version migrations.</summary>
public static class WorkflowEndpoints
{
    public static IEndpointRouteBuilder MapWorkflows(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/workflows")
            .WithApiTag("Workflows", "The loaded workflow definitions, their diagrams, and moving projects between definition versions.")
            .RequireAuthorization(Policies.SignedInWithRole)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        group.MapGet("/", (WorkflowCatalog catalog) =>
            {
                var culture = CultureInfo.CurrentUICulture;
                return TypedResults.Ok(catalog.All
                    .OrderBy(d => d.Id, StringComparer.Ordinal).ThenBy(d => d.Version)
                    .Select(d => new WorkflowSummary(d.Id, d.Version, d.Title.For(culture), d.States.Count, d.Transitions.Count, catalog.Latest(d.Id)?.Version == d.Version))
                    .ToList());
            })
            .WithName("ListWorkflows").WithSummary("Every loaded workflow definition version.");

        group.MapGet("/{id}/{version:int}", async (string id, int version, WorkflowCatalog catalog, GateStaffingCheck staffing, CancellationToken ct) =>
                catalog.Find(id, version) is { } definition
                    ? Results.Ok(WorkflowDefinitionResponse.From(definition, await staffing.WarningsAsync([definition], ct)))
                    : NotFound(id, version))
            .WithName("GetWorkflow")
            .WithSummary("One definition, as loaded, with warnings that depend on the users: a gate whose quorum exceeds the active users holding its approver roles.")
            .Produces<WorkflowDefinitionResponse>().ProducesProblem(404);

        group.MapGet("/{id}/{version:int}/diagram", (string id, int version, WorkflowCatalog catalog) =>
                catalog.Find(id, version) is { } definition
                    ? Results.Text(MermaidDiagram.Render(definition, null, CultureInfo.CurrentUICulture), "text/plain; charset=utf-8")
                    : NotFound(id, version))
            .WithName("GetWorkflowDiagram").WithSummary("Mermaid state diagram of a definition.")
            .Produces<string>(contentType: "text/plain").ProducesProblem(404);

        group.MapPost("/{id}/migrations", async (string id, MigrationRequest request, WorkflowMigrator migrator, ClaimsPrincipal user, CancellationToken ct) =>
                (await migrator.RunAsync(id, request, user, ct)).ToHttp(report => TypedResults.Ok(report)))
            .RequireAuthorization(Policies.ManageWorkflows)
            .WithName("MigrateWorkflowVersion")
            .WithSummary("Moves projects from one definition version to another; dryRun lists what would move and what cannot.")
            .Produces<MigrationReport>().ProducesValidationProblem().ProducesProblem(404);

        return app;
    }

    private static IResult NotFound(string id, int version) =>
        Results.Problem(statusCode: 404, title: "Not found.", detail: $"No workflow '{TextRules.Quote(id)}' version {version} is loaded.");
}
