using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using RestorationWorkflow.Commands;
using RestorationWorkflow.Data;
using RestorationWorkflow.Identity;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Web.Features.Audit;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Web.Features.Projects;

/// <summary>
/// A change to an existing project. A command says what it loads, which operation it authorizes and what it
/// changes; <see cref="ProjectCommands"/> runs it through the one sequence — validate, load, resolve,
/// authorize, check the version, apply, append the audit event, one SaveChanges — so it cannot skip the
/// version check or the audit event.
/// </summary>
public abstract class ProjectCommand(Guid projectId, int? expectedVersion)
{
    public const string ExpectedVersionRequired = "The project version you are changing is required (expectedVersion).";

    public Guid ProjectId { get; } = projectId;

    /// <summary>The version the caller saw; null is a 400 unless <see cref="VersionRequired"/> is false.</summary>
    public int? ExpectedVersion { get; } = expectedVersion;

    /// <summary>
    /// Whether <see cref="ExpectedVersion"/> must be given. An approval decision addresses a request whose snapshot
    /// hash is its concurrency token, so the project version is checked only when the caller sends it.
    /// </summary>
    public virtual bool VersionRequired => true;

    /// <summary>The audit action (<see cref="RestorationWorkflow.Audit.AuditActions"/>).</summary>
    public abstract string Action { get; }

    /// <summary>The operation authorized against <see cref="AuthorizationResource"/>.</summary>
    public abstract IAuthorizationRequirement Operation { get; }

    /// <summary>Checks the request alone, before anything is loaded; each message under its field name.</summary>
    public virtual void Validate(IDictionary<string, string[]> errors)
    {
    }

    /// <summary>Loads the project with what this command changes (tracked). The default: the row and the team.</summary>
    public virtual Task<Project?> LoadAsync(ProjectStore store, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(store);
        return store.FindForChangeAsync(ProjectId, ct);
    }

    /// <summary>
    /// Finds what the command addresses inside the loaded project (a checklist item, a transition): a refusal
    /// here (404, 400, 422) comes before authorization. Null to go on.
    /// </summary>
    public virtual CommandResult<Project>? Resolve(ProjectCommandContext context) => null;

    /// <summary>As <see cref="Resolve"/>, for a command that must read more to find what it addresses (an approval request).</summary>
    public virtual Task<CommandResult<Project>?> ResolveAsync(ProjectCommandContext context, CancellationToken ct) => Task.FromResult(Resolve(context));

    /// <summary>The resource handed to the authorization handler with <see cref="Operation"/>: the project by default.</summary>
    public virtual object AuthorizationResource(ProjectCommandContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Project;
    }

    /// <summary>
    /// Changes the aggregate and records each change in <see cref="ProjectCommandContext.Audit"/>. Returns a
    /// refusal (nothing is written) or null. A command that records no change writes nothing and succeeds.
    /// </summary>
    public abstract Task<CommandResult<Project>?> ApplyAsync(ProjectCommandContext context, CancellationToken ct);

    private readonly List<CreatedResource> _created = [];

    /// <summary>
    /// What the command created beside the project, added by the change hooks (the approval request a submission
    /// opened): its answer names them, so the caller need not look them up. Meaningful once the command has succeeded.
    /// </summary>
    public IReadOnlyList<CreatedResource> CreatedAlongside => _created;

    /// <summary>Records <paramref name="resource"/> among what the command created (<see cref="CreatedAlongside"/>).</summary>
    public void RecordCreated(CreatedResource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        _created.Add(resource);
    }
}

/// <summary>
/// A record a command created beside the project: its kind (<c>approvalRequest</c>), its id and where the API
/// answers it.
/// </summary>
public sealed record CreatedResource(string Kind, Guid Id, string Href);

/// <summary>What a running command sees: the loaded project, its definition, the caller, the time and the audit record.</summary>
public sealed class ProjectCommandContext(
    Project project, WorkflowDefinition definition, ClaimsPrincipal user, Caller caller, DateTimeOffset now, AppDbContext db, IServiceProvider services)
{
    public Project Project { get; } = project;

    public WorkflowDefinition Definition { get; } = definition;

    public ClaimsPrincipal User { get; } = user;

    public Caller Caller { get; } = caller;

    public DateTimeOffset Now { get; } = now;

    /// <summary>For lookups a command needs (a user by e-mail); its changes go through the aggregate.</summary>
    public AppDbContext Db { get; } = db;

    public IServiceProvider Services { get; } = services;

    /// <summary>What the command changed, for its audit event.</summary>
    public AuditRecord Audit { get; } = new();

    /// <summary>The transition a command resolved (<see cref="FireTransition"/>), for the authorization resource.</summary>
    public TransitionDefinition? Transition { get; set; }

    /// <summary>The state the project was in when the command was loaded.</summary>
    public string FromState { get; } = project.State;
}

/// <summary>
/// Runs after every command that changed something, before its audit event is appended: another feature keeps
/// what depends on the change in step (approval requests open on entering a review, go stale when covered content
/// changes) in the same audit event and SaveChanges.
/// </summary>
public interface IProjectChangeHook
{
    Task AfterApplyAsync(ProjectCommandContext context, ProjectCommand command, CancellationToken ct);
}
