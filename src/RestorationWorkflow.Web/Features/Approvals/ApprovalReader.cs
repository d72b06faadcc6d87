using System.Linq.Expressions;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.Approvals;
using RestorationWorkflow.Data;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Web.Features.Identity;
using RestorationWorkflow.Web.Infrastructure.Persistence;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Web.Features.Approvals;

public sealed record PersonDto(string Id, string Name, string? Email);

/// <summary>A gate of the project's workflow and, when the project is in its review, the open request.</summary>
public sealed record GateDto(
    string Id, LocalizedText Label, IReadOnlyList<string> ApproverRoles, int Quorum, bool SeparationOfDuties, int? DueDays,
    IReadOnlyList<string> Covers, string? ReviewState, Guid? OpenRequestId);

public sealed record ApprovalDecisionDto(
    Guid Id, string Decision, PersonDto Decider, PersonDto? OnBehalfOf, string? Comment, IReadOnlyList<string> Sections, string SnapshotHash,
    DateTimeOffset DecidedAt);

/// <summary>
/// One submission to a gate: its snapshot hash, status, whether it went stale (and which sections changed), the
/// quorum and approvals so far, every decision, and what changed since the previous submission to the same gate.
/// <c>onHold</c>: open, but its project is suspended from the review; nobody decides it until the project resumes.
/// </summary>
public sealed record ApprovalRequestDto(
    Guid Id, Guid ProjectId, string Gate, LocalizedText GateLabel, string State, int Sequence, string Status, PersonDto SubmittedBy,
    DateTimeOffset OpenedAt, DateTimeOffset? DueAt, bool Overdue, int Quorum, int Approvals, string SnapshotHash, Guid? PreviousRequestId,
    bool Stale, DateTimeOffset? StaleSince, IReadOnlyList<string> StaleSections, DateTimeOffset? ClosedAt,
    IReadOnlyList<ApprovalDecisionDto> Decisions, IReadOnlyList<SnapshotChange> ChangesSincePrevious, bool OnHold);

public sealed record ProjectApprovalsDto(Guid ProjectId, int Version, string State, IReadOnlyList<GateDto> Gates, IReadOnlyList<ApprovalRequestDto> Requests);

/// <summary>
/// Which requests of a project's history to list: every one (both null), or only those of <paramref name="Status"/>
/// and/or <paramref name="Gate"/>. The gates are listed whole either way, each with its open request.
/// </summary>
public sealed record ApprovalFilter(ApprovalRequestStatus? Status = null, string? Gate = null)
{
    public static ApprovalFilter All { get; } = new();

    /// <summary>Whether every open request is among the listed ones, so the gates need no query of their own.</summary>
    internal bool ListsEveryOpenRequest => Gate is null && Status is null or ApprovalRequestStatus.Open;
}

/// <summary>One request with its snapshot (canonical JSON).</summary>
public sealed record ApprovalRequestDetailDto(ApprovalRequestDto Request, JsonElement Snapshot);

/// <summary>
/// Reads a project's gates, requests and decisions, with names and snapshot diffs. A request's snapshot (about 6 KB)
/// is read only when its diff is not yet known on this node (<see cref="SnapshotDiffs"/>) or when it is shown: a
/// project resubmitted fifty times otherwise read 300 KB of snapshots on every view of its approvals.
/// </summary>
public sealed class ApprovalReader(AppDbContext db, WorkflowCatalog catalog, ApprovalSnapshotBuilder snapshots, SnapshotDiffs diffs, TimeProvider time)
{
    /// <summary>What the reader shows of a request, without its snapshot, with its decisions.</summary>
    private sealed record RequestRow(
        Guid Id, Guid ProjectId, string Gate, string State, int Sequence, ApprovalRequestStatus Status, string SubmittedById,
        DateTimeOffset OpenedAt, DateTimeOffset? DueAt, int Quorum, string SnapshotHash, Guid? PreviousRequestId, DateTimeOffset? ClosedAt,
        bool Stale, DateTimeOffset? StaleSince, string StaleSections, bool OnHold, long? ContentStamp, List<ApprovalDecision> Decisions)
    {
        public bool IsOpen => Status == ApprovalRequestStatus.Open;
    }

    private static readonly Expression<Func<ApprovalRequest, RequestRow>> Row = r => new RequestRow(
        r.Id, r.ProjectId, r.Gate, r.State, r.Sequence, r.Status, r.SubmittedById, r.OpenedAt, r.DueAt, r.Quorum, r.SnapshotHash,
        r.PreviousRequestId, r.ClosedAt, r.Stale, r.StaleSince, r.StaleSections, r.OnHold, r.ContentStamp, r.Decisions.ToList());

    private sealed class Queries
    {
        public Func<AppDbContext, Guid, ApprovalRequestStatus?, string?, IAsyncEnumerable<RequestRow>> OfProject { get; } = EF.CompileAsyncQuery(
            (AppDbContext c, Guid projectId, ApprovalRequestStatus? status, string? gate) =>
                c.ApprovalRequests.AsNoTracking()
                    .Where(r => r.ProjectId == projectId && (status == null || r.Status == status) && (gate == null || r.Gate == gate))
                    .OrderBy(r => r.OpenedAt).ThenBy(r => r.Sequence).Select(Row));

        /// <summary>The open requests of a project, by gate: for the gates when the listed requests are filtered.</summary>
        public Func<AppDbContext, Guid, IAsyncEnumerable<OpenRequest>> OpenOf { get; } = EF.CompileAsyncQuery((AppDbContext c, Guid projectId) =>
            c.ApprovalRequests.AsNoTracking().Where(r => r.ProjectId == projectId && r.Status == ApprovalRequestStatus.Open)
                .Select(r => new OpenRequest(r.Gate, r.Id)));

        public Func<AppDbContext, Guid, Guid, CancellationToken, Task<RequestRow?>> One { get; } = EF.CompileAsyncQuery((AppDbContext c, Guid projectId, Guid id, CancellationToken _) =>
            c.ApprovalRequests.AsNoTracking().Where(r => r.Id == id && r.ProjectId == projectId).Select(Row).FirstOrDefault());

        /// <summary>The project of a request: every decision starts with it.</summary>
        public Func<AppDbContext, Guid, CancellationToken, Task<Guid?>> ProjectOf { get; } = EF.CompileAsyncQuery((AppDbContext c, Guid id, CancellationToken _) =>
            c.ApprovalRequests.AsNoTracking().Where(r => r.Id == id).Select(r => (Guid?)r.ProjectId).FirstOrDefault());
    }

    private sealed record OpenRequest(string Gate, Guid Id);

    private Queries Compiled => CompiledPerModel.For<Queries>(db.Model);

    /// <summary>
    /// The project's gates (each with its open request, if any) and the requests of its history that
    /// <paramref name="filter"/> lists. A filtered read costs what it lists, not the whole history: the history grows
    /// by one request per submission, and a client that looks for the open request needs none of it.
    /// </summary>
    public async Task<ProjectApprovalsDto> ForProjectAsync(Project project, ApprovalFilter filter, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(filter);
        var definition = catalog.DefinitionOf(project);
        var requests = new List<RequestRow>();
        await foreach (var row in Compiled.OfProject(db, project.Id, filter.Status, filter.Gate).WithCancellation(ct))
            requests.Add(row);
        var openByGate = new Dictionary<string, Guid>(StringComparer.Ordinal);
        if (filter.ListsEveryOpenRequest)
        {
            foreach (var open in requests.Where(r => r.IsOpen))
                openByGate.TryAdd(open.Gate, open.Id);
        }
        else
        {
            await foreach (var open in Compiled.OpenOf(db, project.Id).WithCancellation(ct))
                openByGate.TryAdd(open.Gate, open.Id);
        }
        var changes = await diffs.OfAsync(db, requests.Select(r => (r.Id, r.PreviousRequestId)), ct);
        var people = await PeopleAsync(requests, ct);
        var dtos = new List<ApprovalRequestDto>(requests.Count);
        foreach (var request in requests)
            dtos.Add(await ToDtoAsync(project, definition, request, changes.GetValueOrDefault(request.Id) ?? [], people, ct));
        var gates = definition.Gates.Select(g =>
        {
            var state = definition.States.FirstOrDefault(s => s.Gate == g.Id)?.Code;
            Guid? open = openByGate.TryGetValue(g.Id, out var id) ? id : null;
            return new GateDto(g.Id, g.Label, g.ApproverRoles, g.Quorum, g.SeparationOfDuties, g.DueDays, ApprovalSections.Of(g), state, open);
        }).ToList();
        return new ProjectApprovalsDto(project.Id, project.Version, project.State, gates, dtos);
    }

    /// <summary>One request of the project with its snapshot, or null.</summary>
    public async Task<ApprovalRequestDetailDto?> RequestAsync(Project project, Guid requestId, CancellationToken ct)
    {
        if (await SummaryAsync(project, requestId, ct) is not { } dto)
            return null;
        var text = await db.ApprovalRequests.AsNoTracking().Where(r => r.Id == requestId).Select(r => r.Snapshot).FirstAsync(ct);
        using var snapshot = JsonDocument.Parse(text);
        return new ApprovalRequestDetailDto(dto, snapshot.RootElement.Clone());
    }

    /// <summary>
    /// One request of the project without its snapshot, or null: what a decision and a resubmission answer. Their
    /// client has the snapshot's hash; reading and parsing the text (about 6 KB) for each answer would be wasted.
    /// </summary>
    public async Task<ApprovalRequestDto?> SummaryAsync(Project project, Guid requestId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(project);
        var request = await Compiled.One(db, project.Id, requestId, ct);
        if (request is null)
            return null;
        var changes = await diffs.OfAsync(db, [(request.Id, request.PreviousRequestId)], ct);
        var people = await PeopleAsync([request], ct);
        return await ToDtoAsync(project, catalog.DefinitionOf(project), request, changes.GetValueOrDefault(request.Id) ?? [], people, ct);
    }

    /// <summary>The project id of a request, or null.</summary>
    public Task<Guid?> ProjectOfAsync(Guid requestId, CancellationToken ct) => Compiled.ProjectOf(db, requestId, ct);

    private async Task<ApprovalRequestDto> ToDtoAsync(
        Project project, WorkflowDefinition definition, RequestRow request, IReadOnlyList<SnapshotChange> changes, IReadOnlyDictionary<string, PersonDto> people,
        CancellationToken ct)
    {
        var gate = definition.FindGate(request.Gate);
        var stale = request.Stale;
        // An open request whose covered content no longer matches its snapshot is stale even if no command marked it.
        // Built again only when something it covers was written since it was opened (the stamp moved, decision 0068).
        if (request.IsOpen && !stale && gate is not null && project.State == request.State && !CoveredContent.Unchanged(request.ContentStamp, project))
            stale = (await snapshots.BuildAsync(project, gate, ct)).Hash != request.SnapshotHash;
        var now = time.GetUtcNow();
        return new ApprovalRequestDto(
            request.Id, request.ProjectId, request.Gate, gate?.Label ?? new LocalizedText(request.Gate, request.Gate), request.State, request.Sequence,
            request.Status.ToString().ToLowerInvariant(), Person(people, request.SubmittedById), request.OpenedAt, request.DueAt,
            request.IsOpen && request.DueAt is { } due && due < now, request.Quorum, ApprovalRequest.CountApprovals(request.Decisions), request.SnapshotHash,
            request.PreviousRequestId, stale, request.StaleSince, request.StaleSections.Length == 0 ? [] : request.StaleSections.Split(','), request.ClosedAt,
            [.. request.Decisions.OrderBy(d => d.DecidedAt).Select(d => new ApprovalDecisionDto(
                d.Id, d.Decision.ToString().ToLowerInvariant(), Person(people, d.DeciderId), d.OnBehalfOfId is { } o ? Person(people, o) : null,
                d.Comment, d.Sections, d.SnapshotHash, d.DecidedAt))],
            changes, request.OnHold);
    }

    private async Task<IReadOnlyDictionary<string, PersonDto>> PeopleAsync(IReadOnlyList<RequestRow> requests, CancellationToken ct)
    {
        var ids = requests.Select(r => r.SubmittedById)
            .Concat(requests.SelectMany(r => r.Decisions).SelectMany(d => d.OnBehalfOfId is { } o ? new[] { d.DeciderId, o } : [d.DeciderId]))
            .Distinct(StringComparer.Ordinal).ToList();
        return await NamesAsync(db, ids, ct);
    }

    /// <summary>People by id, with their display names (or e-mail) — an unknown id stands for itself.</summary>
    public static async Task<IReadOnlyDictionary<string, PersonDto>> NamesAsync(AppDbContext db, IReadOnlyCollection<string> ids, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (ids.Count == 0)
            return new Dictionary<string, PersonDto>(StringComparer.Ordinal);
        var users = await UserNames.OfAsync(db, ids, ct);
        return users.ToDictionary(u => u.Id, u => new PersonDto(u.Id, u.Shown, u.Email), StringComparer.Ordinal);
    }

    public static PersonDto Person(IReadOnlyDictionary<string, PersonDto> people, string id)
    {
        ArgumentNullException.ThrowIfNull(people);
        return people.TryGetValue(id, out var person) ? person : new PersonDto(id, id, null);
    }
}
