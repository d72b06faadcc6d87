using System.Security.Claims;
using RestorationWorkflow.Identity;
using RestorationWorkflow.Projects.Safeguards;
using RestorationWorkflow.Web.Features.Projects;
using RestorationWorkflow.Web.Infrastructure;

namespace RestorationWorkflow.Web.Features.Safeguards;

/// <summary>
/// <c>/api/projects/{id}/safeguards</c> (the review of Appendix I, its findings and their acknowledgement) and
/// <c>/api/projects/{id}/species</c> (the species to plant or reintroduce), all writes through the project command path.
/// </summary>
public static class SafeguardEndpoints
{
    public static IEndpointRouteBuilder MapSafeguards(this IEndpointRouteBuilder app)
    {
        var safeguards = app.MapGroup("/api/projects/{id:guid}/safeguards")
            .WithApiTag("Safeguards", "The Appendix I safeguard review: nine answers beside the seed's text, the planting questions, the findings the app derives and their acknowledgement.")
            .RequireAuthorization(Policies.ReadProjects)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        safeguards.MapGet("/", GetReviewAsync).WithName("GetSafeguardReview")
            .WithSummary("The nine safeguards with the seed's text in en and zh-Hans and the project's answers, the planting questions and the count of open blocking findings.")
            .Produces<SafeguardReviewDto>().ProducesProblem(404);
        safeguards.MapPut("/", PutReviewAsync).WithName("UpdateSafeguardReview")
            .WithSummary("Replaces the review: answers [{number 1–9, answer addressed|notApplicable|notYet, note}], plansPlantingOrAfforestation, plantingJustification, expectedVersion.")
            .Produces<SafeguardReviewDto>().ProducesValidationProblem().ProducesProblem(404).ProducesProblem(409).ProducesProblem(422);
        safeguards.MapGet("/findings", GetFindingsAsync).WithName("ListSafeguardFindings")
            .WithSummary("The findings derived now: id, severity (blocking, warning), status (open, justified, acknowledged), the safeguard and its text.")
            .Produces<SafeguardFindingsDto>().ProducesProblem(404);
        safeguards.MapPost("/findings/{findingId}/acknowledgement", AcknowledgeAsync).WithName("AcknowledgeSafeguardFinding")
            .WithSummary("An approver outside the project's team acknowledges a justified finding {comment, expectedVersion}; a changed justification needs a new acknowledgement.")
            .Produces<SafeguardFindingDto>().ProducesValidationProblem().ProducesProblem(404).ProducesProblem(409).ProducesProblem(422);

        var species = app.MapGroup("/api/projects/{id:guid}/species")
            .WithApiTag("Safeguards", "The Appendix I safeguard review: nine answers beside the seed's text, the planting questions, the findings the app derives and their acknowledgement.")
            .RequireAuthorization(Policies.ReadProjects)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        species.MapGet("/", ListSpeciesAsync).WithName("ListSpecies")
            .WithSummary("The species to plant or reintroduce, each with the findings it raises (non-native without justification, provenance not local).")
            .Produces<SpeciesListDto>().ProducesProblem(404);
        species.MapPost("/", AddSpeciesAsync).WithName("AddSpecies")
            .WithSummary("Adds a species {scientificName, commonName, native, provenance local|regional|other|unknown, precautionaryJustification, expectedVersion}.")
            .Produces<SpeciesDto>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(404).ProducesProblem(409).ProducesProblem(422);
        species.MapPut("/{itemId:guid}", UpdateSpeciesAsync).WithName("UpdateSpecies").WithSummary("Changes a species.")
            .Produces<SpeciesDto>().ProducesValidationProblem().ProducesProblem(404).ProducesProblem(409).ProducesProblem(422);
        species.MapDelete("/{itemId:guid}", RemoveSpeciesAsync).WithName("RemoveSpecies").WithSummary("Removes a species (?expectedVersion=).")
            .Produces<SpeciesRemovedDto>().ProducesValidationProblem().ProducesProblem(404).ProducesProblem(409).ProducesProblem(422);
        return app;
    }

    private static async Task<IResult> GetReviewAsync(Guid id, ProjectReader reader, SafeguardReader safeguards, ClaimsPrincipal user, CancellationToken ct)
    {
        var read = await reader.ReadAsync(id, user, ct);
        return read.Ok ? TypedResults.Ok(await safeguards.ReviewAsync(read.Project, ct)) : read.Refusal;
    }

    private static async Task<IResult> PutReviewAsync(Guid id, SafeguardReviewRequest request, ProjectCommands commands, SafeguardReader safeguards, ClaimsPrincipal user, CancellationToken ct)
    {
        var result = await commands.ExecuteAsync(new UpdateSafeguardReview(id, request), user, ct);
        return result.Succeeded ? TypedResults.Ok(await safeguards.ReviewAsync(result.Value!, ct)) : result.ToHttp(_ => TypedResults.Ok());
    }

    private static async Task<IResult> GetFindingsAsync(Guid id, ProjectReader reader, SafeguardReader safeguards, ClaimsPrincipal user, CancellationToken ct)
    {
        var read = await reader.ReadAsync(id, user, ct);
        return read.Ok ? TypedResults.Ok(SafeguardReader.ToDto(read.Project, await safeguards.FindingsAsync(read.Project, ct))) : read.Refusal;
    }

    private static async Task<IResult> AcknowledgeAsync(Guid id, string findingId, AcknowledgementRequest request, ProjectCommands commands,
        ClaimsPrincipal user, CancellationToken ct)
    {
        var command = new AcknowledgeFinding(id, findingId, request);
        var result = await commands.ExecuteAsync(command, user, ct);
        return result.ToHttp(_ => TypedResults.Ok(SafeguardReader.ToDto(command.Finding!)));
    }

    private static async Task<IResult> ListSpeciesAsync(Guid id, ProjectReader reader, SafeguardReader safeguards, ClaimsPrincipal user, CancellationToken ct)
    {
        var read = await reader.ReadAsync(id, user, ct);
        if (!read.Ok)
            return read.Refusal;
        var facts = await safeguards.FactsAsync(read.Project, ct);
        var findings = SafeguardRules.Findings(facts);
        return TypedResults.Ok(new SpeciesListDto(id, read.Project.Version, [.. facts.Species.Select(s => SafeguardReader.ToDto(read.Project, s, findings))]));
    }

    private static async Task<IResult> AddSpeciesAsync(Guid id, SpeciesRequest request, ProjectCommands commands, SafeguardReader safeguards, ClaimsPrincipal user, CancellationToken ct)
    {
        var command = new AddSpecies(id, request.ToInput(), request.ExpectedVersion);
        var result = await commands.ExecuteAsync(command, user, ct);
        if (!result.Succeeded)
            return result.ToHttp(_ => TypedResults.Ok());
        var dto = SafeguardReader.ToDto(result.Value!, command.Species!, await safeguards.FindingsAsync(result.Value!, ct));
        return TypedResults.Created($"/api/projects/{id}/species/{command.Species!.Id}", dto);
    }

    private static async Task<IResult> UpdateSpeciesAsync(Guid id, Guid itemId, SpeciesRequest request, ProjectCommands commands, SafeguardReader safeguards, ClaimsPrincipal user, CancellationToken ct)
    {
        var command = new UpdateSpecies(id, itemId, request.ToInput(), request.ExpectedVersion);
        var result = await commands.ExecuteAsync(command, user, ct);
        if (!result.Succeeded)
            return result.ToHttp(_ => TypedResults.Ok());
        return TypedResults.Ok(SafeguardReader.ToDto(result.Value!, command.Species!, await safeguards.FindingsAsync(result.Value!, ct)));
    }

    private static async Task<IResult> RemoveSpeciesAsync(Guid id, Guid itemId, int? expectedVersion, ProjectCommands commands, ClaimsPrincipal user, CancellationToken ct)
    {
        var result = await commands.ExecuteAsync(new RemoveSpecies(id, itemId, expectedVersion), user, ct);
        return result.ToHttp(project => TypedResults.Ok(new SpeciesRemovedDto(id, itemId, project.Version)));
    }
}
