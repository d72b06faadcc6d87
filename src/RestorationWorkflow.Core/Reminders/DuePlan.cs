using System.Globalization;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Reminders;

/// <summary>One item a project's facts make due: what <see cref="DuePlan.Diff"/> compares with the stored <see cref="DueItem"/>s by key.</summary>
public sealed record PlannedDueItem(string Kind, string Key, Guid? SourceId, DateOnly DueOn, LocalizedText Title);

/// <summary>A target as the plan needs it: its indicator (for the title), deadline, frequency and latest recorded review.</summary>
public sealed record TargetDueFacts(Guid TargetId, LocalizedText Indicator, DateOnly Deadline, int MonitoringFrequencyMonths, DateOnly? LastReviewedOn);

/// <summary>An open approval request with a due date.</summary>
public sealed record ApprovalDueFacts(Guid RequestId, LocalizedText Gate, int Sequence, DateOnly DueOn);

/// <summary>A consent record with its renewal or condition date.</summary>
public sealed record ConsentDueFacts(Guid ConsentId, string StakeholderName, string Outcome, DateOnly? RenewOn);

/// <summary>The state a project works in, its indicative window and the project's start date.</summary>
public sealed record StepWindowDueFacts(LocalizedText State, StepWindow Window, DateOnly ProjectStart);

/// <summary>The keys of due items: unique within a project and stable across recomputations.</summary>
public static class DueItemKeys
{
    public static string TargetMonitoring(Guid targetId) => Of(DueItemKinds.TargetMonitoring, targetId);

    public static string TargetDeadline(Guid targetId) => Of(DueItemKinds.TargetDeadline, targetId);

    public const string PlanReview = DueItemKinds.PlanReview;

    public static string ApprovalDecision(Guid requestId) => Of(DueItemKinds.ApprovalDecision, requestId);

    public static string ConsentRenewal(Guid consentId) => Of(DueItemKinds.ConsentRenewal, consentId);

    public const string StepWindow = DueItemKinds.StepWindow;

    private static string Of(string kind, Guid id) => string.Create(CultureInfo.InvariantCulture, $"{kind}:{id:D}");
}

/// <summary>What one recomputation changes: the items to insert and to delete, and how many stored ones moved.</summary>
public sealed record DueItemDiff(IReadOnlyList<DueItem> Added, IReadOnlyList<DueItem> Removed, int Rescheduled)
{
    public bool IsEmpty => Added.Count == 0 && Removed.Count == 0 && Rescheduled == 0;
}

/// <summary>
/// What becomes due, pure (the planner in the web app reads the facts; tests call this directly):
/// <list type="bullet">
/// <item>a target's monitoring review, one <c>monitoringFrequencyMonths</c> after its latest recorded review, else
/// after the day monitoring started (the plan's approval) — only once monitoring applies, so a late review moves the
/// next date;</item>
/// <item>a target's deadline, until a review of the target dated on or after it is recorded;</item>
/// <item>the plan's review, C4's <c>reviewIntervalMonths</c> after the latest plan review, else after the plan's approval;</item>
/// <item>each open approval request's decision, on its due day;</item>
/// <item>each granted or conditional consent's renewal or condition date;</item>
/// <item>the end of the indicative window of the state the project works in (years from its start date).</item>
/// </list>
/// </summary>
public static class DuePlan
{
    public const int MaxTitleLength = 500;

    /// <summary>
    /// The revision of these rules. A project planned under an older one (<c>Project.DuePlanRevision</c>) is planned
    /// again in full by the next reminder scan; raise it when a change to the rules must reach stored projects.
    /// </summary>
    public const int Revision = 1;

    /// <summary>The calendar day (UTC) of an instant: due dates are days.</summary>
    public static DateOnly Day(DateTimeOffset at) => DateOnly.FromDateTime(at.UtcDateTime);

    /// <summary>One interval after the latest review, or after <paramref name="monitoringFrom"/> when none was recorded.</summary>
    public static DateOnly NextReview(DateOnly? lastReviewedOn, DateOnly monitoringFrom, int intervalMonths)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(intervalMonths, 1);
        return (lastReviewedOn ?? monitoringFrom).AddMonths(intervalMonths);
    }

    /// <summary>Each target's deadline and, once monitoring started (<paramref name="monitoringFrom"/>), its next review.</summary>
    public static IEnumerable<PlannedDueItem> ForTargets(IEnumerable<TargetDueFacts> targets, DateOnly? monitoringFrom)
    {
        ArgumentNullException.ThrowIfNull(targets);
        foreach (var t in targets)
        {
            if (t.LastReviewedOn is not { } last || last < t.Deadline)
            {
                yield return new PlannedDueItem(DueItemKinds.TargetDeadline, DueItemKeys.TargetDeadline(t.TargetId), t.TargetId, t.Deadline,
                    Title($"Deadline of the target “{t.Indicator.En}”", $"目标“{t.Indicator.ZhHans}”的期限"));
            }
            if (monitoringFrom is { } from && t.MonitoringFrequencyMonths > 0)
            {
                yield return new PlannedDueItem(DueItemKinds.TargetMonitoring, DueItemKeys.TargetMonitoring(t.TargetId), t.TargetId,
                    NextReview(t.LastReviewedOn, from, t.MonitoringFrequencyMonths),
                    Title($"Monitoring review of the target “{t.Indicator.En}” (every {Months(t.MonitoringFrequencyMonths)} months)",
                        $"目标“{t.Indicator.ZhHans}”的监测审查（每 {Months(t.MonitoringFrequencyMonths)} 个月）"));
            }
        }
    }

    /// <summary>The plan's next review, or null before monitoring started or without an interval.</summary>
    public static PlannedDueItem? ForPlanReview(int? intervalMonths, DateOnly? lastPlanReview, DateOnly? monitoringFrom) =>
        intervalMonths is { } months and > 0 && monitoringFrom is { } from
            ? new PlannedDueItem(DueItemKinds.PlanReview, DueItemKeys.PlanReview, null, NextReview(lastPlanReview, from, months),
                Title($"Review of the restoration plan (every {Months(months)} months)", $"恢复计划审查（每 {Months(months)} 个月）"))
            : null;

    public static IEnumerable<PlannedDueItem> ForApprovals(IEnumerable<ApprovalDueFacts> requests)
    {
        ArgumentNullException.ThrowIfNull(requests);
        return requests.Select(r => new PlannedDueItem(DueItemKinds.ApprovalDecision, DueItemKeys.ApprovalDecision(r.RequestId), r.RequestId, r.DueOn,
            Title($"Decision on {r.Gate.En} (request #{Months(r.Sequence)})", $"{r.Gate.ZhHans}决定（第 {Months(r.Sequence)} 号请求）")));
    }

    /// <summary>Renewals of consents that still permit the work (granted or conditional); a withheld or withdrawn one has nothing to renew.</summary>
    public static IEnumerable<PlannedDueItem> ForConsents(IEnumerable<ConsentDueFacts> consents)
    {
        ArgumentNullException.ThrowIfNull(consents);
        return consents.Where(c => c.RenewOn is not null && ConsentOutcomes.Permits(c.Outcome))
            .Select(c => new PlannedDueItem(DueItemKinds.ConsentRenewal, DueItemKeys.ConsentRenewal(c.ConsentId), c.ConsentId, c.RenewOn!.Value,
                Title($"Consent renewal or dated condition: {c.StakeholderName}", $"同意续期或有日期的条件：{c.StakeholderName}")));
    }

    public static PlannedDueItem? ForStepWindow(StepWindowDueFacts? facts) =>
        facts is null
            ? null
            : new PlannedDueItem(DueItemKinds.StepWindow, DueItemKeys.StepWindow, null, facts.Window.EndsOn(facts.ProjectStart),
                Title($"End of the indicative window of “{facts.State.En}” (year {Months(facts.Window.ToYear)} from the start)",
                    $"“{facts.State.ZhHans}”指示性时间窗结束（自开始起第 {Months(facts.Window.ToYear)} 年）"));

    /// <summary>
    /// Compares the stored items of the recomputed kinds with the planned ones by key: a planned key not stored is
    /// added, a stored key not planned is removed, a stored one whose date or title differs is rescheduled in place;
    /// an equal one is left untouched (no write).
    /// </summary>
    public static DueItemDiff Diff(Guid projectId, IEnumerable<DueItem> stored, IEnumerable<PlannedDueItem> planned, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(planned);
        var byKey = stored.ToDictionary(d => d.Key, StringComparer.Ordinal);
        var added = new List<DueItem>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var rescheduled = 0;
        foreach (var item in planned)
        {
            if (!seen.Add(item.Key))
                continue;
            if (byKey.TryGetValue(item.Key, out var existing))
            {
                if (existing.Reschedule(item.DueOn, item.Title, now))
                    rescheduled++;
            }
            else
            {
                added.Add(DueItem.Create(projectId, item.Kind, item.Key, item.SourceId, item.DueOn, item.Title, now));
            }
        }
        var removed = byKey.Values.Where(d => !seen.Contains(d.Key)).ToList();
        return new DueItemDiff(added, removed, rescheduled);
    }

    private static string Months(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static LocalizedText Title(string en, string zh) => new(Cut(en), Cut(zh));

    private static string Cut(string text) => text.Length <= MaxTitleLength ? text : string.Concat(text.AsSpan(0, MaxTitleLength - 1), "…");
}
