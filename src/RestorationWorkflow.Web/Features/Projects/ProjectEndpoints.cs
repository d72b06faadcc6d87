using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.Audit;
using RestorationWorkflow.Data;
using RestorationWorkflow.Identity;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Web.Features.Projects;

/// <summary><c>/api/projects</c>: the registry, the checklist, transitions, history and the audit check.</summary>
public static class ProjectEndpoints
{
    public static IEndpointRouteBuilder MapProjectsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/projects")
            .WithTags("Projects")
            .RequireAuthorization(Policies.ReadProjects)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        group.MapPost("/", CreateAsync)
            .RequireAuthorization(Policies.CreateProjects)
            .WithName("CreateProject").WithSummary("Creates a project in the default workflow's initial state.")
            .ProducesValidationProblem();

        group.MapGet("/", ListAsync).WithName("ListProjects").WithSummary("Lists projects; filter by state, step (A–D or A1…D3) and text.");

        group.MapGet("/{id:guid}", GetAsync).WithName("GetProject").WithSummary("One project.").ProducesProblem(404);

        group.MapGet("/{id:guid}/checklist", GetChecklistAsync).WithName("GetChecklist").WithSummary("The project's STAPER step checklist.").ProducesProblem(404);

        group.MapPut("/{id:guid}/checklist/{code}", UpdateChecklistAsync)
            .WithName("UpdateChecklistItem").WithSummary("Sets one step to open, done or notApplicable (with a reason).")
            .ProducesValidationProblem().ProducesProblem(404).ProducesProblem(409).ProducesProblem(422);

        group.MapGet("/{id:guid}/transitions", GetTransitionsAsync)
            .WithName("GetTransitions").WithSummary("Every transition leaving the current state, evaluated for the caller.").ProducesProblem(404);

        group.MapPost("/{id:guid}/transitions", FireAsync)
            .WithName("FireTransition").WithSummary("Fires a transition; 409 on a stale version, 422 listing every unmet guard.")
            .ProducesValidationProblem().ProducesProblem(404).ProducesProblem(409).ProducesProblem(422);

        group.MapPost("/{id:guid}/members", AddManagerAsync)
            .WithName("AddProjectManager").WithSummary("Adds a project manager to the project's team.")
            .ProducesValidationProblem().ProducesProblem(404).ProducesProblem(409);

        group.MapGet("/{id:guid}/history", HistoryAsync).WithName("GetProjectHistory").WithSummary("The project's audit events, oldest first.").ProducesProblem(404);

        group.MapGet("/{id:guid}/audit/verify", VerifyAsync)
            .WithName("VerifyAuditChain").WithSummary("Recomputes the SHA-256 chain and names the first broken link.").ProducesProblem(404);

        group.MapGet("/{id:guid}/diagram", DiagramAsync)
            .WithName("GetProjectDiagram").WithSummary("Mermaid state diagram of the project's workflow with the current state highlighted.")
            .Produces<string>(contentType: "text/plain").ProducesProblem(404);

        return app;
    }

    private static async Task<IResult> CreateAsync(CreateProjectRequest request, ProjectService service, ClaimsPrincipal user, CancellationToken ct)
    {
        var result = await service.CreateAsync(request, user, ct);
        return result.ToHttp(project => TypedResults.Created($"/api/projects/{project.Id}", new
        {
            id = project.Id,
            name = project.Name,
            state = project.State,
            version = project.Version,
            workflow = new WorkflowRef(project.WorkflowId, project.WorkflowVersion),
        }));
    }

    private static async Task<Ok<PagedResult<ProjectListItem>>> ListAsync(
        AppDbContext db, WorkflowCatalog catalog, string? state, string? step, string? q, int? page, int? pageSize, CancellationToken ct)
    {
        var size = Math.Clamp(pageSize ?? 25, 1, 200);
        var number = Math.Max(page ?? 1, 1);
        var query = ProjectQueries.Filter(db.Projects.AsNoTracking(), catalog, state, step, q);
        var total = await query.CountAsync(ct);
        var rows = await query.OrderByDescending(p => p.UpdatedAt).ThenBy(p => p.Name)
            .Skip((number - 1) * size).Take(size).ToListAsync(ct);
        var culture = CultureInfo.CurrentUICulture;
        var items = rows.Select(p =>
        {
            var s = catalog.Find(p.WorkflowId, p.WorkflowVersion)?.FindState(p.State);
            return new ProjectListItem(p.Id, p.Name, p.Country, p.State, s?.Label.For(culture) ?? p.State, s?.Group ?? "none", p.Version,
                new WorkflowRef(p.WorkflowId, p.WorkflowVersion), p.UpdatedAt);
        }).ToList();
        return TypedResults.Ok(new PagedResult<ProjectListItem>(items, number, size, total));
    }

    private static async Task<IResult> GetAsync(Guid id, ProjectService service, AppDbContext db, IAuthorizationService authorization, ClaimsPrincipal user, CancellationToken ct)
    {
        var read = await ReadableAsync(id, service, authorization, user, ct);
        if (!read.Ok)
            return read.Refusal;
        var project = read.Project;
        return TypedResults.Ok(await ProjectQueries.ToDtoAsync(project, service.DefinitionOf(project), db, ct));
    }

    private static async Task<IResult> GetChecklistAsync(Guid id, ProjectService service, AppDbContext db, IAuthorizationService authorization, ClaimsPrincipal user, CancellationToken ct)
    {
        var read = await ReadableAsync(id, service, authorization, user, ct);
        if (!read.Ok)
            return read.Refusal;
        var project = read.Project;
        var names = await ProjectQueries.UserNamesAsync(db, project.Checklist.Select(i => i.UpdatedById), ct);
        var items = project.Checklist.OrderBy(i => i.Code, StringComparer.Ordinal).Select(i => ProjectMapping.ToDto(i, names)).ToList();
        return TypedResults.Ok(new ChecklistDto(project.Id, project.Version, items));
    }

    private static async Task<IResult> UpdateChecklistAsync(Guid id, string code, UpdateChecklistRequest request, ProjectService service, ClaimsPrincipal user, CancellationToken ct)
    {
        var result = await service.UpdateChecklistAsync(id, code, request, user, ct);
        return result.ToHttp(project =>
        {
            var item = project.FindChecklistItem(code)!;
            return TypedResults.Ok(new
            {
                projectId = project.Id,
                version = project.Version,
                item = new { code = item.Code, status = ProjectMapping.Status(item.Status), note = item.Note, updatedAt = item.UpdatedAt },
            });
        });
    }

    private static async Task<IResult> GetTransitionsAsync(Guid id, ProjectService service, IAuthorizationService authorization, ClaimsPrincipal user, CancellationToken ct)
    {
        var read = await ReadableAsync(id, service, authorization, user, ct);
        if (!read.Ok)
            return read.Refusal;
        var project = read.Project;
        var transitions = service.EvaluateTransitions(project, user).Select(ProjectMapping.ToDto).ToList();
        return TypedResults.Ok(new TransitionsDto(project.Id, project.State, project.Version, transitions));
    }

    private static async Task<IResult> FireAsync(Guid id, FireTransitionRequest request, ProjectService service, ClaimsPrincipal user, CancellationToken ct)
    {
        var result = await service.FireAsync(id, request, user, ct);
        return result.ToHttp(project => TypedResults.Ok(new TransitionResultDto(project.Id, project.State, project.Version)));
    }

    private static async Task<IResult> AddManagerAsync(Guid id, AddMemberRequest request, ProjectService service, AppDbContext db, ClaimsPrincipal user, CancellationToken ct)
    {
        var result = await service.AddManagerAsync(id, request, user, ct);
        if (!result.Succeeded)
            return result.ToHttp(_ => TypedResults.Ok());
        return TypedResults.Ok(await ProjectQueries.ToDtoAsync(result.Value!, service.DefinitionOf(result.Value!), db, ct));
    }

    private static async Task<IResult> HistoryAsync(Guid id, AppDbContext db, ProjectService service, IAuthorizationService authorization, ClaimsPrincipal user, CancellationToken ct)
    {
        var read = await ReadableAsync(id, service, authorization, user, ct);
        if (!read.Ok)
            return read.Refusal;
        var project = read.Project;
        var events = await db.AuditEvents.AsNoTracking().Where(e => e.ProjectId == id).OrderBy(e => e.Sequence).ToListAsync(ct);
        return TypedResults.Ok(events.Select(ProjectMapping.ToDto).ToList());
    }

    private static async Task<IResult> VerifyAsync(Guid id, AppDbContext db, ProjectService service, IAuthorizationService authorization, ClaimsPrincipal user, CancellationToken ct)
    {
        var read = await ReadableAsync(id, service, authorization, user, ct);
        if (!read.Ok)
            return read.Refusal;
        var project = read.Project;
        var events = await db.AuditEvents.AsNoTracking().Where(e => e.ProjectId == id).OrderBy(e => e.Sequence).ToListAsync(ct);
        var broken = AuditChain.Verify(events, project.AuditSequence, project.AuditHead);
        return TypedResults.Ok(new AuditVerificationDto(id, broken is null, events.Count, broken?.EventId, broken?.Sequence, broken?.Reason));
    }

    private static async Task<IResult> DiagramAsync(Guid id, ProjectService service, IAuthorizationService authorization, ClaimsPrincipal user, CancellationToken ct)
    {
        var read = await ReadableAsync(id, service, authorization, user, ct);
        if (!read.Ok)
            return read.Refusal;
        var project = read.Project;
        var definition = service.DefinitionOf(project);
        return TypedResults.Text(MermaidDiagram.Render(definition, project.State, CultureInfo.CurrentUICulture), "text/plain; charset=utf-8");
    }

    /// <summary>The project with what its guards read, or the 404/403 answer when the caller may not read it.</summary>
    private static async Task<Readable> ReadableAsync(
        Guid id, ProjectService service, IAuthorizationService authorization, ClaimsPrincipal user, CancellationToken ct)
    {
        var project = await service.LoadAsync(id, tracking: false, ct);
        if (project is null)
            return new Readable(null, NotFound(id));
        if (!(await authorization.AuthorizeAsync(user, project, ProjectOperations.Read)).Succeeded)
            return new Readable(null, TypedResults.Forbid());
        return new Readable(project, null);
    }

    private sealed record Readable(Project? Project, IResult? Refusal)
    {
        [System.Diagnostics.CodeAnalysis.MemberNotNullWhen(true, nameof(Project))]
        [System.Diagnostics.CodeAnalysis.MemberNotNullWhen(false, nameof(Refusal))]
        public bool Ok => Project is not null;
    }

    private static ProblemHttpResult NotFound(Guid id) =>
        TypedResults.Problem(statusCode: 404, title: "Not found.", detail: $"No project has the id {id}.");
}

/// <summary>Read-side queries shared by the API and the pages.</summary>
public static class ProjectQueries
{
    public static IQueryable<Project> Filter(IQueryable<Project> query, WorkflowCatalog catalog, string? state, string? step, string? q)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        if (!string.IsNullOrWhiteSpace(state))
            query = query.Where(p => p.State == state);
        if (!string.IsNullOrWhiteSpace(step))
        {
            var states = catalog.All
                .SelectMany(d => d.States)
                .Where(s => s.Group == step || s.Steps.Contains(step))
                .Select(s => s.Code)
                .Distinct()
                .ToList();
            query = query.Where(p => states.Contains(p.State));
        }
        if (!string.IsNullOrWhiteSpace(q))
        {
            // LIKE is case-insensitive for ASCII on SQLite and under SQL Server's default collation.
            var pattern = "%" + q.Trim().Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%";
            var country = q.Trim().ToUpperInvariant();
            query = query.Where(p => EF.Functions.Like(p.Name, pattern, "\\") || EF.Functions.Like(p.Description, pattern, "\\") || p.Country == country);
        }
        return query;
    }

    public static async Task<IReadOnlyDictionary<string, string>> UserNamesAsync(AppDbContext db, IEnumerable<string?> ids, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var wanted = ids.Where(i => i is not null).Select(i => i!).Distinct().ToList();
        if (wanted.Count == 0)
            return new Dictionary<string, string>();
        return await db.Users.AsNoTracking().Where(u => wanted.Contains(u.Id))
            .ToDictionaryAsync(u => u.Id, u => string.IsNullOrEmpty(u.DisplayName) ? u.Email ?? u.Id : u.DisplayName, ct);
    }

    public static async Task<ProjectDto> ToDtoAsync(Project project, WorkflowDefinition definition, AppDbContext db, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(definition);
        var names = await UserNamesAsync(db, project.Members.Select(m => m.UserId), ct);
        var state = definition.GetState(project.State);
        return new ProjectDto(project.Id, project.Name, project.Description, project.Country, project.EcosystemTypes, project.AreaHectares,
            project.State, state.Label.For(CultureInfo.CurrentUICulture), state.Group, project.StateBeforeSuspension, project.Version,
            new WorkflowRef(project.WorkflowId, project.WorkflowVersion), project.CreatedAt, project.UpdatedAt,
            [.. project.Members.Select(m => new PersonDto(m.UserId, names.GetValueOrDefault(m.UserId, m.UserId)))]);
    }
}
