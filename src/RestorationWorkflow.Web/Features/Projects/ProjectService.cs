using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.Audit;
using RestorationWorkflow.Data;
using RestorationWorkflow.Identity;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Web.Features.Identity;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Web.Features.Projects;

/// <summary>
/// The application service behind both the project pages and <c>/api/projects</c>: validation,
/// authorization, optimistic concurrency, the workflow engine and the audit trail, one SaveChanges
/// (one transaction) per command.
/// </summary>
public sealed class ProjectService(
    AppDbContext db,
    WorkflowCatalog catalog,
    WorkflowEngine engine,
    IAuthorizationService authorization,
    TimeProvider time,
    IConfiguration configuration)
{
    public const string DefaultWorkflowId = "staper-restoration";

    private const string ExpectedVersionRequired = "The project version you are changing is required (expectedVersion).";

    /// <summary>409: the caller changed an older version than the one stored.</summary>
    private static CommandResult<Project> Stale(Project project, int? expectedVersion) =>
        CommandResult<Project>.Conflict($"You changed version {expectedVersion}, but the project is at version {project.Version}.", project.Version);

    /// <summary>Loads a project with what its guards read (checklist, members); tracked for a command.</summary>
    public Task<Project?> LoadAsync(Guid id, CancellationToken ct = default) => LoadAsync(id, tracking: true, ct);

    /// <summary>Loads a project with its checklist and members; untracked for reading only.</summary>
    public Task<Project?> LoadAsync(Guid id, bool tracking, CancellationToken ct) =>
        (tracking ? LoadTracked : LoadUntracked)(db, id, ct);

    // Compiled once: the hot path of every command and page. One query (23 checklist rows × the managers)
    // costs less than three round trips.
    private static readonly Func<AppDbContext, Guid, CancellationToken, Task<Project?>> LoadTracked =
        EF.CompileAsyncQuery((AppDbContext context, Guid id, CancellationToken _) =>
            context.Projects.Include(p => p.Checklist).Include(p => p.Members).AsSingleQuery().FirstOrDefault(p => p.Id == id));

    private static readonly Func<AppDbContext, Guid, CancellationToken, Task<Project?>> LoadUntracked =
        EF.CompileAsyncQuery((AppDbContext context, Guid id, CancellationToken _) =>
            context.Projects.AsNoTracking().Include(p => p.Checklist).Include(p => p.Members).AsSingleQuery().FirstOrDefault(p => p.Id == id));

    public WorkflowDefinition DefinitionOf(Project project)
    {
        ArgumentNullException.ThrowIfNull(project);
        return catalog.Find(project.WorkflowId, project.WorkflowVersion)
            ?? throw new InvalidOperationException($"Project {project.Id} is pinned to {project.WorkflowId}@{project.WorkflowVersion}, which is not loaded.");
    }

    public async Task<CommandResult<Project>> CreateAsync(CreateProjectRequest request, ClaimsPrincipal user, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(user);
        var errors = ValidateDetails(request);
        if (errors.Count > 0)
            return CommandResult<Project>.Invalid(errors);

        var workflowId = configuration["Workflows:Default"] ?? DefaultWorkflowId;
        var definition = catalog.Latest(workflowId)
            ?? throw new InvalidOperationException($"The default workflow '{workflowId}' is not loaded.");
        var now = time.GetUtcNow();
        var caller = user.ToCaller();
        var project = Project.Create(
            new ProjectDetails(request.Name!, request.Description ?? "", request.Country!, request.EcosystemTypes ?? [], request.AreaHectares ?? 0),
            definition, caller.UserId, now);
        db.Projects.Add(project);
        var audit = NewEvent(project, caller, now, AuditActions.ProjectCreated);
        audit.ToState = project.State;
        audit.Changes = JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["name"] = new { @new = project.Name },
            ["country"] = new { @new = project.Country },
            ["ecosystemTypes"] = new { @new = project.EcosystemTypes },
            ["areaHectares"] = new { @new = project.AreaHectares },
        });
        project.AppendAudit(audit);
        db.AuditEvents.Add(audit);
        await db.SaveChangesAsync(ct);
        return CommandResult<Project>.Ok(project);
    }

    public async Task<CommandResult<Project>> UpdateChecklistAsync(Guid id, string code, UpdateChecklistRequest request, ClaimsPrincipal user, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var status = ProjectMapping.ParseStatus(request.Status);
        if (status is null)
            errors["status"] = ["Status must be one of: open, done, notApplicable."];
        if (status == ChecklistStatus.NotApplicable && string.IsNullOrWhiteSpace(request.Note))
            errors["note"] = ["A step marked not applicable needs the reason in the note."];
        if (request.Note is { Length: > 4000 })
            errors["note"] = ["The note may have at most 4000 characters."];
        if (request.ExpectedVersion is null)
            errors["expectedVersion"] = [ExpectedVersionRequired];
        if (errors.Count > 0)
            return CommandResult<Project>.Invalid(errors);

        var project = await LoadAsync(id, ct);
        if (project is null)
            return CommandResult<Project>.NotFound($"No project has the id {id}.");
        if (project.FindChecklistItem(code) is null)
            return CommandResult<Project>.NotFound($"'{code}' is not a STAPER step code (A1…D3).");
        if (!(await authorization.AuthorizeAsync(user, project, ProjectOperations.Edit)).Succeeded)
            return CommandResult<Project>.Forbidden("Only a manager of this project may change its checklist.");
        if (project.Version != request.ExpectedVersion)
            return Stale(project, request.ExpectedVersion);
        var definition = DefinitionOf(project);
        var state = definition.GetState(project.State);
        if (state.Kind is StateKind.Terminal or StateKind.Suspended)
            return CommandResult<Project>.Unprocessable($"The project is {state.Label.For(CultureInfo.CurrentUICulture)}; its checklist cannot change.");

        var caller = user.ToCaller();
        var now = time.GetUtcNow();
        var change = project.UpdateChecklistItem(code, status!.Value, request.Note, caller.UserId, now);
        var audit = NewEvent(project, caller, now, AuditActions.ChecklistUpdated);
        audit.FromState = audit.ToState = project.State;
        var changes = new Dictionary<string, object?>();
        if (change.OldStatus != change.NewStatus)
            changes[$"checklist.{code}.status"] = new { old = ProjectMapping.Status(change.OldStatus), @new = ProjectMapping.Status(change.NewStatus) };
        var newNote = project.FindChecklistItem(code)!.Note;
        if (!string.Equals(change.OldNote, newNote, StringComparison.Ordinal))
            changes[$"checklist.{code}.note"] = new { old = change.OldNote, @new = newNote };
        audit.Changes = JsonSerializer.Serialize(changes);
        return await SaveAuditedAsync(project, audit, ct);
    }

    /// <summary>Every transition leaving the project's state, evaluated for the caller.</summary>
    public IReadOnlyList<TransitionEvaluation> EvaluateTransitions(Project project, ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return engine.EvaluateAll(project, DefinitionOf(project), user.ToCaller());
    }

    public async Task<CommandResult<Project>> FireAsync(Guid id, FireTransitionRequest request, ClaimsPrincipal user, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(request.Trigger))
            errors["trigger"] = ["The trigger to fire is required."];
        if (request.ExpectedVersion is null)
            errors["expectedVersion"] = [ExpectedVersionRequired];
        if (request.Comment is { Length: > 4000 })
            errors["comment"] = ["The comment may have at most 4000 characters."];
        if (errors.Count > 0)
            return CommandResult<Project>.Invalid(errors);

        var project = await LoadAsync(id, ct);
        if (project is null)
            return CommandResult<Project>.NotFound($"No project has the id {id}.");
        if (!(await authorization.AuthorizeAsync(user, project, ProjectOperations.Read)).Succeeded)
            return CommandResult<Project>.Forbidden("You may not see this project.");
        var definition = DefinitionOf(project);
        if (!definition.Transitions.Any(t => t.Trigger == request.Trigger))
            return CommandResult<Project>.Invalid("trigger", $"'{request.Trigger}' is not a trigger of workflow {definition.Key}.");
        if (project.Version != request.ExpectedVersion)
            return Stale(project, request.ExpectedVersion);

        var caller = user.ToCaller();
        var evaluation = engine.Evaluate(project, definition, request.Trigger!, caller, request.Comment);
        if (evaluation is null)
        {
            return CommandResult<Project>.Unprocessable(
                $"'{request.Trigger}' does not leave the state {project.State}.",
                [new UnmetGuard("state", new LocalizedText($"'{request.Trigger}' does not leave the state {project.State}.", $"“{request.Trigger}”不能从状态 {project.State} 执行。"))]);
        }
        if (!(await authorization.AuthorizeAsync(user, new ProjectTransitionResource(project, evaluation), ProjectOperations.FireTransition)).Succeeded)
            return CommandResult<Project>.Forbidden(string.Join(" ", evaluation.Forbidden.Select(f => f.Message.For(CultureInfo.CurrentUICulture))), evaluation.Forbidden);
        if (evaluation.Unmet.Count > 0)
            return CommandResult<Project>.Unprocessable($"{evaluation.Unmet.Count} condition(s) of '{request.Trigger}' are not met.", evaluation.Unmet);

        var from = project.State;
        var now = time.GetUtcNow();
        project.Fire(definition, request.Trigger!, now);
        var audit = NewEvent(project, caller, now, AuditActions.Transition);
        audit.FromState = from;
        audit.ToState = project.State;
        audit.Trigger = request.Trigger;
        audit.Comment = string.IsNullOrWhiteSpace(request.Comment) ? null : request.Comment.Trim();
        audit.Changes = JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["state"] = new { old = from, @new = project.State },
        });
        return await SaveAuditedAsync(project, audit, ct);
    }

    public async Task<CommandResult<Project>> AddManagerAsync(Guid id, AddMemberRequest request, ClaimsPrincipal user, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.Email))
            return CommandResult<Project>.Invalid("email", "The e-mail of the project manager to add is required.");
        if (request.ExpectedVersion is null)
            return CommandResult<Project>.Invalid("expectedVersion", ExpectedVersionRequired);
        var project = await LoadAsync(id, ct);
        if (project is null)
            return CommandResult<Project>.NotFound($"No project has the id {id}.");
        if (!(await authorization.AuthorizeAsync(user, project, ProjectOperations.ManageMembers)).Succeeded)
            return CommandResult<Project>.Forbidden("Only a manager of this project or an administrator may add managers.");
        if (project.Version != request.ExpectedVersion)
            return Stale(project, request.ExpectedVersion);
        var normalized = request.Email.Trim().ToUpperInvariant();
        var member = await db.Users.FirstOrDefaultAsync(u => u.NormalizedEmail == normalized, ct);
        if (member is null)
            return CommandResult<Project>.Invalid("email", $"No user has the e-mail '{request.Email}'.");
        var isManager = await db.UserRoles.AnyAsync(ur => ur.UserId == member.Id && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == AppRoles.ProjectManager), ct);
        if (!isManager)
            return CommandResult<Project>.Invalid("email", $"'{request.Email}' is not a project manager.");
        if (project.IsManagedBy(member.Id))
            return CommandResult<Project>.Ok(project);

        var caller = user.ToCaller();
        var now = time.GetUtcNow();
        project.AddManager(member.Id, now);
        project.UpdateDetails(project.Details, now);
        var audit = NewEvent(project, caller, now, AuditActions.MemberAdded);
        audit.FromState = audit.ToState = project.State;
        audit.Changes = JsonSerializer.Serialize(new Dictionary<string, object?> { ["managers"] = new { added = member.Email } });
        return await SaveAuditedAsync(project, audit, ct);
    }

    /// <summary>
    /// Appends the audit event chained to the project's last one and saves everything in one transaction.
    /// The project's version is the concurrency token: a writer that lost the race gets 409 and nothing is written.
    /// </summary>
    private async Task<CommandResult<Project>> SaveAuditedAsync(Project project, AuditEvent audit, CancellationToken ct)
    {
        project.AppendAudit(audit);
        db.AuditEvents.Add(audit);
        try
        {
            await db.SaveChangesAsync(ct);
            return CommandResult<Project>.Ok(project);
        }
        catch (DbUpdateException ex) when (ex is DbUpdateConcurrencyException || IsUniqueViolation(ex))
        {
            db.ChangeTracker.Clear();
            var current = await db.Projects.AsNoTracking().Where(p => p.Id == project.Id).Select(p => p.Version).FirstAsync(ct);
            return CommandResult<Project>.Conflict("Someone else changed the project at the same time; reload it and try again.", current);
        }
    }

    private static bool IsUniqueViolation(DbUpdateException ex) =>
        ex.InnerException?.Message.Contains("UNIQUE", StringComparison.OrdinalIgnoreCase) == true
        || ex.InnerException?.Message.Contains("duplicate key", StringComparison.OrdinalIgnoreCase) == true;

    private static AuditEvent NewEvent(Project project, RestorationWorkflow.Workflows.Guards.Caller caller, DateTimeOffset now, string action) => new()
    {
        ProjectId = project.Id,
        ActorId = caller.UserId,
        ActorName = caller.DisplayName,
        At = now,
        Action = action,
        WorkflowId = project.WorkflowId,
        WorkflowVersion = project.WorkflowVersion,
    };

    public static Dictionary<string, string[]> ValidateDetails(CreateProjectRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(request.Name))
            errors["name"] = ["A name is required."];
        else if (request.Name.Trim().Length > 200)
            errors["name"] = ["The name may have at most 200 characters."];
        if (request.Description is { Length: > 4000 })
            errors["description"] = ["The description may have at most 4000 characters."];
        if (string.IsNullOrWhiteSpace(request.Country))
            errors["country"] = ["A country (ISO 3166-1 alpha-2 code such as KE or CN) is required."];
        else if (!Countries.IsKnown(request.Country.Trim()))
            errors["country"] = [$"'{request.Country}' is not an ISO 3166-1 alpha-2 country code."];
        var types = request.EcosystemTypes ?? [];
        for (var i = 0; i < types.Count; i++)
        {
            if (!EcosystemTypes.IsKnown(types[i]))
                errors[$"ecosystemTypes[{i}]"] = [$"'{types[i]}' is not an ecosystem type; known: {string.Join(", ", EcosystemTypes.All.Select(t => t.Code))}."];
        }
        if (types.Distinct(StringComparer.Ordinal).Count() != types.Count)
            errors["ecosystemTypes"] = ["Each ecosystem type may be listed once."];
        if (request.AreaHectares is null)
            errors["areaHectares"] = ["The area in hectares is required (0 when not yet known)."];
        else if (request.AreaHectares < 0 || request.AreaHectares > 1_000_000_000m)
            errors["areaHectares"] = ["The area must be between 0 and 1,000,000,000 hectares."];
        return errors;
    }
}
