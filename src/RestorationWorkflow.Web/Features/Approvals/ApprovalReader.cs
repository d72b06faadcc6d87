using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.Approvals;
using RestorationWorkflow.Data;
using RestorationWorkflow.Projects;
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

/// <summary>One request with its snapshot (canonical JSON).</summary>
public sealed record ApprovalRequestDetailDto(ApprovalRequestDto Request, JsonElement Snapshot);

/// <summary>Reads a project's gates, requests and decisions, with names and snapshot diffs.</summary>
public sealed class ApprovalReader(AppDbContext db, WorkflowCatalog catalog, ApprovalSnapshotBuilder snapshots, SnapshotDiffs diffs, TimeProvider time)
{
    public async Task<ProjectApprovalsDto> ForProjectAsync(Project project, CancellationToken ct) =>
        (await ForProjectWithRequestsAsync(project, ct)).Approvals;

    /// <summary>
    /// <see cref="ForProjectAsync"/> and the request entities it read (with their decisions, untracked), for a caller that
    /// also checks rules on them (the project page's Approvals section) without reading them again.
    /// </summary>
    public async Task<(ProjectApprovalsDto Approvals, IReadOnlyList<ApprovalRequest> Requests)> ForProjectWithRequestsAsync(Project project, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(project);
        var definition = catalog.DefinitionOf(project);
        var requests = await db.ApprovalRequests.AsNoTracking().Include(r => r.Decisions)
            .Where(r => r.ProjectId == project.Id).OrderBy(r => r.OpenedAt).ThenBy(r => r.Sequence).ToListAsync(ct);
        var people = await PeopleAsync(requests, ct);
        var dtos = new List<ApprovalRequestDto>(requests.Count);
        foreach (var request in requests)
        {
            var previous = request.PreviousRequestId is { } p ? requests.FirstOrDefault(r => r.Id == p) : null;
            dtos.Add(await ToDtoAsync(project, definition, request, previous, people, ct));
        }
        var gates = definition.Gates.Select(g =>
        {
            var state = definition.States.FirstOrDefault(s => s.Gate == g.Id)?.Code;
            var open = requests.FirstOrDefault(r => r.Gate == g.Id && r.IsOpen)?.Id;
            return new GateDto(g.Id, g.Label, g.ApproverRoles, g.Quorum, g.SeparationOfDuties, g.DueDays, ApprovalSections.Of(g), state, open);
        }).ToList();
        return (new ProjectApprovalsDto(project.Id, project.Version, project.State, gates, dtos), requests);
    }

    public async Task<ApprovalRequestDetailDto?> RequestAsync(Project project, Guid requestId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(project);
        var request = await db.ApprovalRequests.AsNoTracking().Include(r => r.Decisions).FirstOrDefaultAsync(r => r.Id == requestId && r.ProjectId == project.Id, ct);
        if (request is null)
            return null;
        var previous = request.PreviousRequestId is { } p
            ? await db.ApprovalRequests.AsNoTracking().Include(r => r.Decisions).FirstOrDefaultAsync(r => r.Id == p, ct)
            : null;
        var people = await PeopleAsync(previous is null ? [request] : [request, previous], ct);
        var dto = await ToDtoAsync(project, catalog.DefinitionOf(project), request, previous, people, ct);
        using var snapshot = JsonDocument.Parse(request.Snapshot);
        return new ApprovalRequestDetailDto(dto, snapshot.RootElement.Clone());
    }

    /// <summary>The project id of a request, or null.</summary>
    public Task<Guid?> ProjectOfAsync(Guid requestId, CancellationToken ct) =>
        db.ApprovalRequests.AsNoTracking().Where(r => r.Id == requestId).Select(r => (Guid?)r.ProjectId).FirstOrDefaultAsync(ct);

    private async Task<ApprovalRequestDto> ToDtoAsync(
        Project project, WorkflowDefinition definition, ApprovalRequest request, ApprovalRequest? previous, IReadOnlyDictionary<string, PersonDto> people, CancellationToken ct)
    {
        var gate = definition.FindGate(request.Gate);
        var stale = request.Stale;
        // An open request whose covered content no longer matches its snapshot is stale even if no command marked it.
        if (request.IsOpen && !stale && gate is not null && project.State == request.State)
            stale = (await snapshots.BuildAsync(project, gate, ct)).Hash != request.SnapshotHash;
        var now = time.GetUtcNow();
        return new ApprovalRequestDto(
            request.Id, request.ProjectId, request.Gate, gate?.Label ?? new LocalizedText(request.Gate, request.Gate), request.State, request.Sequence,
            request.Status.ToString().ToLowerInvariant(), Person(people, request.SubmittedById), request.OpenedAt, request.DueAt,
            request.IsOpen && request.DueAt is { } due && due < now, request.Quorum, request.ApprovalCount, request.SnapshotHash, request.PreviousRequestId,
            stale, request.StaleSince, request.StaleSections.Length == 0 ? [] : request.StaleSections.Split(','), request.ClosedAt,
            [.. request.Decisions.OrderBy(d => d.DecidedAt).Select(d => new ApprovalDecisionDto(
                d.Id, d.Decision.ToString().ToLowerInvariant(), Person(people, d.DeciderId), d.OnBehalfOfId is { } o ? Person(people, o) : null,
                d.Comment, d.Sections, d.SnapshotHash, d.DecidedAt))],
            previous is null ? [] : diffs.Of(request.Id, previous.Snapshot, request.Snapshot), request.OnHold);
    }

    private async Task<IReadOnlyDictionary<string, PersonDto>> PeopleAsync(IReadOnlyList<ApprovalRequest> requests, CancellationToken ct)
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
        var users = await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id)).Select(u => new { u.Id, u.DisplayName, u.Email }).ToListAsync(ct);
        return users.ToDictionary(u => u.Id, u => new PersonDto(u.Id, string.IsNullOrEmpty(u.DisplayName) ? u.Email ?? u.Id : u.DisplayName, u.Email), StringComparer.Ordinal);
    }

    public static PersonDto Person(IReadOnlyDictionary<string, PersonDto> people, string id)
    {
        ArgumentNullException.ThrowIfNull(people);
        return people.TryGetValue(id, out var person) ? person : new PersonDto(id, id, null);
    }
}
