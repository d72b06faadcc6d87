using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.Data;
using RestorationWorkflow.Forms;
using RestorationWorkflow.Identity;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Projects.Safeguards;
using RestorationWorkflow.Projects.Targets;
using RestorationWorkflow.Web.Features.Approvals;
using RestorationWorkflow.Web.Features.Evaluations;
using RestorationWorkflow.Web.Features.People;
using RestorationWorkflow.Web.Features.Projects;
using RestorationWorkflow.Web.Features.Safeguards;
using RestorationWorkflow.Web.Features.Sites;
using RestorationWorkflow.Web.Features.Targets;
using RestorationWorkflow.Workflows;
using RestorationWorkflow.Workflows.Guards;

namespace RestorationWorkflow.Web.Features.Reports.Dossier;

/// <summary>
/// Loads what the project dossier shows through the readers the project page and the API use (sites, people, targets,
/// safeguard findings, approvals, evaluations, lessons, the checklist and step forms), with the requester's rights: the
/// requester is signed in as they would be (<see cref="ReportRequester"/>), so the one masking rule
/// (<see cref="PeopleReader.CanSeeContact"/>) and the lessons' visibility decide, not a rule of the report's own. The
/// caller has already checked that the requester may read the project. Labels are resolved in the report's language.
/// </summary>
public sealed class DossierReportSource(
    AppDbContext db, ProjectStore store, WorkflowCatalog catalog, StepFormCatalog forms, SiteReader sites, PeopleReader people,
    TargetReader targets, SafeguardReader safeguards, ApprovalReader approvals, EvaluationReader evaluations, LessonSearch lessons,
    ReportRequester requesters, TimeProvider time)
{
    /// <summary>The report's input, or <c>null</c> when the project does not exist.</summary>
    public async Task<DossierReportInput?> LoadAsync(Guid projectId, string language, string requestedById, string requestedByName, CancellationToken ct)
    {
        var culture = language.StartsWith("zh", StringComparison.OrdinalIgnoreCase) ? new CultureInfo("zh-Hans") : new CultureInfo("en");
        // The readers label in the current UI culture, as they do for a page: the report's language for the time of the load.
        var (savedCulture, savedUiCulture) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = culture;
        try
        {
            return await LoadInCultureAsync(projectId, culture, requestedById, requestedByName, ct);
        }
        finally
        {
            CultureInfo.CurrentCulture = savedCulture;
            CultureInfo.CurrentUICulture = savedUiCulture;
        }
    }

    private async Task<DossierReportInput?> LoadInCultureAsync(Guid projectId, CultureInfo culture, string requestedById, string requestedByName, CancellationToken ct)
    {
        var project = await store.FindAsync(projectId, ct);
        if (project is null)
            return null;
        // Someone no longer there reads as nobody: every personal detail masked.
        var reader = await requesters.SignInAsync(requestedById) ?? new ClaimsPrincipal(new ClaimsIdentity());
        var definition = catalog.DefinitionOf(project);
        var state = definition.GetState(project.State);
        string L(LocalizedText text) => text.For(culture);

        var checklist = await store.ChecklistAsync(project.Id, ct);
        var formStatuses = await store.StepFormStatusesAsync(project, forms, ct);
        var savedForms = await db.StepForms.AsNoTracking().Where(f => f.ProjectId == project.Id).ToDictionaryAsync(f => f.Code, StringComparer.Ordinal, ct);
        var memberNames = await ProjectQueries.UserNamesAsync(db,
            project.Members.Select(m => m.UserId).Concat(checklist.Values.Select(c => c.UpdatedById)).Concat(savedForms.Values.Select(f => f.UpdatedById)), ct);

        var steps = StaperSteps.All.Where(s => checklist.ContainsKey(s.Code)).Select(step =>
        {
            var item = checklist[step.Code];
            var hasForm = formStatuses.HasForm(step.Code);
            var saved = savedForms.GetValueOrDefault(step.Code);
            var status = hasForm && item.Status != ChecklistStatus.NotApplicable ? L(FormStatusLabel(formStatuses.StatusOf(step.Code))) : L(ChecklistStatusLabel(item.Status));
            var (updatedById, updatedAt) = saved?.UpdatedAt is { } formAt && (item.UpdatedAt is null || formAt > item.UpdatedAt)
                ? (saved.UpdatedById, (DateTimeOffset?)formAt)
                : (item.UpdatedById, item.UpdatedAt);
            var form = hasForm && saved is not null ? forms.Find(step.Code, saved.FormVersion) ?? forms.For(project.WorkflowId, project.WorkflowVersion, step.Code) : null;
            return new DossierStep(step.Code, step.Group, L(step.Label), status, DetailsModel.IsSettled(item, formStatuses),
                string.IsNullOrWhiteSpace(item.Note) ? null : item.Note,
                updatedById is null ? null : memberNames.GetValueOrDefault(updatedById, updatedById), updatedAt, hasForm,
                form is null ? [] : FormEntries(form, saved!.Values, culture));
        }).ToList();

        var groups = StaperSteps.Groups.Select(g => new DossierGroup(g.Group, L(g.Label),
            steps.Count(s => s.Group == g.Group && s.Settled), steps.Count(s => s.Group == g.Group), g.Group == state.Group)).ToList();
        var states = definition.States.Select(s => new DossierState(s.Code, L(s.Label), s.Group, s.Kind.ToString(), s.Code == project.State)).ToList();

        var siteViews = await sites.ListAsync(project, ct);
        var siteRows = siteViews.Select(v => new DossierSite(v.Site.Name, L(EcosystemTypes.Label(v.Site.EcosystemType)), L(SiteTenures.Label(v.Site.Tenure)),
            v.Site.DeclaredHectares, v.Site.ComputedHectares, Rings(v.Site.Boundary), [.. v.Warnings.Select(w => L(w.Message))])).ToList();

        var seeContact = PeopleReader.CanSeeContact(project, reader);
        var stakeholders = await people.StakeholdersAsync(project.Id, ct);
        var names = stakeholders.ToDictionary(s => s.Id, s => s.Name);
        var comma = culture.Name.StartsWith("zh", StringComparison.Ordinal) ? "、" : ", ";
        var peopleSection = new DossierPeople(
            seeContact,
            [.. stakeholders.Select(s => new DossierStakeholder(s.Name, L(StakeholderGroups.Label(s.Group)), s.IsIplc,
                seeContact ? s.Contact : null, !seeContact && s.Contact.Length > 0))],
            [.. (await people.ParticipationAsync(project.Id, ct)).Select(e => new DossierParticipation(e.Date, e.StepCode, e.Method, e.Purpose,
                e.Women, e.Men, e.OtherGender, e.IplcMembers, e.NonIplcMembers, e.Outcome))],
            [.. (await people.ConsentsAsync(project.Id, ct)).Select(c => new DossierConsent(names.GetValueOrDefault(c.StakeholderId, ""),
                string.Join(comma, c.Scopes.Select(s => L(ConsentScopes.Label(s)))), L(ConsentOutcomes.Label(c.Outcome)), c.Date, c.Conditions,
                c.VerifiedByName, c.WithdrawnOn, c.WithdrawalReason))]);

        var findings = (await safeguards.FindingsAsync(project, ct)).Select(f => new DossierFinding(
            f.Safeguard, L(AppendixI.Get(f.Safeguard).Title), f.Severity == FindingSeverity.Blocking,
            L(f.Severity == FindingSeverity.Blocking ? Words.Blocking : Words.Warning),
            L(f.Status switch { FindingStatus.Acknowledged => Words.Acknowledged, FindingStatus.Justified => Words.Justified, _ => Words.Open }),
            L(f.Message),
            f.Acknowledgement is { } ack
                ? string.Format(culture, L(Words.AcknowledgedBy), ack.UserName, ack.At.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ack.Comment)
                : null)).ToList();

        var (targetViews, guardData) = await targets.ReadAsync(project, ct);
        var plan = new DossierPlan(
            PlanHasSmartTargetsGuard.Reason(project, guardData) is { } missing ? L(missing) : null,
            [.. TargetKinds.All.SelectMany(kind => targetViews.Where(v => v.Target.Kind == kind.Code).Select(v => new DossierTarget(
                L(kind.Label), L(v.Target.Details.Sentence),
                string.Format(culture, L(Words.Baseline), TargetSentence.Number(v.Target.BaselineValue), L(TargetUnits.Label(v.Target.Unit)),
                    v.Target.BaselineDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), v.Target.BaselineSource),
                string.Format(culture, L(Words.MonitoredEvery), v.Target.MonitoringFrequencyMonths),
                [.. v.Problems.Select(p => $"{p.Key}: {L(p.Value)}")])))]);

        var approvalData = await approvals.ForProjectAsync(project, ApprovalFilter.All, ct);
        var gates = approvalData.Gates.Select(g => new DossierGate(L(g.Label), g.Quorum,
            [.. approvalData.Requests.Where(r => r.Gate == g.Id).OrderBy(r => r.Sequence).Select(r => new DossierRequest(
                r.Sequence, L(RequestStatusLabel(r.Status, r.Stale)), r.SubmittedBy.Name, r.OpenedAt, r.ClosedAt, r.SnapshotHash, r.Approvals, r.Quorum,
                [.. r.Decisions.Select(d => new DossierApproval(L(d.Decision == "approve" ? Words.Approve : Words.Reject), d.Decider.Name,
                    d.OnBehalfOf?.Name, d.DecidedAt, d.SnapshotHash, d.Comment))]))])).ToList();

        var evaluated = await evaluations.ReadAsync(project, ct);
        var lessonRows = await lessons.AllAsync(new LessonQuery(null, null, null, project.Id), reader, ct);
        var evaluation = new DossierEvaluation(
            [.. evaluated.Evaluations.OrderBy(e => e.Cycle).Select(e => new DossierCycle(e.Cycle, e.Effectiveness, e.Impact, e.SocioEconomicOutcomes,
                e.UnintendedConsequences, e.RecordedBy, e.RecordedAt))],
            [.. evaluated.Decisions.OrderBy(d => d.Cycle).Select(d => new DossierDecision(d.Cycle, d.Label, d.Rationale, d.ResultingStateLabel, d.DecidedBy, d.DecidedAt))],
            [.. lessonRows.Reverse().Select(l => new DossierLesson(l.TopicLabel, l.WhatWorked, l.WhatDidNot, l.Recommendation))]);

        var team = project.Members.OrderBy(m => m.Role).ThenBy(m => m.AddedAt)
            .Select(m => string.Format(culture, L(Words.TeamMember), memberNames.GetValueOrDefault(m.UserId, m.UserId), L(m.Role == ProjectMemberRole.Manager ? Words.Manager : Words.Member)));
        var registry = new List<DossierEntry>
        {
            new(L(Words.Code), Dash(project.Code)),
            new(L(Words.Name), project.Name),
            new(L(Words.Country), string.IsNullOrEmpty(project.Region) ? project.Country : $"{project.Country} · {project.Region}"),
            new(L(Words.Ecosystems), project.EcosystemTypes.Count == 0 ? "—" : string.Join(comma, project.EcosystemTypes.Select(t => L(EcosystemTypes.Label(t))))),
            new(L(Words.Area), $"{project.AreaHectares.ToString("N2", culture)} ha"),
            new(L(Words.Scale), project.Scale is { } scale ? L(ProjectScales.Label(scale)) : "—"),
            new(L(Words.Situation), project.Situation is { } situation ? L(ProjectSituations.Label(situation)) : "—"),
            new(L(ProjectRegistryRules.NaturallyLowTreeCoverLabel), L(project.NaturallyLowTreeCover ? Words.Yes : Words.No)),
            new(L(Words.StartDate), project.StartDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "—"),
            new(L(Words.Lifespan), project.LifespanYears?.ToString(culture) ?? "—"),
            new(L(Words.Budget), project.Budget is { } budget ? $"{budget.ToString("N2", culture)} {project.Currency}" : "—"),
            new(L(Words.LeadOrganisation), Dash(project.LeadOrganisation)),
            new(L(Words.Team), string.Join(comma, team) is { Length: > 0 } members ? members : "—"),
            new(L(Words.Workflow), $"{L(definition.Title)} v{project.WorkflowVersion.ToString(CultureInfo.InvariantCulture)}"),
            new(L(Words.Version), project.Version.ToString(CultureInfo.InvariantCulture)),
        };

        return new DossierReportInput(
            culture.Name,
            time.GetUtcNow(),
            requestedByName,
            new DossierProject(project.Id, project.Code, project.Name, project.Description, project.State, L(state.Label), state.Kind.ToString(), state.Group, state.Steps,
                $"{L(definition.Title)} v{project.WorkflowVersion.ToString(CultureInfo.InvariantCulture)}", project.Version, project.AreaHectares),
            registry, states, groups, steps, siteRows, peopleSection, findings, plan, gates, evaluation);
    }

    private static string Dash(string? text) => string.IsNullOrWhiteSpace(text) ? "—" : text;

    /// <summary>The exterior rings of a Polygon or MultiPolygon (longitude, latitude).</summary>
    public static IReadOnlyList<DossierRing> Rings(string geoJson)
    {
        var geometry = SiteBoundary.FromGeoJson(geoJson);
        var rings = new List<DossierRing>();
        for (var i = 0; i < geometry.NumGeometries; i++)
        {
            if (geometry.GetGeometryN(i) is NetTopologySuite.Geometries.Polygon polygon)
            {
                var points = polygon.ExteriorRing.Coordinates;
                rings.Add(new DossierRing([.. points.Select(p => p.X)], [.. points.Select(p => p.Y)]));
            }
        }
        return rings;
    }

    /// <summary>A saved form's values as label–value lines, in the form's order, skipping empty fields.</summary>
    public static IReadOnlyList<DossierEntry> FormEntries(StepFormDefinition form, string valuesJson, CultureInfo culture)
    {
        ArgumentNullException.ThrowIfNull(form);
        using var document = JsonDocument.Parse(string.IsNullOrWhiteSpace(valuesJson) ? "{}" : valuesJson);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
            return [];
        var entries = new List<DossierEntry>();
        foreach (var field in form.Fields)
        {
            if (document.RootElement.TryGetProperty(field.Name, out var value) && Format(field, value, culture) is { Length: > 0 } text)
                entries.Add(new DossierEntry(Labelled(field, culture), text));
        }
        return entries;
    }

    private static string Labelled(FormField field, CultureInfo culture) =>
        field.Unit is { } unit ? $"{field.Label.For(culture)} ({unit.For(culture)})" : field.Label.For(culture);

    private static string Format(FormField field, JsonElement value, CultureInfo culture)
    {
        var comma = culture.Name.StartsWith("zh", StringComparison.Ordinal) ? "、" : ", ";
        switch (value.ValueKind)
        {
            case JsonValueKind.Null or JsonValueKind.Undefined:
                return "";
            case JsonValueKind.True or JsonValueKind.False:
                return (value.ValueKind == JsonValueKind.True ? Words.Yes : Words.No).For(culture);
            case JsonValueKind.String:
                var text = value.GetString() ?? "";
                return field.OptionLabel(text) is { } label ? label.For(culture) : text;
            case JsonValueKind.Number:
                return value.GetRawText();
            case JsonValueKind.Array when field.Kind == FormFieldKind.Rows:
                return string.Join('\n', value.EnumerateArray().Select((row, i) => $"{i + 1}. " + string.Join("; ", field.RowFields
                    .Where(c => row.ValueKind == JsonValueKind.Object && row.TryGetProperty(c.Name, out _))
                    .Select(c => (Label: Labelled(c, culture), Text: Format(c, row.GetProperty(c.Name), culture)))
                    .Where(p => p.Text.Length > 0)
                    .Select(p => $"{p.Label}: {p.Text}"))));
            case JsonValueKind.Array:
                return string.Join(field.Kind == FormFieldKind.Lines ? "\n" : comma,
                    value.EnumerateArray().Select(v => Format(field, v, culture)).Where(t => t.Length > 0));
            default:
                return value.GetRawText();
        }
    }

    private static LocalizedText ChecklistStatusLabel(ChecklistStatus status) => status switch
    {
        ChecklistStatus.Done => Words.Done,
        ChecklistStatus.NotApplicable => Words.NotApplicable,
        _ => Words.Open,
    };

    private static LocalizedText FormStatusLabel(StepFormStatus status) => ProjectMapping.FormStatus(status) switch
    {
        "inProgress" => Words.InProgress,
        "complete" => Words.Complete,
        "toReview" => Words.ToReview,
        _ => Words.Empty,
    };

    private static LocalizedText RequestStatusLabel(string status, bool stale) => (status, stale) switch
    {
        ("open", true) => Words.Stale,
        ("open", _) => Words.RequestOpen,
        ("approved", _) => Words.Approved,
        ("rejected", _) => Words.Rejected,
        _ => new LocalizedText(status, status),
    };

    /// <summary>The labels the source resolves (the report's fixed words are in <see cref="DossierReport"/>).</summary>
    private static class Words
    {
        public static readonly LocalizedText Open = new("Open", "未完成");
        public static readonly LocalizedText Done = new("Done", "已完成");
        public static readonly LocalizedText NotApplicable = new("Not applicable", "不适用");
        public static readonly LocalizedText InProgress = new("In progress", "进行中");
        public static readonly LocalizedText Complete = new("Complete", "已完成填写");
        public static readonly LocalizedText ToReview = new("To review", "待复核");
        public static readonly LocalizedText Empty = new("Empty", "未填写");
        public static readonly LocalizedText Blocking = new("Blocking", "阻止提交");
        public static readonly LocalizedText Warning = new("Warning", "警告");
        public static readonly LocalizedText Justified = new("Justified", "已说明理由");
        public static readonly LocalizedText Acknowledged = new("Acknowledged", "已确认");
        public static readonly LocalizedText AcknowledgedBy = new("Acknowledged by {0} on {1}: {2}", "{0} 于 {1} 确认：{2}");
        public static readonly LocalizedText Baseline = new("Baseline: {0} {1} on {2} ({3})", "基线：{0} {1}，{2}（{3}）");
        public static readonly LocalizedText MonitoredEvery = new("monitored every {0} months", "每 {0} 个月监测一次");
        public static readonly LocalizedText Approve = new("Approved", "批准");
        public static readonly LocalizedText Reject = new("Rejected", "驳回");
        public static readonly LocalizedText RequestOpen = new("Open", "待审批");
        public static readonly LocalizedText Stale = new("Open, stale", "待审批（已过时）");
        public static readonly LocalizedText Approved = new("Approved", "已批准");
        public static readonly LocalizedText Rejected = new("Rejected", "已驳回");
        public static readonly LocalizedText TeamMember = new("{0} ({1})", "{0}（{1}）");
        public static readonly LocalizedText Manager = new("manager", "项目经理");
        public static readonly LocalizedText Member = new("member", "成员");
        public static readonly LocalizedText Yes = new("Yes", "是");
        public static readonly LocalizedText No = new("No", "否");
        public static readonly LocalizedText Code = new("Project code", "项目代码");
        public static readonly LocalizedText Name = new("Name", "名称");
        public static readonly LocalizedText Country = new("Country", "国家");
        public static readonly LocalizedText Ecosystems = new("Ecosystem types", "生态系统类型");
        public static readonly LocalizedText Area = new("Area (sum of the sites)", "面积（各地块之和）");
        public static readonly LocalizedText Scale = new("Scale", "规模");
        public static readonly LocalizedText Situation = new("Situation", "情况");
        public static readonly LocalizedText StartDate = new("Start date", "开始日期");
        public static readonly LocalizedText Lifespan = new("Planned lifespan (years)", "计划期限（年）");
        public static readonly LocalizedText Budget = new("Budget", "预算");
        public static readonly LocalizedText LeadOrganisation = new("Lead organisation", "牵头组织");
        public static readonly LocalizedText Team = new("Team", "团队");
        public static readonly LocalizedText Workflow = new("Workflow", "工作流");
        public static readonly LocalizedText Version = new("Version", "版本");
    }
}
