using System.Security.Claims;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.Audit;
using RestorationWorkflow.Data;
using RestorationWorkflow.Web.Features.Identity;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Web.Features.Workflows;

public sealed record MigrationRequest(int? FromVersion, int? ToVersion, bool? DryRun);

public sealed record MigrationItem(Guid ProjectId, string Name, string State, string? Reason);

public sealed record MigrationReport(string WorkflowId, int FromVersion, int ToVersion, bool DryRun, IReadOnlyList<MigrationItem> Moved, IReadOnlyList<MigrationItem> Blocked);

/// <summary>
/// Moves projects pinned to one version of a definition to another. A project whose state does not
/// exist in the target stays where it is, with the reason. Each move is its own audited transaction.
/// </summary>
public sealed class WorkflowMigrator(AppDbContext db, WorkflowCatalog catalog, TimeProvider time, ILogger<WorkflowMigrator> logger)
{
    public async Task<(MigrationReport? Report, Dictionary<string, string[]> Errors, bool NotFound)> RunAsync(
        string workflowId, MigrationRequest request, ClaimsPrincipal user, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (catalog.Latest(workflowId) is null)
            return (null, errors, true);
        if (request.FromVersion is null)
            errors["fromVersion"] = ["The version to migrate from is required."];
        else if (catalog.Find(workflowId, request.FromVersion.Value) is null)
            errors["fromVersion"] = [$"Workflow {workflowId} has no version {request.FromVersion}."];
        if (request.ToVersion is null)
            errors["toVersion"] = ["The version to migrate to is required."];
        else if (catalog.Find(workflowId, request.ToVersion.Value) is null)
            errors["toVersion"] = [$"Workflow {workflowId} has no version {request.ToVersion}."];
        if (errors.Count == 0 && request.FromVersion == request.ToVersion)
            errors["toVersion"] = ["The target version must differ from the source version."];
        if (errors.Count > 0)
            return (null, errors, false);

        var target = catalog.Find(workflowId, request.ToVersion!.Value)!;
        var dryRun = request.DryRun ?? true;
        var candidates = await db.Projects.AsNoTracking()
            .Where(p => p.WorkflowId == workflowId && p.WorkflowVersion == request.FromVersion)
            .OrderBy(p => p.Name)
            .Select(p => new { p.Id, p.Name, p.State })
            .ToListAsync(ct);

        var moved = new List<MigrationItem>();
        var blocked = new List<MigrationItem>();
        var caller = user.ToCaller();
        foreach (var candidate in candidates)
        {
            if (target.FindState(candidate.State) is null)
            {
                blocked.Add(new MigrationItem(candidate.Id, candidate.Name, candidate.State,
                    $"State '{candidate.State}' does not exist in {target.Key}."));
                continue;
            }
            if (dryRun)
            {
                moved.Add(new MigrationItem(candidate.Id, candidate.Name, candidate.State, null));
                continue;
            }
            var reason = await MoveAsync(candidate.Id, request.FromVersion!.Value, target, caller, ct);
            (reason is null ? moved : blocked).Add(new MigrationItem(candidate.Id, candidate.Name, candidate.State, reason));
        }
        return (new MigrationReport(workflowId, request.FromVersion!.Value, target.Version, dryRun, moved, blocked), errors, false);
    }

    private async Task<string?> MoveAsync(Guid projectId, int fromVersion, WorkflowDefinition target, RestorationWorkflow.Workflows.Guards.Caller caller, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        var project = await db.Projects.FirstOrDefaultAsync(p => p.Id == projectId, ct);
        if (project is null || project.WorkflowVersion != fromVersion)
            return "The project changed while the migration ran; run it again.";
        if (target.FindState(project.State) is null)
            return $"State '{project.State}' does not exist in {target.Key}.";
        var now = time.GetUtcNow();
        project.MoveToWorkflowVersion(target, now);
        var audit = new AuditEvent
        {
            ActorId = caller.UserId,
            ActorName = caller.DisplayName,
            At = now,
            Action = AuditActions.WorkflowMigrated,
            FromState = project.State,
            ToState = project.State,
            WorkflowId = target.Id,
            WorkflowVersion = target.Version,
            Changes = JsonSerializer.Serialize(new { workflowVersion = new { old = fromVersion, @new = target.Version } }),
        };
        project.AppendAudit(audit);
        db.AuditEvents.Add(audit);
        try
        {
            await db.SaveChangesAsync(ct);
            logger.LogInformation("Project {ProjectId} moved from {WorkflowId}@{From} to @{To}", projectId, target.Id, fromVersion, target.Version);
            return null;
        }
        catch (DbUpdateException)
        {
            return "The project changed while the migration ran; run it again.";
        }
    }
}
