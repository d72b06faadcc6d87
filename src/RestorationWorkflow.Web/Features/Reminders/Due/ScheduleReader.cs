using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RestorationWorkflow.Data;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Reminders;
using RestorationWorkflow.Web.Features.Projects;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Web.Features.Reminders.Due;

/// <summary>A reminder stage of a due item and the day from which the scan sends it.</summary>
public sealed record ReminderStageDto(string Stage, DateOnly From);

/// <summary>One due item of a project, its title in the caller's language and both, and the reminders still ahead.</summary>
public sealed record DueItemDto(
    Guid Id, string Kind, string Key, Guid? SourceId, DateOnly DueOn, string Title, string TitleEn, string TitleZh,
    bool Overdue, int DaysOverdue, IReadOnlyList<ReminderStageDto> UpcomingReminders);

/// <summary>A recorded monitoring review: of a target (<c>targetId</c>) or of the plan.</summary>
public sealed record MonitoringReviewDto(
    Guid Id, Guid? TargetId, string Subject, DateOnly ReviewedOn, string Summary, string RecordedById, string RecordedBy, DateTimeOffset RecordedAt);

/// <summary>What a review may be recorded of: a target, or the plan (<c>id</c> null).</summary>
public sealed record ReviewSubjectDto(Guid? Id, string Title);

/// <summary>The indicative window of the state the project works in (years from its start date); <c>past</c>: a warning, never a block.</summary>
public sealed record StepWindowDto(string State, string StateLabel, int FromYear, int ToYear, DateOnly StartsOn, DateOnly EndsOn, bool Past);

/// <summary><c>GET /api/projects/{id}/schedule</c>: the project page's "Monitoring schedule" section.</summary>
public sealed record ScheduleDto(
    Guid ProjectId, int Version, DateOnly Today, bool MonitoringApplies, IReadOnlyList<DueItemDto> Items, IReadOnlyList<MonitoringReviewDto> Reviews,
    IReadOnlyList<ReviewSubjectDto> Subjects, StepWindowDto? Window);

/// <summary>
/// Reads a project's monitoring schedule: its due items (soonest first) with the reminder stages still ahead
/// (<see cref="ReminderSchedule.Stages"/> with the configured <see cref="ReminderThresholds"/>), overdue ones marked,
/// the reviews recorded (newest first), and the indicative window of the state it works in.
/// </summary>
public sealed class ScheduleReader(AppDbContext db, WorkflowCatalog catalog, TimeProvider time, IOptions<ReminderThresholds> thresholds)
{
    public DateOnly Today => DuePlan.Day(time.GetUtcNow());

    public Task<ScheduleDto> ReadAsync(Project project, CancellationToken ct) => ReadAsync(project, CultureInfo.CurrentUICulture, ct);

    /// <summary>The schedule with its titles in <paramref name="culture"/> (a report is made outside the reader's request).</summary>
    public async Task<ScheduleDto> ReadAsync(Project project, CultureInfo culture, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(culture);
        var today = Today;
        var definition = catalog.DefinitionOf(project);
        var items = (await db.DueItems.AsNoTracking().Where(d => d.ProjectId == project.Id).ToListAsync(ct))
            .OrderBy(d => d.DueOn).ThenBy(d => d.Key, StringComparer.Ordinal)
            .Select(d => ToDto(d, today, thresholds.Value, culture)).ToList();
        var targets = await db.RestorationTargets.AsNoTracking().Where(t => t.ProjectId == project.Id).ToListAsync(ct);
        var subjects = targets.OrderBy(t => t.CreatedAt).ToDictionary(t => t.Id, t => t.Details.IndicatorLabel.For(culture));
        var plan = new LocalizedText("The restoration plan", "恢复计划").For(culture);
        var reviews = await db.MonitoringReviews.AsNoTracking().Where(r => r.ProjectId == project.Id).ToListAsync(ct);
        var names = await ProjectQueries.UserNamesAsync(db, reviews.Select(r => r.RecordedById), ct);
        var reviewDtos = reviews.OrderByDescending(r => r.ReviewedOn).ThenByDescending(r => r.RecordedAt)
            .Select(r => new MonitoringReviewDto(r.Id, r.TargetId, r.TargetId is { } t ? subjects.GetValueOrDefault(t, t.ToString()) : plan, r.ReviewedOn, r.Summary,
                r.RecordedById, names.GetValueOrDefault(r.RecordedById, r.RecordedById), r.RecordedAt))
            .ToList();
        var applies = MonitoringPhase.AcceptsReviews(definition, project.State, project.StateBeforeSuspension);
        return new ScheduleDto(project.Id, project.Version, today, applies, items, reviewDtos,
            [new ReviewSubjectDto(null, plan), .. subjects.Select(s => new ReviewSubjectDto(s.Key, s.Value))], WindowOf(project, definition, today, culture));
    }

    /// <summary>The window of the state the project works in, when it has one and the project a start date.</summary>
    public StepWindowDto? WindowOf(Project project, WorkflowDefinition definition, DateOnly today) => WindowOf(project, definition, today, CultureInfo.CurrentUICulture);

    private static StepWindowDto? WindowOf(Project project, WorkflowDefinition definition, DateOnly today, CultureInfo culture)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(definition);
        if (definition.GetState(project.State).Kind == StateKind.Terminal || project.StartDate is not { } start)
            return null;
        var working = MonitoringPhase.WorkingState(definition, project.State, project.StateBeforeSuspension);
        if (working is null || definition.FindState(working) is not { Window: { } window } state)
            return null;
        var ends = window.EndsOn(start);
        return new StepWindowDto(state.Code, state.Label.For(culture), window.FromYear, window.ToYear, window.StartsOn(start), ends, today > ends);
    }

    public static DueItemDto ToDto(DueItem item, DateOnly today, ReminderThresholds thresholds, CultureInfo culture)
    {
        ArgumentNullException.ThrowIfNull(item);
        var overdue = today > item.DueOn;
        return new DueItemDto(item.Id, item.Kind, item.Key, item.SourceId, item.DueOn, item.Title.For(culture), item.TitleEn, item.TitleZh,
            overdue, overdue ? today.DayNumber - item.DueOn.DayNumber : 0,
            [.. ReminderSchedule.Stages(item.DueOn, thresholds).Where(s => s.From > today).Select(s => new ReminderStageDto(s.Stage, s.From))]);
    }
}
