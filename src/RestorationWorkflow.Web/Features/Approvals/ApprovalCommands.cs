using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.Approvals;
using RestorationWorkflow.Commands;
using RestorationWorkflow.Data;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Web.Features.Projects;
using RestorationWorkflow.Web.Infrastructure;
using RestorationWorkflow.Web.Infrastructure.Persistence;
using RestorationWorkflow.Workflows;
using static RestorationWorkflow.Web.Features.Approvals.ApprovalText;

namespace RestorationWorkflow.Web.Features.Approvals;

/// <summary>
/// <c>POST /api/approvals/{requestId}/decisions</c>: <c>decision</c> approve or reject, <c>comment</c> (required to
/// reject), <c>sections</c> the approver asks to change, <c>onBehalfOf</c> (id or e-mail of the approver whose
/// delegation the caller holds), and optionally <c>snapshotHash</c> (the snapshot the caller reviewed) and
/// <c>expectedVersion</c>.
/// </summary>
public sealed record ApprovalDecisionRequest(string? Decision, string? Comment, IReadOnlyList<string>? Sections, string? OnBehalfOf, string? SnapshotHash, int? ExpectedVersion);

/// <summary>A field message in the caller's interface language (the API and the pages alike).</summary>
internal static class ApprovalText
{
    public static string Text(string en, string zh) => new LocalizedText(en, zh).For(System.Globalization.CultureInfo.CurrentUICulture);
}

/// <summary><c>POST /api/projects/{id}/approvals/{gate}/resubmit</c>: <c>expectedVersion</c> and an optional comment.</summary>
public sealed record ResubmitApprovalRequest(int? ExpectedVersion, string? Comment);

/// <summary>A decision's request load, compiled once per model (decision 0056): every decision runs it.</summary>
internal sealed class DecisionQueries
{
    /// <summary>The request of the project, tracked, with its decisions (the quorum counts them).</summary>
    public Func<AppDbContext, Guid, Guid, CancellationToken, Task<ApprovalRequest?>> RequestWithDecisions { get; } = EF.CompileAsyncQuery(
        (AppDbContext c, Guid id, Guid projectId, CancellationToken _) =>
            c.ApprovalRequests.Include(r => r.Decisions).FirstOrDefault(r => r.Id == id && r.ProjectId == projectId));
}

/// <summary>
/// One approver's decision on an open request, through the project command path. Rejecting fires the gate's
/// reject transition with the comment; the approval that reaches the quorum of distinct approvers fires the
/// approve transition (its conditions and the submission's are checked again first). A request that is closed,
/// stale, or whose covered content no longer matches its snapshot takes no decision (409).
/// </summary>
public sealed class DecideApproval(Guid projectId, Guid requestId, ApprovalDecisionRequest request)
    : ProjectCommand(projectId, request?.ExpectedVersion), IApprovalCommand
{
    private GateDefinition? _gate;
    private string? _onBehalfOfId;
    private bool _delegationActive;

    public override string Action => ApprovalAuditActions.Decided;

    public override IAuthorizationRequirement Operation => ApprovalOperations.Decide;

    public override bool VersionRequired => false;

    /// <summary>The request decided (after the command ran).</summary>
    public ApprovalRequest? Request { get; private set; }

    /// <summary>The decision made.</summary>
    public ApprovalDecision? Decision { get; private set; }

    /// <summary>The transition the decision fired, if it closed the request.</summary>
    public TransitionDefinition? Fired { get; private set; }

    private ApprovalDecisionKind? Kind => request.Decision?.Trim().ToLowerInvariant() switch
    {
        "approve" => ApprovalDecisionKind.Approve,
        "reject" => ApprovalDecisionKind.Reject,
        _ => null,
    };

    public override void Validate(IDictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (Kind is null)
            errors["decision"] = [Text("The decision must be \"approve\" or \"reject\".", "决定必须为“approve”（批准）或“reject”（退回）。")];
        if (Kind == ApprovalDecisionKind.Reject && string.IsNullOrWhiteSpace(request.Comment))
            errors["comment"] = [Text("A rejection needs a comment saying what to change.", "退回时必须填写意见，说明需要修改什么。")];
        else if (request.Comment is { Length: > 4000 })
            errors["comment"] = [Text("The comment may have at most 4000 characters.", "意见最多 4000 个字符。")];
        else
            CreateProject.ValidateText(errors, "comment", request.Comment, multiline: true);
        var sections = request.Sections ?? [];
        for (var i = 0; i < sections.Count; i++)
        {
            if (!ApprovalSections.All.Contains(sections[i]))
                errors[$"sections[{i}]"] = [Text($"'{TextRules.Quote(sections[i])}' is not a section; known: {string.Join(", ", ApprovalSections.All)}.",
                    $"“{TextRules.Quote(sections[i])}”不是可选的部分；可选：{string.Join("、", ApprovalSections.All)}。")];
        }
        if (sections.Distinct(StringComparer.Ordinal).Count() != sections.Count)
            errors["sections"] = [Text("Each section may be named once.", "每个部分只能选择一次。")];
        if (request.OnBehalfOf is { Length: > 256 })
            errors["onBehalfOf"] = [Text("onBehalfOf is a user id or e-mail address of at most 256 characters.", "onBehalfOf 为用户 ID 或电子邮件地址，最多 256 个字符。")];
        if (request.SnapshotHash is { } hash && (hash.Length != 64 || !hash.All(char.IsAsciiHexDigitLower)))
            errors["snapshotHash"] = [Text("snapshotHash is the 64 lower-case hex digits of the snapshot's SHA-256.", "snapshotHash 为快照 SHA-256 的 64 位小写十六进制数字。")];
    }

    public override async Task<CommandResult<Project>?> ResolveAsync(ProjectCommandContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        var db = context.Db;
        var project = context.Project;
        Request = await CompiledPerModel.For<DecisionQueries>(db.Model).RequestWithDecisions(db, requestId, ProjectId, ct);
        if (Request is null)
            return CommandResult<Project>.NotFound(ApprovalErrorCodes.RequestNotFound, $"No approval request has the id {requestId}.");
        if (!Request.IsOpen)
            return CommandResult<Project>.Conflict(ApprovalErrorCodes.RequestClosed,
                $"This request is {Request.Status.ToString().ToLowerInvariant()}; it takes no more decisions.", project.Version);
        if (project.State != Request.State)
            return CommandResult<Project>.Conflict(ApprovalErrorCodes.NotInReview,
                $"The project is in {project.State}, not in review ({Request.State}); decisions wait until it returns.", project.Version);
        _gate = context.Definition.FindGate(Request.Gate)
            ?? throw new InvalidOperationException($"Gate '{Request.Gate}' is not in {context.Definition.Key}.");
        if (Request.Stale)
            return Stale(context, $"What the request covers changed after it was opened ({Request.StaleSections}); the project's manager must resubmit it before anyone decides.");
        if (request.SnapshotHash is { } reviewed && reviewed != Request.SnapshotHash)
            return Stale(context, $"You reviewed snapshot {reviewed[..12]}…, but the request holds {Request.SnapshotHash[..12]}…; review the current snapshot.");
        // Built again only when something it covers was written since it was opened (the stamp moved, decision 0068).
        if (!CoveredContent.Unchanged(Request.ContentStamp, project)
            && (await context.Services.GetRequiredService<ApprovalSnapshotBuilder>().BuildAsync(project, _gate, ct)).Hash != Request.SnapshotHash)
            return Stale(context, "What the request covers no longer matches its snapshot; the project's manager must resubmit it before anyone decides.");

        var covers = ApprovalSections.Of(_gate);
        var sections = request.Sections ?? [];
        for (var i = 0; i < sections.Count; i++)
        {
            if (!covers.Contains(sections[i]))
                return CommandResult<Project>.Invalid($"sections[{i}]", $"The gate '{_gate.Id}' does not cover '{sections[i]}'; it covers {string.Join(", ", covers)}.");
        }

        if (!string.IsNullOrWhiteSpace(request.OnBehalfOf))
        {
            var key = request.OnBehalfOf.Trim();
            var normalized = key.ToUpperInvariant();
            _onBehalfOfId = await db.Users.AsNoTracking().Where(u => u.Id == key || u.NormalizedEmail == normalized).Select(u => u.Id).FirstOrDefaultAsync(ct);
            if (_onBehalfOfId is null)
                return CommandResult<Project>.Invalid("onBehalfOf", $"No user has the id or e-mail '{TextRules.Quote(key)}'.");
            // In force today: not revoked, inside its window, and both people still active approvers.
            var today = DateOnly.FromDateTime(context.Now.UtcDateTime);
            _delegationActive = await context.Services.GetRequiredService<DelegationReader>()
                .FindActiveAsync(_onBehalfOfId, context.Caller.UserId, today, ct) is not null;
        }
        return null;
    }

    private static CommandResult<Project> Stale(ProjectCommandContext context, string detail) =>
        CommandResult<Project>.Conflict(ApprovalErrorCodes.RequestStale, detail, context.Project.Version);

    public override object AuthorizationResource(ProjectCommandContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new ApprovalDecisionResource(context.Project, _gate!, Request!, _onBehalfOfId, _delegationActive);
    }

    public override async Task<CommandResult<Project>?> ApplyAsync(ProjectCommandContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (project, definition, gate, approval) = (context.Project, context.Definition, _gate!, Request!);
        var kind = Kind!.Value;
        var transitionKind = kind == ApprovalDecisionKind.Approve ? "approve" : "reject";
        var transition = definition.TransitionsFrom(project.State).FirstOrDefault(t => t.Gate == gate.Id && t.Kind == transitionKind)
            ?? throw new InvalidOperationException($"{definition.Key} has no {transitionKind} transition for gate '{gate.Id}' from {project.State}.");

        // An approval counts only if the gate could pass on it: the approve transition's conditions and the
        // submission's hold now. A refused decision writes nothing.
        var evaluator = context.Services.GetRequiredService<TransitionEvaluator>();
        var unmet = (await evaluator.ConditionsAsync(project, definition, transition, context.User, request.Comment, ct, throughDecision: true)).ToList();
        if (kind == ApprovalDecisionKind.Approve)
            unmet.AddRange(await evaluator.SubmissionConditionsAsync(project, definition, context.User, ct));
        if (unmet.Count > 0)
            return CommandResult<Project>.Unprocessable($"{unmet.Count} condition(s) of '{transition.Trigger}' are not met; the decision was not recorded.", unmet);

        Decision = approval.Decide(kind, context.Caller.UserId, _onBehalfOfId, request.Comment, request.Sections ?? [], context.Now);
        // Added explicitly: found only through the request's navigation, a new row with its key already set would be
        // taken for an existing one.
        context.Db.ApprovalDecisions.Add(Decision);
        var key = $"approvals.{gate.Id}";
        context.Audit
            .Set($"{key}.requestId", approval.Id)
            .Set($"{key}.decision", transitionKind)
            .Set($"{key}.snapshotHash", approval.SnapshotHash)
            .Set($"{key}.approvals", approval.ApprovalCount);
        if (_onBehalfOfId is not null)
            context.Audit.Set($"{key}.onBehalfOf", _onBehalfOfId);
        if (Decision.Sections.Count > 0)
            context.Audit.Set($"{key}.sections", Decision.Sections);
        context.Audit.Comment = request.Comment;

        if (kind == ApprovalDecisionKind.Approve && approval.ApprovalCount < approval.Quorum)
            return null;
        approval.Close(kind == ApprovalDecisionKind.Approve ? ApprovalRequestStatus.Approved : ApprovalRequestStatus.Rejected, context.Now);
        context.Audit.Change($"{key}.status", "open", approval.Status.ToString().ToLowerInvariant());
        var from = project.State;
        context.Transition = transition;
        project.Fire(definition, transition.Trigger, context.Caller.UserId);
        context.Audit.Trigger = transition.Trigger;
        context.Audit.Record("state", from, project.State);
        foreach (var hook in context.Services.GetServices<ITransitionHook>())
            await hook.AfterFireAsync(context, transition, ct);
        Fired = transition;
        return null;
    }
}

/// <summary>
/// A project's manager resubmits a stale request: the submission's conditions are checked again, the old request is
/// superseded (its decisions stay with it) and a new one opens with a fresh snapshot, so that approvers sign what is
/// there now.
/// </summary>
public sealed class ResubmitApproval(Guid projectId, string gate, ResubmitApprovalRequest request)
    : ProjectCommand(projectId, request?.ExpectedVersion), IApprovalCommand
{
    private GateDefinition? _gate;
    private ApprovalRequest? _old;

    public override string Action => ApprovalAuditActions.Resubmitted;

    public override IAuthorizationRequirement Operation => ProjectOperations.Edit;

    /// <summary>The request opened by the resubmission.</summary>
    public ApprovalRequest? Opened { get; private set; }

    public override void Validate(IDictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (request.Comment is { Length: > 4000 })
            errors["comment"] = [Text("The comment may have at most 4000 characters.", "意见最多 4000 个字符。")];
        else
            CreateProject.ValidateText(errors, "comment", request.Comment, multiline: true);
    }

    public override async Task<CommandResult<Project>?> ResolveAsync(ProjectCommandContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        _gate = context.Definition.FindGate(gate);
        if (_gate is null)
            return CommandResult<Project>.NotFound(ApprovalErrorCodes.GateNotFound, $"'{TextRules.Quote(gate)}' is not a gate of {context.Definition.Key}.");
        if (context.Definition.GateOfState(context.Project.State)?.Id != _gate.Id)
        {
            var message = new LocalizedText(
                $"The project is in {context.Project.State}, not in the review of the gate '{_gate.Id}'; only a request under review can be resubmitted.",
                $"项目处于 {context.Project.State}，不在“{_gate.Label.ZhHans}”审批中；只有正在审批的请求可以重新提交。");
            return CommandResult<Project>.Unprocessable(message.En, [new UnmetGuard("state", message)]);
        }
        _old = await context.Db.ApprovalRequests.FirstOrDefaultAsync(r => r.ProjectId == ProjectId && r.Gate == _gate.Id && r.Status == ApprovalRequestStatus.Open, ct);
        return null;
    }

    public override async Task<CommandResult<Project>?> ApplyAsync(ProjectCommandContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (_old is not null && !_old.Stale)
        {
            var unchanged = CoveredContent.Unchanged(_old.ContentStamp, context.Project)
                || (await context.Services.GetRequiredService<ApprovalSnapshotBuilder>().BuildAsync(context.Project, _gate!, ct)).Hash == _old.SnapshotHash;
            if (unchanged)
                return CommandResult<Project>.Conflict(ApprovalErrorCodes.NotStale,
                    "Nothing the gate covers changed since the request was opened: it is still under review and needs no resubmission.", context.Project.Version);
        }
        var evaluator = context.Services.GetRequiredService<TransitionEvaluator>();
        var unmet = await evaluator.SubmissionConditionsAsync(context.Project, context.Definition, context.User, ct);
        if (unmet.Count > 0)
            return CommandResult<Project>.Unprocessable($"{unmet.Count} condition(s) of the submission are not met; fix them before resubmitting.", unmet);
        if (_old is not null)
        {
            _old.Close(ApprovalRequestStatus.Superseded, context.Now);
            context.Audit.Change($"approvals.{_gate!.Id}.status", "open", "superseded");
            context.Audit.Set($"approvals.{_gate.Id}.previousSnapshotHash", _old.SnapshotHash);
        }
        var lifecycle = context.Services.GetRequiredService<ApprovalLifecycle>();
        Opened = await lifecycle.OpenAsync(context, context.Definition, _gate!, context.Caller.UserId, ct, _old);
        context.Audit.Comment = request.Comment;
        return null;
    }
}
