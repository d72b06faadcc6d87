using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.Approvals;
using RestorationWorkflow.Audit;
using RestorationWorkflow.Data;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Reminders;
using RestorationWorkflow.Web.Features.Projects;
using RestorationWorkflow.Web.Infrastructure.Persistence;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Web.Features.Reminders.Due;

/// <summary>What a command's changes can move: each flag is one group of due-item kinds the planner recomputes.</summary>
[Flags]
public enum DueAspects
{
    None = 0,

    /// <summary>targetMonitoring and targetDeadline: a target changed, or a review was recorded.</summary>
    Targets = 1,

    /// <summary>planReview: C4's review interval changed, or a review was recorded.</summary>
    PlanReview = 2,

    /// <summary>approvalDecision: a request opened or closed.</summary>
    Approvals = 4,

    /// <summary>consentRenewal: a consent record (or its stakeholder's name) changed.</summary>
    Consents = 8,

    /// <summary>stepWindow: the start date changed.</summary>
    StepWindow = 16,

    /// <summary>Everything: a new workflow version, or a closed or cancelled project (whose items all go).</summary>
    All = Targets | PlanReview | Approvals | Consents | StepWindow,

    /// <summary>The state changed: narrowed to what the move can change (<see cref="DueItemPlanner.StateAspects"/>).</summary>
    State = 32,
}

/// <summary>
/// Keeps the <c>DueItems</c> table true, inside every project command (an <see cref="IProjectChangeHook"/>, after the
/// command applied its changes and after <c>ApprovalLifecycle</c> opened or closed requests; same audit event, same
/// SaveChanges). From the audit record's field names it knows what the command can have changed
/// (<see cref="AspectsOf"/>); it reads only the facts of those kinds (nothing at all for a checklist tick), computes
/// the items those facts make due (<see cref="DuePlan"/>), and diffs them with the stored ones by key: new keys are
/// inserted, moved dates or titles updated, vanished keys deleted, and nothing is written when nothing moved. A closed
/// project keeps its targets' reviews and deadlines until the last target's horizon (<see cref="DuePlan.AfterClosure"/>);
/// a cancelled one has no due items.
/// </summary>
public sealed class DueItemPlanner(AppDbContext db, WorkflowCatalog catalog) : IProjectChangeHook
{
    /// <summary>The step whose form holds the plan's review interval (C4's <c>reviewIntervalMonths</c>).</summary>
    public const string PlanFormCode = "C4";

    public const string ReviewIntervalField = "reviewIntervalMonths";

    public async Task AfterApplyAsync(ProjectCommandContext context, ProjectCommand command, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        var aspects = AspectsOf(context.Audit.Fields);
        if (aspects.HasFlag(DueAspects.State))
            aspects = (aspects & ~DueAspects.State) | StateAspects(context);
        if (aspects != DueAspects.None)
            await PlanAsync(context.Project, aspects, context.Audit.Trigger, context.Now, ct);
    }

    /// <summary>
    /// Which due items the recorded fields can move (see <see cref="DueAspects"/>); a change of state is reported as
    /// <see cref="DueAspects.State"/>, narrowed by <see cref="StateAspects"/>, a new workflow version as everything.
    /// </summary>
    public static DueAspects AspectsOf(IEnumerable<string> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var aspects = DueAspects.None;
        foreach (var field in fields)
        {
            if (field is "workflowVersion" or "stateBeforeSuspension")
                return DueAspects.All;
            var head = field.Split('.', 2)[0];
            aspects |= head switch
            {
                "state" when field == "state" => DueAspects.State,
                "startDate" => DueAspects.StepWindow,
                "targets" => DueAspects.Targets,
                "monitoring" => DueAspects.Targets | DueAspects.PlanReview,
                "steps" when field == $"steps.{PlanFormCode}.{ReviewIntervalField}" => DueAspects.PlanReview,
                "consents" when !field.Contains(".verified", StringComparison.Ordinal) => DueAspects.Consents,
                "stakeholders" when field.EndsWith(".name", StringComparison.Ordinal) => DueAspects.Consents,
                "approvals" when field.EndsWith(".sequence", StringComparison.Ordinal) || field.EndsWith(".status", StringComparison.Ordinal) => DueAspects.Approvals,
                _ => DueAspects.None,
            };
        }
        return aspects;
    }

    /// <summary>
    /// What a move from <see cref="ProjectCommandContext.FromState"/> can change: everything when the project closed
    /// or was cancelled (all its items go); the step window (another state, another window); and the targets' and the
    /// plan's reviews only when the move enters or leaves the monitoring phase or approves the plan. Approval requests
    /// opened or closed by the move are reported by their own fields; consents do not depend on the state.
    /// </summary>
    public DueAspects StateAspects(ProjectCommandContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var project = context.Project;
        var definition = catalog.DefinitionOf(project);
        if (definition.GetState(project.State).Kind == StateKind.Terminal)
            return DueAspects.All;
        var phase = MonitoringPhase.Of(definition);
        var now = MonitoringPhase.WorkingState(definition, project.State, project.StateBeforeSuspension);
        // Suspending keeps the state worked in; resuming returns to it.
        var before = definition.FindState(context.FromState)?.Kind == StateKind.Suspended || project.StateBeforeSuspension == context.FromState
            ? now : context.FromState;
        var approved = context.Audit.Trigger is { } trigger && phase.ApprovalTriggers.Contains(trigger);
        return phase.Applies(before) != phase.Applies(now) || approved
            ? DueAspects.StepWindow | DueAspects.Targets | DueAspects.PlanReview
            : DueAspects.StepWindow;
    }

    /// <summary>The kinds of due item that <paramref name="aspects"/> cover.</summary>
    public static IReadOnlyList<string> KindsOf(DueAspects aspects)
    {
        var kinds = new List<string>();
        if (aspects.HasFlag(DueAspects.Targets))
            kinds.AddRange([DueItemKinds.TargetMonitoring, DueItemKinds.TargetDeadline]);
        if (aspects.HasFlag(DueAspects.PlanReview))
            kinds.Add(DueItemKinds.PlanReview);
        if (aspects.HasFlag(DueAspects.Approvals))
            kinds.Add(DueItemKinds.ApprovalDecision);
        if (aspects.HasFlag(DueAspects.Consents))
            kinds.Add(DueItemKinds.ConsentRenewal);
        if (aspects.HasFlag(DueAspects.StepWindow))
            kinds.Add(DueItemKinds.StepWindow);
        return kinds;
    }

    /// <summary>
    /// Recomputes the items of <paramref name="aspects"/> for the tracked <paramref name="project"/> and stages the
    /// inserts, updates and deletes in the context (the caller saves). <paramref name="firedTrigger"/> is the trigger the
    /// running command fired, if any (its audit event is not stored yet).
    /// </summary>
    public async Task<DueItemDiff> PlanAsync(Project project, DueAspects aspects, string? firedTrigger, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(project);
        var definition = catalog.DefinitionOf(project);
        var planned = new List<PlannedDueItem>();
        if (RestorationWorkflow.Projects.Targets.MeasurementStates.IsClosed(definition, project.State))
        {
            // After closure monitoring goes on (the seed's D2): the targets' reviews and deadlines stay due until the last
            // target's horizon; nothing else is (no plan review, no window, no open request, no consent to renew).
            aspects = DueAspects.All;
            var phase = MonitoringPhase.Of(definition);
            if (phase.StartState is not null)
            {
                var monitoringFrom = await MonitoringFromAsync(project, phase, firedTrigger, now, ct);
                var targets = await TargetFactsAsync(project.Id, await LastReviewsAsync(project.Id, ct), ct);
                planned.AddRange(DuePlan.AfterClosure(targets, monitoringFrom));
            }
        }
        else if (definition.GetState(project.State).Kind == StateKind.Terminal)
        {
            aspects = DueAspects.All;
        }
        else
        {
            var working = MonitoringPhase.WorkingState(definition, project.State, project.StateBeforeSuspension);
            var phase = MonitoringPhase.Of(definition);
            DateOnly? monitoringFrom = null;
            if ((aspects & (DueAspects.Targets | DueAspects.PlanReview)) != 0 && phase.Applies(working))
                monitoringFrom = await MonitoringFromAsync(project, phase, firedTrigger, now, ct);
            IReadOnlyDictionary<Guid, DateOnly>? lastReviews = (aspects & (DueAspects.Targets | DueAspects.PlanReview)) != 0
                ? await LastReviewsAsync(project.Id, ct) : null;
            if (aspects.HasFlag(DueAspects.Targets))
                planned.AddRange(DuePlan.ForTargets(await TargetFactsAsync(project.Id, lastReviews!, ct), monitoringFrom));
            if (aspects.HasFlag(DueAspects.PlanReview) && monitoringFrom is not null
                && DuePlan.ForPlanReview(await ReviewIntervalAsync(project.Id, ct), lastReviews!.TryGetValue(Guid.Empty, out var plan) ? plan : null, monitoringFrom) is { } review)
                planned.Add(review);
            if (aspects.HasFlag(DueAspects.Approvals))
                planned.AddRange(DuePlan.ForApprovals(await ApprovalFactsAsync(project.Id, definition, ct)));
            if (aspects.HasFlag(DueAspects.Consents))
                planned.AddRange(DuePlan.ForConsents(await ConsentFactsAsync(project.Id, ct)));
            if (aspects.HasFlag(DueAspects.StepWindow) && project.StartDate is { } start && working is not null
                && definition.FindState(working) is { Window: { } window } state
                && DuePlan.ForStepWindow(new StepWindowDueFacts(state.Label, window, start)) is { } windowItem)
                planned.Add(windowItem);
        }

        var existing = new List<DueItem>();
        await foreach (var item in CompiledPerModel.For<StoredItems>(db.Model).Of(KindsOf(aspects))(db, project.Id).WithCancellation(ct))
            existing.Add(item);
        var diff = DuePlan.Diff(project.Id, existing, planned, now);
        db.DueItems.AddRange(diff.Added);
        db.DueItems.RemoveRange(diff.Removed);
        return diff;
    }

    /// <summary>
    /// The day monitoring is counted from until a first review is recorded: the day the plan was approved (the
    /// running command, or the latest audit event that fired a plan approval); for a project that reached the phase
    /// without one (moved by hand), the first event that entered a state of the phase. Null: none found.
    /// </summary>
    private async Task<DateOnly?> MonitoringFromAsync(Project project, MonitoringPhase phase, string? firedTrigger, DateTimeOffset now, CancellationToken ct)
    {
        if (firedTrigger is not null && phase.ApprovalTriggers.Contains(firedTrigger))
            return DuePlan.Day(now);
        var approved = await db.AuditEvents.AsNoTracking()
            .Where(e => e.ProjectId == project.Id && e.Trigger != null).Where(OneOf.Texts<AuditEvent>(nameof(AuditEvent.Trigger), phase.ApprovalTriggers))
            .OrderByDescending(e => e.Sequence).Select(e => (DateTimeOffset?)e.At).FirstOrDefaultAsync(ct);
        if (approved is { } at)
            return DuePlan.Day(at);
        var entered = await db.AuditEvents.AsNoTracking()
            .Where(e => e.ProjectId == project.Id && e.ToState != null).Where(OneOf.Texts<AuditEvent>(nameof(AuditEvent.ToState), phase.States))
            .OrderBy(e => e.Sequence).Select(e => (DateTimeOffset?)e.At).FirstOrDefaultAsync(ct);
        return entered is { } first ? DuePlan.Day(first) : null;
    }

    /// <summary>The latest review date per target (<see cref="Guid.Empty"/>: the plan), including one recorded by the running command.</summary>
    private async Task<IReadOnlyDictionary<Guid, DateOnly>> LastReviewsAsync(Guid projectId, CancellationToken ct)
    {
        var stored = await db.MonitoringReviews.AsNoTracking().Where(r => r.ProjectId == projectId)
            .Select(r => new { r.TargetId, r.ReviewedOn }).ToListAsync(ct);
        var added = TrackedEntries.Of<MonitoringReview>(db.ChangeTracker)
            .Where(e => e.State == EntityState.Added && e.Entity.ProjectId == projectId)
            .Select(e => new { e.Entity.TargetId, e.Entity.ReviewedOn });
        return stored.Concat(added).GroupBy(r => r.TargetId ?? Guid.Empty).ToDictionary(g => g.Key, g => g.Max(r => r.ReviewedOn));
    }

    private async Task<IReadOnlyList<TargetDueFacts>> TargetFactsAsync(Guid projectId, IReadOnlyDictionary<Guid, DateOnly> lastReviews, CancellationToken ct)
    {
        var targets = await CurrentAsync(db.RestorationTargets.Where(t => t.ProjectId == projectId), t => t.ProjectId == projectId, ct);
        return [.. targets.Select(t => new TargetDueFacts(t.Id, t.Details.IndicatorLabel, t.Deadline, t.MonitoringFrequencyMonths,
            lastReviews.TryGetValue(t.Id, out var last) ? last : null))];
    }

    /// <summary>C4's <c>reviewIntervalMonths</c>, or null when the form does not give one.</summary>
    private async Task<int?> ReviewIntervalAsync(Guid projectId, CancellationToken ct)
    {
        var form = (await CurrentAsync(db.StepForms.Where(f => f.ProjectId == projectId && f.Code == PlanFormCode),
            f => f.ProjectId == projectId && f.Code == PlanFormCode, ct)).FirstOrDefault();
        if (form is null || string.IsNullOrEmpty(form.Values))
            return null;
        using var values = JsonDocument.Parse(form.Values);
        return values.RootElement.ValueKind == JsonValueKind.Object
            && values.RootElement.TryGetProperty(ReviewIntervalField, out var interval)
            && interval.ValueKind == JsonValueKind.Number && interval.TryGetInt32(out var months) && months > 0
            ? months : null;
    }

    /// <summary>
    /// The open requests' due dates as the running command leaves them: the stored open ones (only the four columns
    /// needed, not the snapshot of kilobytes each), replaced by the tracked request where the command holds one (it may
    /// have closed it) and with those it opened. Every submission and decision runs this.
    /// </summary>
    private async Task<IReadOnlyList<ApprovalDueFacts>> ApprovalFactsAsync(Guid projectId, WorkflowDefinition definition, CancellationToken ct)
    {
        var open = new Dictionary<Guid, OpenRequest>();
        await foreach (var request in CompiledPerModel.For<OpenRequests>(db.Model).Of(db, projectId).WithCancellation(ct))
            open[request.Id] = request;
        // The requests' own values say whether they are open; no change scan is needed for that.
        foreach (var entry in TrackedEntries.WithoutScan<ApprovalRequest>(db.ChangeTracker))
        {
            var request = entry.Entity;
            if (request.ProjectId != projectId)
                continue;
            if (entry.State == EntityState.Deleted || !request.IsOpen)
                open.Remove(request.Id);
            else
                open[request.Id] = new OpenRequest(request.Id, request.Gate, request.Sequence, request.DueAt);
        }
        return [.. open.Values.Where(r => r.DueAt is not null).OrderBy(r => r.Id)
            .Select(r => new ApprovalDueFacts(r.Id, definition.FindGate(r.Gate)?.Label ?? new LocalizedText(r.Gate, r.Gate), r.Sequence, DuePlan.Day(r.DueAt!.Value)))];
    }

    private sealed record OpenRequest(Guid Id, string Gate, int Sequence, DateTimeOffset? DueAt);

    /// <summary>The stored open requests of a project, untracked, without their snapshots; compiled once per model.</summary>
    private sealed class OpenRequests
    {
        public Func<AppDbContext, Guid, IAsyncEnumerable<OpenRequest>> Of { get; } = EF.CompileAsyncQuery((AppDbContext c, Guid projectId) =>
            c.ApprovalRequests.AsNoTracking().Where(r => r.ProjectId == projectId && r.Status == ApprovalRequestStatus.Open)
                .Select(r => new OpenRequest(r.Id, r.Gate, r.Sequence, r.DueAt)));
    }

    private async Task<IReadOnlyList<ConsentDueFacts>> ConsentFactsAsync(Guid projectId, CancellationToken ct)
    {
        var consents = (await CurrentAsync(db.ConsentRecords.Where(c => c.ProjectId == projectId), c => c.ProjectId == projectId, ct))
            .Where(c => c.RenewOn is not null).ToList();
        if (consents.Count == 0)
            return [];
        var names = (await CurrentAsync(db.Stakeholders.Where(s => s.ProjectId == projectId), s => s.ProjectId == projectId, ct))
            .ToDictionary(s => s.Id, s => s.Name);
        return [.. consents.Select(c => new ConsentDueFacts(c.Id, names.GetValueOrDefault(c.StakeholderId, ""), c.Outcome, c.RenewOn))];
    }

    /// <summary>
    /// The stored items of a project of some kinds, tracked (the diff updates and deletes them): one compiled query per
    /// set of kinds. Built anew, the query was translated again on each command that moves a state, about a tenth of
    /// such a transition's CPU (docs/performance.md).
    /// </summary>
    private sealed class StoredItems
    {
        private static readonly Expression<Func<AppDbContext, Guid, IQueryable<DueItem>>> OfProject = (c, projectId) =>
            c.DueItems.Where(d => d.ProjectId == projectId);

        private readonly ConcurrentDictionary<string, Func<AppDbContext, Guid, IAsyncEnumerable<DueItem>>> byKinds = new(StringComparer.Ordinal);

        public Func<AppDbContext, Guid, IAsyncEnumerable<DueItem>> Of(IReadOnlyList<string> kinds) =>
            byKinds.GetOrAdd(string.Join('\u001f', kinds.Order(StringComparer.Ordinal)), static (_, kinds) =>
            {
                var body = Expression.Call(typeof(Queryable), nameof(Queryable.Where), [typeof(DueItem)], OfProject.Body,
                    Expression.Quote(OneOf.Texts<DueItem>(nameof(DueItem.Kind), kinds)));
                return EF.CompileAsyncQuery(Expression.Lambda<Func<AppDbContext, Guid, IQueryable<DueItem>>>(body, OfProject.Parameters));
            }, kinds);
    }

    /// <summary>
    /// The rows as the running command left them: the stored ones (tracked, so a row the command changed has its new
    /// values), without those it deleted, with those it added. Every kind read here is added through its own set.
    /// </summary>
    private async Task<List<T>> CurrentAsync<T>(IQueryable<T> stored, Func<T, bool> belongs, CancellationToken ct) where T : class
    {
        var rows = await stored.ToListAsync(ct);
        var current = rows.Where(r => db.Entry(r).State != EntityState.Deleted).ToList();
        foreach (var entry in TrackedEntries.Of<T>(db.ChangeTracker))
        {
            if (entry.State == EntityState.Added && belongs(entry.Entity) && !current.Contains(entry.Entity))
                current.Add(entry.Entity);
        }
        return current;
    }
}
