using System.Security.Claims;
using RestorationWorkflow.Commands;
using RestorationWorkflow.Identity;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Projects.Targets;
using RestorationWorkflow.Web.Features.Projects;
using RestorationWorkflow.Web.Infrastructure;
using RestorationWorkflow.Workflows.Guards;

namespace RestorationWorkflow.Web.Features.Targets;

/// <summary>
/// <c>/api/indicators</c>: the indicator catalogue; <c>/api/projects/{id}/targets</c>: a project's SMART restoration
/// targets, each with its sentence in both languages, added, changed and removed through the command path.
/// </summary>
public static class TargetEndpoints
{
    public static IEndpointRouteBuilder MapTargets(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGroup("/api/indicators")
            .WithApiTag("Targets", "SMART restoration targets (C3): the indicator catalogue and each project's environmental and socio-economic targets.")
            .RequireAuthorization(Policies.ReadProjects)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .MapGet("/", () => TypedResults.Ok(IndicatorCatalogue.All.Select(TargetReader.ToDto).ToList()))
            .WithName("ListIndicators")
            .WithSummary("The indicator catalogue: code, kind (environmental, socioEconomic), default unit, labels in English and Chinese.");

        var group = app.MapGroup("/api/projects/{id:guid}/targets")
            .WithApiTag("Targets", "SMART restoration targets (C3): the indicator catalogue and each project's environmental and socio-economic targets.")
            .RequireAuthorization(Policies.ReadProjects)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        group.MapGet("/", ListAsync).WithName("ListTargets")
            .WithSummary("The project's targets, oldest first, each with its sentence and whether it is complete now.")
            .Produces<TargetListDto>().ProducesProblem(404);

        group.MapPost("/", AddAsync).WithName("AddTarget")
            .WithSummary("Adds a target; 400 names each broken rule by its field (baseline, quantity, deadline within the lifespan, indicator, sites).")
            .Produces<TargetDto>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(404).ProducesProblem(409).ProducesProblem(422);

        group.MapPut("/{targetId:guid}", UpdateAsync).WithName("UpdateTarget").WithSummary("Changes a target; the same rules as adding one.")
            .Produces<TargetDto>().ProducesValidationProblem().ProducesProblem(404).ProducesProblem(409).ProducesProblem(422);

        group.MapDelete("/{targetId:guid}", RemoveAsync).WithName("RemoveTarget").WithSummary("Removes a target (?expectedVersion=).")
            .Produces<TargetRemovedDto>().ProducesValidationProblem().ProducesProblem(404).ProducesProblem(409).ProducesProblem(422);
        return app;
    }

    private static async Task<IResult> ListAsync(Guid id, ProjectReader reader, TargetReader targets, ClaimsPrincipal user, CancellationToken ct)
    {
        var read = await reader.ReadAsync(id, user, ct);
        if (!read.Ok)
            return read.Refusal;
        var views = await targets.ListAsync(read.Project, ct);
        return TypedResults.Ok(new TargetListDto(read.Project.Id, read.Project.Version, [.. views.Select(v => TargetReader.ToDto(read.Project, v))]));
    }

    private static async Task<IResult> AddAsync(Guid id, TargetRequest request, ProjectCommands commands, ClaimsPrincipal user, CancellationToken ct)
    {
        var command = new AddTarget(id, request.ToInput(), request.ExpectedVersion);
        var result = await commands.ExecuteAsync(command, user, ct);
        return result.ToHttp(project =>
            TypedResults.Created($"/api/projects/{id}/targets/{command.Target!.Id}", Dto(project, command)));
    }

    private static async Task<IResult> UpdateAsync(Guid id, Guid targetId, TargetRequest request, ProjectCommands commands, ClaimsPrincipal user, CancellationToken ct)
    {
        var command = new UpdateTarget(id, targetId, request.ToInput(), request.ExpectedVersion);
        var result = await commands.ExecuteAsync(command, user, ct);
        return result.ToHttp(project => TypedResults.Ok(Dto(project, command)));
    }

    private static async Task<IResult> RemoveAsync(Guid id, Guid targetId, int? expectedVersion, ProjectCommands commands, ClaimsPrincipal user, CancellationToken ct)
    {
        var result = await commands.ExecuteAsync(new RemoveTarget(id, targetId, expectedVersion), user, ct);
        return result.ToHttp(project => TypedResults.Ok(new TargetRemovedDto(id, targetId, project.Version)));
    }

    private static TargetDto Dto(Project project, TargetCommand command) =>
        TargetReader.ToDto(project, TargetReader.View(command.Target!, command.Facts!));
}

public static class TargetsFeature
{
    /// <summary>Restoration targets: the reader and the <c>planHasSmartTargets</c> guard's data.</summary>
    public static IHostApplicationBuilder AddTargets(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddScoped<TargetReader>();
        builder.Services.AddGuardDataProvider<TargetGuardDataProvider>(TargetGuardData.Targets);
        return builder;
    }
}
