using Microsoft.Extensions.Localization;
using RestorationWorkflow.Reminders;

namespace RestorationWorkflow.Web.Features.Reminders.Due;

/// <summary>The labels of due-item kinds and reminder stages on the pages, in the caller's language.</summary>
public static class DueLabels
{
    public static string Kind(IStringLocalizer localizer, string kind)
    {
        ArgumentNullException.ThrowIfNull(localizer);
        return kind switch
        {
            DueItemKinds.TargetMonitoring => localizer["Target monitoring"],
            DueItemKinds.TargetDeadline => localizer["Target deadline"],
            DueItemKinds.PlanReview => localizer["Plan review"],
            DueItemKinds.ApprovalDecision => localizer["Approval decision"],
            DueItemKinds.ConsentRenewal => localizer["Consent renewal"],
            DueItemKinds.StepWindow => localizer["Step window"],
            _ => kind,
        };
    }

    public static string Stage(IStringLocalizer localizer, string stage)
    {
        ArgumentNullException.ThrowIfNull(localizer);
        ArgumentNullException.ThrowIfNull(stage);
        return stage switch
        {
            ReminderStages.Due => localizer["On the day"],
            ReminderStages.Overdue => localizer["Overdue"],
            ReminderStages.Escalation => localizer["Escalation"],
            _ when stage.StartsWith("before", StringComparison.Ordinal) => localizer["{0} days before", stage["before".Length..]],
            _ => stage,
        };
    }

    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
