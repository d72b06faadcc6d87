using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.Approvals;
using RestorationWorkflow.Data;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Web.Features.Projects;
using RestorationWorkflow.Web.Infrastructure.Persistence;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Web.Features.Approvals;

/// <summary>A command that manages approval requests itself (a decision, a resubmission): the lifecycle hook leaves it alone.</summary>
public interface IApprovalCommand;

/// <summary>The audit actions of the approvals feature.</summary>
public static class ApprovalAuditActions
{
    public const string Decided = "approval.decided";
    public const string Resubmitted = "approval.resubmitted";
}

/// <summary>Stable codes of the approvals feature's refusals.</summary>
public static class ApprovalErrorCodes
{
    public const string RequestNotFound = "approval-request-not-found";
    public const string GateNotFound = "approval-gate-not-found";
    public const string RequestClosed = "approval-request-closed";
    public const string RequestStale = "approval-request-stale";
    public const string NotInReview = "approval-not-in-review";
    public const string NotStale = "approval-request-not-stale";
}

/// <summary>
/// Keeps approval requests in step with every project command, inside the command (same audit event, same
/// SaveChanges): entering a gated review state opens a request with a snapshot of the covered sections; a change
/// to a covered section while a request is open makes it stale (sticky: the manager resubmits); leaving the review
/// other than by a decision or a suspension (cancelled, migrated elsewhere) closes it. Nothing is read unless the
/// project is in, or comes from, a gated review.
/// </summary>
public sealed class ApprovalLifecycle(AppDbContext db, WorkflowCatalog catalog, ApprovalSnapshotBuilder snapshots, SnapshotDiffs diffs) : IProjectChangeHook
{
    /// <summary>The lifecycle's queries, compiled once per model (decision 0056): every submission to a gate runs them.</summary>
    private sealed class Queries
    {
        /// <summary>The project's open requests, tracked: the hook closes, holds or marks them stale.</summary>
        public Func<AppDbContext, Guid, IAsyncEnumerable<ApprovalRequest>> Open { get; } = EF.CompileAsyncQuery((AppDbContext c, Guid projectId) =>
            c.ApprovalRequests.Where(r => r.ProjectId == projectId && r.Status == ApprovalRequestStatus.Open));

        /// <summary>
        /// The gate's last request of the project: the next one follows it. Its snapshot comes along only when nothing
        /// it covers was written since it was built (the same content stamp) under the same workflow version (the same
        /// sections): then it is the snapshot the next request would build (decision 0068).
        /// </summary>
        public Func<AppDbContext, Guid, string, long, int, CancellationToken, Task<PreviousRequest?>> Last { get; } = EF.CompileAsyncQuery(
            (AppDbContext c, Guid projectId, string gate, long stamp, int workflowVersion, CancellationToken _) => c.ApprovalRequests.AsNoTracking()
                .Where(r => r.ProjectId == projectId && r.Gate == gate).OrderByDescending(r => r.Sequence)
                .Select(r => new PreviousRequest(r.Id, r.Sequence, r.SnapshotHash,
                    r.ContentStamp == stamp && r.WorkflowVersion == workflowVersion ? r.Snapshot : null)).FirstOrDefault());
    }

    /// <summary>A stamp no request has (the database's stamps start at 0 and only grow).</summary>
    private const long NoStamp = -1;

    private sealed record PreviousRequest(Guid Id, int Sequence, string SnapshotHash, string? CurrentSnapshot = null);

    private Queries Compiled => CompiledPerModel.For<Queries>(db.Model);

    /// <summary>The kind of an opened request among what a command created (<see cref="ProjectCommand.CreatedAlongside"/>).</summary>
    public const string CreatedKind = "approvalRequest";

    public async Task AfterApplyAsync(ProjectCommandContext context, ProjectCommand command, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (command is IApprovalCommand)
            return;
        var project = context.Project;
        var definition = catalog.DefinitionOf(project);
        var gateNow = definition.GateOfState(project.State);
        var suspendedFrom = project.StateBeforeSuspension is { } before && definition.GetState(project.State).Kind == StateKind.Suspended
            ? before : null;
        // StateBeforeSuspension also covers a project cancelled while suspended from a review (it keeps that value).
        var involved = gateNow is not null
            || context.Definition.GateOfState(context.FromState) is not null
            || (project.StateBeforeSuspension is { } left && definition.GateOfState(left) is not null);
        if (!involved)
            return;

        var open = await Compiled.Open(db, project.Id).ToListAsync(ct);
        var changed = context.Audit.Fields.Select(AuditedSections.Of).OfType<string>().ToHashSet(StringComparer.Ordinal);
        foreach (var request in open)
        {
            if (request.State != project.State && request.State != suspendedFrom)
            {
                request.Close(ApprovalRequestStatus.Cancelled, context.Now);
                context.Audit.Change($"approvals.{request.Gate}.status", "open", "cancelled");
                continue;
            }
            // Suspended from the review: kept open for the resumption, decided by nobody meanwhile.
            if (request.Hold(request.State != project.State))
                context.Audit.Record($"approvals.{request.Gate}.onHold", !request.OnHold, request.OnHold);
            var gate = definition.FindGate(request.Gate);
            var covered = gate is null ? changed : changed.Intersect(ApprovalSections.Of(gate)).ToHashSet(StringComparer.Ordinal);
            if (!request.Stale && covered.Count > 0)
            {
                var sections = covered.Order(StringComparer.Ordinal).ToList();
                request.MarkStale(sections, context.Now);
                context.Audit.Record($"approvals.{request.Gate}.stale", false, true);
                context.Audit.Set($"approvals.{request.Gate}.staleSections", sections);
            }
        }

        if (gateNow is not null && !open.Any(r => r.IsOpen && r.Gate == gateNow.Id))
        {
            var opened = await OpenAsync(context, definition, gateNow, project.StateEnteredById, ct);
            command.RecordCreated(new CreatedResource(CreatedKind, opened.Id, $"/api/approvals/{opened.Id}"));
        }
    }

    /// <summary>Opens the next request of <paramref name="gate"/> for the project, with its snapshot, and records it.</summary>
    internal async Task<ApprovalRequest> OpenAsync(
        ProjectCommandContext context, WorkflowDefinition definition, GateDefinition gate, string submittedById, CancellationToken ct, ApprovalRequest? replacing = null)
    {
        var project = context.Project;
        // A replaced request is stale or no longer matches, so its snapshot is never reused; nor is one when this command
        // changed covered content itself, which is not in the database yet (the registry section reads the project as
        // the command left it).
        var reusable = replacing is null && !context.Audit.Fields.Any(f => AuditedSections.Of(f) is not null);
        var last = replacing is not null
            ? new PreviousRequest(replacing.Id, replacing.Sequence, replacing.SnapshotHash)
            : await Compiled.Last(db, project.Id, gate.Id, reusable ? CoveredContent.StampOf(project) ?? NoStamp : NoStamp, definition.Version, ct);
        var (snapshot, hash) = last?.CurrentSnapshot is { } current
            ? (current, last.SnapshotHash)
            : await snapshots.BuildAsync(project, gate, ct);
        var request = ApprovalRequest.Open(project.Id, gate.Id, project.State, definition.Version, (last?.Sequence ?? 0) + 1, submittedById,
            context.Now, gate.DueDays, gate.Quorum, snapshot, hash, CoveredContent.StampOf(project), last?.Id);
        // Resubmitted unchanged (rejected, then submitted again as it was): nothing to diff, on any read of this node.
        if (last?.SnapshotHash == hash)
            diffs.Unchanged(request.Id);
        db.ApprovalRequests.Add(request);
        context.Audit
            .Set($"approvals.{gate.Id}.requestId", request.Id)
            .Set($"approvals.{gate.Id}.sequence", request.Sequence)
            .Set($"approvals.{gate.Id}.snapshotHash", hash);
        return request;
    }
}
