using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.Commands;
using RestorationWorkflow.Data;
using RestorationWorkflow.Web.Features.Projects;
using RestorationWorkflow.Workflows;
using RestorationWorkflow.Web.Infrastructure;

namespace RestorationWorkflow.Web.Features.Workflows;

public sealed record MigrationRequest(int? FromVersion, int? ToVersion, bool? DryRun);

public sealed record MigrationItem(Guid ProjectId, string Name, string State, string? Reason);

public sealed record MigrationReport(string WorkflowId, int FromVersion, int ToVersion, bool DryRun, IReadOnlyList<MigrationItem> Moved, IReadOnlyList<MigrationItem> Blocked);

/// <summary>
/// Moves projects pinned to one version of a definition to another. A project whose state does not exist in the
/// target stays where it is, with the reason. Each move is one <see cref="MoveToWorkflowVersion"/> command on the
/// project command path: authorized, version-checked, audited, its own transaction.
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
            .Select(p => new { p.Id, p.Name, p.State, p.Version })
            .ToListAsync(ct);

        var moved = new List<MigrationItem>();
        var blocked = new List<MigrationItem>();
        foreach (var candidate in candidates)
        {
            if (target.FindState(candidate.State) is null)
            {
                blocked.Add(new MigrationItem(candidate.Id, candidate.Name, candidate.State, $"State '{candidate.State}' does not exist in {target.Key}."));
                continue;
            }
            if (dryRun)
            {
                moved.Add(new MigrationItem(candidate.Id, candidate.Name, candidate.State, null));
                continue;
            }
            var result = await commands.ExecuteAsync(new MoveToWorkflowVersion(candidate.Id, candidate.Version, target), user, ct);
            if (result.Succeeded)
            {
                logger.LogInformation("Project {ProjectId} moved from {WorkflowId}@{From} to @{To}", candidate.Id, target.Id, request.FromVersion, target.Version);
                moved.Add(new MigrationItem(candidate.Id, candidate.Name, candidate.State, null));
            }
            else
            {
                var reason = result.Status == CommandStatus.Conflict
                    ? "The project changed while the migration ran; run it again."
                    : result.Detail ?? string.Join(" ", result.Reasons.Select(r => r.Message.En));
                blocked.Add(new MigrationItem(candidate.Id, candidate.Name, candidate.State, reason));
            }
        }
        return CommandResult<MigrationReport>.Ok(new MigrationReport(workflowId, request.FromVersion!.Value, target.Version, dryRun, moved, blocked));
    }
}
