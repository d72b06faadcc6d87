using System.Globalization;
using RestorationWorkflow.Audit;
using RestorationWorkflow.Web.Features.Approvals;
using RestorationWorkflow.Web.Features.Evaluations;
using RestorationWorkflow.Web.Features.Measurements;
using RestorationWorkflow.Web.Features.People;
using RestorationWorkflow.Web.Features.Reminders.Due;
using RestorationWorkflow.Web.Features.Safeguards;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Web.Features.Audit;

/// <summary>
/// What an audit event did, in words and in both languages: the one list of phrases for the project page's history and
/// the reports (documents made outside a request). An action without a phrase is shown by its code.
/// </summary>
public static class AuditEventText
{
    private static readonly Dictionary<string, LocalizedText> Phrases = new(StringComparer.Ordinal)
    {
        [AuditActions.ChecklistUpdated] = new("updated the checklist", "更新了步骤清单"),
        [AuditActions.ProjectCreated] = new("created the project", "创建了项目"),
        [AuditActions.MemberAdded] = new("added someone to the team", "向团队添加了成员"),
        [AuditActions.MemberRemoved] = new("removed someone from the team", "从团队中移除了成员"),
        [AuditActions.ProjectUpdated] = new("edited the registry", "编辑了登记信息"),
        [AuditActions.EvidenceAttached] = new("attached an evidence file", "附加了证据文件"),
        [AuditActions.StepFormUpdated] = new("updated a step form", "更新了步骤表单"),
        [AuditActions.StepFormConfirmed] = new("confirmed a step form", "确认了步骤表单"),
        [AuditActions.SiteAdded] = new("added a site", "添加了地块"),
        [AuditActions.SiteUpdated] = new("changed a site", "修改了地块"),
        [AuditActions.SiteRemoved] = new("removed a site", "删除了地块"),
        [PeopleAuditActions.StakeholderAdded] = new("changed the stakeholders", "更改了利益攸关方"),
        [PeopleAuditActions.StakeholderUpdated] = new("changed the stakeholders", "更改了利益攸关方"),
        [PeopleAuditActions.StakeholderRemoved] = new("changed the stakeholders", "更改了利益攸关方"),
        [PeopleAuditActions.ParticipationAdded] = new("changed the participation events", "更改了参与活动"),
        [PeopleAuditActions.ParticipationUpdated] = new("changed the participation events", "更改了参与活动"),
        [PeopleAuditActions.ParticipationRemoved] = new("changed the participation events", "更改了参与活动"),
        [PeopleAuditActions.ConsentAdded] = new("changed the consent records", "更改了同意记录"),
        [PeopleAuditActions.ConsentUpdated] = new("changed the consent records", "更改了同意记录"),
        [PeopleAuditActions.ConsentRemoved] = new("changed the consent records", "更改了同意记录"),
        [PeopleAuditActions.ConsentVerified] = new("verified a consent record", "核实了一项同意记录"),
        [PeopleAuditActions.ConsentWithdrawn] = new("recorded a withdrawal of consent", "记录了撤回同意"),
        [AuditActions.TargetAdded] = new("added a restoration target", "添加了恢复目标"),
        [AuditActions.TargetUpdated] = new("changed a restoration target", "更改了恢复目标"),
        [AuditActions.TargetRemoved] = new("removed a restoration target", "删除了恢复目标"),
        [SafeguardAuditActions.ReviewUpdated] = new("updated the safeguard review", "更新了保障措施审查"),
        [SafeguardAuditActions.FindingAcknowledged] = new("acknowledged a safeguard finding", "确认了一项保障措施审查结果"),
        [SafeguardAuditActions.SpeciesAdded] = new("added a species", "添加了物种"),
        [SafeguardAuditActions.SpeciesUpdated] = new("changed a species", "更改了物种"),
        [SafeguardAuditActions.SpeciesRemoved] = new("removed a species", "移除了物种"),
        [ApprovalAuditActions.Resubmitted] = new("resubmitted the approval request with a new snapshot", "以新快照重新提交了审批请求"),
        [MonitoringAuditActions.ReviewRecorded] = new("recorded a monitoring review", "记录了监测审查"),
        [MeasurementAuditActions.Recorded] = new("recorded a measurement", "记录了一项测量结果"),
        [MeasurementAuditActions.Corrected] = new("corrected a measurement", "更正了一项测量结果"),
        [MeasurementAuditActions.Deleted] = new("deleted a measurement", "删除了一项测量结果"),
        [MeasurementAuditActions.Imported] = new("imported measurements", "导入了测量结果"),
        [EvaluationAuditActions.EvaluationRecorded] = new("recorded an evaluation", "记录了一项评估"),
        [EvaluationAuditActions.EvaluationRevised] = new("revised an evaluation", "修订了一项评估"),
        [EvaluationAuditActions.LessonAdded] = new("recorded a lesson learned", "记录了一条经验教训"),
        [EvaluationAuditActions.LessonUpdated] = new("changed a lesson learned", "更改了一条经验教训"),
        [EvaluationAuditActions.LessonRemoved] = new("removed a lesson learned", "删除了一条经验教训"),
    };

    private static readonly LocalizedText Moved = new("moved the project from {0} to {1}", "将项目从“{0}”推进到“{1}”");
    private static readonly LocalizedText Migrated = new("moved the project to workflow version {0}", "将项目迁移到工作流版本 {0}");
    private static readonly LocalizedText DecidedAndMoved = new("decided the approval request; the project moved from {0} to {1}", "对审批请求作出决定；项目从“{0}”进入“{1}”");
    private static readonly LocalizedText Decided = new("decided an approval request", "对审批请求作出决定");

    /// <summary>The event in words; <paramref name="stateLabel"/> names a state code in <paramref name="culture"/>.</summary>
    public static string Describe(AuditEvent e, CultureInfo culture, Func<string?, string> stateLabel)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(culture);
        ArgumentNullException.ThrowIfNull(stateLabel);
        return e.Action switch
        {
            AuditActions.Transition => string.Format(culture, Moved.For(culture), stateLabel(e.FromState), stateLabel(e.ToState)),
            AuditActions.WorkflowMigrated => string.Format(culture, Migrated.For(culture), e.WorkflowVersion),
            ApprovalAuditActions.Decided when e.FromState is not null && e.ToState is not null && e.FromState != e.ToState =>
                string.Format(culture, DecidedAndMoved.For(culture), stateLabel(e.FromState), stateLabel(e.ToState)),
            ApprovalAuditActions.Decided => Decided.For(culture),
            _ => Phrases.TryGetValue(e.Action, out var phrase) ? phrase.For(culture) : e.Action,
        };
    }
}
