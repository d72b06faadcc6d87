using Microsoft.Extensions.Caching.Memory;
using System.Globalization;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.Approvals;
using RestorationWorkflow.Data;
using RestorationWorkflow.Identity;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Web.Features.Approvals;
using RestorationWorkflow.Web.Features.Identity;
using RestorationWorkflow.Web.Features.Projects;
using PersonDto = RestorationWorkflow.Web.Features.Approvals.PersonDto;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Web.Features.Inbox;

/// <summary>The kinds of inbox item.</summary>
public static class InboxKinds
{
    /// <summary>An open request the user may decide now, in person or under a delegation.</summary>
    public const string Decide = "decide";

    /// <summary>A stale open request of a project the user manages: resubmit it.</summary>
    public const string Resubmit = "resubmit";

    /// <summary>A project the user manages in an active state: its advance transitions and what they still lack.</summary>
    public const string NextAction = "nextAction";

    /// <summary>A request of a project the user manages rejected in the last 30 days, with the comment.</summary>
    public const string Returned = "returned";

    /// <summary>A request the user approved that went stale: approve again after the resubmission.</summary>
    public const string StaleDecision = "staleDecision";

    /// <summary>Administrators and auditors: open requests past due, across all projects.</summary>
    public const string Overdue = "overdue";

    public static readonly IReadOnlyList<string> All = [Decide, Resubmit, NextAction, Returned, StaleDecision, Overdue];

    public static LocalizedText Label(string kind) => kind switch
    {
        Decide => new("To decide", "待决定"),
        Resubmit => new("To resubmit", "待重新提交"),
        NextAction => new("Next actions", "下一步"),
        Returned => new("Returned", "已退回"),
        StaleDecision => new("Approvals to give again", "需重新批准"),
        Overdue => new("Overdue", "已逾期"),
        _ => new(kind, kind),
    };
}

public sealed record InboxProjectDto(Guid Id, string Code, string Name, string State, LocalizedText StateLabel, int Version);

/// <summary>An advance transition leaving the project's state: whether the user may fire it now, and every unmet condition.</summary>
public sealed record InboxActionDto(string Trigger, LocalizedText Label, string? To, bool Allowed, IReadOnlyList<UnmetGuard> Unmet);

/// <summary>
/// One thing waiting on the user. <c>requestId</c>, <c>gate</c>, the approvals and the snapshot belong to the request
/// items; <c>changes</c> (what changed since the previous submission to the same gate) to <c>decide</c>;
/// <c>onBehalfOf</c> is set when the user may decide only as a delegate, <c>mayDecideFor</c> lists the approvers whose
/// delegation in force today lets the user decide for them; <c>comment</c>/<c>sections</c>/<c>decidedBy</c> belong
/// to <c>returned</c>; <c>actions</c> to <c>nextAction</c>. <c>readOnly</c>: shown, not for the user to act on.
/// </summary>
public sealed record InboxItemDto(
    string Kind, InboxProjectDto Project, string? Gate, LocalizedText? GateLabel, Guid? RequestId, DateTimeOffset? DueAt, bool Overdue,
    LocalizedText Reason, bool ReadOnly, PersonDto? SubmittedBy, PersonDto? OnBehalfOf, IReadOnlyList<PersonDto> MayDecideFor,
    int? Approvals, int? Quorum, string? SnapshotHash, IReadOnlyList<string> Covers, int ChangeCount, IReadOnlyList<SnapshotChange> Changes,
    string? Comment, IReadOnlyList<string> Sections, PersonDto? DecidedBy, DateTimeOffset? At, IReadOnlyList<InboxActionDto> Actions);

/// <summary>A kind whose list is cut: how many are shown of how many, and why.</summary>
public sealed record InboxLimitDto(string Kind, int Shown, int Total, LocalizedText Note);

/// <summary>
/// What waits on the user, sorted by due date (none last). <c>counts</c>: every kind's total (not only what is shown);
/// <c>badge</c>: decide + resubmit + overdue, the navigation's count; <c>limits</c>: the kinds shown in part.
/// </summary>
public sealed record InboxDto(int Total, int Badge, IReadOnlyDictionary<string, int> Counts, IReadOnlyList<InboxItemDto> Items, IReadOnlyList<InboxLimitDto> Limits);

/// <summary>
/// Reads a user's inbox with a fixed number of queries per kind (the next actions evaluate at most
/// <see cref="NextActionCap"/> projects), every list filtered on the server for the caller. The navigation's count is
/// one query (<see cref="BadgeAsync"/>). Nothing is cached: each request reads the database.
/// </summary>
public sealed class InboxReader(AppDbContext db, WorkflowCatalog catalog, TransitionEvaluator evaluator, TimeProvider time, SnapshotDiffs diffs)
{
    /// <summary>Requests to decide, to resubmit, returned, stale approvals and overdue requests shown at most.</summary>
    public const int ListCap = 50;

    /// <summary>Projects whose next actions are evaluated at most (most recently updated first).</summary>
    public const int NextActionCap = 20;

    /// <summary>Changes since the previous submission listed per item at most (<c>changeCount</c> counts them all).</summary>
    public const int ChangeCap = 25;

    /// <summary>How far back rejections are shown.</summary>
    public static readonly TimeSpan ReturnedWindow = TimeSpan.FromDays(30);

    private sealed record Scope(string Me, Caller Caller, bool Oversees, DecidableRequests Deciding, DateTimeOffset Now)
    {
        public string[] Gates => Deciding.Gates;
    }

    private Scope ScopeOf(ClaimsPrincipal user)
    {
        var caller = user.ToCaller();
        var oversees = caller.IsInRole(AppRoles.Administrator) || caller.IsInRole(AppRoles.Auditor);
        return new Scope(caller.UserId, caller, oversees, DecidableRequests.For(caller.UserId, caller.IsInRole, catalog), time.GetUtcNow());
    }

    /// <summary>Open, non-stale requests of projects in their review that the user may decide in person (before the rules' last word).</summary>
    private IQueryable<ApprovalRequest> Decidable(Scope s) => s.Deciding.Query(db).AsNoTracking();

    private IQueryable<ApprovalRequest> ToResubmit(Scope s)
    {
        var me = s.Me;
        return db.ApprovalRequests.AsNoTracking()
            .Where(r => r.Status == ApprovalRequestStatus.Open && r.Stale)
            .Where(r => db.ProjectMembers.Any(m => m.ProjectId == r.ProjectId && m.UserId == me && m.Role == ProjectMemberRole.Manager));
    }

    /// <summary>Stale open requests the user approved: approve again after the resubmission.</summary>
    private IQueryable<ApprovalRequest> StaleApproved(Scope s)
    {
        var me = s.Me;
        return db.ApprovalRequests.AsNoTracking().Where(r => r.Status == ApprovalRequestStatus.Open && r.Stale
            && r.Decisions.Any(d => d.DeciderId == me && d.Decision == ApprovalDecisionKind.Approve));
    }

    /// <summary>The delegations in force today that let the user decide on someone's behalf.</summary>
    private IQueryable<ApprovalDelegation> DelegationsInForce(Scope s)
    {
        var me = s.Me;
        var today = DateOnly.FromDateTime(s.Now.UtcDateTime);
        return db.ApprovalDelegations.AsNoTracking().Where(d => d.DelegateId == me && d.RevokedAt == null && d.StartsOn <= today && d.EndsOn >= today);
    }

    private IQueryable<ApprovalRequest> PastDue(Scope s)
    {
        var now = s.Now;
        return db.ApprovalRequests.AsNoTracking().Where(r => r.Status == ApprovalRequestStatus.Open && r.DueAt != null && r.DueAt < now);
    }

    /// <summary>The navigation's count: requests to decide, to resubmit and (administrators, auditors) overdue — one query.</summary>
    public async Task<int> BadgeAsync(ClaimsPrincipal user, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(user);
        var s = ScopeOf(user);
        var decidable = s.Gates.Length > 0 ? Decidable(s) : db.ApprovalRequests.Where(_ => false);
        var pastDue = s.Oversees ? PastDue(s) : db.ApprovalRequests.Where(_ => false);
        var resubmit = ToResubmit(s);
        var me = s.Me;
        var counts = await db.Users.AsNoTracking().Where(u => u.Id == me)
            .Select(_ => decidable.Count() + resubmit.Count() + pastDue.Count())
            .FirstOrDefaultAsync(ct);
        return counts;
    }

    public async Task<InboxDto> ReadAsync(ClaimsPrincipal user, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(user);
        var s = ScopeOf(user);
        var items = new List<InboxItemDto>();
        var counts = InboxKinds.All.ToDictionary(k => k, _ => 0, StringComparer.Ordinal);
        var limits = new List<InboxLimitDto>();
        var people = new Dictionary<string, PersonDto>(StringComparer.Ordinal);
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        var pending = new List<Func<InboxItemDto>>();

        // One statement says which kinds can have items, so a user is spared the statements of the others: requests to
        // resubmit, returned ones and next actions are of projects the user manages (most approvers manage none);
        // approvals to give again need an approval of the user's on a stale open request; decisions for others need a
        // delegation in force today.
        var me = s.Me;
        var staleApproved = StaleApproved(s);
        var inForce = DelegationsInForce(s);
        var probe = await db.Users.AsNoTracking().Where(u => u.Id == me).Select(_ => new Probe(
                db.ProjectMembers.Any(m => m.UserId == me && m.Role == ProjectMemberRole.Manager), staleApproved.Any(), inForce.Any()))
            .FirstOrDefaultAsync(ct) ?? new Probe(false, false, false);
        if (s.Gates.Length > 0)
            await DecideAsync(s, probe, counts, limits, wanted, pending, ct);
        if (probe.Manages)
            await ManagedRequestsAsync(s, counts, limits, wanted, pending, ct);
        if (probe.ApprovedStale)
            await StaleDecisionsAsync(s, counts, limits, pending, ct);
        if (s.Oversees)
            await OverdueAsync(s, counts, limits, wanted, pending, ct);

        foreach (var (id, person) in await ApprovalReader.NamesAsync(db, wanted, ct))
            people[id] = person;
        _people = people;
        items.AddRange(pending.Select(build => build()));
        if (probe.Manages)
            items.AddRange(await NextActionsAsync(s, user, counts, limits, ct));

        var order = InboxKinds.All.Select((k, i) => (k, i)).ToDictionary(x => x.k, x => x.i, StringComparer.Ordinal);
        var sorted = items.OrderBy(i => i.DueAt is null).ThenBy(i => i.DueAt).ThenBy(i => order[i.Kind])
            .ThenByDescending(i => i.At).ThenBy(i => i.Project.Code, StringComparer.Ordinal).ToList();
        var badge = counts[InboxKinds.Decide] + counts[InboxKinds.Resubmit] + counts[InboxKinds.Overdue];
        return new InboxDto(counts.Values.Sum(), badge, counts, sorted, limits);
    }

    private IReadOnlyDictionary<string, PersonDto> _people = new Dictionary<string, PersonDto>(StringComparer.Ordinal);

    private PersonDto Person(string id) => ApprovalReader.Person(_people, id);

    /// <summary>
    /// What the inbox shows of a request: its columns but the snapshot (kilobytes, read only to diff against the
    /// previous submission), with its distinct approvers and decisions counted in SQL.
    /// </summary>
    private sealed record RequestView(
        Guid Id, Guid ProjectId, string Gate, string State, string SubmittedById, DateTimeOffset OpenedAt, DateTimeOffset? DueAt, int Quorum,
        string SnapshotHash, Guid? PreviousRequestId, bool Stale, string StaleSections, int ApprovalCount, int DecisionCount);

    private sealed record RequestRow(RequestView Request, string Code, string Name, string State, string WorkflowId, int WorkflowVersion, int Version);

    /// <summary>Who decided a request, in person or for whom: what <see cref="ApprovalRules"/> reads of its decisions.</summary>
    private sealed record DeciderView(Guid RequestId, string DeciderId, string? OnBehalfOfId);

    private sealed record TeamMember(Guid ProjectId, string UserId);

    /// <summary>Which kinds can have items for the user (<see cref="ReadAsync"/>'s first statement).</summary>
    private sealed record Probe(bool Manages, bool ApprovedStale, bool Delegate);

    private async Task DecideAsync(
        Scope s, Probe probe, Dictionary<string, int> counts, List<InboxLimitDto> limits, HashSet<string> wanted, List<Func<InboxItemDto>> pending,
        CancellationToken ct)
    {
        var query = Decidable(s);
        // The count and the first ListCap ids, both from the covering index (no request row, whose snapshot is kilobytes,
        // is read to filter or order). Two statements rather than every id read into memory, so what a read holds does
        // not grow with the number of open requests.
        var total = await query.CountAsync(ct);
        if (total == 0)
            return;
        // Due dates first (nulls last) as two statements: each walks the index in its order and stops at the page's end,
        // where one ORDER BY "DueAt" IS NULL sorts every decidable request first.
        var ids = await query.Where(r => r.DueAt != null).OrderBy(r => r.DueAt).ThenBy(r => r.OpenedAt).Select(r => r.Id).Take(ListCap).ToListAsync(ct);
        if (ids.Count < ListCap && total > ids.Count)
            ids.AddRange(await query.Where(r => r.DueAt == null).OrderBy(r => r.OpenedAt).Select(r => r.Id).Take(ListCap - ids.Count).ToListAsync(ct));
        var rank = ids.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i);
        // Then those requests' columns (no snapshot) with their project's: what the rules and the item read, not whole rows.
        var page = (await Rows(db.ApprovalRequests.AsNoTracking().Where(r => EF.Parameter(ids).Contains(r.Id))).ToListAsync(ct))
            .OrderBy(r => rank[r.Request.Id]).ToList();
        var delegators = !probe.Delegate ? [] : await DelegationsInForce(s).Select(d => d.DelegatorId).Distinct().ToListAsync(ct);
        // Who decided each request and its project's team, read only where the rules could answer otherwise than the
        // query did: the query leaves out every request the user decided (in person or for someone) and, in the gates
        // that keep separation of duties in every version, those the user submitted or whose team the user is on; a
        // delegator's part, and a gate that keeps it only in some versions, are the rules' to judge.
        var judged = delegators.Count > 0 ? ids : [.. page.Where(r => !s.Deciding.SeparatedGates.Contains(r.Request.Gate)).Select(r => r.Request.Id)];
        var deciders = (judged.Count == 0 ? [] : await db.ApprovalDecisions.AsNoTracking().Where(d => EF.Parameter(judged).Contains(d.RequestId))
            .Select(d => new DeciderView(d.RequestId, d.DeciderId, d.OnBehalfOfId)).ToListAsync(ct)).ToLookup(d => d.RequestId);
        var projectIds = page.Where(r => judged.Contains(r.Request.Id)).Select(r => r.Request.ProjectId).Distinct().ToList();
        var teams = (projectIds.Count == 0 ? [] : await db.ProjectMembers.AsNoTracking().Where(m => EF.Parameter(projectIds).Contains(m.ProjectId))
            .Select(m => new TeamMember(m.ProjectId, m.UserId)).ToListAsync(ct)).ToLookup(m => m.ProjectId, m => m.UserId);
        // A request and its predecessor never change: their diff is computed once per node and kept (SnapshotDiffs).
        var changesOf = await diffs.OfAsync(db, page.Select(r => (r.Request.Id, r.Request.PreviousRequestId)), ct);

        var shown = 0;
        foreach (var row in page)
        {
            var request = row.Request;
            // The query trusts OnHold for the project's state; the page checks the project itself, as the decision does.
            if (catalog.Find(row.WorkflowId, row.WorkflowVersion)?.FindGate(request.Gate) is not { } gate || row.State != request.State)
            {
                total--;
                continue;
            }
            var decided = deciders[request.Id];
            var team = teams[request.ProjectId];
            var parties = new ApprovalParties(
                request.SubmittedById, id => decided.Any(d => d.DeciderId == id || d.OnBehalfOfId == id), id => team.Contains(id, StringComparer.Ordinal));
            var inPerson = ApprovalRules.Check(s.Caller, gate, parties, null, false).Count == 0;
            var forWhom = delegators.Where(x => ApprovalRules.Check(s.Caller, gate, parties, x, true).Count == 0).ToList();
            if (!inPerson && forWhom.Count == 0)
            {
                total--;
                continue;
            }
            shown++;
            wanted.Add(request.SubmittedById);
            wanted.UnionWith(forWhom);
            var changes = changesOf.GetValueOrDefault(request.Id) ?? [];
            pending.Add(() =>
            {
                var onBehalfOf = inPerson ? null : Person(forWhom[0]);
                var mayFor = forWhom.Select(Person).ToList();
                var behalf = onBehalfOf is null ? new LocalizedText("", "") : new LocalizedText($" on behalf of {onBehalfOf.Name}", $"（代表 {onBehalfOf.Name}）");
                var also = inPerson && mayFor.Count > 0
                    ? new LocalizedText($" You may also decide on behalf of {string.Join(", ", mayFor.Select(m => m.Name))}.", $"您也可以代表 {string.Join("、", mayFor.Select(m => m.Name))} 作出决定。")
                    : new LocalizedText("", "");
                var since = changes.Count == 0
                    ? new LocalizedText("", "")
                    : new LocalizedText($" {changes.Count} change(s) since the previous submission.", $"自上次提交以来有 {changes.Count} 处更改。");
                var reason = new LocalizedText(
                    $"{gate.Label.En}: your decision{behalf.En} ({request.ApprovalCount} of {request.Quorum} approvals so far; submitted by {Person(request.SubmittedById).Name}).{since.En}{also.En}",
                    $"{gate.Label.ZhHans}：待您{behalf.ZhHans}决定（已有 {request.ApprovalCount}/{request.Quorum} 项批准；提交人 {Person(request.SubmittedById).Name}）。{since.ZhHans}{also.ZhHans}");
                return Item(InboxKinds.Decide, row, gate.Label, s.Now, reason, readOnly: false) with
                {
                    SubmittedBy = Person(request.SubmittedById),
                    OnBehalfOf = onBehalfOf,
                    MayDecideFor = mayFor,
                    Covers = ApprovalSections.Of(gate),
                    ChangeCount = changes.Count,
                    Changes = changes.Count > ChangeCap ? [.. changes.Take(ChangeCap)] : changes,
                };
            });
        }
        counts[InboxKinds.Decide] = total;
        if (total > shown)
            limits.Add(Limit(InboxKinds.Decide, shown, total));
    }

    private async Task ManagedRequestsAsync(
        Scope s, Dictionary<string, int> counts, List<InboxLimitDto> limits, HashSet<string> wanted, List<Func<InboxItemDto>> pending, CancellationToken ct)
    {
        var me = s.Me;
        // Stale open requests of the user's projects.
        var stale = await Rows(ToResubmit(s).OrderBy(r => r.DueAt == null).ThenBy(r => r.DueAt)).Take(ListCap + 1).ToListAsync(ct);
        var staleTotal = stale.Count > ListCap ? await ToResubmit(s).CountAsync(ct) : stale.Count;
        foreach (var row in stale.Take(ListCap))
        {
            var gateLabel = GateLabel(row);
            var sections = Sections(row.Request.StaleSections);
            pending.Add(() => Item(InboxKinds.Resubmit, row, gateLabel, s.Now, new LocalizedText(
                $"{gateLabel.En}: what the request covers changed ({string.Join(", ", sections)}) after it was opened; resubmit it so that approvers sign what is there now.",
                $"{gateLabel.ZhHans}：请求打开后其涵盖的内容（{string.Join("、", sections)}）已更改；请重新提交，让审批人签署当前内容。"), readOnly: false) with
            { Sections = sections });
        }
        counts[InboxKinds.Resubmit] = staleTotal;
        if (staleTotal > ListCap)
            limits.Add(Limit(InboxKinds.Resubmit, ListCap, staleTotal));

        // Rejections of the user's projects in the last 30 days, newest first.
        var since = s.Now - ReturnedWindow;
        var rejections = db.ApprovalDecisions.AsNoTracking().Where(d => d.Decision == ApprovalDecisionKind.Reject && d.DecidedAt >= since
            && db.ProjectMembers.Any(m => m.ProjectId == d.ProjectId && m.UserId == me && m.Role == ProjectMemberRole.Manager));
        var latest = await rejections.OrderByDescending(d => d.DecidedAt).Take(ListCap + 1).ToListAsync(ct);
        var returnedTotal = latest.Count > ListCap ? await rejections.CountAsync(ct) : latest.Count;
        var rejectedIds = latest.Take(ListCap).Select(d => d.RequestId).Distinct().ToList();
        var rejected = rejectedIds.Count == 0 ? [] : await Rows(db.ApprovalRequests.AsNoTracking().Where(r => EF.Parameter(rejectedIds).Contains(r.Id))).ToListAsync(ct);
        var rowOf = rejected.ToDictionary(r => r.Request.Id);
        var returned = latest.Take(ListCap).Select(d => new { Decision = d, Row = rowOf[d.RequestId] }).ToList();
        foreach (var (decision, row) in returned.Select(x => (x.Decision, x.Row)))
        {
            wanted.Add(decision.DeciderId);
            if (decision.OnBehalfOfId is { } o)
                wanted.Add(o);
            var gateLabel = GateLabel(row);
            pending.Add(() =>
            {
                var by = Person(decision.DeciderId);
                var day = decision.DecidedAt.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                return Item(InboxKinds.Returned, row, gateLabel, s.Now, new LocalizedText(
                    $"{gateLabel.En}: returned by {by.Name} on {day}: “{decision.Comment}”",
                    $"{gateLabel.ZhHans}：{by.Name} 于 {day} 退回：“{decision.Comment}”"), readOnly: false) with
                {
                    DueAt = null,
                    Overdue = false,
                    Comment = decision.Comment,
                    Sections = decision.Sections,
                    DecidedBy = by,
                    OnBehalfOf = decision.OnBehalfOfId is { } behalf ? Person(behalf) : null,
                    At = decision.DecidedAt,
                };
            });
        }
        counts[InboxKinds.Returned] = returnedTotal;
        if (returnedTotal > ListCap)
            limits.Add(Limit(InboxKinds.Returned, ListCap, returnedTotal));
    }

    private async Task StaleDecisionsAsync(Scope s, Dictionary<string, int> counts, List<InboxLimitDto> limits, List<Func<InboxItemDto>> pending, CancellationToken ct)
    {
        var query = StaleApproved(s);
        var rows = await Rows(query.OrderBy(r => r.DueAt == null).ThenBy(r => r.DueAt)).Take(ListCap + 1).ToListAsync(ct);
        if (rows.Count == 0)
            return;
        var total = rows.Count > ListCap ? await query.CountAsync(ct) : rows.Count;
        foreach (var row in rows.Take(ListCap))
        {
            var gateLabel = GateLabel(row);
            var sections = Sections(row.Request.StaleSections);
            pending.Add(() => Item(InboxKinds.StaleDecision, row, gateLabel, s.Now, new LocalizedText(
                $"{gateLabel.En}: your approval no longer counts — {string.Join(", ", sections)} changed after you approved. Approve again once the manager resubmits.",
                $"{gateLabel.ZhHans}：您的批准已失效——批准后 {string.Join("、", sections)} 已更改。项目经理重新提交后请再次批准。"), readOnly: true) with
            { Sections = sections });
        }
        counts[InboxKinds.StaleDecision] = total;
        if (total > ListCap)
            limits.Add(Limit(InboxKinds.StaleDecision, ListCap, total));
    }

    private async Task OverdueAsync(
        Scope s, Dictionary<string, int> counts, List<InboxLimitDto> limits, HashSet<string> wanted, List<Func<InboxItemDto>> pending, CancellationToken ct)
    {
        var total = await PastDue(s).CountAsync(ct);
        counts[InboxKinds.Overdue] = total;
        if (total == 0)
            return;
        var rows = await Rows(PastDue(s).OrderBy(r => r.DueAt)).Take(ListCap).ToListAsync(ct);
        var auditorOnly = !s.Caller.IsInRole(AppRoles.Administrator);
        foreach (var row in rows)
        {
            wanted.Add(row.Request.SubmittedById);
            var gateLabel = GateLabel(row);
            pending.Add(() =>
            {
                var r = row.Request;
                var day = r.DueAt!.Value.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                return Item(InboxKinds.Overdue, row, gateLabel, s.Now, new LocalizedText(
                    $"{gateLabel.En}: due {day}, {(r.Stale ? "stale, waiting for resubmission" : $"{r.DecisionCount} decision(s), quorum {r.Quorum}")}; submitted by {Person(r.SubmittedById).Name}.",
                    $"{gateLabel.ZhHans}：截止 {day}，{(r.Stale ? "已失效，待重新提交" : $"已有 {r.DecisionCount} 项决定，法定人数 {r.Quorum}")}；提交人 {Person(r.SubmittedById).Name}。"), readOnly: auditorOnly) with
                { SubmittedBy = Person(r.SubmittedById) };
            });
        }
        if (total > rows.Count)
            limits.Add(Limit(InboxKinds.Overdue, rows.Count, total));
    }

    private async Task<IReadOnlyList<InboxItemDto>> NextActionsAsync(
        Scope s, ClaimsPrincipal user, Dictionary<string, int> counts, List<InboxLimitDto> limits, CancellationToken ct)
    {
        var me = s.Me;
        var active = catalog.All.SelectMany(d => d.States).Where(st => st.Kind == StateKind.Active).Select(st => st.Code).Distinct(StringComparer.Ordinal).ToArray();
        // Driven from the user's memberships (indexed by user), not from the projects in an active state (thousands).
        var managed =
            from m in db.ProjectMembers.AsNoTracking()
            where m.UserId == me && m.Role == ProjectMemberRole.Manager
            join p in db.Projects.AsNoTracking() on m.ProjectId equals p.Id
            where active.Contains(p.State)
            select p;
        var projects = await managed.Include(p => p.Members).AsSingleQuery().OrderByDescending(p => p.UpdatedAt).Take(NextActionCap + 1).ToListAsync(ct);
        if (projects.Count == 0)
            return [];
        var total = projects.Count > NextActionCap ? await managed.CountAsync(ct) : projects.Count;
        var items = new List<InboxItemDto>();
        foreach (var project in projects.Take(NextActionCap))
        {
            var definition = catalog.DefinitionOf(project);
            var state = definition.GetState(project.State);
            if (state.Kind != StateKind.Active)
            {
                total--;
                continue;
            }
            var evaluations = await evaluator.EvaluateAllAsync(project, definition, user, ct);
            var actions = evaluations.Where(e => e.Transition.Kind == "advance")
                .Select(e => new InboxActionDto(e.Transition.Trigger, e.Transition.Label, e.To, e.Allowed, [.. e.Forbidden, .. e.Unmet])).ToList();
            if (actions.Count == 0)
            {
                total--;
                continue;
            }
            var ready = actions.Where(a => a.Allowed).Select(a => a.Label).ToList();
            var blocked = actions.Where(a => !a.Allowed).ToList();
            var reason = ready.Count > 0
                ? new LocalizedText($"Ready: {string.Join(", ", ready.Select(l => l.En))}.", $"可执行：{string.Join("、", ready.Select(l => l.ZhHans))}。")
                : new LocalizedText(
                    $"Next: {string.Join(", ", blocked.Select(a => $"{a.Label.En} ({a.Unmet.Count} condition(s) unmet)"))}.",
                    $"下一步：{string.Join("、", blocked.Select(a => $"{a.Label.ZhHans}（{a.Unmet.Count} 项条件未满足）"))}。");
            var row = new InboxProjectDto(project.Id, project.Code, project.Name, project.State, state.Label, project.Version);
            items.Add(new InboxItemDto(InboxKinds.NextAction, row, null, null, null, null, false, reason, false, null, null, [], null, null, null, [], 0, [],
                null, [], null, project.UpdatedAt, actions));
        }
        counts[InboxKinds.NextAction] = total;
        if (projects.Count > NextActionCap)
            limits.Add(Limit(InboxKinds.NextAction, items.Count, total));
        return items;
    }

    private IQueryable<RequestRow> Rows(IQueryable<ApprovalRequest> requests) =>
        from r in requests
        join p in db.Projects.AsNoTracking() on r.ProjectId equals p.Id
        select new RequestRow(
            new RequestView(r.Id, r.ProjectId, r.Gate, r.State, r.SubmittedById, r.OpenedAt, r.DueAt, r.Quorum, r.SnapshotHash, r.PreviousRequestId, r.Stale,
                r.StaleSections, r.Decisions.Where(x => x.Decision == ApprovalDecisionKind.Approve).Select(x => x.DeciderId).Distinct().Count(), r.Decisions.Count),
            p.Code, p.Name, p.State, p.WorkflowId, p.WorkflowVersion, p.Version);

    private LocalizedText GateLabel(RequestRow row) =>
        catalog.Find(row.WorkflowId, row.WorkflowVersion)?.FindGate(row.Request.Gate)?.Label ?? new LocalizedText(row.Request.Gate, row.Request.Gate);

    private InboxItemDto Item(string kind, RequestRow row, LocalizedText gateLabel, DateTimeOffset now, LocalizedText reason, bool readOnly)
    {
        var r = row.Request;
        var stateLabel = catalog.Find(row.WorkflowId, row.WorkflowVersion)?.FindState(row.State)?.Label ?? new LocalizedText(row.State, row.State);
        return new InboxItemDto(
            kind, new InboxProjectDto(r.ProjectId, row.Code, row.Name, row.State, stateLabel, row.Version), r.Gate, gateLabel, r.Id, r.DueAt,
            r.DueAt is { } due && due < now, reason, readOnly, null, null, [], r.ApprovalCount, r.Quorum, r.SnapshotHash, [], 0, [], null, [], null,
            r.OpenedAt, []);
    }

    private static List<string> Sections(string csv) => csv.Length == 0 ? [] : [.. csv.Split(',')];

    private static InboxLimitDto Limit(string kind, int shown, int total) => new(kind, shown, total, kind == InboxKinds.NextAction
        ? new LocalizedText(
            $"The next actions of the {shown} most recently updated projects you manage are shown ({total} in all).",
            $"仅显示您管理的最近更新的 {shown} 个项目的下一步（共 {total} 个）。")
        : new LocalizedText(
            $"The first {shown} of {total} by due date are shown.",
            $"按截止日期显示前 {shown} 项（共 {total} 项）。"));
}
