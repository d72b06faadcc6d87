using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.Commands;
using RestorationWorkflow.Data;
using RestorationWorkflow.Web.Features.Projects;
using RestorationWorkflow.Workflows;
using RestorationWorkflow.Web.Infrastructure;

namespace RestorationWorkflow.Web.Features.Workflows;

public sealed record MigrationRequest(int? FromVersion, int? ToVersion, bool? DryRun);

/// <summary>
/// One project of a migration: its state, the state it moves (or would move) to and, for a suspended project, the
/// state it resumes to before and after; <c>Reason</c> says why a blocked project cannot move.
/// </summary>
public sealed record MigrationItem(
    Guid ProjectId, string Name, string State, string? Reason,
    string? ToState = null, string? StateBeforeSuspension = null, string? ToStateBeforeSuspension = null);

public sealed record MigrationReport(string WorkflowId, int FromVersion, int ToVersion, bool DryRun, IReadOnlyList<MigrationItem> Moved, IReadOnlyList<MigrationItem> Blocked);

/// <summary>
/// Moves projects pinned to one version of a definition to another. Each state goes to the same code in the target,
/// or to the state the target's <c>migrateFrom</c> maps it to (<c>EnablingEnvironment</c> → <c>Planning</c> in
/// staper-restoration v2); a suspended project's state before the suspension is mapped the same way. A project whose
/// state has no place in the target stays where it is, with the reason. Each move is one
/// <see cref="MoveToWorkflowVersion"/> command on the project command path: authorized, version-checked, audited
/// (<c>workflow.migrated</c>), its own transaction. The dry run (the default) reports the same without writing.
/// </summary>
public sealed class WorkflowMigrator(AppDbContext db, WorkflowCatalog catalog, ProjectCommands commands, ILogger<WorkflowMigrator> logger)
{
    public async Task<CommandResult<MigrationReport>> RunAsync(string workflowId, MigrationRequest request, ClaimsPrincipal user, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (catalog.Latest(workflowId) is null)
            return CommandResult<MigrationReport>.NotFound(CommandErrorCodes.WorkflowNotFound, $"No workflow '{TextRules.Quote(workflowId)}' is loaded.");
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
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
            return CommandResult<MigrationReport>.Invalid(errors);

        var target = catalog.Get(workflowId, request.ToVersion!.Value);
        var dryRun = request.DryRun ?? true;
        var candidates = await db.Projects.AsNoTracking()
            .Where(p => p.WorkflowId == workflowId && p.WorkflowVersion == request.FromVersion)
            .OrderBy(p => p.Name)
            .Select(p => new { p.Id, p.Name, p.State, p.StateBeforeSuspension, p.Version })
            .ToListAsync(ct);

        var moved = new List<MigrationItem>();
        var blocked = new List<MigrationItem>();
        var fromVersion = request.FromVersion!.Value;
        foreach (var candidate in candidates)
        {
            if (WorkflowMigration.Problem(fromVersion, candidate.State, candidate.StateBeforeSuspension, target) is { } problem)
            {
                blocked.Add(new MigrationItem(candidate.Id, candidate.Name, candidate.State, problem, StateBeforeSuspension: candidate.StateBeforeSuspension));
                continue;
            }
            var item = new MigrationItem(candidate.Id, candidate.Name, candidate.State, null,
                target.MapStateFrom(fromVersion, candidate.State), candidate.StateBeforeSuspension,
                candidate.StateBeforeSuspension is null ? null : target.MapStateFrom(fromVersion, candidate.StateBeforeSuspension));
            if (dryRun)
            {
                moved.Add(item);
                continue;
            }
            var result = await commands.ExecuteAsync(new MoveToWorkflowVersion(candidate.Id, candidate.Version, target), user, ct);
            if (result.Succeeded)
            {
                logger.LogInformation("Project {ProjectId} moved from {WorkflowId}@{From} ({State}) to @{To} ({ToState})",
                    candidate.Id, target.Id, fromVersion, candidate.State, target.Version, item.ToState);
                moved.Add(item);
            }
            else
            {
                var reason = result.Status == CommandStatus.Conflict
                    ? "The project changed while the migration ran; run it again."
                    : result.Detail ?? string.Join(" ", result.Reasons.Select(r => r.Message.En));
                blocked.Add(item with { Reason = reason, ToState = null, ToStateBeforeSuspension = null });
            }
        }
        return CommandResult<MigrationReport>.Ok(new MigrationReport(workflowId, fromVersion, target.Version, dryRun, moved, blocked));
    }
}
