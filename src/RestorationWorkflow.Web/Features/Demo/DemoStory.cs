using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.Data;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Projects.Evaluations;
using RestorationWorkflow.Projects.Targets;
using RestorationWorkflow.Web.Features.Projects;
using RestorationWorkflow.Web.Features.Safeguards;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Web.Features.Demo;

/// <summary>
/// The steps of the STAPER path as a demo project's people take them, one method per step of the work (assess, plan,
/// implement, monitor, evaluate) over the <see cref="DemoProjectDriver"/>'s commands. A project's story in
/// <see cref="DemoCatalogue"/> is a few of these calls in order, so a new kind of step (an evaluation, an
/// adaptive-management decision) is one more method here and one more line in the stories that need it.
/// </summary>
public sealed class DemoStory
{
    private readonly IServiceProvider _services;
    private readonly ProgressThresholds _thresholds;
    private readonly Dictionary<DemoStakeholder, Guid> _stakeholders = [];
    private readonly Dictionary<Guid, Guid> _consents = [];
    private readonly List<Guid> _sites = [];
    private readonly List<(DemoTarget Demo, RestorationTarget Stored)> _targets = [];
    private readonly Dictionary<Guid, DateOnly> _measuredUntil = [];

    internal DemoStory(DemoProject project, DemoProjectDriver driver, IServiceProvider services, ProgressThresholds thresholds)
    {
        Project = project;
        Driver = driver;
        _services = services;
        _thresholds = thresholds;
    }

    public DemoProject Project { get; }

    public DemoProjectDriver Driver { get; }

    public DemoActors Actors => Driver.Actors;

    public DateOnly Today => Driver.Today;

    /// <summary>The targets added, with the stored rows (for the check of their status at the end).</summary>
    public IReadOnlyList<(DemoTarget Demo, RestorationTarget Stored)> Targets => _targets;

    // ───────────────────────── Draft ─────────────────────────

    /// <summary>The manager registers the project and draws its sites.</summary>
    public async Task RegisterAsync(CancellationToken ct)
    {
        var p = Project;
        await Driver.CreateAsync(new CreateProjectRequest(p.Name, p.Description, p.Country, p.EcosystemTypes, 0m, p.Code, p.Region, p.Scale,
            p.NaturallyLowTreeCover, p.Situation, p.StartDate, p.LifespanYears, p.Budget, p.Currency, p.LeadOrganisation), Actors.User(p.ManagerEmail), ct);
        foreach (var site in p.Sites)
            _sites.Add(await Driver.AddSiteAsync(site, p.Country, ct));
    }

    public Task AddTeamMemberAsync(string email, CancellationToken ct) => Driver.AddTeamMemberAsync(email, "member", ct);

    public Task StartAssessmentAsync(CancellationToken ct) => Driver.FireAsync("StartAssessment", null, ct);

    // ───────────────────────── A: assess ─────────────────────────

    /// <summary>
    /// The assessment: stakeholders listed, the A forms this project has filled, the meeting where IPLC were heard (A3)
    /// and their consent to the assessment; A3 ticked when <paramref name="consentOn"/> is given (consent obtained).
    /// </summary>
    public async Task AssessAsync(DemoMeeting meeting, DateOnly? consentOn, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(meeting);
        foreach (var stakeholder in Project.Stakeholders)
            _stakeholders[stakeholder] = await Driver.AddStakeholderAsync(stakeholder, ct);
        await FillFormsAsync(AssessmentForms, ct);
        await Driver.AddParticipationAsync(meeting, ct);
        if (consentOn is not { } on)
            return;
        await ConsentAsync(["assessment"], on, null, ct);
        await Driver.TickAsync("A3", $"Met the communities on {DemoProjectDriver.Day(meeting.Date)}; consent to the assessment recorded for every IPLC stakeholder.", ct);
    }

    public Task SubmitAssessmentAsync(CancellationToken ct) => Driver.FireAsync("SubmitAssessment", "Assessment A1–A6 complete; consent records attached.", ct);

    /// <summary>During the consent review an approver verifies the consent records, then approves.</summary>
    public async Task ApproveConsentAsync(ClaimsPrincipal approver, string comment, CancellationToken ct)
    {
        await VerifyConsentsAsync(approver, ct);
        await Driver.DecideAsync(approver, "approve", comment, ct);
    }

    public async Task VerifyConsentsAsync(ClaimsPrincipal approver, CancellationToken ct)
    {
        foreach (var consentId in _consents.Values.ToList())
            await Driver.VerifyConsentAsync(consentId, approver, ct);
    }

    // ───────────────────────── B and C: plan ─────────────────────────

    /// <summary>
    /// Planning: the B and C forms this project has filled, the C3 meeting, consent to the plan and its implementation,
    /// the SMART targets, the species and the safeguard review.
    /// </summary>
    public async Task PlanAsync(DemoMeeting meeting, DateOnly consentOn, string? consentConditions, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(meeting);
        await FillFormsAsync(PlanForms, ct);
        await Driver.AddParticipationAsync(meeting, ct);
        await ConsentAsync(["plan", "implementation"], consentOn, consentConditions, ct);
        await AddTargetsAsync(ct);
        foreach (var species in Project.Species)
            await Driver.AddSpeciesAsync(species, ct);
        await Driver.SafeguardReviewAsync(Project.Species.Count > 0, SafeguardAnswers, ct);
    }

    /// <summary>The targets of the first plan.</summary>
    public Task AddTargetsAsync(CancellationToken ct) => AddTargetsAsync(Project.Targets.Where(t => !t.AddedOnRevision), ct);

    /// <summary>The targets a revised plan adds.</summary>
    public Task AddRevisedTargetsAsync(CancellationToken ct) => AddTargetsAsync(Project.Targets.Where(t => t.AddedOnRevision), ct);

    private async Task AddTargetsAsync(IEnumerable<DemoTarget> targets, CancellationToken ct)
    {
        foreach (var target in targets)
        {
            var id = await Driver.AddTargetAsync(target, ct);
            await using var scope = _services.CreateAsyncScope();
            var stored = await scope.ServiceProvider.GetRequiredService<AppDbContext>().RestorationTargets.AsNoTracking().FirstAsync(t => t.Id == id, ct);
            _targets.Add((target, stored));
        }
    }

    public Task SubmitPlanAsync(string comment, CancellationToken ct) => Driver.FireAsync("SubmitPlan", comment, ct);

    /// <summary>
    /// The plan gate needs two distinct approvers: approver1 verifies the consent records the plan rests on, then both
    /// demo approvers approve, each with their comment.
    /// </summary>
    public Task ApprovePlanAsync(CancellationToken ct) =>
        ApprovePlanAsync("Targets are SMART and the budget covers the first three years.", "Safeguards answered; consent covers implementation.", ct);

    /// <summary>As <see cref="ApprovePlanAsync(CancellationToken)"/>, with each approver's comment.</summary>
    public async Task ApprovePlanAsync(string first, string second, CancellationToken ct)
    {
        await VerifyConsentsAsync(Actors.Approver1, ct);
        await Driver.DecideAsync(Actors.Approver1, "approve", first, ct);
        await Driver.DecideAsync(Actors.Approver2, "approve", second, ct);
    }

    // ───────────────────────── C5: implement; D: monitor ─────────────────────────

    /// <summary>C5: what was done where, on the project's sites.</summary>
    public Task ImplementAsync(IReadOnlyList<DemoWork> works, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(works);
        var implemented = works.Select(w => new
        {
            what = w.What,
            start = DemoProjectDriver.Day(w.Start),
            end = DemoProjectDriver.Day(w.End),
            siteIds = w.Sites.Select(i => _sites[i]).ToArray(),
        }).ToArray();
        return Driver.FormAsync("C5", new { implemented, notes = "Work logs and photographs are kept by the site teams." }, ct);
    }

    public Task StartMonitoringAsync(CancellationToken ct) => Driver.FireAsync("StartMonitoring", "C5 complete; the monitoring protocol of C4 starts.", ct);

    /// <summary>
    /// Records each target's measurements from the last one recorded up to <paramref name="until"/> (default: three weeks
    /// ago), every <see cref="DemoTarget.MeasureEveryMonths"/> from its baseline, at values that end at its trend.
    /// </summary>
    public async Task MeasureAsync(DateOnly? until, CancellationToken ct)
    {
        var last = until ?? Today.AddDays(-21);
        foreach (var (demo, stored) in _targets.Where(t => t.Demo.Trend != DemoTrend.None))
        {
            var every = demo.MeasureEveryMonths ?? demo.MonitoringFrequencyMonths;
            var days = Schedule(demo, every);
            var from = _measuredUntil.GetValueOrDefault(stored.Id, DateOnly.MinValue);
            for (var k = 0; k < days.Count; k++)
            {
                if (days[k] <= from || days[k] > last)
                    continue;
                var value = DemoValues.At(stored.Details, demo, _thresholds, days[k], k, days.Count);
                await Driver.RecordMeasurementAsync(stored.Id, stored.Unit, days[k], value, demo.Method, demo.MeasuredBy, null, ct);
                _measuredUntil[stored.Id] = days[k];
            }
        }
    }

    /// <summary>The days a target is measured on: every <paramref name="every"/> months after its baseline, the last within three weeks of today.</summary>
    private List<DateOnly> Schedule(DemoTarget demo, int every)
    {
        var days = new List<DateOnly>();
        for (var day = demo.BaselineDate.AddMonths(every); day <= Today.AddDays(-21); day = day.AddMonths(every))
            days.Add(day);
        return days;
    }

    /// <summary>Each target's monitoring review, on <paramref name="on"/>, with what it found.</summary>
    public async Task ReviewTargetsAsync(DateOnly on, CancellationToken ct)
    {
        foreach (var (demo, stored) in _targets.Where(t => t.Demo.ReviewSummary is not null))
            await Driver.RecordReviewAsync(stored.Id, on, demo.ReviewSummary!, ct);
    }

    public Task ReviewPlanAsync(DateOnly on, string summary, CancellationToken ct) => Driver.RecordReviewAsync(null, on, summary, ct);

    public Task StartEvaluationAsync(CancellationToken ct) => Driver.FireAsync("StartEvaluation", null, ct);

    // ───────────────────────── D: evaluate, adapt, close ─────────────────────────

    /// <summary>
    /// The evaluation with stakeholders: its meeting, the steps D1–D3 written up (a step given as null stays open: an
    /// evaluation still under way), and — when <paramref name="evaluation"/> is given — the evaluation of the cycle
    /// recorded against that meeting, with the lessons drawn from it (D3).
    /// </summary>
    public async Task EvaluateAsync(DemoMeeting meeting, string effectiveness, string? adaptation, string? sharing, DemoEvaluation? evaluation, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(meeting);
        var meetingId = await Driver.AddParticipationAsync(meeting, ct);
        await Driver.TickAsync("D1", effectiveness, ct);
        if (adaptation is not null)
            await Driver.TickAsync("D2", adaptation, ct);
        if (sharing is not null)
            await Driver.TickAsync("D3", sharing, ct);
        if (evaluation is null)
            return;
        await Driver.RecordEvaluationAsync(effectiveness, evaluation, meetingId, ct);
        foreach (var lesson in evaluation.Lessons)
            await Driver.AddLessonAsync(lesson, ct);
    }

    /// <summary>The adaptive-management decision to close: it submits the evaluation to its gate (Evaluation → EvaluationReview).</summary>
    public Task DecideToCloseAsync(string rationale, CancellationToken ct) => Driver.TakeDecisionAsync(AdaptiveDecisions.Close, rationale, ct);

    /// <summary>
    /// A feedback transition back to an earlier step fired by hand (AdaptPlan from implementation…): the forms of that
    /// step are marked to review. The manager then saves the <paramref name="revised"/> forms with their new values and
    /// confirms the others unchanged.
    /// </summary>
    public async Task LoopBackAsync(string trigger, string comment, IReadOnlyDictionary<string, object> revised, CancellationToken ct)
    {
        await Driver.FireAsync(trigger, comment, ct);
        await ReviseFormsAsync(revised, ct);
    }

    /// <summary>The same loop back taken as the evaluation's adaptive-management decision (D2), which fires the mapped transition.</summary>
    public async Task DecideToLoopBackAsync(string decision, string rationale, IReadOnlyDictionary<string, object> revised, CancellationToken ct)
    {
        await Driver.TakeDecisionAsync(decision, rationale, ct);
        await ReviseFormsAsync(revised, ct);
    }

    private async Task ReviseFormsAsync(IReadOnlyDictionary<string, object> revised, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(revised);
        List<string> toReview;
        await using (var scope = _services.CreateAsyncScope())
        {
            toReview = await scope.ServiceProvider.GetRequiredService<AppDbContext>().StepForms.AsNoTracking()
                .Where(f => f.ProjectId == Driver.Id && f.Status == StepFormStatus.ToReview).OrderBy(f => f.Code).Select(f => f.Code).ToListAsync(ct);
        }
        foreach (var code in toReview)
        {
            if (revised.TryGetValue(code, out var values))
                await Driver.FormAsync(code, values, ct);
            else
                await Driver.ConfirmFormAsync(code, ct);
        }
    }

    /// <summary>IPLC withdraw their consent to implementation: the project is suspended by the same command.</summary>
    public Task WithdrawConsentAsync(DemoStakeholder stakeholder, DateOnly on, string reason, CancellationToken ct) =>
        Driver.WithdrawConsentAsync(_consents[_stakeholders[stakeholder]], on, reason, ct);

    public Task CancelAsync(string reason, CancellationToken ct) => Driver.FireAsync("Cancel", reason, ct);

    // ───────────────────────── Helpers ─────────────────────────

    /// <summary>Saves those of <paramref name="codes"/> that this project fills (<see cref="DemoProject.Forms"/>).</summary>
    public async Task FillFormsAsync(IEnumerable<string> codes, CancellationToken ct)
    {
        foreach (var code in codes)
        {
            if (Project.Forms.TryGetValue(code, out var values))
                await Driver.FormAsync(code, values, ct);
        }
    }

    /// <summary>Each IPLC stakeholder's consent for <paramref name="scopes"/>, the last one conditional when conditions are given.</summary>
    private async Task ConsentAsync(IReadOnlyList<string> scopes, DateOnly on, string? conditions, CancellationToken ct)
    {
        var iplc = _stakeholders.Where(s => s.Key.IsIplc).ToList();
        for (var i = 0; i < iplc.Count; i++)
        {
            var conditional = conditions is not null && i == iplc.Count - 1;
            var id = await Driver.AddConsentAsync(iplc[i].Value, scopes, on, conditional ? ConsentOutcomes.Conditional : ConsentOutcomes.Granted,
                conditional ? conditions : null, conditional ? on.AddYears(2) : null, ct);
            // A later consent supersedes: the latest per stakeholder is the one approvers verify and a withdrawal withdraws.
            _consents[iplc[i].Value] = id;
        }
    }

    /// <summary>The forms of the assessment (A3 has none: it is the meeting and the consent).</summary>
    public static readonly IReadOnlyList<string> AssessmentForms = ["A1", "A2", "A4", "A5", "A6"];

    /// <summary>The forms of planning: the enabling environment (B, worked beside C in v2 and v3) and C1–C4.</summary>
    public static readonly IReadOnlyList<string> PlanForms = ["B1", "B2", "B3", "B4", "B5", "B6", "B7", "B8", "B9", "C1", "C2", "C3", "C4"];

    private static readonly SafeguardAnswerRequest[] SafeguardAnswers =
    [
        new(1, "addressed", "Restoration adds to the protected area network; no intact habitat is converted."),
        new(2, "addressed", "Tenure and customary rights mapped with the communities before any work (B2)."),
        new(3, "addressed", "Traditional grazing and burning calendars kept where they shape the ecosystem."),
        new(4, "addressed", "No resettlement or loss of access: access agreements signed with every user group."),
        new(5, "addressed", "Benefit-sharing agreed in the consent meetings; grievance channel open."),
        new(6, "addressed", "Natural regeneration first; active measures only where the seed bank is gone."),
        new(7, "addressed", "Seed and stock collected from local populations only."),
        new(8, "addressed", "Sites chosen to reconnect with the nearest protected area and refuges."),
        new(9, "addressed", "Monitoring protocol agreed (C4); results shared every year."),
    ];
}

/// <summary>A piece of work done (C5): what, when, on which of the project's sites (by their order in <see cref="DemoProject.Sites"/>).</summary>
public sealed record DemoWork(string What, DateOnly Start, DateOnly End, IReadOnlyList<int> Sites);

/// <summary>
/// The measured values of a demo target: the expected trajectory of decision 0031 (linear from the baseline to the
/// target by the deadline) times a share that ends where <see cref="DemoTarget.Trend"/> says, derived from the
/// configured thresholds, so the statuses come out the same whatever they are set to.
/// </summary>
public static class DemoValues
{
    public static decimal At(TargetDetails target, DemoTarget demo, ProgressThresholds thresholds, DateOnly day, int index, int count)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(demo);
        ArgumentNullException.ThrowIfNull(thresholds);
        var (aim, _) = TargetProgress.Aim(target, thresholds);
        var expected = TargetProgress.ExpectedAt(target, aim, day);
        var progress = count <= 1 ? 1m : (decimal)index / (count - 1);
        var share = demo.Trend switch
        {
            // Around the trajectory, ending comfortably above the at-risk line.
            DemoTrend.OnTrack => index == count - 1 ? Math.Max(1.02m, thresholds.AtRiskBelow + 0.15m) : 1m + (0.05m * (index % 2 == 0 ? 1 : -1)),
            // Started on the trajectory and fell behind, ending between the two lines.
            DemoTrend.AtRisk => 1m - ((1m - ((thresholds.AtRiskBelow + thresholds.OffTrackBelow) / 2)) * progress),
            // Started behind and lost ground, ending below the off-track line.
            _ => 0.9m - ((0.9m - (thresholds.OffTrackBelow / 2)) * progress),
        };
        var value = target.Baseline.Value + ((expected - target.Baseline.Value) * share);
        return Math.Round(value, demo.WholeNumbers ? 0 : 2, MidpointRounding.AwayFromZero);
    }

    /// <summary>The status a trend should give.</summary>
    public static ProgressStatus Expected(DemoTrend trend) => trend switch
    {
        DemoTrend.OnTrack => ProgressStatus.OnTrack,
        DemoTrend.AtRisk => ProgressStatus.AtRisk,
        DemoTrend.OffTrack => ProgressStatus.OffTrack,
        _ => ProgressStatus.NoData,
    };
}
