using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.Data;
using RestorationWorkflow.Forms;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Web.Infrastructure.Persistence;
using RestorationWorkflow.Workflows.Guards;

namespace RestorationWorkflow.Web.Features.Projects;

/// <summary>
/// Loads projects for commands (tracked) and reads (untracked). A project comes with its row and its team;
/// its checklist is loaded only by what reads it (a checklist command loads its one item; guards read it
/// through <see cref="ChecklistGuardDataProvider"/>). Queries are compiled once: they are every request's hot path.
/// </summary>
public sealed class ProjectStore(AppDbContext db)
{
    /// <summary>The compiled queries of the context's model (<see cref="CompiledPerModel"/>).</summary>
    private CompiledQueries Queries => CompiledPerModel.For<CompiledQueries>(db.Model);

    private sealed class CompiledQueries
    {
        public Func<AppDbContext, Guid, CancellationToken, Task<Project?>> Tracked { get; } =
            EF.CompileAsyncQuery((AppDbContext context, Guid id, CancellationToken _) =>
                context.Projects.Include(p => p.Members).AsSingleQuery().FirstOrDefault(p => p.Id == id));

        public Func<AppDbContext, Guid, string, CancellationToken, Task<Project?>> TrackedWithChecklistItem { get; } =
            EF.CompileAsyncQuery((AppDbContext context, Guid id, string code, CancellationToken _) =>
                context.Projects.Include(p => p.Members).Include(p => p.Checklist.Where(i => i.Code == code)).AsSingleQuery().FirstOrDefault(p => p.Id == id));

        public Func<AppDbContext, Guid, CancellationToken, Task<Project?>> Untracked { get; } =
            EF.CompileAsyncQuery((AppDbContext context, Guid id, CancellationToken _) =>
                context.Projects.AsNoTracking().Include(p => p.Members).AsSingleQuery().FirstOrDefault(p => p.Id == id));

        public Func<AppDbContext, Guid, CancellationToken, Task<ProjectWithTeam?>> WithTeam { get; } =
            EF.CompileAsyncQuery((AppDbContext context, Guid id, CancellationToken _) =>
                context.Projects.AsNoTracking().Where(p => p.Id == id)
                    .Select(p => new ProjectWithTeam(p, p.Members
                        .Join(context.Users, m => m.UserId, u => u.Id, (m, u) => new TeamMember(m.UserId, u.DisplayName, u.Email, m.Role))
                        .ToList()))
                    .FirstOrDefault());

        public Func<AppDbContext, Guid, IAsyncEnumerable<ChecklistItem>> ChecklistOf { get; } =
            EF.CompileAsyncQuery((AppDbContext context, Guid id) =>
                context.ChecklistItems.AsNoTracking().Where(i => i.ProjectId == id));

        /// <summary>Each saved form's code and status, without its values: the form-status guards read them on every submission.</summary>
        public Func<AppDbContext, Guid, IAsyncEnumerable<FormStatusRow>> FormStatusesOf { get; } =
            EF.CompileAsyncQuery((AppDbContext context, Guid id) =>
                context.StepForms.AsNoTracking().Where(f => f.ProjectId == id).Select(f => new FormStatusRow(f.Code, f.Status)));
    }

    private sealed record FormStatusRow(string Code, StepFormStatus Status);

    /// <summary>A project with its team, tracked, for a command.</summary>
    public Task<Project?> FindForChangeAsync(Guid id, CancellationToken ct) => Queries.Tracked(db, id, ct);

    /// <summary>A project with its team and one checklist item, tracked, for a command on that item.</summary>
    public Task<Project?> FindForChangeAsync(Guid id, string checklistCode, CancellationToken ct) => Queries.TrackedWithChecklistItem(db, id, checklistCode, ct);

    /// <summary>A project with its team, untracked, for reading.</summary>
    public Task<Project?> FindAsync(Guid id, CancellationToken ct) => Queries.Untracked(db, id, ct);

    /// <summary>A project row with its managers' names, in one query, untracked: what <c>GET /api/projects/{id}</c> shows.</summary>
    public Task<ProjectWithTeam?> FindWithTeamAsync(Guid id, CancellationToken ct) => Queries.WithTeam(db, id, ct);

    /// <summary>Which codes of the project's definition have a form, and each saved form's status (untracked).</summary>
    public async Task<StepFormStatuses> StepFormStatusesAsync(Project project, StepFormCatalog forms, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(forms);
        var codes = forms.CodesFor(project.WorkflowId, project.WorkflowVersion);
        if (codes.Count == 0)
            return StepFormStatuses.None;
        var statuses = new Dictionary<string, StepFormStatus>(StringComparer.Ordinal);
        await foreach (var form in Queries.FormStatusesOf(db, project.Id).WithCancellation(ct))
            statuses[form.Code] = form.Status;
        return new StepFormStatuses(codes.ToHashSet(StringComparer.Ordinal), statuses);
    }

    /// <summary>A project's checklist, untracked, by step code.</summary>
    public async Task<IReadOnlyDictionary<string, ChecklistItem>> ChecklistAsync(Guid id, CancellationToken ct)
    {
        var items = new Dictionary<string, ChecklistItem>(StringComparer.Ordinal);
        await foreach (var item in Queries.ChecklistOf(db, id).WithCancellation(ct))
            items[item.Code] = item;
        return items;
    }
}

/// <summary>A person on a project's team (manager or member), with the name people read.</summary>
public sealed record TeamMember(string UserId, string? DisplayName, string? Email, ProjectMemberRole Role)
{
    public string Name => string.IsNullOrEmpty(DisplayName) ? Email ?? UserId : DisplayName;
}

/// <summary>A project row (its <see cref="Project.Members"/> not loaded) with its team's names.</summary>
public sealed record ProjectWithTeam(Project Project, List<TeamMember> Team);

/// <summary>The checklist for the <c>checklistComplete</c> guard, loaded only when a transition being evaluated names it.</summary>
public sealed class ChecklistGuardDataProvider(ProjectStore store) : IGuardDataProvider
{
    public GuardDataKey Key => ProjectGuardData.Checklist;

    /// <inheritdoc />
    public bool Stamped => true;

    public async Task<object> LoadAsync(Project project, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(project);
        return await store.ChecklistAsync(project.Id, cancellationToken);
    }
}

/// <summary>A project the caller may read, or the 404/403 answer.</summary>
public sealed record ReadableProject(Project? Project, IResult? Refusal)
{
    [System.Diagnostics.CodeAnalysis.MemberNotNullWhen(true, nameof(Project))]
    [System.Diagnostics.CodeAnalysis.MemberNotNullWhen(false, nameof(Refusal))]
    public bool Ok => Project is not null;
}

/// <summary>The one load-and-authorize-read step of every endpoint that reads a project.</summary>
public sealed class ProjectReader(ProjectStore store, IAuthorizationService authorization)
{
    public async Task<ReadableProject> ReadAsync(Guid id, ClaimsPrincipal user, CancellationToken ct)
    {
        var project = await store.FindAsync(id, ct);
        if (project is null)
            return new ReadableProject(null, NotFound(id));
        if (!(await authorization.AuthorizeAsync(user, project, ProjectOperations.Read)).Succeeded)
            return new ReadableProject(null, TypedResults.Forbid());
        return new ReadableProject(project, null);
    }

    public static ProblemHttpResult NotFound(Guid id) =>
        TypedResults.Problem(statusCode: 404, title: "Not found.", detail: $"No project has the id {id}.");
}
