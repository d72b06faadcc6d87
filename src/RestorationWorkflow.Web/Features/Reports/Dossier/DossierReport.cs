using System.Globalization;
using RestorationWorkflow.Web.Reporting;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Web.Features.Reports.Dossier;

/// <summary>
/// The project dossier (issue 20, report 1): registry, sites with a map of their boundaries, current state and step,
/// A–B–C–D progress, the state diagram with the current state marked, each step's content A1–D3, stakeholders and
/// participation by gender, consents, safeguard findings, the plan and its SMART targets as sentences, approvals per
/// gate (who, when, the snapshot hash) and step D's evaluations, decisions and lessons — in English or Chinese. Every
/// empty section says so. Pure: the same input gives the same pages, so a job (or the benchmark) can call it with what
/// <see cref="DossierReportSource"/> loaded.
/// </summary>
public sealed class DossierReport(ReportFont? font = null)
{
    /// <summary>The PDF's bytes.</summary>
    public byte[] Render(DossierReportInput input)
    {
        using var buffer = new MemoryStream();
        RenderCounting(input, buffer);
        return buffer.ToArray();
    }

    /// <summary>Writes the PDF to <paramref name="output"/> and answers its number of pages.</summary>
    public int RenderCounting(DossierReportInput input, Stream output)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        var culture = input.Language.StartsWith("zh", StringComparison.OrdinalIgnoreCase) ? new CultureInfo("zh-Hans") : new CultureInfo("en");
        var zh = culture.Name.StartsWith("zh", StringComparison.Ordinal);
        string T(LocalizedText text) => text.For(culture);
        string F(LocalizedText text, params object?[] args) => string.Format(culture, text.For(culture), args);
        var project = input.Project;
        var subject = string.IsNullOrEmpty(project.Code) ? project.Name : $"{project.Code} · {project.Name}";
        var info = new ReportInfo
        {
            Title = $"{T(Words.Title)} — {subject}",
            Subject = subject,
            Kind = T(Words.Title),
            Author = input.RequestedBy,
            GeneratedAt = input.GeneratedAt,
            DataSha256 = ReportInfo.HashOf(input),
            Language = culture.Name,
        };
        var reportFont = font ?? ReportFont.Shared;
        using var document = new ReportDocument(info, reportFont);

        // Title page: the project, its state and the registry.
        document.Title(project.Name)
            .Paragraph(F(Words.Intro, input.RequestedBy), TextStyle.Caption);
        if (!string.IsNullOrWhiteSpace(project.Description))
            document.Paragraph(project.Description);

        document.Heading(T(Words.Registry)).KeyValues(input.Registry.Select(e => new KeyValuePair<string, string>(e.Label, e.Value)));

        // Current state and step.
        var stateSteps = input.Steps.Where(s => project.StateSteps.Contains(s.Code)).ToList();
        // In a state without steps of its own (a review, monitoring) the next open step is the first one still open.
        var next = (stateSteps.Count == 0 ? input.Steps : stateSteps).FirstOrDefault(s => !s.Settled);
        var group = input.Groups.FirstOrDefault(g => g.Group == project.StateGroup);
        document.Heading(T(Words.CurrentState)).KeyValues(
        [
            new(T(Words.State), project.State),
            new(T(Words.Group), group is null ? T(Words.NoGroup) : $"{group.Group} · {group.Label}"),
            new(T(Words.StepsOfState), stateSteps.Count == 0
                ? T(project.StateKind == "Review" ? Words.InReview : Words.NoStepsInState)
                : F(Words.StepsSettled, string.Join(zh ? "、" : ", ", stateSteps.Select(s => s.Code)), stateSteps.Count(s => s.Settled), stateSteps.Count)),
            new(T(Words.NextStep), next is null ? T(Words.AllSettled) : $"{next.Code} · {next.Label}"),
        ]);

        // A–B–C–D progress.
        document.Heading(T(Words.Progress));
        if (input.Groups.Count == 0)
        {
            document.Paragraph(T(Words.NoProgress));
        }
        else
        {
            var progress = new ReportTable(
                new ReportColumn(T(Words.GroupColumn), 0.6f),
                new ReportColumn(T(Words.GroupLabel), 4f),
                new ReportColumn(T(Words.Settled), 1.1f, ColumnAlign.Right),
                new ReportColumn(T(Words.Share), 0.9f, ColumnAlign.Right),
                new ReportColumn(T(Words.Here), 1.2f));
            foreach (var g in input.Groups)
            {
                progress.AddRow(g.Group, g.Label, $"{g.Settled.ToString(culture)} / {g.Total.ToString(culture)}",
                    g.Total == 0 ? "—" : ((double)g.Settled / g.Total).ToString("P0", culture), g.Current ? T(Words.CurrentMark) : "");
            }
            document.Table(progress);
        }

        // The state diagram.
        document.Heading(T(Words.Diagram));
        if (input.States.Count == 0)
        {
            document.Paragraph(T(Words.NoStates));
        }
        else
        {
            var diagram = DossierCharts.StateDiagram(input.States, T(Words.OffPath), reportFont, out var height);
            document.Chart(diagram, F(Words.DiagramCaption, project.State), height);
        }

        // Sites.
        document.Heading(T(Words.Sites));
        if (input.Sites.Count == 0)
        {
            document.Paragraph(T(Words.NoSites));
        }
        else
        {
            if (input.Sites.Any(s => s.Rings.Count > 0))
                document.Chart(DossierCharts.SiteMap(input.Sites, T(Words.Longitude), T(Words.Latitude)), F(Words.MapCaption, input.Sites.Count), 270);
            var sites = new ReportTable(
                new ReportColumn(T(Words.Site), 2.2f),
                new ReportColumn(T(Words.Ecosystem), 1.8f),
                new ReportColumn(T(Words.Tenure), 1.5f),
                new ReportColumn(T(Words.Computed), 1.2f, ColumnAlign.Right),
                new ReportColumn(T(Words.Declared), 1.2f, ColumnAlign.Right),
                new ReportColumn(T(Words.Warnings), 2.6f));
            foreach (var s in input.Sites)
            {
                sites.AddRow(s.Name, s.Ecosystem, s.Tenure, s.ComputedHectares.ToString("N2", culture), s.DeclaredHectares.ToString("N2", culture),
                    s.Warnings.Count == 0 ? "—" : string.Join('\n', s.Warnings));
            }
            sites.AddRow(T(Words.Total), "", "", input.Sites.Sum(s => s.ComputedHectares).ToString("N2", culture),
                input.Sites.Sum(s => s.DeclaredHectares).ToString("N2", culture), "");
            document.Table(sites);
        }

        // Each step's content, A1–D3.
        document.Heading(T(Words.Steps));
        if (input.Steps.Count == 0)
            document.Paragraph(T(Words.NoSteps));
        foreach (var g in input.Groups)
        {
            var ofGroup = input.Steps.Where(s => s.Group == g.Group).ToList();
            if (ofGroup.Count == 0)
                continue;
            document.Subheading($"{g.Group} · {g.Label}");
            var table = new ReportTable(
                new ReportColumn(T(Words.Code), 0.55f),
                new ReportColumn(T(Words.Step), 3.2f),
                new ReportColumn(T(Words.Status), 1.15f),
                new ReportColumn(T(Words.Note), 2.3f),
                new ReportColumn(T(Words.Changed), 1.5f));
            foreach (var s in ofGroup)
            {
                table.AddRow(s.Code, s.Label, s.Status, s.Note ?? "",
                    s.UpdatedAt is { } at ? $"{s.UpdatedBy}\n{Day(at)}" : "—");
            }
            document.Table(table);
            foreach (var s in ofGroup.Where(s => s.HasForm))
            {
                document.Paragraph(F(Words.FormOf, s.Code, s.Label), TextStyle.Label);
                if (s.Fields.Count == 0)
                    document.Paragraph(T(Words.FormEmpty), TextStyle.Caption);
                else
                    document.KeyValues(s.Fields.Select(f => new KeyValuePair<string, string>(f.Label, f.Value)));
            }
        }

        // Stakeholders and participation.
        var people = input.People;
        document.Heading(T(Words.People));
        document.Subheading(T(Words.Stakeholders));
        if (people.Stakeholders.Count == 0)
        {
            document.Paragraph(T(Words.NoStakeholders));
        }
        else
        {
            if (!people.ContactsVisible)
                document.Paragraph(T(Words.ContactsMasked), TextStyle.Caption);
            var table = new ReportTable(
                new ReportColumn(T(Words.Name), 2.4f),
                new ReportColumn(T(Words.StakeholderGroup), 2f),
                new ReportColumn(T(Words.Iplc), 0.9f),
                new ReportColumn(T(Words.Contact), 2.6f));
            foreach (var s in people.Stakeholders)
                table.AddRow(s.Name, s.Group, T(s.IsIplc ? Words.Yes : Words.No), s.Contact ?? (s.Masked ? T(Words.Masked) : "—"));
            document.Table(table);
        }

        document.Subheading(T(Words.Participation));
        if (people.Participation.Count == 0)
        {
            document.Paragraph(T(Words.NoParticipation));
        }
        else
        {
            var (women, men, other) = (people.Participation.Sum(e => e.Women), people.Participation.Sum(e => e.Men), people.Participation.Sum(e => e.OtherGender));
            var all = women + men + other;
            string Share(int n) => all == 0 ? "—" : $"{n.ToString("N0", culture)} ({((double)n / all).ToString("P0", culture)})";
            document.KeyValues(
            [
                new(T(Words.Events), people.Participation.Count.ToString(culture)),
                new(T(Words.Women), Share(women)),
                new(T(Words.Men), Share(men)),
                new(T(Words.OtherGender), Share(other)),
                new(T(Words.IplcMembers), people.Participation.Sum(e => e.IplcMembers).ToString("N0", culture)),
                new(T(Words.NonIplcMembers), people.Participation.Sum(e => e.NonIplcMembers).ToString("N0", culture)),
            ]);
            var table = new ReportTable(
                new ReportColumn(T(Words.Date), 1.25f),
                new ReportColumn(T(Words.Step), 0.6f),
                new ReportColumn(T(Words.Method), 1.6f),
                new ReportColumn(T(Words.WomenShort), 0.75f, ColumnAlign.Right),
                new ReportColumn(T(Words.MenShort), 0.75f, ColumnAlign.Right),
                new ReportColumn(T(Words.OtherShort), 0.75f, ColumnAlign.Right),
                new ReportColumn(T(Words.IplcShort), 0.75f, ColumnAlign.Right),
                new ReportColumn(T(Words.Outcome), 2.8f));
            foreach (var e in people.Participation)
            {
                table.AddRow(Date(e.Date), e.Step, e.Method, e.Women.ToString(culture), e.Men.ToString(culture), e.OtherGender.ToString(culture),
                    e.IplcMembers.ToString(culture), string.IsNullOrWhiteSpace(e.Purpose) ? e.Outcome : $"{e.Purpose}\n{e.Outcome}");
            }
            document.Table(table);
        }

        // Consents.
        document.Heading(T(Words.Consents));
        if (people.Consents.Count == 0)
        {
            document.Paragraph(T(Words.NoConsents));
        }
        else
        {
            var table = new ReportTable(
                new ReportColumn(T(Words.IplcStakeholder), 1.9f),
                new ReportColumn(T(Words.Scope), 1.9f),
                new ReportColumn(T(Words.Outcome), 2.4f),
                new ReportColumn(T(Words.Date), 1.2f),
                new ReportColumn(T(Words.VerifiedBy), 1.5f));
            foreach (var c in people.Consents)
            {
                var outcome = c.Outcome;
                if (!string.IsNullOrWhiteSpace(c.Conditions))
                    outcome += "\n" + c.Conditions;
                if (c.WithdrawnOn is { } on)
                    outcome += "\n" + F(Words.Withdrawn, Date(on), c.WithdrawalReason);
                table.AddRow(c.Stakeholder, c.Scopes, outcome, Date(c.Date), c.VerifiedBy ?? "—");
            }
            document.Table(table);
        }

        // Safeguard findings.
        document.Heading(T(Words.Safeguards));
        if (input.Findings.Count == 0)
        {
            document.Paragraph(T(Words.NoFindings));
        }
        else
        {
            document.Paragraph(F(Words.FindingsSummary, input.Findings.Count, input.Findings.Count(f => f.Blocking)), TextStyle.Caption);
            var table = new ReportTable(
                new ReportColumn(T(Words.Safeguard), 2.2f),
                new ReportColumn(T(Words.Severity), 1.1f),
                new ReportColumn(T(Words.Status), 1.1f),
                new ReportColumn(T(Words.Finding), 4.2f));
            foreach (var f in input.Findings)
            {
                table.AddRow($"{f.Safeguard.ToString(culture)} · {f.SafeguardTitle}", f.Severity, f.Status,
                    f.Acknowledgement is null ? f.Message : $"{f.Message}\n{f.Acknowledgement}");
            }
            document.Table(table);
        }

        // The plan and its SMART targets as sentences.
        document.Heading(T(Words.Plan));
        var plan = input.Plan;
        if (plan.Missing is { } missing)
            document.Paragraph(missing, TextStyle.Body.WithColor(TextStyle.Danger));
        else if (plan.Targets.Count > 0)
            document.Paragraph(T(Words.PlanComplete), TextStyle.Caption);
        if (plan.Targets.Count == 0)
        {
            document.Paragraph(T(Words.NoTargets));
        }
        else
        {
            foreach (var kind in plan.Targets.Select(t => t.Kind).Distinct())
            {
                document.Subheading(kind);
                var number = 0;
                foreach (var t in plan.Targets.Where(t => t.Kind == kind))
                {
                    document.Paragraph($"{(++number).ToString(culture)}. {t.Sentence}", TextStyle.Body with { LineHeight = 1.35f });
                    var details = $"{t.Baseline} · {t.Monitoring}";
                    if (t.Problems.Count > 0)
                        details += "\n" + string.Join('\n', t.Problems);
                    document.Paragraph(details, t.Problems.Count > 0 ? TextStyle.Caption.WithColor(TextStyle.Danger) : TextStyle.Caption);
                }
            }
        }

        // Approvals per gate.
        document.Heading(T(Words.Approvals));
        if (input.Gates.Count == 0)
            document.Paragraph(T(Words.NoGates));
        foreach (var gate in input.Gates)
        {
            document.Subheading(F(Words.GateTitle, gate.Label, gate.Quorum));
            if (gate.Requests.Count == 0)
            {
                document.Paragraph(T(Words.NoRequests));
                continue;
            }
            var table = new ReportTable(
                new ReportColumn(T(Words.Request), 1.7f),
                new ReportColumn(T(Words.Decision), 1.2f),
                new ReportColumn(T(Words.Who), 1.5f),
                new ReportColumn(T(Words.When), 1.3f),
                new ReportColumn(T(Words.SnapshotHash), 2.6f));
            foreach (var r in gate.Requests)
            {
                var request = $"#{r.Sequence.ToString(culture)} · {r.Status}\n{F(Words.Submitted, r.SubmittedBy)}\n{F(Words.ApprovalsOf, r.Approvals, r.Quorum)}";
                table.AddRow(request, T(Words.Submission), r.SubmittedBy, Utc(r.OpenedAt), r.SnapshotHash);
                foreach (var d in r.Decisions)
                {
                    var who = d.OnBehalfOf is null ? d.Decider : F(Words.OnBehalfOf, d.Decider, d.OnBehalfOf);
                    var decision = string.IsNullOrWhiteSpace(d.Comment) ? d.Decision : $"{d.Decision}\n{F(Words.Quoted, d.Comment)}";
                    table.AddRow("", decision, who, Utc(d.At), d.SnapshotHash);
                }
            }
            document.Table(table);
        }

        // Step D: evaluations, decisions, lessons.
        var evaluation = input.Evaluation;
        document.Heading(T(Words.Evaluation));
        document.Subheading(T(Words.Evaluations));
        if (evaluation.Cycles.Count == 0)
        {
            document.Paragraph(T(Words.NoEvaluations));
        }
        else
        {
            foreach (var c in evaluation.Cycles)
            {
                document.Paragraph(F(Words.CycleTitle, c.Cycle, c.RecordedBy, Day(c.RecordedAt)), TextStyle.Label);
                document.KeyValues(
                [
                    new(T(Words.Effectiveness), Dash(c.Effectiveness)),
                    new(T(Words.Impact), Dash(c.Impact)),
                    new(T(Words.SocioEconomic), Dash(c.SocioEconomicOutcomes)),
                    new(T(Words.Unintended), Dash(c.UnintendedConsequences)),
                ]);
            }
        }
        document.Subheading(T(Words.Decisions));
        if (evaluation.Decisions.Count == 0)
        {
            document.Paragraph(T(Words.NoDecisions));
        }
        else
        {
            var table = new ReportTable(
                new ReportColumn(T(Words.Cycle), 0.6f, ColumnAlign.Right),
                new ReportColumn(T(Words.Decision), 2f),
                new ReportColumn(T(Words.Rationale), 3.4f),
                new ReportColumn(T(Words.Who), 1.6f));
            foreach (var d in evaluation.Decisions)
                table.AddRow(d.Cycle.ToString(culture), $"{d.Decision}\n→ {d.ResultingState}", d.Rationale, $"{d.DecidedBy}\n{Day(d.DecidedAt)}");
            document.Table(table);
        }
        document.Subheading(T(Words.Lessons));
        if (evaluation.Lessons.Count == 0)
        {
            document.Paragraph(T(Words.NoLessons));
        }
        else
        {
            var table = new ReportTable(
                new ReportColumn(T(Words.Topic), 1.3f),
                new ReportColumn(T(Words.WhatWorked), 2.4f),
                new ReportColumn(T(Words.WhatDidNot), 2.4f),
                new ReportColumn(T(Words.Recommendation), 2.4f));
            foreach (var l in evaluation.Lessons)
                table.AddRow(l.Topic, l.WhatWorked, l.WhatDidNot, l.Recommendation);
            document.Table(table);
        }

        document.WriteTo(output);
        return document.PageCount;
    }

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Day(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Utc(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private static string Dash(string? text) => string.IsNullOrWhiteSpace(text) ? "—" : text;

    /// <summary>The report's fixed words in both languages.</summary>
    private static class Words
    {
        public static readonly LocalizedText Title = new("Project dossier", "项目档案");
        public static readonly LocalizedText Intro = new(
            "The project as recorded, for {0}: registry, sites, state and progress, each step's content, people, safeguards, plan and targets, approvals and evaluation. Times are UTC; what the reader may not see (stakeholders' personal data) is left out.",
            "为 {0} 生成的项目记录：登记信息、地块、状态和进展、各步骤内容、相关人员、保障措施、计划和目标、审批及评估。时间均为 UTC；读者无权查看的内容（利益攸关方的个人信息）不予显示。");
        public static readonly LocalizedText Registry = new("Registry", "登记信息");
        public static readonly LocalizedText CurrentState = new("Current state and step", "当前状态和步骤");
        public static readonly LocalizedText State = new("State", "状态");
        public static readonly LocalizedText Group = new("STAPER group", "STAPER 阶段");
        public static readonly LocalizedText NoGroup = new("none (outside the steps A–D)", "无（不在 A–D 步骤之内）");
        public static readonly LocalizedText StepsOfState = new("Steps worked on in this state", "本状态下开展的步骤");
        public static readonly LocalizedText NoStepsInState = new("none: no step is worked on in this state", "无：本状态下不开展任何步骤");
        public static readonly LocalizedText InReview = new("none: the project is in review at a gate; its content is frozen until the decision", "无：项目正在关口审查中，内容在作出决定前冻结");
        public static readonly LocalizedText StepsSettled = new("{0} ({1} of {2} settled)", "{0}（已完成 {1}/{2}）");
        public static readonly LocalizedText NextStep = new("Next open step", "下一个未完成步骤");
        public static readonly LocalizedText AllSettled = new("none: every step is settled", "无：所有步骤均已完成");
        public static readonly LocalizedText Progress = new("Progress by group (A–B–C–D)", "各阶段进展（A–B–C–D）");
        public static readonly LocalizedText NoProgress = new("No steps are recorded for this project.", "此项目没有记录任何步骤。");
        public static readonly LocalizedText GroupColumn = new("Group", "阶段");
        public static readonly LocalizedText GroupLabel = new("Steps", "步骤");
        public static readonly LocalizedText Settled = new("Settled", "已完成");
        public static readonly LocalizedText Share = new("Share", "比例");
        public static readonly LocalizedText Here = new("Now", "当前");
        public static readonly LocalizedText CurrentMark = new("current", "当前阶段");
        public static readonly LocalizedText Diagram = new("Workflow states", "工作流状态");
        public static readonly LocalizedText NoStates = new("The workflow defines no states.", "工作流未定义任何状态。");
        public static readonly LocalizedText OffPath = new("Reached from several states:", "可从多个状态进入：");
        public static readonly LocalizedText DiagramCaption = new(
            "The workflow's states in order; the project is now in \"{0}\" (filled). Dashed boxes are reviews at a gate.",
            "按顺序排列的工作流状态；项目当前处于“{0}”（实心框）。虚线框为关口审查。");
        public static readonly LocalizedText Sites = new("Sites", "地块");
        public static readonly LocalizedText NoSites = new("No sites recorded.", "尚未记录地块。");
        public static readonly LocalizedText MapCaption = new("Boundaries of the {0} site(s), WGS 84 longitude and latitude.", "{0} 个地块的边界（WGS 84 经纬度）。");
        public static readonly LocalizedText Longitude = new("Longitude", "经度");
        public static readonly LocalizedText Latitude = new("Latitude", "纬度");
        public static readonly LocalizedText Site = new("Site", "地块");
        public static readonly LocalizedText Ecosystem = new("Ecosystem type", "生态系统类型");
        public static readonly LocalizedText Tenure = new("Tenure", "权属");
        public static readonly LocalizedText Computed = new("Computed ha", "计算面积（公顷）");
        public static readonly LocalizedText Declared = new("Declared ha", "申报面积（公顷）");
        public static readonly LocalizedText Warnings = new("Warnings", "警告");
        public static readonly LocalizedText Total = new("Total", "合计");
        public static readonly LocalizedText Steps = new("Steps A1–D3", "步骤 A1–D3");
        public static readonly LocalizedText NoSteps = new("No steps are recorded for this project.", "此项目没有记录任何步骤。");
        public static readonly LocalizedText Code = new("Code", "编号");
        public static readonly LocalizedText Step = new("Step", "步骤");
        public static readonly LocalizedText Status = new("Status", "状态");
        public static readonly LocalizedText Note = new("Note", "备注");
        public static readonly LocalizedText Changed = new("Last changed", "最近修改");
        public static readonly LocalizedText FormOf = new("Form {0} · {1}", "表单 {0} · {1}");
        public static readonly LocalizedText FormEmpty = new("The form is not filled in yet.", "表单尚未填写。");
        public static readonly LocalizedText People = new("Stakeholders and participation", "利益攸关方和参与");
        public static readonly LocalizedText Stakeholders = new("Stakeholders", "利益攸关方");
        public static readonly LocalizedText NoStakeholders = new("No stakeholders recorded.", "尚未记录利益攸关方。");
        public static readonly LocalizedText ContactsMasked = new(
            "Contacts are personal data, seen only by the project's team and administrators; they are left out of this copy.",
            "联系方式属于个人信息，仅项目团队和管理员可见；本副本未包含。");
        public static readonly LocalizedText Name = new("Name", "名称");
        public static readonly LocalizedText StakeholderGroup = new("Group", "群体");
        public static readonly LocalizedText Iplc = new("IPLC", "土著人民和地方社区");
        public static readonly LocalizedText Contact = new("Contact", "联系方式");
        public static readonly LocalizedText Masked = new("(not shown)", "（不显示）");
        public static readonly LocalizedText Yes = new("Yes", "是");
        public static readonly LocalizedText No = new("No", "否");
        public static readonly LocalizedText Participation = new("Participation by gender", "按性别统计的参与情况");
        public static readonly LocalizedText NoParticipation = new("No participation events recorded.", "尚未记录参与活动。");
        public static readonly LocalizedText Events = new("Participation events", "参与活动");
        public static readonly LocalizedText Women = new("Women", "女性");
        public static readonly LocalizedText Men = new("Men", "男性");
        public static readonly LocalizedText OtherGender = new("Other or undisclosed", "其他或未说明");
        public static readonly LocalizedText IplcMembers = new("IPLC members", "土著人民和地方社区成员");
        public static readonly LocalizedText NonIplcMembers = new("Others (not IPLC)", "其他人员（非土著人民和地方社区）");
        public static readonly LocalizedText Date = new("Date", "日期");
        public static readonly LocalizedText Method = new("Method", "方式");
        public static readonly LocalizedText WomenShort = new("Women", "女性");
        public static readonly LocalizedText MenShort = new("Men", "男性");
        public static readonly LocalizedText OtherShort = new("Other", "其他");
        public static readonly LocalizedText IplcShort = new("IPLC", "土著人民和地方社区");
        public static readonly LocalizedText Outcome = new("Outcome", "结果");
        public static readonly LocalizedText Consents = new("Prior and informed consent", "事先和知情同意");
        public static readonly LocalizedText NoConsents = new("No consent records.", "尚未记录同意。");
        public static readonly LocalizedText IplcStakeholder = new("IPLC stakeholder", "土著人民和地方社区利益攸关方");
        public static readonly LocalizedText Scope = new("Scope", "范围");
        public static readonly LocalizedText VerifiedBy = new("Verified by", "核实人");
        public static readonly LocalizedText Withdrawn = new("Withdrawn {0}: {1}", "{0} 撤回：{1}");
        public static readonly LocalizedText Safeguards = new("Safeguard findings (Appendix I)", "保障措施审查结果（附录一）");
        public static readonly LocalizedText NoFindings = new("No safeguard findings: every check of Appendix I is settled.", "没有保障措施审查结果：附录一的各项检查均已处理。");
        public static readonly LocalizedText FindingsSummary = new("{0} finding(s), {1} blocking and not cleared.", "共 {0} 项，其中 {1} 项为阻止提交且尚未解决。");
        public static readonly LocalizedText Safeguard = new("Safeguard", "保障措施");
        public static readonly LocalizedText Severity = new("Severity", "严重程度");
        public static readonly LocalizedText Finding = new("Finding", "审查结果");
        public static readonly LocalizedText Plan = new("Restoration plan and SMART targets", "恢复计划和 SMART 目标");
        public static readonly LocalizedText PlanComplete = new(
            "The plan has the environmental and socio-economic targets it needs, each specific, measurable and timed.",
            "计划已包含所需的环境和社会经济目标，每项目标均具体、可衡量并有时限。");
        public static readonly LocalizedText NoTargets = new("No targets recorded.", "尚未记录目标。");
        public static readonly LocalizedText Approvals = new("Approvals per gate", "各关口审批");
        public static readonly LocalizedText NoGates = new("The workflow has no gates.", "工作流没有设置关口。");
        public static readonly LocalizedText GateTitle = new("{0} (quorum {1})", "{0}（法定人数 {1}）");
        public static readonly LocalizedText NoRequests = new("No request has been made to this gate yet.", "尚未向此关口提交审批请求。");
        public static readonly LocalizedText Request = new("Request", "请求");
        public static readonly LocalizedText Decision = new("Decision", "决定");
        public static readonly LocalizedText Who = new("Who", "人员");
        public static readonly LocalizedText When = new("When (UTC)", "时间（UTC）");
        public static readonly LocalizedText SnapshotHash = new("Snapshot SHA-256", "快照 SHA-256");
        public static readonly LocalizedText Submitted = new("submitted by {0}", "提交人：{0}");
        public static readonly LocalizedText ApprovalsOf = new("{0} of {1} approvals", "已批准 {0}/{1}");
        public static readonly LocalizedText Submission = new("Submitted", "提交");
        public static readonly LocalizedText OnBehalfOf = new("{0} for {1}", "{0}（代表 {1}）");
        // The font's curly quotes are full width, right for Chinese and too wide in English.
        public static readonly LocalizedText Quoted = new("\"{0}\"", "“{0}”");
        public static readonly LocalizedText Evaluation = new("Evaluation and adaptive management", "评估和适应性管理");
        public static readonly LocalizedText Evaluations = new("Evaluations", "评估");
        public static readonly LocalizedText NoEvaluations = new("No evaluations recorded.", "尚未记录评估。");
        public static readonly LocalizedText CycleTitle = new("Cycle {0} · recorded by {1} on {2}", "第 {0} 轮 · {1} 于 {2} 记录");
        public static readonly LocalizedText Effectiveness = new("Effectiveness", "成效");
        public static readonly LocalizedText Impact = new("Impact", "影响");
        public static readonly LocalizedText SocioEconomic = new("Socio-economic outcomes", "社会经济成果");
        public static readonly LocalizedText Unintended = new("Unintended consequences", "意外后果");
        public static readonly LocalizedText Decisions = new("Adaptive-management decisions", "适应性管理决定");
        public static readonly LocalizedText NoDecisions = new("No adaptive-management decisions recorded.", "尚未记录适应性管理决定。");
        public static readonly LocalizedText Cycle = new("Cycle", "轮次");
        public static readonly LocalizedText Rationale = new("Rationale", "理由");
        public static readonly LocalizedText Lessons = new("Lessons learned", "经验教训");
        public static readonly LocalizedText NoLessons = new("No lessons recorded.", "尚未记录经验教训。");
        public static readonly LocalizedText Topic = new("Topic", "主题");
        public static readonly LocalizedText WhatWorked = new("What worked", "有效做法");
        public static readonly LocalizedText WhatDidNot = new("What did not", "无效做法");
        public static readonly LocalizedText Recommendation = new("Recommendation", "建议");
    }
}
