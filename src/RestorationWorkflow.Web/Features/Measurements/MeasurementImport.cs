using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RestorationWorkflow.Commands;
using RestorationWorkflow.Data;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Projects.Targets;
using RestorationWorkflow.Web.Features.Projects;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Web.Features.Measurements;

/// <summary>What an import or its preview ended with: the command's result, the file as checked, how many were recorded.</summary>
public sealed record ImportOutcome(CommandResult<Project> Result, CsvCheck? Check, int Imported)
{
    /// <summary>The import was refused because of bad rows (422): they are listed in <see cref="Check"/>.</summary>
    public bool RefusedForRows => !Result.Succeeded && Check is { BadRows.Count: > 0 };
}

/// <summary>
/// The CSV import, for the API and the page. A preview checks the caller may import (the project's managers, a state
/// that accepts measurements) and reads every row without writing; an import runs <see cref="ImportMeasurements"/>
/// through the command path, all rows or none.
/// </summary>
public sealed class MeasurementImport(
    ProjectStore store, WorkflowCatalog catalog, IAuthorizationService authorization, AppDbContext db, ProjectCommands commands,
    TimeProvider time, IOptions<MonitoringOptions> options)
{
    public MonitoringOptions Options => options.Value;

    public async Task<ImportOutcome> RunAsync(Guid projectId, string csv, bool preview, int? expectedVersion, ClaimsPrincipal user, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(csv);
        if (!preview)
        {
            var command = new ImportMeasurements(projectId, csv, expectedVersion, options.Value);
            var result = await commands.ExecuteAsync(command, user, ct);
            return new ImportOutcome(result, command.BadRows.Count > 0 ? new CsvCheck([], command.BadRows, null) : null, result.Succeeded ? command.Imported : 0);
        }
        if (await PrecheckAsync(projectId, user, ct) is { } refusal)
            return new(refusal, null, 0);
        var project = (await store.FindAsync(projectId, ct))!;
        if (MeasurementCommand.RefuseInState(catalog.DefinitionOf(project), project) is { } refused)
            return new(refused, null, 0);
        var targets = await db.RestorationTargets.AsNoTracking().Where(t => t.ProjectId == projectId).ToListAsync(ct);
        var check = MeasurementCsv.Check(csv, targets, DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime), options.Value.ImportMaxRows);
        if (check.FileProblem is { } problem)
            return new(CommandResult<Project>.Invalid("file", problem.For(CultureInfo.CurrentUICulture)), check, 0);
        return new(CommandResult<Project>.Ok(project), check, 0);
    }

    /// <summary>
    /// Before a byte of the file is read: 404 for an unknown project (or one the caller cannot read), 403 unless the
    /// caller manages it. Null to go on.
    /// </summary>
    public async Task<CommandResult<Project>?> PrecheckAsync(Guid projectId, ClaimsPrincipal user, CancellationToken ct)
    {
        var project = await store.FindAsync(projectId, ct);
        if (project is null || !(await authorization.AuthorizeAsync(user, project, ProjectOperations.Read)).Succeeded)
            return CommandResult<Project>.NotFound(CommandErrorCodes.ProjectNotFound, $"No project has the id {projectId}.");
        var allowed = await authorization.AuthorizeAsync(user, project, ProjectOperations.Edit);
        if (allowed.Succeeded)
            return null;
        var rules = allowed.Rules();
        return CommandResult<Project>.Forbidden(string.Join(" ", rules.Select(r => r.Message.En)), rules);
    }

    /// <summary>413 text: the file is larger than <see cref="MonitoringOptions.ImportMaxKilobytes"/>.</summary>
    public LocalizedText TooLarge() => new(
        $"The file is larger than {Options.ImportMaxKilobytes} KB; split it into smaller files.",
        $"文件大于 {Options.ImportMaxKilobytes} KB；请拆分为较小的文件。");
}
