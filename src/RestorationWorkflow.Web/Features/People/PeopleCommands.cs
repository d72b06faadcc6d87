using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.Commands;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Web.Features.Audit;
using RestorationWorkflow.Web.Features.Projects;
using RestorationWorkflow.Web.Infrastructure;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Web.Features.People;

/// <summary>The audit actions of the people commands (stakeholders, participation, consent).</summary>
public static class PeopleAuditActions
{
    public const string StakeholderAdded = "stakeholder.added";
    public const string StakeholderUpdated = "stakeholder.updated";
    public const string StakeholderRemoved = "stakeholder.removed";
    public const string ParticipationAdded = "participation.added";
    public const string ParticipationUpdated = "participation.updated";
    public const string ParticipationRemoved = "participation.removed";
    public const string ConsentAdded = "consent.added";
    public const string ConsentUpdated = "consent.updated";
    public const string ConsentRemoved = "consent.removed";
    public const string ConsentVerified = "consent.verified";
    public const string ConsentWithdrawn = "consent.withdrawn";
}

/// <summary>
/// What the people commands share: messages in the caller's language, the content-freeze rule and the check that
/// an evidence file belongs to the project. Fields are audited as <c>stakeholders.{id}.{field}</c>,
/// <c>participation.{id}.{field}</c> and <c>consents.{id}.{field}</c>; a stakeholder's contact only as
/// <see cref="ContactMarker"/> (decision 0023).
/// </summary>
public abstract class PeopleCommand(Guid projectId, int? expectedVersion) : ProjectCommand(projectId, expectedVersion)
{
    public const string ItemNotFound = "people-item-not-found";

    /// <summary>What the audit trail records of a contact that is set: never the contact itself.</summary>
    public const string ContactMarker = "•••";

    public override IAuthorizationRequirement Operation => ProjectOperations.Edit;

    protected static string Text(string en, string zh) => new LocalizedText(en, zh).For(CultureInfo.CurrentUICulture);

    protected static void Required(IDictionary<string, string[]> errors, string field, string? value, int max, string en, string zh, bool multiline = false)
    {
        if (string.IsNullOrWhiteSpace(value))
            errors[field] = [Text($"{en} is required.", $"{zh}为必填项。")];
        else
            Optional(errors, field, value, max, en, zh, multiline);
    }

    protected static void Optional(IDictionary<string, string[]> errors, string field, string? value, int max, string en, string zh, bool multiline = false)
    {
        if (value is null)
            return;
        if (value.Trim().Length > max)
            errors[field] = [Text($"{en} may have at most {max} characters.", $"{zh}最多 {max} 个字符。")];
        else
            CreateProject.ValidateText(errors, field, value, multiline);
    }

    protected static void ValidDate(IDictionary<string, string[]> errors, string field, DateOnly? date, string en, string zh)
    {
        if (date is null)
            errors[field] = [Text($"{en} is required (YYYY-MM-DD).", $"{zh}为必填项（YYYY-MM-DD）。")];
        else if (date.Value.Year is < 1900 or > 2200)
            errors[field] = [Text($"{en} must be between 1900-01-01 and 2200-12-31.", $"{zh}必须在 1900-01-01 至 2200-12-31 之间。")];
    }

    protected static CommandResult<Project>? Frozen(ProjectCommandContext context, string en, string zh)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ProjectContentRules.Frozen(context.Definition, context.Project, new(en, zh));
    }

    /// <summary>400 naming <c>evidenceFileId</c> when the file is not an evidence file of this project.</summary>
    protected async Task<CommandResult<Project>?> RefuseForeignEvidenceAsync(ProjectCommandContext context, Guid? evidenceFileId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (evidenceFileId is not { } fileId || await context.Db.EvidenceFiles.AnyAsync(f => f.Id == fileId && f.ProjectId == ProjectId, ct))
            return null;
        return CommandResult<Project>.Invalid("evidenceFileId", Text(
            $"{fileId} is not an evidence file of this project; upload it under the project's evidence first.",
            $"{fileId} 不是本项目的证据文件；请先在本项目的证据中上传。"));
    }

    protected CommandResult<Project> NotFound(string what, Guid itemId) =>
        CommandResult<Project>.NotFound(ItemNotFound, $"Project {ProjectId} has no {what} {itemId}.");

    protected static string? Marker(string contact) => string.IsNullOrEmpty(contact) ? null : ContactMarker;
}

// ───────────────────────── Stakeholders ─────────────────────────

public abstract class StakeholderCommand(Guid projectId, int? expectedVersion) : PeopleCommand(projectId, expectedVersion)
{
    public Stakeholder? Stakeholder { get; protected set; }

    protected static StakeholderDetails? ValidateInput(StakeholderRequest request, IDictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(errors);
        Required(errors, "name", request.Name, 200, "A name", "名称");
        if (string.IsNullOrWhiteSpace(request.Group))
            errors["group"] = [Text($"A group is required; one of: {Groups}.", $"群体为必填项；可选：{Groups}。")];
        else if (!StakeholderGroups.IsKnown(request.Group))
            errors["group"] = [Text($"'{TextRules.Quote(request.Group)}' is not a stakeholder group; known: {Groups}.", $"“{TextRules.Quote(request.Group)}”不是利益攸关方群体；可选：{Groups}。")];
        if (request.IsIplc is null)
            errors["isIplc"] = [Text("Say whether the stakeholder is indigenous peoples or a local community (isIplc: true or false).", "请说明该利益攸关方是否属于土著人民和地方社区（isIplc：true 或 false）。")];
        Optional(errors, "contact", request.Contact, 500, "The contact", "联系方式", multiline: true);
        return errors.Count > 0 ? null : new StakeholderDetails(request.Name!.Trim(), request.Group!, request.IsIplc!.Value, request.Contact?.Trim() ?? "");
    }

    private static string Groups => string.Join(", ", StakeholderGroups.All.Select(g => g.Code));

    protected CommandResult<Project>? RefuseInState(ProjectCommandContext context) =>
        Frozen(context, "its stakeholders cannot change", "利益攸关方不能更改");
}

public sealed class AddStakeholder(Guid projectId, StakeholderRequest request) : StakeholderCommand(projectId, request?.ExpectedVersion)
{
    private StakeholderDetails? _details;

    public override string Action => PeopleAuditActions.StakeholderAdded;

    public override void Validate(IDictionary<string, string[]> errors) => _details = ValidateInput(request, errors);

    public override Task<CommandResult<Project>?> ApplyAsync(ProjectCommandContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (RefuseInState(context) is { } refused)
            return Task.FromResult<CommandResult<Project>?>(refused);
        var s = RestorationWorkflow.Projects.Stakeholder.Create(ProjectId, _details!, context.Now);
        context.Db.Stakeholders.Add(s);
        var key = $"stakeholders.{s.Id}";
        context.Audit
            .Set($"{key}.name", s.Name)
            .Set($"{key}.group", s.Group)
            .Set($"{key}.isIplc", s.IsIplc)
            .Set($"{key}.contact", Marker(s.Contact));
        Stakeholder = s;
        return Task.FromResult<CommandResult<Project>?>(null);
    }
}

public sealed class UpdateStakeholder(Guid projectId, Guid stakeholderId, StakeholderRequest request) : StakeholderCommand(projectId, request?.ExpectedVersion)
{
    private StakeholderDetails? _details;

    public override string Action => PeopleAuditActions.StakeholderUpdated;

    public override void Validate(IDictionary<string, string[]> errors) => _details = ValidateInput(request, errors);

    public override async Task<CommandResult<Project>?> ApplyAsync(ProjectCommandContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        var s = await context.Db.Stakeholders.FirstOrDefaultAsync(x => x.ProjectId == ProjectId && x.Id == stakeholderId, ct);
        if (s is null)
            return NotFound("stakeholder", stakeholderId);
        if (RefuseInState(context) is { } refused)
            return refused;
        var old = s.Details;
        var now = _details!;
        if (old.IsIplc && !now.IsIplc && await context.Db.ConsentRecords.AnyAsync(c => c.StakeholderId == s.Id, ct))
        {
            var message = new LocalizedText(
                $"Stakeholder '{s.Name}' has consent records; they stay IPLC (isIplc) while those records exist.",
                $"利益攸关方“{s.Name}”已有同意记录；在这些记录存在期间，其土著人民和地方社区身份（isIplc）不能取消。");
            return CommandResult<Project>.Unprocessable(message.En, [new UnmetGuard("isIplc", message)]);
        }
        var key = $"stakeholders.{s.Id}";
        context.Audit
            .Change($"{key}.name", old.Name, now.Name)
            .Change($"{key}.group", old.Group, now.Group)
            .Change($"{key}.isIplc", old.IsIplc, now.IsIplc);
        if (!string.Equals(old.Contact, now.Contact, StringComparison.Ordinal))
            context.Audit.Record($"{key}.contact", Marker(old.Contact), Marker(now.Contact));
        Stakeholder = s;
        if (context.Audit.HasChanges)
            s.Update(now, context.Now);
        return null;
    }
}

public sealed class RemoveStakeholder(Guid projectId, Guid stakeholderId, int? expectedVersion) : StakeholderCommand(projectId, expectedVersion)
{
    public override string Action => PeopleAuditActions.StakeholderRemoved;

    public override async Task<CommandResult<Project>?> ApplyAsync(ProjectCommandContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        var s = await context.Db.Stakeholders.FirstOrDefaultAsync(x => x.ProjectId == ProjectId && x.Id == stakeholderId, ct);
        if (s is null)
            return NotFound("stakeholder", stakeholderId);
        if (RefuseInState(context) is { } refused)
            return refused;
        if (await context.Db.ConsentRecords.AnyAsync(c => c.StakeholderId == s.Id, ct))
        {
            var message = new LocalizedText(
                $"Stakeholder '{s.Name}' has consent records, which are kept as evidence; remove those records first.",
                $"利益攸关方“{s.Name}”已有同意记录，这些记录作为证据保留；请先删除这些记录。");
            return CommandResult<Project>.Unprocessable(message.En, [new UnmetGuard("stakeholderId", message)]);
        }
        var key = $"stakeholders.{s.Id}";
        context.Audit
            .Record($"{key}.name", s.Name, (string?)null)
            .Record($"{key}.group", s.Group, (string?)null)
            .Record($"{key}.isIplc", (bool?)s.IsIplc, null)
            .Record($"{key}.contact", Marker(s.Contact), null);
        context.Db.Stakeholders.Remove(s);
        return null;
    }
}

// ───────────────────────── Participation ─────────────────────────

public abstract class ParticipationCommand(Guid projectId, int? expectedVersion) : PeopleCommand(projectId, expectedVersion)
{
    public const int MaxCount = 1_000_000;

    public ParticipationEvent? Event { get; protected set; }

    protected static ParticipationDetails? ValidateInput(ParticipationRequest request, IDictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(errors);
        ValidDate(errors, "date", request.Date, "The date", "日期");
        if (string.IsNullOrWhiteSpace(request.StepCode))
            errors["stepCode"] = [Text("A STAPER step code (A1…D3) is required.", "STAPER 步骤代码（A1…D3）为必填项。")];
        else if (!StaperSteps.IsKnown(request.StepCode))
            errors["stepCode"] = [Text($"'{TextRules.Quote(request.StepCode)}' is not a STAPER step code (A1…A6, B1…B9, C1…C5, D1…D3).", $"“{TextRules.Quote(request.StepCode)}”不是 STAPER 步骤代码（A1…A6、B1…B9、C1…C5、D1…D3）。")];
        Required(errors, "method", request.Method, 200, "The method", "方式");
        Required(errors, "purpose", request.Purpose, 2000, "The purpose", "目的", multiline: true);
        Required(errors, "outcome", request.Outcome, 4000, "The outcome", "结果", multiline: true);
        Count(errors, "women", request.Women, "The number of women", "女性人数");
        Count(errors, "men", request.Men, "The number of men", "男性人数");
        Count(errors, "otherGender", request.OtherGender, "The number of attendees of another or undisclosed gender", "其他或未说明性别的人数");
        Count(errors, "iplcMembers", request.IplcMembers, "The number of IPLC attendees", "土著人民和地方社区出席人数");
        Count(errors, "nonIplcMembers", request.NonIplcMembers, "The number of attendees outside IPLC", "非土著人民和地方社区出席人数");
        if (!errors.ContainsKey("women") && !errors.ContainsKey("men") && !errors.ContainsKey("otherGender"))
        {
            var total = request.Women!.Value + request.Men!.Value + request.OtherGender!.Value;
            if (total == 0)
                errors["women"] = [Text("Count the attendees by gender: women, men and otherGender together must be at least 1.", "请按性别统计出席人数：女性、男性和其他性别合计至少为 1。")];
            else if (!errors.ContainsKey("iplcMembers") && !errors.ContainsKey("nonIplcMembers") && request.IplcMembers + request.NonIplcMembers != total)
                errors["iplcMembers"] = [Text($"iplcMembers and nonIplcMembers must add up to the attendees counted by gender ({total}).", $"土著人民和地方社区出席人数与非土著人民和地方社区出席人数之和必须等于按性别统计的人数（{total}）。")];
        }
        return errors.Count > 0 ? null : new ParticipationDetails(
            request.Date!.Value, request.StepCode!, request.Method!.Trim(), request.Purpose!.Trim(), request.Women!.Value, request.Men!.Value,
            request.OtherGender!.Value, request.IplcMembers!.Value, request.NonIplcMembers!.Value, request.Outcome!.Trim(), request.EvidenceFileId);
    }

    private static void Count(IDictionary<string, string[]> errors, string field, int? value, string en, string zh)
    {
        if (value is null)
            errors[field] = [Text($"{en} is required (0 or more).", $"{zh}为必填项（0 或以上）。")];
        else if (value is < 0 or > MaxCount)
            errors[field] = [Text($"{en} must be between 0 and {MaxCount}.", $"{zh}必须在 0 至 {MaxCount} 之间。")];
    }

    protected CommandResult<Project>? RefuseInState(ProjectCommandContext context) =>
        Frozen(context, "its participation events cannot change", "参与活动不能更改");

    protected static void AuditAll(ProjectCommandContext context, Guid id, ParticipationDetails? old, ParticipationDetails? now)
    {
        var key = $"participation.{id}";
        context.Audit
            .Change($"{key}.date", old?.Date, now?.Date)
            .Change($"{key}.stepCode", old?.StepCode, now?.StepCode)
            .Change($"{key}.method", old?.Method, now?.Method)
            .Change($"{key}.purpose", old?.Purpose, now?.Purpose)
            .Change($"{key}.women", old?.Women, now?.Women)
            .Change($"{key}.men", old?.Men, now?.Men)
            .Change($"{key}.otherGender", old?.OtherGender, now?.OtherGender)
            .Change($"{key}.iplcMembers", old?.IplcMembers, now?.IplcMembers)
            .Change($"{key}.nonIplcMembers", old?.NonIplcMembers, now?.NonIplcMembers)
            .Change($"{key}.outcome", old?.Outcome, now?.Outcome)
            .Change($"{key}.evidenceFileId", old?.EvidenceFileId, now?.EvidenceFileId);
    }
}

/// <summary>What adding and changing a participation event share: the request validated once, then the state and evidence checks.</summary>
public abstract class ParticipationWriteCommand(Guid projectId, ParticipationRequest request) : ParticipationCommand(projectId, request?.ExpectedVersion)
{
    private ParticipationDetails? _details;

    /// <summary>The validated input; set by <see cref="Validate"/>, which the command path runs before applying.</summary>
    protected ParticipationDetails Details => _details ?? throw new InvalidOperationException("Validate the command before applying it.");

    public override void Validate(IDictionary<string, string[]> errors) => _details = ValidateInput(request, errors);

    /// <summary>The project's state refuses the change, or the evidence file is not the project's.</summary>
    protected async Task<CommandResult<Project>?> RefuseAsync(ProjectCommandContext context, CancellationToken ct) =>
        RefuseInState(context) ?? await RefuseForeignEvidenceAsync(context, Details.EvidenceFileId, ct);
}

public sealed class AddParticipation(Guid projectId, ParticipationRequest request) : ParticipationWriteCommand(projectId, request)
{
    public override string Action => PeopleAuditActions.ParticipationAdded;

    public override async Task<CommandResult<Project>?> ApplyAsync(ProjectCommandContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (await RefuseAsync(context, ct) is { } refused)
            return refused;
        var e = ParticipationEvent.Create(ProjectId, Details, context.Now);
        context.Db.ParticipationEvents.Add(e);
        AuditAll(context, e.Id, null, Details);
        Event = e;
        return null;
    }
}

public sealed class UpdateParticipation(Guid projectId, Guid eventId, ParticipationRequest request) : ParticipationWriteCommand(projectId, request)
{
    public override string Action => PeopleAuditActions.ParticipationUpdated;

    public override async Task<CommandResult<Project>?> ApplyAsync(ProjectCommandContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        var e = await context.Db.ParticipationEvents.FirstOrDefaultAsync(x => x.ProjectId == ProjectId && x.Id == eventId, ct);
        if (e is null)
            return NotFound("participation event", eventId);
        if (await RefuseAsync(context, ct) is { } refused)
            return refused;
        AuditAll(context, e.Id, e.Details, Details);
        Event = e;
        if (context.Audit.HasChanges)
            e.Update(Details, context.Now);
        return null;
    }
}

public sealed class RemoveParticipation(Guid projectId, Guid eventId, int? expectedVersion) : ParticipationCommand(projectId, expectedVersion)
{
    public override string Action => PeopleAuditActions.ParticipationRemoved;

    public override async Task<CommandResult<Project>?> ApplyAsync(ProjectCommandContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        var e = await context.Db.ParticipationEvents.FirstOrDefaultAsync(x => x.ProjectId == ProjectId && x.Id == eventId, ct);
        if (e is null)
            return NotFound("participation event", eventId);
        if (RefuseInState(context) is { } refused)
            return refused;
        if (await context.Db.Evaluations.AnyAsync(v => v.ParticipationEventId == e.Id, ct))
        {
            var message = new LocalizedText(
                "An evaluation names this event as the consultation of its stakeholders; it is kept as the evaluation's evidence.",
                "某项评价将此活动列为征求利益攸关方意见的活动；该活动作为评价的依据予以保留。");
            return CommandResult<Project>.Unprocessable(message.En, [new UnmetGuard("evaluations", message)]);
        }
        AuditAll(context, e.Id, e.Details, null);
        context.Db.ParticipationEvents.Remove(e);
        return null;
    }
}

// ───────────────────────── Consent ─────────────────────────

public abstract class ConsentCommand(Guid projectId, int? expectedVersion) : PeopleCommand(projectId, expectedVersion)
{
    public ConsentRecord? Consent { get; protected set; }

    /// <summary>The name of the stakeholder whose consent it is, for the response.</summary>
    public string StakeholderName { get; protected set; } = "";

    /// <summary>Looks up <see cref="StakeholderName"/> for a record the command did not load its stakeholder for.</summary>
    protected async Task NameStakeholderAsync(ProjectCommandContext context, Guid stakeholderId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        StakeholderName = await context.Db.Stakeholders.AsNoTracking().Where(x => x.ProjectId == ProjectId && x.Id == stakeholderId)
            .Select(x => x.Name).FirstOrDefaultAsync(ct) ?? "";
    }

    protected static ConsentDetails? ValidateInput(ConsentRequest request, IDictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(errors);
        if (request.StakeholderId is null || request.StakeholderId == Guid.Empty)
            errors["stakeholderId"] = [Text("The IPLC stakeholder whose consent this is (stakeholderId) is required.", "给予同意的土著人民和地方社区利益攸关方（stakeholderId）为必填项。")];
        var scopes = request.Scopes ?? [];
        var known = string.Join(", ", ConsentScopes.All.Select(s => s.Code));
        if (scopes.Count == 0)
            errors["scopes"] = [Text($"At least one scope is required; each one of: {known}.", $"至少需要一个范围；可选：{known}。")];
        for (var i = 0; i < scopes.Count; i++)
        {
            if (!ConsentScopes.IsKnown(scopes[i]))
                errors[$"scopes[{i}]"] = [Text($"'{TextRules.Quote(scopes[i])}' is not a consent scope; known: {known}.", $"“{TextRules.Quote(scopes[i])}”不是同意范围；可选：{known}。")];
        }
        if (scopes.Distinct(StringComparer.Ordinal).Count() != scopes.Count)
            errors["scopes"] = [Text("Each scope may be listed once.", "每个范围只能列出一次。")];
        var outcomes = string.Join(", ", ConsentOutcomes.All.Select(o => o.Code).Where(o => o != ConsentOutcomes.Withdrawn));
        if (string.IsNullOrWhiteSpace(request.Outcome))
            errors["outcome"] = [Text($"An outcome is required; one of: {outcomes}.", $"结果为必填项；可选：{outcomes}。")];
        else if (request.Outcome == ConsentOutcomes.Withdrawn)
            errors["outcome"] = [Text("A withdrawal is recorded with POST …/consents/{consentId}/withdrawal, which also suspends the project; outcome may be: " + outcomes + ".",
                "撤回同意须通过 POST …/consents/{consentId}/withdrawal 记录（同时暂停项目）；结果可选：" + outcomes + "。")];
        else if (!ConsentOutcomes.IsKnown(request.Outcome))
            errors["outcome"] = [Text($"'{TextRules.Quote(request.Outcome)}' is not a consent outcome; known: {outcomes}.", $"“{TextRules.Quote(request.Outcome)}”不是同意结果；可选：{outcomes}。")];
        ValidDate(errors, "date", request.Date, "The date", "日期");
        if (request.Outcome == ConsentOutcomes.Conditional)
            Required(errors, "conditions", request.Conditions, 4000, "The conditions of a conditional consent", "有条件同意的条件", multiline: true);
        else
            Optional(errors, "conditions", request.Conditions, 4000, "The conditions", "条件", multiline: true);
        if (request.RenewOn is { } renewOn)
        {
            if (renewOn.Year is < 1900 or > 2200)
                errors["renewOn"] = [Text("The renewal date must be between 1900-01-01 and 2200-12-31.", "续期日期必须在 1900-01-01 至 2200-12-31 之间。")];
            else if (request.Date is { } given && renewOn <= given)
                errors["renewOn"] = [Text("The renewal or condition date must come after the date of the consent.", "续期或条件日期必须晚于同意的日期。")];
        }
        return errors.Count > 0 ? null : new ConsentDetails(request.StakeholderId!.Value, scopes, request.Outcome!, request.Date!.Value, request.Conditions?.Trim() ?? "",
            request.EvidenceFileId, request.RenewOn);
    }

    /// <summary>
    /// Consent may be recorded while the project is suspended (consent given again is what resumes it), but not
    /// when it is closed or cancelled, nor while a review is deciding on it.
    /// </summary>
    protected static CommandResult<Project>? RefuseInState(ProjectCommandContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Definition.GetState(context.Project.State).Kind == StateKind.Suspended
            ? null
            : Frozen(context, "its consent records cannot change", "同意记录不能更改");
    }

    /// <summary>400 for a stakeholder not in the project, 422 naming <c>stakeholderId</c> for one who is not IPLC.</summary>
    protected async Task<CommandResult<Project>?> RefuseStakeholderAsync(ProjectCommandContext context, Guid stakeholderId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        var s = await context.Db.Stakeholders.AsNoTracking().FirstOrDefaultAsync(x => x.ProjectId == ProjectId && x.Id == stakeholderId, ct);
        if (s is null)
            return CommandResult<Project>.Invalid("stakeholderId", Text($"{stakeholderId} is not a stakeholder of this project.", $"{stakeholderId} 不是本项目的利益攸关方。"));
        StakeholderName = s.Name;
        if (s.IsIplc)
            return null;
        var message = new LocalizedText(
            $"Stakeholder '{s.Name}' ({s.Id}) is not indigenous peoples or a local community (isIplc is false): consent records are kept for IPLC stakeholders.",
            $"利益攸关方“{s.Name}”（{s.Id}）不属于土著人民和地方社区（isIplc 为 false）：同意记录仅针对土著人民和地方社区利益攸关方。");
        return CommandResult<Project>.Unprocessable(message.En, [new UnmetGuard("stakeholderId", message)]);
    }

    protected static void AuditAll(ProjectCommandContext context, Guid id, ConsentRecord? old, ConsentDetails? now)
    {
        var key = $"consents.{id}";
        context.Audit
            .Change($"{key}.stakeholderId", old?.StakeholderId, now?.StakeholderId)
            .Change($"{key}.scopes", old is null ? null : string.Join(",", old.Scopes), now is null ? null : string.Join(",", ConsentScopes.All.Select(s => s.Code).Where(now.Scopes.Contains)))
            .Change($"{key}.outcome", old?.Outcome, now?.Outcome)
            .Change($"{key}.date", old?.Date, now?.Date)
            .Change($"{key}.conditions", old?.Conditions, now?.Conditions)
            .Change($"{key}.evidenceFileId", old?.EvidenceFileId, now?.EvidenceFileId)
            .Change($"{key}.renewOn", old?.RenewOn, now?.RenewOn);
    }
}

/// <summary>What recording and changing a consent share: the request validated once, then the stakeholder and evidence checks.</summary>
public abstract class ConsentWriteCommand(Guid projectId, ConsentRequest request) : ConsentCommand(projectId, request?.ExpectedVersion)
{
    private ConsentDetails? _details;

    /// <summary>The validated input; set by <see cref="Validate"/>, which the command path runs before applying.</summary>
    protected ConsentDetails Details => _details ?? throw new InvalidOperationException("Validate the command before applying it.");

    public override void Validate(IDictionary<string, string[]> errors) => _details = ValidateInput(request, errors);

    /// <summary>The stakeholder is not an IPLC stakeholder of the project, or the evidence file is not the project's.</summary>
    protected async Task<CommandResult<Project>?> RefuseDetailsAsync(ProjectCommandContext context, CancellationToken ct) =>
        await RefuseStakeholderAsync(context, Details.StakeholderId, ct) ?? await RefuseForeignEvidenceAsync(context, Details.EvidenceFileId, ct);
}

public sealed class AddConsent(Guid projectId, ConsentRequest request) : ConsentWriteCommand(projectId, request)
{
    public override string Action => PeopleAuditActions.ConsentAdded;

    public override async Task<CommandResult<Project>?> ApplyAsync(ProjectCommandContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (RefuseInState(context) is { } refused)
            return refused;
        if (await RefuseDetailsAsync(context, ct) is { } invalid)
            return invalid;
        var c = ConsentRecord.Create(ProjectId, Details, context.Now);
        context.Db.ConsentRecords.Add(c);
        AuditAll(context, c.Id, null, Details);
        Consent = c;
        return null;
    }
}

public sealed class UpdateConsent(Guid projectId, Guid consentId, ConsentRequest request) : ConsentWriteCommand(projectId, request)
{
    public override string Action => PeopleAuditActions.ConsentUpdated;

    public override async Task<CommandResult<Project>?> ApplyAsync(ProjectCommandContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        var c = await context.Db.ConsentRecords.FirstOrDefaultAsync(x => x.ProjectId == ProjectId && x.Id == consentId, ct);
        if (c is null)
            return NotFound("consent record", consentId);
        if (RefuseInState(context) is { } refused)
            return refused;
        if (c.Outcome == ConsentOutcomes.Withdrawn)
        {
            var message = new LocalizedText("A withdrawn consent stays as it was recorded; record consent given again as a new record.", "已撤回的同意按记录保留；重新给予的同意请作为新记录登记。");
            return CommandResult<Project>.Unprocessable(message.En, [new UnmetGuard("outcome", message)]);
        }
        if (await RefuseDetailsAsync(context, ct) is { } invalid)
            return invalid;
        AuditAll(context, c.Id, c, Details);
        Consent = c;
        if (!context.Audit.HasChanges)
            return null;
        // A changed record is no longer the one the approver verified.
        context.Audit.Change($"consents.{c.Id}.verifiedBy", c.VerifiedById, (string?)null);
        c.Update(Details, context.Now);
        return null;
    }
}

public sealed class RemoveConsent(Guid projectId, Guid consentId, int? expectedVersion) : ConsentCommand(projectId, expectedVersion)
{
    public override string Action => PeopleAuditActions.ConsentRemoved;

    public override async Task<CommandResult<Project>?> ApplyAsync(ProjectCommandContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        var c = await context.Db.ConsentRecords.FirstOrDefaultAsync(x => x.ProjectId == ProjectId && x.Id == consentId, ct);
        if (c is null)
            return NotFound("consent record", consentId);
        if (RefuseInState(context) is { } refused)
            return refused;
        if (c.Outcome == ConsentOutcomes.Withdrawn)
        {
            var message = new LocalizedText("A withdrawn consent is kept as evidence of the withdrawal; it cannot be removed.", "已撤回的同意作为撤回的证据保留，不能删除。");
            return CommandResult<Project>.Unprocessable(message.En, [new UnmetGuard("outcome", message)]);
        }
        AuditAll(context, c.Id, c, null);
        context.Db.ConsentRecords.Remove(c);
        return null;
    }
}

/// <summary>An approver verifies a consent record (the review verifies the record; IPLC give the consent).</summary>
public sealed class VerifyConsent(Guid projectId, Guid consentId, int? expectedVersion) : ConsentCommand(projectId, expectedVersion)
{
    public override string Action => PeopleAuditActions.ConsentVerified;

    public override IAuthorizationRequirement Operation => PeopleOperations.VerifyConsent;

    public override async Task<CommandResult<Project>?> ApplyAsync(ProjectCommandContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        var c = await context.Db.ConsentRecords.FirstOrDefaultAsync(x => x.ProjectId == ProjectId && x.Id == consentId, ct);
        if (c is null)
            return NotFound("consent record", consentId);
        if (context.Definition.GetState(context.Project.State).Kind == StateKind.Terminal)
            return Frozen(context, "its consent records cannot change", "同意记录不能更改");
        context.Audit.Change($"consents.{c.Id}.verifiedBy", c.VerifiedById, context.Caller.UserId);
        if (context.Audit.HasChanges)
            c.Verify(context.Caller.UserId, context.Caller.DisplayName, context.Now);
        await NameStakeholderAsync(context, c.StakeholderId, ct);
        Consent = c;
        return null;
    }
}

/// <summary>
/// Records that IPLC withdrew a consent and, in the same command and audit event, suspends the project through
/// the engine: the definition's suspend transition from the current state (WithdrawConsent), its conditions
/// checked with the reason as the comment. A state the definition cannot suspend (already suspended) only records it.
/// </summary>
public sealed class WithdrawConsent(Guid projectId, Guid consentId, ConsentWithdrawalRequest request) : ConsentCommand(projectId, request?.ExpectedVersion)
{
    public const string Trigger = "WithdrawConsent";

    public override string Action => PeopleAuditActions.ConsentWithdrawn;

    /// <summary>Whether the command suspended the project.</summary>
    public bool Suspended { get; private set; }

    public override void Validate(IDictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        ValidDate(errors, "date", request.Date, "The date of the withdrawal", "撤回日期");
        Required(errors, "reason", request.Reason, 4000, "The reason for the withdrawal", "撤回理由", multiline: true);
    }

    public override async Task<CommandResult<Project>?> ApplyAsync(ProjectCommandContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        var c = await context.Db.ConsentRecords.FirstOrDefaultAsync(x => x.ProjectId == ProjectId && x.Id == consentId, ct);
        if (c is null)
            return NotFound("consent record", consentId);
        if (context.Definition.GetState(context.Project.State).Kind == StateKind.Terminal)
            return Frozen(context, "its consent records cannot change", "同意记录不能更改");
        if (!ConsentOutcomes.Permits(c.Outcome))
        {
            var label = ConsentOutcomes.Label(c.Outcome);
            var message = new LocalizedText($"Only a granted or conditional consent can be withdrawn; this one is {label.En.ToLowerInvariant()}.",
                $"只有“同意”或“有条件同意”可以撤回；此记录为“{label.ZhHans}”。");
            return CommandResult<Project>.Unprocessable(message.En, [new UnmetGuard("outcome", message)]);
        }
        if (request.Date < c.Date)
        {
            var date = c.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            var message = new LocalizedText($"A withdrawal cannot come before the consent it withdraws (given on {date}).",
                $"撤回日期不能早于所撤回的同意（{date}）。");
            return CommandResult<Project>.Unprocessable(message.En, [new UnmetGuard("date", message)]);
        }
        // The suspension's conditions are checked before anything changes, so a refused withdrawal leaves the record
        // (and the audit) exactly as they were.
        var transition = context.Definition.FindTransition(context.Project.State, Trigger)
            ?? context.Definition.TransitionsFrom(context.Project.State).FirstOrDefault(t => t.Kind == "suspend");
        if (transition is not null)
        {
            var evaluator = context.Services.GetRequiredService<TransitionEvaluator>();
            var unmet = await evaluator.ConditionsAsync(context.Project, context.Definition, transition, context.User, request.Reason, ct);
            if (unmet.Count > 0)
                return CommandResult<Project>.Unprocessable($"The withdrawal would suspend the project, but {unmet.Count} condition(s) of '{transition.Trigger}' are not met.", unmet);
        }

        var key = $"consents.{c.Id}";
        context.Audit
            .Change($"{key}.outcome", c.Outcome, ConsentOutcomes.Withdrawn)
            .Change($"{key}.withdrawnOn", (DateOnly?)null, request.Date)
            .Change($"{key}.withdrawalReason", "", request.Reason!.Trim());
        c.Withdraw(request.Date!.Value, request.Reason, context.Now);
        await NameStakeholderAsync(context, c.StakeholderId, ct);
        Consent = c;
        if (transition is null)
            return null;

        var from = context.Project.State;
        context.Transition = transition;
        context.Project.Fire(context.Definition, transition.Trigger, context.Caller.UserId);
        context.Audit.Trigger = transition.Trigger;
        context.Audit.Comment = request.Reason;
        context.Audit.Record("state", from, context.Project.State);
        foreach (var hook in context.Services.GetServices<ITransitionHook>())
            await hook.AfterFireAsync(context, transition, ct);
        Suspended = true;
        return null;
    }
}
