using System.Security.Claims;
using RestorationWorkflow.Identity;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Web.Features.Projects;
using RestorationWorkflow.Web.Infrastructure;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Web.Features.Evaluations;

public sealed record EvaluationSavedDto(EvaluationDto Evaluation, int Version);

public sealed record DecisionTakenDto(AdaptiveDecisionDto Decision, string State, string StateLabel, int Version);

public sealed record LessonSavedDto(LessonDto Lesson, int Version);

public sealed record LessonRemovedDto(Guid Id, int Version);

/// <summary>
/// Evaluation, adaptive management and lessons (D1–D3): <c>/api/projects/{id}/evaluations</c> (the cycles' evaluations,
/// <c>…/decisions</c>), <c>/api/projects/{id}/lessons</c>, and the search across projects <c>/api/lessons</c> with its CSV export.
/// </summary>
public static class EvaluationEndpoints
{
    private const string Tag = "Evaluation";
    private const string TagDescription = "Evaluation per cycle (D1), adaptive-management decisions that fire the feedback transitions (D2), lessons learned (D3).";

    public static IHostApplicationBuilder AddEvaluations(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<BenefitCategories>();
        builder.Services.AddScoped<EvaluationReader>();
        builder.Services.AddScoped<AdaptiveDecisionReader>();
        builder.Services.AddScoped<LessonSearch>();
        return builder;
    }

    public static IEndpointRouteBuilder MapEvaluations(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var project = app.MapGroup("/api/projects/{id:guid}")
            .WithApiTag(Tag, TagDescription)
            .RequireAuthorization(Policies.ReadProjects)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        project.MapGet("/evaluations", ListAsync).WithName("ListEvaluations")
            .WithSummary("The evaluations of every cycle (newest first) with their decisions, the current cycle and the decisions the project may take now.")
            .Produces<EvaluationsDto>().ProducesProblem(404);
        project.MapPost("/evaluations", RecordAsync).WithName("RecordEvaluation")
            .WithSummary("Records the evaluation of the current cycle (in Evaluation): effectiveness, impact, costs and benefits realised (A4 categories), "
                + "socio-economic outcomes, the D1 participation event at which stakeholders were consulted, unintended consequences.")
            .Produces<EvaluationSavedDto>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(404).ProducesProblem(409).ProducesProblem(422);
        project.MapPut("/evaluations/{evaluationId:guid}", ReviseAsync).WithName("ReviseEvaluation")
            .WithSummary("Revises the current cycle's evaluation; each changed field is audited old → new.")
            .Produces<EvaluationSavedDto>().ProducesValidationProblem().ProducesProblem(404).ProducesProblem(409).ProducesProblem(422);
        project.MapPost("/evaluations/decisions", DecideAsync).WithName("TakeAdaptiveDecision")
            .WithSummary("Takes the adaptive-management decision that ends the cycle (continueMonitoring, adjustImplementation, revisePlan, "
                + "revisitEnablingEnvironment, reassess, close) with its rationale: fires the matching transition with its roles, guards and gate.")
            .Produces<DecisionTakenDto>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(404).ProducesProblem(409).ProducesProblem(422);

        project.MapGet("/lessons", ProjectLessonsAsync).WithName("ListProjectLessons")
            .WithSummary("The project's lessons learned, newest first.").Produces<PagedResult<LessonDto>>().ProducesProblem(404);
        project.MapPost("/lessons", AddLessonAsync).WithName("AddLesson")
            .WithSummary("Adds a lesson learned: topic (planning, funding, implementation, monitoring), whatWorked, whatDidNot, recommendation.")
            .Produces<LessonSavedDto>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(404).ProducesProblem(409);
        project.MapPut("/lessons/{lessonId:guid}", UpdateLessonAsync).WithName("UpdateLesson")
            .WithSummary("Changes a lesson; each changed field is audited old → new.")
            .Produces<LessonSavedDto>().ProducesValidationProblem().ProducesProblem(404).ProducesProblem(409);
        project.MapDelete("/lessons/{lessonId:guid}", RemoveLessonAsync).WithName("RemoveLesson")
            .WithSummary("Removes a lesson (?expectedVersion=).")
            .Produces<LessonRemovedDto>().ProducesValidationProblem().ProducesProblem(404).ProducesProblem(409);

        var lessons = app.MapGroup("/api/lessons")
            .WithApiTag(Tag, TagDescription)
            .RequireAuthorization(Policies.ReadProjects)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        lessons.MapGet("", SearchAsync).WithName("SearchLessons")
            .WithSummary("Lessons across every project the caller may read: q (text in the lesson or the project's name or code), topic, country; newest first.")
            .Produces<PagedResult<LessonDto>>().ProducesValidationProblem();
        lessons.MapGet("/export", ExportAsync).WithName("ExportLessons")
            .WithSummary("The same search as CSV (UTF-8 with a byte order mark): projectCode, projectName, country, topic, whatWorked, whatDidNot, recommendation, recordedOn.")
            .Produces<string>(StatusCodes.Status200OK, "text/csv").ProducesValidationProblem();
        return app;
    }

    private static async Task<IResult> ListAsync(Guid id, ProjectReader reader, EvaluationReader evaluations, ClaimsPrincipal user, CancellationToken ct)
    {
        var read = await reader.ReadAsync(id, user, ct);
        return read.Ok ? TypedResults.Ok(await evaluations.ReadAsync(read.Project, ct)) : read.Refusal;
    }

    private static Task<IResult> RecordAsync(Guid id, EvaluationRequest request, ProjectCommands commands, EvaluationReader evaluations, ClaimsPrincipal user, CancellationToken ct) =>
        SaveAsync(id, null, request, commands, evaluations, user, ct);

    private static Task<IResult> ReviseAsync(Guid id, Guid evaluationId, EvaluationRequest request, ProjectCommands commands, EvaluationReader evaluations,
        ClaimsPrincipal user, CancellationToken ct) =>
        SaveAsync(id, evaluationId, request, commands, evaluations, user, ct);

    private static async Task<IResult> SaveAsync(Guid id, Guid? evaluationId, EvaluationRequest request, ProjectCommands commands, EvaluationReader evaluations,
        ClaimsPrincipal user, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var command = new RecordEvaluation(id, evaluationId, request);
        var result = await commands.ExecuteAsync(command, user, ct);
        if (!result.Succeeded)
            return result.ToHttp(_ => TypedResults.Ok());
        var read = await evaluations.ReadAsync(result.Value!, ct);
        var saved = new EvaluationSavedDto(read.Evaluations.Single(e => e.Id == command.Evaluation!.Id), result.Value!.Version);
        return command.Created ? TypedResults.Created($"/api/projects/{id}/evaluations/{command.Evaluation!.Id}", saved) : TypedResults.Ok(saved);
    }

    private static async Task<IResult> DecideAsync(Guid id, AdaptiveDecisionRequest request, ProjectCommands commands, EvaluationReader evaluations, WorkflowCatalog catalog,
        ClaimsPrincipal user, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var command = new TakeAdaptiveDecision(id, request);
        var result = await commands.ExecuteAsync(command, user, ct);
        if (!result.Succeeded)
            return result.ToHttp(_ => TypedResults.Ok());
        var project = result.Value!;
        var read = await evaluations.ReadAsync(project, ct);
        var label = catalog.DefinitionOf(project).GetState(project.State).Label.For(System.Globalization.CultureInfo.CurrentUICulture);
        return TypedResults.Created($"/api/projects/{id}/evaluations",
            new DecisionTakenDto(read.Decisions.Single(d => d.Id == command.Decision!.Id), project.State, label, project.Version));
    }

    private static async Task<IResult> ProjectLessonsAsync(Guid id, int? page, int? pageSize, ProjectReader reader, LessonSearch search, ClaimsPrincipal user, CancellationToken ct)
    {
        var read = await reader.ReadAsync(id, user, ct);
        if (!read.Ok)
            return read.Refusal;
        var query = new LessonQuery(null, null, null, id, page, pageSize);
        var errors = query.Validate();
        return errors.Count > 0
            ? TypedResults.ValidationProblem(errors, title: "The request is not valid.")
            : TypedResults.Ok(await search.SearchAsync(query, user, ct));
    }

    private static async Task<IResult> AddLessonAsync(Guid id, LessonRequest request, ProjectCommands commands, LessonSearch search, ClaimsPrincipal user, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var command = new AddLesson(id, request);
        var result = await commands.ExecuteAsync(command, user, ct);
        if (!result.Succeeded)
            return result.ToHttp(_ => TypedResults.Ok());
        return TypedResults.Created($"/api/projects/{id}/lessons/{command.Lesson!.Id}", await SavedAsync(command, result.Value!, search, user, ct));
    }

    private static async Task<IResult> UpdateLessonAsync(Guid id, Guid lessonId, LessonRequest request, ProjectCommands commands, LessonSearch search, ClaimsPrincipal user, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var command = new UpdateLesson(id, lessonId, request);
        var result = await commands.ExecuteAsync(command, user, ct);
        if (!result.Succeeded)
            return result.ToHttp(_ => TypedResults.Ok());
        return TypedResults.Ok(await SavedAsync(command, result.Value!, search, user, ct));
    }

    private static async Task<LessonSavedDto> SavedAsync(LessonCommand command, Project project, LessonSearch search, ClaimsPrincipal user, CancellationToken ct)
    {
        var page = await search.SearchAsync(new LessonQuery(null, null, null, project.Id, 1, LessonQuery.MaxPageSize), user, ct);
        return new LessonSavedDto(page.Items.Single(l => l.Id == command.Lesson!.Id), project.Version);
    }

    private static async Task<IResult> RemoveLessonAsync(Guid id, Guid lessonId, int? expectedVersion, ProjectCommands commands, ClaimsPrincipal user, CancellationToken ct)
    {
        var result = await commands.ExecuteAsync(new RemoveLesson(id, lessonId, expectedVersion), user, ct);
        return result.ToHttp(project => TypedResults.Ok(new LessonRemovedDto(lessonId, project.Version)));
    }

    private static async Task<IResult> SearchAsync(string? q, string? topic, string? country, int? page, int? pageSize, LessonSearch search, ClaimsPrincipal user, CancellationToken ct)
    {
        var query = new LessonQuery(q, topic, country, null, page, pageSize);
        var errors = query.Validate();
        return errors.Count > 0
            ? TypedResults.ValidationProblem(errors, title: "The request is not valid.")
            : TypedResults.Ok(await search.SearchAsync(query, user, ct));
    }

    private static async Task<IResult> ExportAsync(string? q, string? topic, string? country, LessonSearch search, ClaimsPrincipal user, CancellationToken ct)
    {
        var query = new LessonQuery(q, topic, country);
        var errors = query.Validate();
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors, title: "The request is not valid.");
        return TypedResults.File(LessonSearch.Csv(await search.AllAsync(query, user, ct)), "text/csv; charset=utf-8", "lessons.csv");
    }
}
