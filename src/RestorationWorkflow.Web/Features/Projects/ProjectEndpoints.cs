using Microsoft.AspNetCore.Authorization;
using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.Data;
using RestorationWorkflow.Forms;
using RestorationWorkflow.Identity;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Web.Features.Identity;
using RestorationWorkflow.Web.Infrastructure;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Web.Features.Projects;

/// <summary><c>/api/projects</c>: the registry, the checklist, transitions, the team and the diagram.</summary>
public static class ProjectEndpoints
{
    public static IEndpointRouteBuilder MapProjects(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/projects")
            .WithApiTag("Projects", "The project registry, the STAPER step checklist, workflow transitions, the team and the state diagram.")
            .RequireAuthorization(Policies.ReadProjects)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        group.MapPost("/", CreateAsync)
            .RequireAuthorization(Policies.CreateProjects)
            .WithName("CreateProject").WithSummary("Creates a project in the default workflow's initial state.")
            .Produces<ProjectCreatedDto>(StatusCodes.Status201Created).ProducesValidationProblem();

        group.MapGet("/", ListAsync).WithName("ListProjects")
            .WithSummary("Lists projects; filter by text (q), country, ecosystemType, step (A–D or A1…D3), state, situation, start date (startFrom, startTo), a site's ecosystem type (siteEcosystemType), an overdue due item's kind (overdue), a target's status (targetStatus), the sites under restoration (underRestoration=true) and your own (mine=true); sort by name, code, updated, country or state (order asc or desc); page.");

        group.MapGet("/{id:guid}", GetAsync).WithName("GetProject").WithSummary("One project.").Produces<ProjectDto>().ProducesProblem(404);

        group.MapPut("/{id:guid}", UpdateAsync)
            .WithName("UpdateProject").WithSummary("Replaces the registry fields (a field left out is cleared); 409 on a stale version, 422 when the code is another project's or the project is frozen.")
            .Produces<ProjectDto>().ProducesValidationProblem().ProducesProblem(404).ProducesProblem(409).ProducesProblem(422);

        group.MapPost("/{id:guid}/team", AddTeamMemberAsync)
            .WithName("AddTeamMember").WithSummary("Puts a person on the team as manager or member (one role each); administrators and the project's managers.")
            .Produces<ProjectDto>().ProducesValidationProblem().ProducesProblem(404).ProducesProblem(409).ProducesProblem(422);

        group.MapDelete("/{id:guid}/team/{userId}", RemoveTeamMemberAsync)
            .WithName("RemoveTeamMember").WithSummary("Takes a person off the team (?expectedVersion=); the last manager stays (422).")
            .Produces<ProjectDto>().ProducesValidationProblem().ProducesProblem(404).ProducesProblem(409).ProducesProblem(422);

        group.MapGet("/{id:guid}/checklist", GetChecklistAsync).WithName("GetChecklist").WithSummary("The project's STAPER step checklist.")
            .Produces<ChecklistDto>().ProducesProblem(404);

        group.MapPut("/{id:guid}/checklist/{code}", UpdateChecklistAsync)
            .WithName("UpdateChecklistItem").WithSummary("Sets one step to open, done or notApplicable (with a reason).")
            .Produces<ChecklistItemUpdatedDto>().ProducesValidationProblem().ProducesProblem(404).ProducesProblem(409).ProducesProblem(422);

        group.MapGet("/{id:guid}/transitions", GetTransitionsAsync)
            .WithName("GetTransitions").WithSummary("Every transition leaving the current state, evaluated for the caller.")
            .Produces<TransitionsDto>().ProducesProblem(404);

        group.MapPost("/{id:guid}/transitions", FireAsync)
            .WithName("FireTransition").WithSummary("Fires a transition: the new state and version, and the approval request a submission to a review opened (created); 409 on a stale version, 422 listing every unmet guard.")
            .Produces<TransitionResultDto>().ProducesValidationProblem().ProducesProblem(404).ProducesProblem(409).ProducesProblem(422);

        group.MapPost("/{id:guid}/members", AddManagerAsync)
            .WithName("AddProjectManager").WithSummary("Adds a project manager to the project's team.")
            .Produces<ProjectDto>().ProducesValidationProblem().ProducesProblem(404).ProducesProblem(409).ProducesProblem(422);

        group.MapGet("/{id:guid}/diagram", DiagramAsync)
            .WithName("GetProjectDiagram").WithSummary("Mermaid state diagram of the project's workflow with the current state highlighted.")
            .Produces<string>(contentType: "text/plain").ProducesProblem(404);

        return app;
    }

    private static async Task<IResult> CreateAsync(CreateProjectRequest request, ProjectCommands commands, IConfiguration configuration, ClaimsPrincipal user, CancellationToken ct)
    {
        var result = await commands.CreateAsync(new CreateProject(request, configuration["Workflows:Default"] ?? CreateProject.DefaultWorkflowId), user, ct);
        return result.ToHttp(project => TypedResults.Created($"/api/projects/{project.Id}",
            new ProjectCreatedDto(project.Id, project.Name, project.State, project.Version, new WorkflowRef(project.WorkflowId, project.WorkflowVersion))));
    }

    /// <summary>The largest <c>page</c> of <c>GET /api/projects</c>; with <see cref="MaxPageSize"/> it keeps every offset far below <see cref="int.MaxValue"/>.</summary>
    public const int MaxPage = 100_000;

    /// <summary>The largest <c>pageSize</c> of <c>GET /api/projects</c>.</summary>
    public const int MaxPageSize = 200;

    private static async Task<Results<Ok<PagedResult<ProjectListItem>>, ValidationProblem>> ListAsync(
        ProjectFilters filters, WorkflowCatalog catalog, ClaimsPrincipal user, string? q, string? country, string? ecosystemType, string? step, string? state, string? situation,
        string? sort, string? order, int? page, int? pageSize, string? startFrom, string? startTo, string? siteEcosystemType, string? overdue,
        string? targetStatus, bool? mine, bool? underRestoration, CancellationToken ct)
    {
        var size = pageSize ?? 25;
        var number = page ?? 1;
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (number is < 1 or > MaxPage)
            errors["page"] = [$"The page must be between 1 and {MaxPage}."];
        if (size is < 1 or > MaxPageSize)
            errors["pageSize"] = [$"The page size must be between 1 and {MaxPageSize}."];
        var search = new ProjectSearch(q, country, ecosystemType, step, state, situation, sort, order)
        {
            StartFrom = startFrom, StartTo = startTo, SiteEcosystemType = siteEcosystemType, Overdue = overdue, TargetStatus = targetStatus, Mine = mine ?? false,
            UnderRestoration = underRestoration ?? false,
        };
        search.Validate(catalog, errors);
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors, title: "The request is not valid.");
        var offset = checked((int)((long)(number - 1) * size));
        var filtered = await filters.ApplyAsync(search, user, ct);
        var total = await filtered.CountAsync(ct);
        // Only the listed columns, not the whole row (the registry, the audit head, the site areas).
        var rows = await search.Sorted(filtered).Skip(offset).Take(size)
            .Select(p => new { p.Id, p.Name, p.Country, p.State, p.Version, p.WorkflowId, p.WorkflowVersion, p.UpdatedAt, p.Code, p.Situation, p.EcosystemTypes })
            .ToListAsync(ct);
        var culture = CultureInfo.CurrentUICulture;
        var items = rows.Select(p =>
        {
            var s = catalog.Find(p.WorkflowId, p.WorkflowVersion)?.FindState(p.State);
            return new ProjectListItem(p.Id, p.Name, p.Country, p.State, s?.Label.For(culture) ?? p.State, s?.Group ?? "none", p.Version,
                new WorkflowRef(p.WorkflowId, p.WorkflowVersion), p.UpdatedAt, p.Code, p.Situation, p.EcosystemTypes);
        }).ToList();
        return TypedResults.Ok(new PagedResult<ProjectListItem>(items, number, size, total));
    }

    private static async Task<IResult> GetAsync(Guid id, ProjectStore store, IAuthorizationService authorization, WorkflowCatalog catalog, ClaimsPrincipal user, CancellationToken ct)
    {
        // One query (the row and the team's names): the hot read path.
        var found = await store.FindWithTeamAsync(id, ct);
        if (found is null)
            return ProjectReader.NotFound(id);
        if (!(await authorization.AuthorizeAsync(user, found.Project, ProjectOperations.Read)).Succeeded)
            return TypedResults.Forbid();
        return TypedResults.Ok(ProjectQueries.ToDto(found.Project, catalog.DefinitionOf(found.Project), found.Team));
    }

    private static async Task<IResult> GetChecklistAsync(
        Guid id, ProjectReader reader, ProjectStore store, StepFormCatalog forms, AppDbContext db, ClaimsPrincipal user, CancellationToken ct)
    {
        var read = await reader.ReadAsync(id, user, ct);
        if (!read.Ok)
            return read.Refusal;
        var checklist = await store.ChecklistAsync(id, ct);
        var formStatuses = await store.StepFormStatusesAsync(read.Project, forms, ct);
        var names = await ProjectQueries.UserNamesAsync(db, checklist.Values.Select(i => i.UpdatedById), ct);
        var items = checklist.Values.OrderBy(i => i.Code, StringComparer.Ordinal)
            .Select(i => ProjectMapping.ToDto(i, names) with { FormStatus = formStatuses.HasForm(i.Code) ? ProjectMapping.FormStatus(formStatuses.StatusOf(i.Code)) : null })
            .ToList();
        return TypedResults.Ok(new ChecklistDto(id, read.Project.Version, items));
    }

    private static async Task<IResult> UpdateChecklistAsync(Guid id, string code, UpdateChecklistRequest request, ProjectCommands commands, ProjectStore store, ClaimsPrincipal user, CancellationToken ct)
    {
        var result = await commands.ExecuteAsync(new UpdateChecklistItem(id, code, request), user, ct);
        if (!result.Succeeded)
            return result.ToHttp(_ => TypedResults.Ok());
        var project = result.Value!;
        var item = project.FindChecklistItem(code) ?? (await store.ChecklistAsync(id, ct))[code];
        return TypedResults.Ok(new ChecklistItemUpdatedDto(project.Id, project.Version,
            new ChecklistItemChangeDto(item.Code, ProjectMapping.Status(item.Status), item.Note, item.UpdatedAt)));
    }

    private static async Task<IResult> GetTransitionsAsync(Guid id, ProjectReader reader, WorkflowCatalog catalog, TransitionEvaluator evaluator, ClaimsPrincipal user, CancellationToken ct)
    {
        var read = await reader.ReadAsync(id, user, ct);
        if (!read.Ok)
            return read.Refusal;
        var project = read.Project;
        var transitions = (await evaluator.EvaluateAllAsync(project, catalog.DefinitionOf(project), user, ct)).Select(ProjectMapping.ToDto).ToList();
        return TypedResults.Ok(new TransitionsDto(project.Id, project.State, project.Version, transitions));
    }

    private static async Task<IResult> FireAsync(Guid id, FireTransitionRequest request, ProjectCommands commands, ClaimsPrincipal user, CancellationToken ct)
    {
        var command = new FireTransition(id, request);
        var result = await commands.ExecuteAsync(command, user, ct);
        return result.ToHttp(project => TypedResults.Ok(new TransitionResultDto(project.Id, project.State, project.Version, command.CreatedAlongside)));
    }

    private static Task<IResult> AddManagerAsync(Guid id, AddMemberRequest request, ProjectCommands commands, WorkflowCatalog catalog, AppDbContext db, ClaimsPrincipal user, CancellationToken ct) =>
        RunAsync(new AddTeamMember(id, new AddTeamMemberRequest(request?.Email, "manager", request?.ExpectedVersion)), commands, catalog, db, user, ct);

    private static Task<IResult> UpdateAsync(Guid id, UpdateProjectRequest request, ProjectCommands commands, WorkflowCatalog catalog, AppDbContext db, ClaimsPrincipal user, CancellationToken ct) =>
        RunAsync(new UpdateProjectRegistry(id, request), commands, catalog, db, user, ct);

    private static Task<IResult> AddTeamMemberAsync(Guid id, AddTeamMemberRequest request, ProjectCommands commands, WorkflowCatalog catalog, AppDbContext db, ClaimsPrincipal user, CancellationToken ct) =>
        RunAsync(new AddTeamMember(id, request), commands, catalog, db, user, ct);

    private static Task<IResult> RemoveTeamMemberAsync(Guid id, string userId, int? expectedVersion, ProjectCommands commands, WorkflowCatalog catalog, AppDbContext db, ClaimsPrincipal user, CancellationToken ct) =>
        RunAsync(new RemoveTeamMember(id, userId, expectedVersion), commands, catalog, db, user, ct);

    /// <summary>Runs a command and answers the project as <c>GET</c> shows it, or the refusal.</summary>
    private static async Task<IResult> RunAsync(ProjectCommand command, ProjectCommands commands, WorkflowCatalog catalog, AppDbContext db, ClaimsPrincipal user, CancellationToken ct)
    {
        var result = await commands.ExecuteAsync(command, user, ct);
        if (!result.Succeeded)
            return result.ToHttp(_ => TypedResults.Ok());
        return TypedResults.Ok(await ProjectQueries.ToDtoAsync(result.Value!, catalog.DefinitionOf(result.Value!), db, ct));
    }

    private static async Task<IResult> DiagramAsync(Guid id, ProjectReader reader, WorkflowCatalog catalog, ClaimsPrincipal user, CancellationToken ct)
    {
        var read = await reader.ReadAsync(id, user, ct);
        if (!read.Ok)
            return read.Refusal;
        var definition = catalog.DefinitionOf(read.Project);
        return TypedResults.Text(MermaidDiagram.Render(definition, read.Project.State, CultureInfo.CurrentUICulture), "text/plain; charset=utf-8");
    }
}

/// <summary>Read-side queries shared by the API and the pages.</summary>
public static class ProjectQueries
{
    public static async Task<IReadOnlyDictionary<string, string>> UserNamesAsync(AppDbContext db, IEnumerable<string?> ids, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        return (await UserNames.OfAsync(db, ids, ct)).ToDictionary(u => u.Id, u => u.Shown);
    }

    public static async Task<ProjectDto> ToDtoAsync(Project project, WorkflowDefinition definition, AppDbContext db, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(project);
        var names = await UserNamesAsync(db, project.Members.Select(m => m.UserId), ct);
        return ToDto(project, definition, [.. project.Members.Select(m => new TeamMember(m.UserId, names.GetValueOrDefault(m.UserId), null, m.Role))]);
    }

    public static ProjectDto ToDto(Project project, WorkflowDefinition definition, IEnumerable<TeamMember> team)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(definition);
        var state = definition.GetState(project.State);
        return new ProjectDto(project.Id, project.Name, project.Description, project.Country, project.EcosystemTypes, project.AreaHectares,
            project.State, state.Label.For(CultureInfo.CurrentUICulture), state.Group, project.StateBeforeSuspension, project.Version,
            new WorkflowRef(project.WorkflowId, project.WorkflowVersion), project.CreatedAt, project.UpdatedAt,
            [.. team.Where(m => m.Role == ProjectMemberRole.Manager).OrderBy(m => m.UserId, StringComparer.Ordinal).Select(m => new PersonDto(m.UserId, m.Name))],
            project.Code, project.Region, project.Scale, project.NaturallyLowTreeCover, project.Situation, project.StartDate, project.LifespanYears,
            project.Budget, project.Currency, project.LeadOrganisation,
            [.. team.OrderBy(m => m.Role).ThenBy(m => m.UserId, StringComparer.Ordinal).Select(m => new TeamMemberDto(m.UserId, m.Name, ProjectMapping.Role(m.Role)))]);
    }
}

