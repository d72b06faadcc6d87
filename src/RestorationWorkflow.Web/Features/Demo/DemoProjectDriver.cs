using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.Approvals;
using RestorationWorkflow.Commands;
using RestorationWorkflow.Data;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Projects.Evaluations;
using RestorationWorkflow.Projects.Safeguards;
using RestorationWorkflow.Projects.Targets;
using RestorationWorkflow.Web.Features.Approvals;
using RestorationWorkflow.Web.Features.Evaluations;
using RestorationWorkflow.Web.Features.Forms;
using RestorationWorkflow.Web.Features.Measurements;
using RestorationWorkflow.Web.Features.People;
using RestorationWorkflow.Web.Features.Projects;
using RestorationWorkflow.Web.Features.Reminders.Due;
using RestorationWorkflow.Web.Features.Safeguards;
using RestorationWorkflow.Web.Features.Sites;
using RestorationWorkflow.Web.Features.Targets;

namespace RestorationWorkflow.Web.Features.Demo;

/// <summary>
/// Plays one demo project through the same command classes the pages and the API run (<see cref="ProjectCommands"/>),
/// each in a scope of its own as a request would be, acting as a demo user with that user's roles: every change is
/// authorized, guarded, audited and chained. It keeps the project's version between commands like a client would.
/// Any refusal stops the seed with a <see cref="DemoSeedException"/> naming the project, the step and the refusal.
/// </summary>
public sealed class DemoProjectDriver
{
    private readonly IServiceProvider _services;

    internal DemoProjectDriver(IServiceProvider services, DemoActors actors, DateOnly today, string code)
    {
        _services = services;
        Actors = actors;
        Today = today;
        Code = code;
    }

    public DemoActors Actors { get; }

    /// <summary>Today (UTC) from the app's <see cref="TimeProvider"/>: commands refuse later dates, so every date is planned back from it.</summary>
    public DateOnly Today { get; }

    public string Code { get; }

    public Guid Id { get; private set; }

    /// <summary>The project's version after the last command, sent as <c>expectedVersion</c> with the next.</summary>
    public int Version { get; private set; }

    /// <summary>Who manages the project (its creator), and acts for it unless a step names someone else.</summary>
    public ClaimsPrincipal Manager { get; private set; } = new();

    /// <summary>Creates the project as <paramref name="manager"/>, who becomes its first manager.</summary>
    public async Task CreateAsync(CreateProjectRequest request, ClaimsPrincipal manager, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        Manager = manager ?? throw new ArgumentNullException(nameof(manager));
        await using var scope = _services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<ProjectCommands>()
            .CreateAsync(new CreateProject(request, CreateProject.DefaultWorkflowId), manager, ct);
        Check("create the project", result);
        Id = result.Value!.Id;
        Version = result.Value.Version;
    }

    /// <summary>Runs one command as <paramref name="actor"/> (the manager when null) and returns it, for what it created.</summary>
    public async Task<TCommand> RunAsync<TCommand>(string step, TCommand command, ClaimsPrincipal? actor, CancellationToken ct)
        where TCommand : ProjectCommand
    {
        ArgumentNullException.ThrowIfNull(command);
        await using var scope = _services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<ProjectCommands>().ExecuteAsync(command, actor ?? Manager, ct);
        Check(step, result);
        Version = result.Value!.Version;
        return command;
    }

    // ───────────────────────── The registry and the workflow ─────────────────────────

    public Task FireAsync(string trigger, string? comment, CancellationToken ct, ClaimsPrincipal? actor = null) =>
        RunAsync($"fire {trigger}", new FireTransition(Id, new FireTransitionRequest(trigger, comment, Version)), actor, ct);

    public Task AddTeamMemberAsync(string email, string role, CancellationToken ct) =>
        RunAsync($"add {email} to the team", new AddTeamMember(Id, new AddTeamMemberRequest(email, role, Version)), null, ct);

    /// <summary>Ticks a step without a form (A3, D1–D3) done, with what was done as the note.</summary>
    public Task TickAsync(string code, string note, CancellationToken ct) =>
        RunAsync($"tick {code}", new UpdateChecklistItem(Id, code, new UpdateChecklistRequest("done", note, Version)), null, ct);

    /// <summary>Saves a step's form; <paramref name="values"/> is serialized as the API would receive it.</summary>
    public Task FormAsync(string code, object values, CancellationToken ct) =>
        RunAsync($"fill form {code}", new UpdateStepForm(Id, code, new UpdateStepFormRequest(JsonSerializer.SerializeToElement(values, JsonOptions), Version)), null, ct);

    /// <summary>Confirms a form a feedback transition marked to review, unchanged.</summary>
    public Task ConfirmFormAsync(string code, CancellationToken ct) =>
        RunAsync($"confirm form {code}", new ConfirmStepForm(Id, code, new ConfirmStepFormRequest(Version)), null, ct);

    // ───────────────────────── Sites, people, targets ─────────────────────────

    /// <summary>Adds a site; the seed insists that its boundary lies inside the project's country (no site warning at all).</summary>
    public async Task<Guid> AddSiteAsync(DemoSite site, string country, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(site);
        var boundary = site.Boundary();
        var parsed = SiteBoundary.Parse(boundary);
        if (!parsed.IsValid)
            throw new DemoSeedException($"{Code}: the boundary of site '{site.Name}' is not valid: {string.Join(" ", parsed.Problems.Select(p => $"{p.Field}: {p.Message.En}"))}");
        var declared = Math.Round((decimal)parsed.Boundary!.Hectares, 1);
        var command = await RunAsync($"add site '{site.Name}'", new AddSite(Id, new SiteInput(site.Name, site.EcosystemType, site.Tenure, declared, boundary), Version), null, ct);
        var outlines = _services.GetRequiredService<CountryOutlines>();
        if (outlines.Check(country, parsed.Boundary.Geometry) is { } outside)
            throw new DemoSeedException($"{Code}: site '{site.Name}': {outside.En}");
        return command.Site!.Id;
    }

    public async Task<Guid> AddStakeholderAsync(DemoStakeholder stakeholder, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(stakeholder);
        var command = await RunAsync($"add stakeholder '{stakeholder.Name}'",
            new AddStakeholder(Id, new StakeholderRequest(stakeholder.Name, stakeholder.Group, stakeholder.IsIplc, stakeholder.Contact, Version)), null, ct);
        return command.Stakeholder!.Id;
    }

    /// <summary>Records a participation event and returns its id (an evaluation names the meeting it consulted).</summary>
    public async Task<Guid> AddParticipationAsync(DemoMeeting meeting, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(meeting);
        var iplc = meeting.IplcMembers ?? meeting.Women + meeting.Men + meeting.OtherGender;
        var request = new ParticipationRequest(meeting.Date, meeting.StepCode, meeting.Method, meeting.Purpose, meeting.Women, meeting.Men, meeting.OtherGender,
            iplc, meeting.Women + meeting.Men + meeting.OtherGender - iplc, meeting.Outcome, null, Version);
        var command = await RunAsync($"record the {meeting.StepCode} meeting of {Day(meeting.Date)}", new AddParticipation(Id, request), null, ct);
        return command.Event!.Id;
    }

    public async Task<Guid> AddConsentAsync(Guid stakeholderId, IReadOnlyList<string> scopes, DateOnly date, string outcome, string? conditions, DateOnly? renewOn, CancellationToken ct)
    {
        var command = await RunAsync($"record consent of {Day(date)}",
            new AddConsent(Id, new ConsentRequest(stakeholderId, scopes, outcome, date, conditions, null, Version, renewOn)), null, ct);
        return command.Consent!.Id;
    }

    public Task VerifyConsentAsync(Guid consentId, ClaimsPrincipal approver, CancellationToken ct) =>
        RunAsync("verify a consent record", new VerifyConsent(Id, consentId, Version), approver, ct);

    /// <summary>IPLC withdraw a consent: recorded by the manager, and the project is suspended in the same command.</summary>
    public Task WithdrawConsentAsync(Guid consentId, DateOnly date, string reason, CancellationToken ct) =>
        RunAsync("record the withdrawal of consent", new WithdrawConsent(Id, consentId, new ConsentWithdrawalRequest(date, reason, Version)), null, ct);

    public async Task<Guid> AddTargetAsync(DemoTarget target, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(target);
        var command = await RunAsync($"add target {target.Indicator}", new AddTarget(Id, target.Input(), Version), null, ct);
        return command.Target!.Id;
    }

    public Task SafeguardReviewAsync(bool plansPlanting, IReadOnlyList<SafeguardAnswerRequest> answers, CancellationToken ct) =>
        RunAsync("answer the safeguard review", new UpdateSafeguardReview(Id, new SafeguardReviewRequest(answers, plansPlanting, null, Version)), null, ct);

    public Task AddSpeciesAsync(DemoSpecies species, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(species);
        return RunAsync($"add species {species.ScientificName}",
            new AddSpecies(Id, new SpeciesInput(species.ScientificName, species.CommonName, true, SpeciesProvenances.Local, null), Version), null, ct);
    }

    // ───────────────────────── Monitoring ─────────────────────────

    public Task RecordMeasurementAsync(Guid targetId, string unit, DateOnly on, decimal value, string method, string measuredBy, string? notes, CancellationToken ct) =>
        RunAsync($"record a measurement of {Day(on)}",
            new RecordMeasurement(Id, targetId, new MeasurementInput(on, value, unit, method, measuredBy, null, notes), Version), null, ct);

    /// <summary>A monitoring review of one target, or of the plan (<paramref name="targetId"/> null).</summary>
    public Task RecordReviewAsync(Guid? targetId, DateOnly on, string summary, CancellationToken ct) =>
        RunAsync($"record the monitoring review of {Day(on)}",
            new RecordMonitoringReview(Id, new RecordMonitoringReviewRequest(targetId, on, summary, Version), Today), null, ct);

    // ───────────────────────── Evaluation, decisions, lessons ─────────────────────────

    /// <summary>Records the evaluation of the current cycle (D1) as the manager, naming the meeting at which it was consulted.</summary>
    public Task RecordEvaluationAsync(string effectiveness, DemoEvaluation evaluation, Guid participationEventId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        var request = new EvaluationRequest(effectiveness, evaluation.Impact, evaluation.CostRealised, evaluation.Currency, evaluation.Benefits,
            evaluation.SocioEconomicOutcomes, participationEventId, evaluation.UnintendedConsequences, Version);
        return RunAsync("record the evaluation", new RecordEvaluation(Id, null, request), null, ct);
    }

    /// <summary>Takes the adaptive-management decision (D2): the command fires the transition the definition maps it to.</summary>
    public Task TakeDecisionAsync(string kind, string rationale, CancellationToken ct) =>
        RunAsync($"take the decision '{kind}'", new TakeAdaptiveDecision(Id, new AdaptiveDecisionRequest(kind, rationale, Version)), null, ct);

    /// <summary>Records a lesson learned (D3).</summary>
    public Task AddLessonAsync(LessonDetails lesson, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(lesson);
        return RunAsync($"record a lesson on {lesson.Topic}",
            new AddLesson(Id, new LessonRequest(lesson.Topic, lesson.WhatWorked, lesson.WhatDidNot, lesson.Recommendation, Version)), null, ct);
    }

    // ───────────────────────── Approvals ─────────────────────────

    /// <summary>An approver decides the open request of the project's review, as on the review page.</summary>
    public async Task DecideAsync(ClaimsPrincipal approver, string decision, string comment, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(approver);
        Guid requestId;
        await using (var scope = _services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var open = await db.ApprovalRequests.AsNoTracking()
                .Where(r => r.ProjectId == Id && r.Status == ApprovalRequestStatus.Open).Select(r => r.Id).ToListAsync(ct);
            if (open.Count != 1)
                throw new DemoSeedException($"{Code}: {approver.Identity?.Name} was to {decision} a review, but the project has {open.Count} open approval requests.");
            requestId = open[0];
        }
        await RunAsync($"{decision} the open review as {approver.Identity?.Name}",
            new DecideApproval(Id, requestId, new ApprovalDecisionRequest(decision, comment, null, null, null, Version)), approver, ct);
    }

    private void Check(string step, CommandResult<Project> result)
    {
        if (result.Succeeded)
            return;
        var parts = new List<string> { $"{Code}: the step '{step}' was refused ({result.Status}{(result.Code is null ? "" : ", " + result.Code)})" };
        if (!string.IsNullOrEmpty(result.Detail))
            parts.Add(result.Detail);
        parts.AddRange(result.Errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"));
        parts.AddRange(result.Reasons.Select(r => $"{r.Guard}: {r.Message.En}"));
        throw new DemoSeedException(string.Join(Environment.NewLine + "  ", parts));
    }

    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);
}

/// <summary>The seed stopped: a command refused a step (the message names the project, the step and every reason), or the data is wrong.</summary>
public sealed class DemoSeedException : Exception
{
    public DemoSeedException()
    {
    }

    public DemoSeedException(string message)
        : base(message)
    {
    }

    public DemoSeedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
