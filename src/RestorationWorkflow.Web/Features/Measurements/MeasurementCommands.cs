using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.Commands;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Projects.Targets;
using RestorationWorkflow.Web.Features.Projects;
using RestorationWorkflow.Web.Infrastructure;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Web.Features.Measurements;

/// <summary>The audit actions of the measurement commands.</summary>
public static class MeasurementAuditActions
{
    public const string Recorded = "measurement.recorded";
    public const string Corrected = "measurement.corrected";
    public const string Deleted = "measurement.deleted";
    public const string Imported = "measurements.imported";
}

/// <summary>
/// What the measurement commands share: the project's managers change measurements (<see cref="ProjectOperations.Edit"/>),
/// only while the project's state accepts them (<see cref="MeasurementStates"/>: from planning on, and after closure),
/// each field audited as <c>measurements.{id}.{field}</c>.
/// </summary>
public abstract class MeasurementCommand(Guid projectId, Guid targetId, int? expectedVersion) : ProjectCommand(projectId, expectedVersion)
{
    public const string TargetNotFound = "target-not-found";
    public const string MeasurementNotFound = "measurement-not-found";

    public Guid TargetId { get; } = targetId;

    public override IAuthorizationRequirement Operation => ProjectOperations.Edit;

    /// <summary>The measurement after the command (null after a deletion).</summary>
    public Measurement? Measurement { get; protected set; }

    /// <summary>The target it measures, once loaded.</summary>
    public RestorationTarget? Target { get; protected set; }

    /// <summary>422 <c>state</c> unless the project's state accepts measurements.</summary>
    public static CommandResult<Project>? RefuseInState(ProjectCommandContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return RefuseInState(context.Definition, context.Project);
    }

    /// <summary>422 <c>state</c> unless <paramref name="project"/>'s state accepts measurements.</summary>
    public static CommandResult<Project>? RefuseInState(WorkflowDefinition definition, Project project)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(project);
        if (MeasurementStates.Accepts(definition, project.State))
            return null;
        var label = definition.GetState(project.State).Label;
        var open = MeasurementStates.Of(definition);
        var message = new LocalizedText(
            $"The project is {label.En}; measurements are recorded from planning on and after closure ({string.Join(", ", open.Select(s => s.Label.En))}).",
            $"项目处于“{label.ZhHans}”状态；监测结果从规划阶段起直至结束之后均可记录（{string.Join("、", open.Select(s => s.Label.ZhHans))}）。");
        return CommandResult<Project>.Unprocessable(message.En, [new UnmetGuard("state", message)]);
    }

    /// <summary>The target of this project (404 otherwise).</summary>
    protected async Task<CommandResult<Project>?> LoadTargetAsync(ProjectCommandContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        Target = await context.Db.RestorationTargets.AsNoTracking().FirstOrDefaultAsync(t => t.ProjectId == ProjectId && t.Id == TargetId, ct);
        return Target is null
            ? CommandResult<Project>.NotFound(TargetNotFound, $"Project {ProjectId} has no restoration target {TargetId}.")
            : null;
    }

    protected CommandResult<Project> NotFound(Guid measurementId) =>
        CommandResult<Project>.NotFound(MeasurementNotFound, $"Target {TargetId} of project {ProjectId} has no measurement {measurementId}.");

    /// <summary>Every rule of the input against the target (400, each message under its field in the caller's language) and the evidence file's project.</summary>
    protected async Task<(MeasurementDetails? Details, CommandResult<Project>? Refusal)> CheckAsync(ProjectCommandContext context, MeasurementInput input, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        var problems = MeasurementValidation.Check(input, Target!.Unit, DateOnly.FromDateTime(context.Now.UtcDateTime));
        if (problems.Count == 0 && input.EvidenceFileId is { } fileId
            && !await context.Db.EvidenceFiles.AnyAsync(f => f.Id == fileId && f.ProjectId == ProjectId, ct))
        {
            problems = new Dictionary<string, LocalizedText>(StringComparer.Ordinal)
            {
                ["evidenceFileId"] = new($"{fileId} is not an evidence file of this project; upload it under the project's evidence first.",
                    $"{fileId} 不是本项目的证据文件；请先在本项目的证据中上传。"),
            };
        }
        if (problems.Count > 0)
        {
            var culture = CultureInfo.CurrentUICulture;
            return (null, CommandResult<Project>.Invalid(problems.ToDictionary(p => p.Key, p => new[] { p.Value.For(culture) }, StringComparer.Ordinal)));
        }
        return (MeasurementRules.Normalize(TargetId, input), null);
    }

    /// <summary>Records each field of a measurement going from <paramref name="old"/> to <paramref name="now"/>.</summary>
    public static void Audit(ProjectCommandContext context, Guid id, MeasurementDetails? old, MeasurementDetails? now)
    {
        ArgumentNullException.ThrowIfNull(context);
        var key = $"measurements.{id}";
        context.Audit
            .Change($"{key}.targetId", old?.TargetId, now?.TargetId)
            .Change($"{key}.measuredOn", old is null ? null : MeasurementRules.Day(old.MeasuredOn), now is null ? null : MeasurementRules.Day(now.MeasuredOn))
            .Change($"{key}.value", old is null ? null : TargetSentence.Number(old.Value), now is null ? null : TargetSentence.Number(now.Value))
            .Change($"{key}.unit", old?.Unit, now?.Unit)
            .Change($"{key}.method", old?.Method, now?.Method)
            .Change($"{key}.measuredBy", old?.MeasuredBy, now?.MeasuredBy)
            .Change($"{key}.evidenceFileId", old?.EvidenceFileId, now?.EvidenceFileId)
            .Change($"{key}.notes", Empty(old?.Notes), Empty(now?.Notes));
    }

    private static string? Empty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}

/// <summary>Records a measurement of a target.</summary>
public sealed class RecordMeasurement(Guid projectId, Guid targetId, MeasurementInput input, int? expectedVersion)
    : MeasurementCommand(projectId, targetId, expectedVersion)
{
    public override string Action => MeasurementAuditActions.Recorded;

    public override void Validate(IDictionary<string, string[]> errors) => MeasurementValidation.ValidateText(input, errors);

    public override async Task<CommandResult<Project>?> ApplyAsync(ProjectCommandContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (await LoadTargetAsync(context, ct) is { } missing)
            return missing;
        if (RefuseInState(context) is { } refused)
            return refused;
        var (details, invalid) = await CheckAsync(context, input, ct);
        if (invalid is not null)
            return invalid;
        var measurement = RestorationWorkflow.Projects.Targets.Measurement.Create(ProjectId, details!, context.Caller.UserId, context.Now);
        context.Db.Measurements.Add(measurement);
        Audit(context, measurement.Id, null, details);
        Measurement = measurement;
        return null;
    }
}

/// <summary>Corrects a measurement (any field but its target); each changed field audited old → new.</summary>
public sealed class CorrectMeasurement(Guid projectId, Guid targetId, Guid measurementId, MeasurementInput input, int? expectedVersion)
    : MeasurementCommand(projectId, targetId, expectedVersion)
{
    public Guid MeasurementId { get; } = measurementId;

    public override string Action => MeasurementAuditActions.Corrected;

    public override void Validate(IDictionary<string, string[]> errors) => MeasurementValidation.ValidateText(input, errors);

    public override async Task<CommandResult<Project>?> ApplyAsync(ProjectCommandContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (await LoadTargetAsync(context, ct) is { } missing)
            return missing;
        var measurement = await context.Db.Measurements.FirstOrDefaultAsync(m => m.ProjectId == ProjectId && m.TargetId == TargetId && m.Id == MeasurementId, ct);
        if (measurement is null)
            return NotFound(MeasurementId);
        if (RefuseInState(context) is { } refused)
            return refused;
        var (details, invalid) = await CheckAsync(context, input, ct);
        if (invalid is not null)
            return invalid;
        Audit(context, measurement.Id, measurement.Details, details);
        if (context.Audit.HasChanges)
            measurement.Update(details!, context.Caller.UserId, context.Now);
        Measurement = measurement;
        return null;
    }
}

/// <summary>Deletes a measurement (recorded in error); its fields are audited old → nothing.</summary>
public sealed class DeleteMeasurement(Guid projectId, Guid targetId, Guid measurementId, int? expectedVersion)
    : MeasurementCommand(projectId, targetId, expectedVersion)
{
    public Guid MeasurementId { get; } = measurementId;

    public override string Action => MeasurementAuditActions.Deleted;

    public override async Task<CommandResult<Project>?> ApplyAsync(ProjectCommandContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (await LoadTargetAsync(context, ct) is { } missing)
            return missing;
        var measurement = await context.Db.Measurements.FirstOrDefaultAsync(m => m.ProjectId == ProjectId && m.TargetId == TargetId && m.Id == MeasurementId, ct);
        if (measurement is null)
            return NotFound(MeasurementId);
        if (RefuseInState(context) is { } refused)
            return refused;
        Audit(context, measurement.Id, measurement.Details, null);
        context.Db.Measurements.Remove(measurement);
        return null;
    }
}

/// <summary>
/// Imports the measurements of a CSV file in one command: every row is checked again here, against the project's
/// targets as they are in this transaction; any bad row refuses the whole file (422, <see cref="BadRows"/>), else all
/// rows are added with one audit event that summarises the import (rows, targets, dates, the file's SHA-256).
/// </summary>
public sealed class ImportMeasurements(Guid projectId, string csv, int? expectedVersion, MonitoringOptions options)
    : ProjectCommand(projectId, expectedVersion)
{
    public override string Action => MeasurementAuditActions.Imported;

    public override IAuthorizationRequirement Operation => ProjectOperations.Edit;

    /// <summary>The rows refused, with their lines (the command then wrote nothing).</summary>
    public IReadOnlyList<CsvBadRow> BadRows { get; private set; } = [];

    /// <summary>A refusal of the file itself (no header, too many rows): 400 under <c>file</c>.</summary>
    public LocalizedText? FileProblem { get; private set; }

    public int Imported { get; private set; }

    public override async Task<CommandResult<Project>?> ApplyAsync(ProjectCommandContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (MeasurementCommand.RefuseInState(context) is { } refused)
            return refused;
        var targets = await context.Db.RestorationTargets.AsNoTracking().Where(t => t.ProjectId == ProjectId).ToListAsync(ct);
        var checkedFile = MeasurementCsv.Check(csv, targets, DateOnly.FromDateTime(context.Now.UtcDateTime), options.ImportMaxRows);
        if (checkedFile.FileProblem is { } problem)
        {
            FileProblem = problem;
            return CommandResult<Project>.Invalid("file", problem.For(CultureInfo.CurrentUICulture));
        }
        if (checkedFile.BadRows.Count > 0)
        {
            BadRows = checkedFile.BadRows;
            var message = new LocalizedText(
                $"{checkedFile.BadRows.Count} row(s) of the file are not valid (first on line {checkedFile.BadRows[0].Line}); nothing was imported.",
                $"文件中有 {checkedFile.BadRows.Count} 行无效（第一处在第 {checkedFile.BadRows[0].Line} 行）；未导入任何数据。");
            return CommandResult<Project>.Unprocessable(message.En, [new UnmetGuard("rows", message)]);
        }
        foreach (var row in checkedFile.Rows)
            context.Db.Measurements.Add(Measurement.Create(ProjectId, row.Details, context.Caller.UserId, context.Now));
        Imported = checkedFile.Rows.Count;
        var rows = checkedFile.Rows;
        context.Audit
            .Set("measurements.import.rows", rows.Count)
            .Set("measurements.import.targets", string.Join(", ", rows.GroupBy(r => r.Details.TargetId).Select(g =>
                string.Create(CultureInfo.InvariantCulture, $"{g.Key}: {g.Count()}"))))
            .Set("measurements.import.from", MeasurementRules.Day(rows.Min(r => r.Details.MeasuredOn)))
            .Set("measurements.import.to", MeasurementRules.Day(rows.Max(r => r.Details.MeasuredOn)))
            .Set("measurements.import.sha256", MeasurementCsv.Sha256(csv));
        return null;
    }
}
