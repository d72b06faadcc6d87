using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.Approvals;
using RestorationWorkflow.Commands;
using RestorationWorkflow.Data;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Web.Features.Audit;
using RestorationWorkflow.Web.Features.Identity;
using RestorationWorkflow.Web.Infrastructure.Persistence;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Web.Features.Projects;

/// <summary>
/// The one command path for projects, used by the API, the pages and the workflow migrator:
/// validate (400) → load (404) → resolve (404/400/422) → authorize (403) → expectedVersion (409 with
/// <c>currentVersion</c>) → apply (422) → audit event chained to the last → one SaveChanges → 409 when the
/// commit loses a race. Nothing is written unless every step passes.
/// </summary>
public sealed class ProjectCommands(
    AppDbContext db, ProjectStore store, WorkflowCatalog catalog, IAuthorizationService authorization, AuditTrail audit,
    ICommandCommitter committer, TimeProvider time, IServiceProvider services)
{
    public async Task<CommandResult<Project>> ExecuteAsync(ProjectCommand command, ClaimsPrincipal user, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(user);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        command.Validate(errors);
        if (command.ExpectedVersion is null && command.VersionRequired)
            errors["expectedVersion"] = [ProjectCommand.ExpectedVersionRequired];
        if (errors.Count > 0)
            return CommandResult<Project>.Invalid(errors);

        var project = await command.LoadAsync(store, ct);
        if (project is null)
            return CommandResult<Project>.NotFound(CommandErrorCodes.ProjectNotFound, $"No project has the id {command.ProjectId}.");
        var context = new ProjectCommandContext(project, catalog.DefinitionOf(project), user, user.ToCaller(), time.GetUtcNow(), db, services);

        if (await command.ResolveAsync(context, ct) is { } unresolved)
            return Refuse(unresolved, command, project, staleTurnsConflict: true);
        var authorized = await authorization.AuthorizeAsync(user, command.AuthorizationResource(context), command.Operation);
        if (!authorized.Succeeded)
        {
            var rules = authorized.Rules();
            return Refuse(CommandResult<Project>.Forbidden(string.Join(" ", rules.Select(r => r.Message.En)), rules), command, project, staleTurnsConflict: false);
        }
        if (command.ExpectedVersion is { } expected && project.Version != expected)
            return Refuse(Stale(command.ExpectedVersion, project.Version), command, project, staleTurnsConflict: false);

        var from = project.State;
        if (await command.ApplyAsync(context, ct) is { } refused)
            return Refuse(refused, command, project, staleTurnsConflict: false);
        if (!context.Audit.HasChanges)
        {
            db.ChangeTracker.Clear();
            return CommandResult<Project>.Ok(project);
        }
        foreach (var hook in services.GetServices<IProjectChangeHook>())
            await hook.AfterApplyAsync(context, command, ct);
        audit.Append(project, context.Caller, command.Action, from, context.Audit, context.Now);
        return await CommitAsync(project, ct);
    }

    /// <summary>
    /// Whether what is about to be saved writes rows the database stamps, or the project's registry columns: then the
    /// stamp moves in the commit, and the loaded project's copy of it is stale (<see cref="CommitAsync"/> forgets it).
    /// Only the entries of stamped types and the project are compared with what was loaded: the committer finds every
    /// change once, and a full <c>DetectChanges</c> here would be a second pass over every tracked entity.
    /// </summary>
    private bool WritesStampedContent()
    {
        var tracker = db.ChangeTracker;
        var detect = tracker.AutoDetectChangesEnabled;
        tracker.AutoDetectChangesEnabled = false;
        try
        {
            foreach (var entry in tracker.Entries())
            {
                var project = entry.Entity is Project;
                if (!project && !StampedTypes.Contains(entry.Metadata.ClrType))
                    continue;
                if (entry.State is EntityState.Unchanged or EntityState.Modified)
                    entry.DetectChanges();
                if (entry.State is EntityState.Added or EntityState.Deleted)
                    return true;
                if (entry.State is EntityState.Modified && (!project || entry.Properties.Any(p => p.IsModified && RegistryProperties.Contains(p.Metadata.Name))))
                    return true;
            }
            return false;
        }
        finally
        {
            tracker.AutoDetectChangesEnabled = detect;
        }
    }

    private static readonly HashSet<Type> StampedTypes = [.. CoveredContent.StampedEntities];

    /// <summary>The properties behind the registry fields (<c>ecosystemTypes</c> is <c>EcosystemTypes</c>), whose columns the stamp covers.</summary>
    private static readonly HashSet<string> RegistryProperties = new(
        ProjectRegistryFields.Replayed.Append("areaHectares").Select(f => char.ToUpperInvariant(f[0]) + f[1..]), StringComparer.Ordinal);

    /// <summary>Creates a project through the same path: validate, authorize, audit (its first event), one SaveChanges.</summary>
    public async Task<CommandResult<Project>> CreateAsync(CreateProject command, ClaimsPrincipal user, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(user);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        command.Validate(errors);
        if (errors.Count > 0)
            return CommandResult<Project>.Invalid(errors);
        var authorized = await authorization.AuthorizeAsync(user, null, ProjectOperations.Create);
        if (!authorized.Succeeded)
            return CommandResult<Project>.Forbidden("Only project managers may create projects.", authorized.Rules());

        var caller = user.ToCaller();
        // A generated code that another create took meanwhile (the unique index) is generated again, a few times.
        for (var attempt = 1; ; attempt++)
        {
            var now = time.GetUtcNow();
            if (await command.PrepareAsync(db, now, attempt, ct) is { } refused)
                return refused;
            var record = new AuditRecord();
            var project = command.Create(catalog, caller, now, record);
            db.Projects.Add(project);
            audit.Append(project, caller, command.Action, null, record, now);
            try
            {
                await committer.CommitAsync(db, ct);
                ForgetContentStamp(project);
                return CommandResult<Project>.Ok(project);
            }
            catch (DbUpdateException ex) when (DatabaseErrors.IsUniqueViolation(ex))
            {
                db.ChangeTracker.Clear();
                if (!command.CodeGenerated || attempt >= MaxCodeAttempts)
                    return CommandResult<Project>.Conflict(CommandErrorCodes.ConcurrentChange, "Another project took the same code at the same time; try again.", 0);
            }
        }
    }

    private const int MaxCodeAttempts = 10;

    /// <summary>
    /// The database moved the project's stamp in the commit just made (its triggers), and the loaded copy cannot know
    /// to what: it becomes <see cref="CoveredContent.UnknownStamp"/>, so that nothing
    /// read later in this scope (the answer, another command) takes a snapshot or guard data kept under the old one.
    /// Set as both the original and the current value: EF Core never writes it.
    /// </summary>
    private void ForgetContentStamp(Project project)
    {
        var stamp = db.Entry(project).Property(p => p.ContentStamp);
        stamp.OriginalValue = CoveredContent.UnknownStamp;
        stamp.CurrentValue = CoveredContent.UnknownStamp;
    }

    /// <summary>409: the caller changed an older version than the one stored.</summary>
    public static CommandResult<Project> Stale(int? expectedVersion, int currentVersion) =>
        CommandResult<Project>.Conflict(CommandErrorCodes.StaleVersion,
            $"You changed version {expectedVersion}, but the project is at version {currentVersion}.", currentVersion);

    /// <summary>
    /// A refusal leaves nothing tracked. A 422 (or 400/404 from resolving) on a stale version is reported as the
    /// 409 it really is: the caller decided on data that has changed since.
    /// </summary>
    private CommandResult<Project> Refuse(CommandResult<Project> refusal, ProjectCommand command, Project project, bool staleTurnsConflict)
    {
        db.ChangeTracker.Clear();
        return staleTurnsConflict && refusal.Status is CommandStatus.Unprocessable && command.ExpectedVersion is { } expected && project.Version != expected
            ? Stale(command.ExpectedVersion, project.Version)
            : refusal;
    }

    private async Task<CommandResult<Project>> CommitAsync(Project project, CancellationToken ct)
    {
        var stampMoves = WritesStampedContent();
        try
        {
            await committer.CommitAsync(db, ct);
            if (stampMoves)
                ForgetContentStamp(project);
            return CommandResult<Project>.Ok(project);
        }
        catch (DbUpdateException ex) when (ex is DbUpdateConcurrencyException || DatabaseErrors.IsUniqueViolation(ex) || DatabaseErrors.IsRaceLost(ex))
        {
            db.ChangeTracker.Clear();
            var current = await db.Projects.AsNoTracking().Where(p => p.Id == project.Id).Select(p => p.Version).FirstOrDefaultAsync(ct);
            return CommandResult<Project>.Conflict(CommandErrorCodes.ConcurrentChange,
                "Someone else changed the project at the same time; reload it and try again.", current);
        }
    }
}
