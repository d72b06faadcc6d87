using System.Globalization;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using RestorationWorkflow.Data;
using RestorationWorkflow.Identity;
using RestorationWorkflow.Reminders;
using RestorationWorkflow.Web.Features.Identity;
using RestorationWorkflow.Web.Features.Projects;
using RestorationWorkflow.Web.Infrastructure;

namespace RestorationWorkflow.Web.Features.Reminders.Due;

/// <summary>What <c>POST /api/projects/{id}/monitoring/reviews</c> returns: the review, the project's version and the subject's next due date.</summary>
public sealed record MonitoringReviewRecordedDto(MonitoringReviewDto Review, int Version, DateOnly? NextDueOn);

/// <summary>
/// <c>GET /api/projects/{id}/schedule</c> (every reader of the project), <c>POST /api/projects/{id}/monitoring/reviews</c>
/// (the project's managers, through the command path), <c>GET /api/reminders/overdue</c> (administrators and auditors).
/// </summary>
public static class DueItemEndpoints
{
    private const string Tag = "Reminders";
    private const string TagDescription = "What becomes due: each project's monitoring schedule and recorded reviews, and the overdue report across projects.";

    public static IEndpointRouteBuilder MapDueItems(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var project = app.MapGroup("/api/projects/{id:guid}")
            .WithApiTag(Tag, TagDescription)
            .RequireAuthorization(Policies.ReadProjects)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        project.MapGet("/schedule", ScheduleAsync).WithName("GetMonitoringSchedule")
            .WithSummary("The project's due items (soonest first, overdue marked, the reminder stages still ahead), its recorded reviews and its step window.")
            .Produces<ScheduleDto>().ProducesProblem(404);

        project.MapPost("/monitoring/reviews", RecordAsync).WithName("RecordMonitoringReview")
            .WithSummary("Records a monitoring review of a target (targetId) or of the plan (no targetId); the next review falls due one interval after it. Managers of the project; 422 before the plan is approved.")
            .Produces<MonitoringReviewRecordedDto>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(404).ProducesProblem(409).ProducesProblem(422);

        app.MapGet("/api/reminders/overdue", OverdueAsync)
            .WithApiTag(Tag, TagDescription)
            .RequireAuthorization(DuePolicies.ReadOverdue)
            .WithName("ListOverdueItems")
            .WithSummary("Every due item past its date across projects, paged; sort=daysOverdue (default, most overdue first)|project|kind, order=asc|desc, kind= filters. Administrators and auditors.")
            .Produces<PagedResult<OverdueItemDto>>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        return app;
    }

    private static async Task<IResult> ScheduleAsync(Guid id, ProjectReader reader, ScheduleReader schedule, ClaimsPrincipal user, CancellationToken ct)
    {
        var read = await reader.ReadAsync(id, user, ct);
        return read.Ok ? TypedResults.Ok(await schedule.ReadAsync(read.Project!, ct)) : read.Refusal!;
    }

    private static async Task<IResult> RecordAsync(
        Guid id, RecordMonitoringReviewRequest request, ProjectCommands commands, ScheduleReader schedule, AppDbContext db, ClaimsPrincipal user, CancellationToken ct)
    {
        var command = new RecordMonitoringReview(id, request, schedule.Today);
        var result = await commands.ExecuteAsync(command, user, ct);
        if (!result.Succeeded)
            return result.ToHttp(_ => TypedResults.Ok());
        var review = command.Review!;
        var key = review.TargetId is { } target ? DueItemKeys.TargetMonitoring(target) : DueItemKeys.PlanReview;
        var next = await db.DueItems.AsNoTracking().Where(d => d.ProjectId == id && d.Key == key).Select(d => (DateOnly?)d.DueOn).FirstOrDefaultAsync(ct);
        var subject = review.TargetId is { } t
            ? (await db.RestorationTargets.AsNoTracking().FirstOrDefaultAsync(x => x.Id == t, ct))?.Details.IndicatorLabel.For(CultureInfo.CurrentUICulture) ?? t.ToString()
            : new RestorationWorkflow.Workflows.LocalizedText("The restoration plan", "恢复计划").For(CultureInfo.CurrentUICulture);
        var caller = user.ToCaller();
        var dto = new MonitoringReviewDto(review.Id, review.TargetId, subject, review.ReviewedOn, review.Summary, review.RecordedById, caller.DisplayName, review.RecordedAt);
        return TypedResults.Created($"/api/projects/{id}/schedule", new MonitoringReviewRecordedDto(dto, result.Value!.Version, next));
    }

    private static async Task<IResult> OverdueAsync(
        OverdueReport report, string? kind, string? sort, string? order, int? page, int? pageSize, CancellationToken ct)
    {
        var query = new OverdueQuery(kind, sort, order, page, pageSize);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        query.Validate(errors);
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors, title: "The request is not valid.");
        return TypedResults.Ok(await report.ReadAsync(query, ct));
    }
}

/// <summary>The policies of the due-item feature.</summary>
public static class DuePolicies
{
    /// <summary>The overdue report across projects: administrators, and auditors (who read everything).</summary>
    public const string ReadOverdue = "ReadOverdueReminders";
}

public static class DueItemsFeature
{
    /// <summary>The configuration section of the reminder thresholds (<see cref="ReminderThresholds"/>).</summary>
    public const string Section = "Reminders";

    /// <summary>
    /// What becomes due: the planner hook (registered after the approvals' lifecycle, whose opened and closed requests
    /// it reads), the monitoring-review command's readers, the overdue report and its policy, and
    /// <see cref="IOptions{ReminderThresholds}"/> bound from <c>Reminders</c> (a bad value stops start-up).
    /// </summary>
    public static IHostApplicationBuilder AddDueItems(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var thresholds = ReadThresholds(builder.Configuration.GetSection(Section));
        // One reading, one instance: the scan, the digests and the schedule pages take the same thresholds.
        services.TryAddSingleton(thresholds);
        services.TryAddSingleton<IOptions<ReminderThresholds>>(sp => Options.Create(sp.GetRequiredService<ReminderThresholds>()));
        services.AddScoped<DueItemPlanner>();
        services.AddScoped<DueItemBackfill>();
        services.AddScoped<IProjectChangeHook>(sp => sp.GetRequiredService<DueItemPlanner>());
        services.AddScoped<ScheduleReader>();
        services.AddScoped<OverdueReport>();
        services.AddAuthorizationBuilder()
            .AddPolicy(DuePolicies.ReadOverdue, p => p.RequireAuthenticatedUser().RequireRole(AppRoles.Administrator, AppRoles.Auditor));
        return builder;
    }

    /// <summary>
    /// <c>Reminders:BeforeDueDays</c> (a list, default 14 and 3; given, it replaces the default), <c>EscalationDays</c>
    /// (7), <c>DigestOverdueDays</c> (30). Read by hand: the configuration binder would add a configured list to the default one.
    /// </summary>
    /// <exception cref="StartupException">A value is not a whole number of days in range.</exception>
    public static ReminderThresholds ReadThresholds(IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        var defaults = new ReminderThresholds();
        // A list (BeforeDueDays:0, :1 … as in JSON) or one comma-separated value ("14,3", as an environment variable gives it).
        var list = section.GetSection(nameof(ReminderThresholds.BeforeDueDays));
        var before = list.Value is { Length: > 0 } single
            ? [.. single.Split(',', StringSplitOptions.TrimEntries).Select(text => Day(list.Path, text, 1, 365))]
            : list.GetChildren().Select(c => Days(c, 1, 365)).ToList();
        var days = before.Count == 0 ? defaults.BeforeDueDays : before;
        return new ReminderThresholds
        {
            BeforeDueDays = days,
            EscalationDays = section[nameof(ReminderThresholds.EscalationDays)] is null ? defaults.EscalationDays : Days(section.GetSection(nameof(ReminderThresholds.EscalationDays)), 2, 365),
            DigestOverdueDays = section[nameof(ReminderThresholds.DigestOverdueDays)] is null ? defaults.DigestOverdueDays : Days(section.GetSection(nameof(ReminderThresholds.DigestOverdueDays)), 1, 3650),
        };

        static int Days(IConfigurationSection value, int min, int max) => Day(value.Path, value.Value, min, max);

        static int Day(string path, string? text, int min, int max) =>
            int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
                ? n
                : throw new StartupException($"Setting {path} is '{text}': it must be a whole number of days from {min} to {max}.");
    }
}
