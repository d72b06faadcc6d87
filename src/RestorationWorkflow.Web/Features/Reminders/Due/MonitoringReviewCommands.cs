using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.Commands;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Reminders;
using RestorationWorkflow.Web.Features.Projects;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Web.Features.Reminders.Due;

/// <summary><c>POST /api/projects/{id}/monitoring/reviews</c>: a target's review (<c>targetId</c>) or the plan's (none).</summary>
public sealed record RecordMonitoringReviewRequest(Guid? TargetId, DateOnly? ReviewedOn, string? Summary, int? ExpectedVersion);

/// <summary>The audit action and refusal codes of the monitoring schedule.</summary>
public static class MonitoringAuditActions
{
    public const string ReviewRecorded = "monitoring.reviewed";

    /// <summary>422: the project is not (yet) in a state where monitoring reviews apply.</summary>
    public const string NotMonitoring = "monitoringNotOpen";

    public const int MaxSummaryLength = 4000;
}

/// <summary>
/// A project's manager records a monitoring review, of one target or of the whole plan (C4's review protocol), on the
/// project command path: 400 names each bad field (a date in the future, an unknown target, an empty summary), 403
/// for anyone but a manager of the project, 409 on a stale version, 422 unless the plan is approved (the state is in
/// <see cref="MonitoringPhase"/>), and after closure (<see cref="MonitoringPhase.AcceptsReviews"/>). The review is audited as <c>monitoring.reviews.{id}.*</c>; the due-item planner then
/// moves the next review one interval after it, so a late review moves the next date.
/// </summary>
public sealed class RecordMonitoringReview(Guid projectId, RecordMonitoringReviewRequest request, DateOnly today)
    : ProjectCommand(projectId, request?.ExpectedVersion)
{
    public override string Action => MonitoringAuditActions.ReviewRecorded;

    public override IAuthorizationRequirement Operation => ProjectOperations.Edit;

    /// <summary>The review recorded (after success).</summary>
    public MonitoringReview? Review { get; private set; }

    private static string Text(string en, string zh) => new LocalizedText(en, zh).For(CultureInfo.CurrentUICulture);

    public override void Validate(IDictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var day = today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        if (request.ReviewedOn is not { } reviewedOn)
            errors["reviewedOn"] = [Text("The date of the review is required (YYYY-MM-DD).", "审查日期为必填项（YYYY-MM-DD）。")];
        else if (reviewedOn > today)
            errors["reviewedOn"] = [Text($"A review is recorded once it took place: the date cannot be after today ({day}).", $"审查完成后才能记录：日期不能晚于今天（{day}）。")];
        else if (reviewedOn.Year < 1900)
            errors["reviewedOn"] = [Text("The date of the review must be after 1900-01-01.", "审查日期必须晚于 1900-01-01。")];
        if (string.IsNullOrWhiteSpace(request.Summary))
            errors["summary"] = [Text("A summary of what the review found is required.", "审查结论摘要为必填项。")];
        else if (request.Summary.Trim().Length > MonitoringAuditActions.MaxSummaryLength)
            errors["summary"] = [Text($"The summary may have at most {MonitoringAuditActions.MaxSummaryLength} characters.", $"摘要最多 {MonitoringAuditActions.MaxSummaryLength} 个字符。")];
        else
            CreateProject.ValidateText(errors, "summary", request.Summary, multiline: true);
        if (request.TargetId == Guid.Empty)
            errors["targetId"] = [Text("targetId is a target of the project, or left out for a review of the plan.", "targetId 须为本项目的目标；审查整个计划时不填。")];
    }

    public override async Task<CommandResult<Project>?> ApplyAsync(ProjectCommandContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        var project = context.Project;
        if (request.TargetId is { } targetId
            && !await context.Db.RestorationTargets.AsNoTracking().AnyAsync(t => t.ProjectId == project.Id && t.Id == targetId, ct))
        {
            return CommandResult<Project>.Invalid("targetId", Text($"The project has no restoration target {targetId}.", $"本项目没有恢复目标 {targetId}。"));
        }
        var definition = context.Definition;
        var phase = MonitoringPhase.Of(definition);
        if (!MonitoringPhase.AcceptsReviews(definition, project.State, project.StateBeforeSuspension))
        {
            var state = definition.GetState(project.State).Label;
            var start = phase.StartState is { } s ? definition.GetState(s).Label : new LocalizedText("—", "—");
            var message = new LocalizedText(
                $"Monitoring reviews are recorded once the plan is approved (from {start.En} on) and after closure; the project is in {state.En}.",
                $"计划获批后（自“{start.ZhHans}”起）直至项目结束之后才能记录监测审查；项目目前处于“{state.ZhHans}”。");
            return CommandResult<Project>.Unprocessable(message.En, [new UnmetGuard(MonitoringAuditActions.NotMonitoring, message)]);
        }
        var review = MonitoringReview.Create(project.Id, request.TargetId, request.ReviewedOn!.Value, request.Summary!.Trim(), context.Caller.UserId, context.Now);
        context.Db.MonitoringReviews.Add(review);
        var key = $"monitoring.reviews.{review.Id}";
        context.Audit
            .Set($"{key}.targetId", review.TargetId)
            .Set($"{key}.reviewedOn", review.ReviewedOn)
            .Set($"{key}.summary", review.Summary);
        Review = review;
        return null;
    }
}
