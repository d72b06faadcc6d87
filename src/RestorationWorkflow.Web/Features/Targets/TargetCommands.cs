using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.Audit;
using RestorationWorkflow.Commands;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Projects.Targets;
using RestorationWorkflow.Web.Features.Projects;
using RestorationWorkflow.Web.Infrastructure;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Web.Features.Targets;

/// <summary>
/// What the three target commands share: the request's rules (400, each message under its field in the caller's
/// language), the rules that need the project (its lifespan, its sites, A6's baseline source; 400 too, named by field),
/// the states in which the plan's content may change (422), and the audit fields <c>targets.{targetId}.{field}</c>.
/// </summary>
public abstract class TargetCommand(Guid projectId, int? expectedVersion) : ProjectCommand(projectId, expectedVersion)
{
    public const string TargetNotFound = "target-not-found";

    public override IAuthorizationRequirement Operation => ProjectOperations.Edit;

    /// <summary>The target after the command (null after a removal or a refusal).</summary>
    public RestorationTarget? Target { get; protected set; }

    /// <summary>What the rules were checked against, for the answer's completeness.</summary>
    public TargetProjectFacts? Facts { get; protected set; }

    protected static void ValidateInput(TargetInput input, IDictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(errors);
        var culture = CultureInfo.CurrentUICulture;
        foreach (var (field, message) in TargetRules.CheckRequest(input))
            errors[field] = [message.For(culture)];
        foreach (var (field, value) in new[] { ("customIndicator", input.CustomIndicator), ("unit", input.Unit), ("baseline.source", input.Baseline?.Source) })
        {
            if (!errors.ContainsKey(field))
                CreateProject.ValidateText(errors, field, value, multiline: field == "baseline.source");
        }
    }

    /// <summary>Targets change while the plan's content may change: not when the project is closed, cancelled, suspended or under review.</summary>
    protected static CommandResult<Project>? RefuseInState(ProjectCommandContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ProjectContentRules.Frozen(context.Definition, context.Project, new("its restoration targets cannot change", "恢复目标不能更改"));
    }

    /// <summary>The rules that need the project; the stored form of the target when they hold.</summary>
    protected async Task<(TargetDetails? Details, CommandResult<Project>? Refusal)> CheckAgainstProjectAsync(
        ProjectCommandContext context, TargetInput input, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        var facts = await context.Services.GetRequiredService<TargetReader>().FactsAsync(context.Project, ct);
        Facts = facts;
        var problems = TargetRules.CheckAgainstProject(input, facts);
        if (problems.Count > 0)
        {
            var culture = CultureInfo.CurrentUICulture;
            return (null, CommandResult<Project>.Invalid(problems.ToDictionary(p => p.Key, p => new[] { p.Value.For(culture) }, StringComparer.Ordinal)));
        }
        return (TargetRules.Normalize(input, facts), null);
    }

    protected static CommandResult<Project> NotFound(Guid projectId, Guid targetId) =>
        CommandResult<Project>.NotFound(TargetNotFound, $"Project {projectId} has no restoration target {targetId}.");

    /// <summary>Each audited field of a target and its value.</summary>
    protected static IEnumerable<(string Field, string? Value)> Fields(TargetDetails? d) =>
    [
        ("kind", d?.Kind),
        ("indicator", d?.Indicator),
        ("customIndicator", d?.CustomIndicator),
        ("unit", d?.Unit),
        ("baseline.value", d is null ? null : TargetSentence.Number(d.Baseline.Value)),
        ("baseline.date", d?.Baseline.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        ("baseline.source", d?.Baseline.Source),
        ("action", d?.Action),
        ("quantity", d?.Quantity is { } q ? TargetSentence.Number(q) : null),
        ("quantityIsPercent", d is null ? null : d.QuantityIsPercent ? "true" : "false"),
        ("deadline", d?.Deadline.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        ("monitoringFrequencyMonths", d?.MonitoringFrequencyMonths.ToString(CultureInfo.InvariantCulture)),
        ("siteIds", d is null ? null : string.Join(",", d.SiteIds)),
    ];
}

/// <summary>Adds a restoration target to a project's plan.</summary>
public sealed class AddTarget(Guid projectId, TargetInput input, int? expectedVersion) : TargetCommand(projectId, expectedVersion)
{
    public override string Action => AuditActions.TargetAdded;

    public override void Validate(IDictionary<string, string[]> errors) => ValidateInput(input, errors);

    public override async Task<CommandResult<Project>?> ApplyAsync(ProjectCommandContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (RefuseInState(context) is { } refused)
            return refused;
        var (details, invalid) = await CheckAgainstProjectAsync(context, input, ct);
        if (invalid is not null)
            return invalid;
        var target = RestorationTarget.Create(ProjectId, details!, context.Now);
        context.Db.RestorationTargets.Add(target);
        foreach (var (field, value) in Fields(details))
        {
            if (value is not null)
                context.Audit.Set($"targets.{target.Id}.{field}", value);
        }
        Target = target;
        return null;
    }
}

/// <summary>Changes a restoration target.</summary>
public sealed class UpdateTarget(Guid projectId, Guid targetId, TargetInput input, int? expectedVersion) : TargetCommand(projectId, expectedVersion)
{
    public Guid TargetId { get; } = targetId;

    public override string Action => AuditActions.TargetUpdated;

    public override void Validate(IDictionary<string, string[]> errors) => ValidateInput(input, errors);

    public override async Task<CommandResult<Project>?> ApplyAsync(ProjectCommandContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        var target = await context.Db.RestorationTargets.FirstOrDefaultAsync(t => t.ProjectId == ProjectId && t.Id == TargetId, ct);
        if (target is null)
            return NotFound(ProjectId, TargetId);
        if (RefuseInState(context) is { } refused)
            return refused;
        var (details, invalid) = await CheckAgainstProjectAsync(context, input, ct);
        if (invalid is not null)
            return invalid;
        var old = Fields(target.Details).ToDictionary(f => f.Field, f => f.Value, StringComparer.Ordinal);
        foreach (var (field, value) in Fields(details))
            context.Audit.Change($"targets.{target.Id}.{field}", old[field], value);
        Target = target;
        if (context.Audit.HasChanges)
            target.Update(details!, context.Now);
        return null;
    }
}

/// <summary>Removes a restoration target.</summary>
public sealed class RemoveTarget(Guid projectId, Guid targetId, int? expectedVersion) : TargetCommand(projectId, expectedVersion)
{
    public Guid TargetId { get; } = targetId;

    public override string Action => AuditActions.TargetRemoved;

    public override async Task<CommandResult<Project>?> ApplyAsync(ProjectCommandContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        var target = await context.Db.RestorationTargets.FirstOrDefaultAsync(t => t.ProjectId == ProjectId && t.Id == TargetId, ct);
        if (target is null)
            return NotFound(ProjectId, TargetId);
        if (RefuseInState(context) is { } refused)
            return refused;
        var measured = await context.Db.Measurements.CountAsync(m => m.ProjectId == ProjectId && m.TargetId == TargetId, ct);
        if (measured > 0)
        {
            // The monitoring results stay with what they measured (decision 0031); they are deleted one by one, audited.
            var message = new LocalizedText(
                $"The target has {measured} measurement(s); delete them first, or keep the target.",
                $"该目标已有 {measured} 条测量结果；请先删除这些结果，或保留该目标。");
            return CommandResult<Project>.Unprocessable(message.En, [new UnmetGuard("measurements", message)]);
        }
        foreach (var (field, value) in Fields(target.Details))
            context.Audit.Record($"targets.{target.Id}.{field}", value, (string?)null);
        context.Db.RestorationTargets.Remove(target);
        return null;
    }
}
