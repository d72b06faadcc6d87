using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using RestorationWorkflow.Commands;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Web.Features.Projects;
using RestorationWorkflow.Web.Infrastructure;

namespace RestorationWorkflow.Web.Features.Sites;

/// <summary><c>/api/projects/{id}/sites</c>: a project's sites as GeoJSON; add, change and remove them through the command path.</summary>
public static class SiteEndpoints
{
    public const string GeoJsonMediaType = "application/geo+json";

    public static IEndpointRouteBuilder MapSites(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/projects/{id:guid}/sites")
            .WithApiTag("Sites", "A project's sites: boundaries in WGS 84 (GeoJSON), declared and geodesic areas, warnings.")
            .RequireAuthorization(RestorationWorkflow.Identity.Policies.ReadProjects)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        group.MapGet("/", ListAsync).WithName("ListSites")
            .WithSummary("The project's sites as a GeoJSON FeatureCollection (properties: id, name, ecosystemType, tenure, declaredHectares, computedHectares, warnings).")
            .Produces<SitesGeoJson>(contentType: GeoJsonMediaType).ProducesProblem(404);

        // A boundary can be megabytes of GeoJSON (a file of up to 5 MiB on the page): its upload does not wait for a turn (decision 0059).
        group.MapPost("/", AddAsync).WithName("AddSite").ExemptFromRequestLimit()
            .WithSummary("Adds a site; 400 names each bad field and where a boundary is malformed, 422 locates an overlap with another site.")
            .Produces<SiteDto>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(404).ProducesProblem(409).ProducesProblem(422);

        group.MapPut("/{siteId:guid}", UpdateAsync).WithName("UpdateSite").ExemptFromRequestLimit().WithSummary("Changes a site's fields and boundary.")
            .Produces<SiteDto>().ProducesValidationProblem().ProducesProblem(404).ProducesProblem(409).ProducesProblem(422);

        group.MapDelete("/{siteId:guid}", RemoveAsync).WithName("RemoveSite").WithSummary("Removes a site (?expectedVersion=).")
            .Produces<SiteRemovedDto>().ProducesValidationProblem().ProducesProblem(404).ProducesProblem(409).ProducesProblem(422);

        return app;
    }

    private static async Task<IResult> ListAsync(Guid id, ProjectReader reader, SiteReader sites, ClaimsPrincipal user, CancellationToken ct)
    {
        var read = await reader.ReadAsync(id, user, ct);
        if (!read.Ok)
            return read.Refusal;
        var views = await sites.ListAsync(read.Project, ct);
        return TypedResults.Json(SiteReader.ToFeatureCollection(read.Project, views), (JsonSerializerOptions?)null, GeoJsonMediaType);
    }

    private static async Task<IResult> AddAsync(Guid id, SiteRequest request, ProjectCommands commands, SiteReader sites, ClaimsPrincipal user, CancellationToken ct)
    {
        var command = new AddSite(id, request.ToInput(), request.ExpectedVersion);
        var result = await commands.ExecuteAsync(command, user, ct);
        return Answer(result, command, project =>
            TypedResults.Created($"/api/projects/{id}/sites/{command.Site!.Id}", SiteReader.ToDto(project, sites.View(project, command.Site))));
    }

    private static async Task<IResult> UpdateAsync(Guid id, Guid siteId, SiteRequest request, ProjectCommands commands, SiteReader sites, ClaimsPrincipal user, CancellationToken ct)
    {
        var command = new UpdateSite(id, siteId, request.ToInput(), request.ExpectedVersion);
        var result = await commands.ExecuteAsync(command, user, ct);
        return Answer(result, command, project => TypedResults.Ok(SiteReader.ToDto(project, sites.View(project, command.Site!))));
    }

    private static async Task<IResult> RemoveAsync(Guid id, Guid siteId, int? expectedVersion, ProjectCommands commands, ClaimsPrincipal user, CancellationToken ct)
    {
        var command = new RemoveSite(id, siteId, expectedVersion);
        var result = await commands.ExecuteAsync(command, user, ct);
        return Answer(result, command, project => TypedResults.Ok(new SiteRemovedDto(id, siteId, project.Version, project.AreaHectares)));
    }

    /// <summary>The command's answer; a refused overlap carries where it is (<c>overlaps</c>) beside <c>unmet</c>.</summary>
    private static IResult Answer(CommandResult<Project> result, SiteCommand command, Func<Project, IResult> onSuccess)
    {
        var http = result.ToHttp(onSuccess);
        if (http is ProblemHttpResult problem && command.Overlaps.Count > 0)
            problem.ProblemDetails.Extensions["overlaps"] = command.Overlaps;
        return http;
    }
}
