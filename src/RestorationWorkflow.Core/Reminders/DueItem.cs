using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Reminders;

/// <summary>What kind of thing is due. Stored as these codes.</summary>
public static class DueItemKinds
{
    /// <summary>The next monitoring review of one SMART target (its frequency, from its last recorded review).</summary>
    public const string TargetMonitoring = "targetMonitoring";

    /// <summary>A target's deadline.</summary>
    public const string TargetDeadline = "targetDeadline";

    /// <summary>The next review of the plan (C4's review interval, from the last recorded plan review).</summary>
    public const string PlanReview = "planReview";

    /// <summary>The decision of an open approval request (its gate's <c>dueDays</c>).</summary>
    public const string ApprovalDecision = "approvalDecision";

    /// <summary>A consent's renewal or a dated condition.</summary>
    public const string ConsentRenewal = "consentRenewal";

    /// <summary>The end of the indicative window (Appendix II) of the state the project is in: a warning, never a block.</summary>
    public const string StepWindow = "stepWindow";

    public static readonly IReadOnlyList<string> All = [TargetMonitoring, TargetDeadline, PlanReview, ApprovalDecision, ConsentRenewal, StepWindow];
}

/// <summary>
/// One thing a project must do by a date. The <c>DueItems</c> table is the one truth of what is due: the project
/// commands recompute a project's items in the same transaction as the edit that changes them, and the reminder
/// scan reads only this table (by <see cref="DueOn"/>), never Hangfire's storage.
/// </summary>
public sealed class DueItem
{
    private DueItem()
    {
    }

    public Guid Id { get; private set; }

    public Guid ProjectId { get; private set; }

    /// <summary>A code of <see cref="DueItemKinds"/>.</summary>
    public string Kind { get; private set; } = "";

    /// <summary>Unique within the project and stable across recomputations, e.g. <c>targetMonitoring:{targetId}</c>.</summary>
    public string Key { get; private set; } = "";

    /// <summary>The target, approval request or consent record the item comes from; null for the plan and the step window.</summary>
    public Guid? SourceId { get; private set; }

    /// <summary>The day it is due (the project's calendar day; reminders fire at the scan after midnight UTC).</summary>
    public DateOnly DueOn { get; private set; }

    public string TitleEn { get; private set; } = "";

    public string TitleZh { get; private set; } = "";

    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>
    /// Every reminder of the current <see cref="DueOn"/> has gone out: its last stage (escalation) was sent. The scan
    /// reads only unsettled items (index on Settled, DueOn, Id), so items long overdue cost it nothing; moving the date
    /// unsettles the item, and its reminders start again for the new date.
    /// </summary>
    public bool Settled { get; private set; }

    public LocalizedText Title => new(TitleEn, TitleZh);

    public static DueItem Create(Guid projectId, string kind, string key, Guid? sourceId, DateOnly dueOn, LocalizedText title, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrEmpty(kind);
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(title);
        return new DueItem
        {
            Id = Guid.CreateVersion7(now),
            ProjectId = projectId,
            Kind = kind,
            Key = key,
            SourceId = sourceId,
            DueOn = dueOn,
            TitleEn = title.En,
            TitleZh = title.ZhHans,
            UpdatedAt = now,
        };
    }

    /// <summary>Moves the item to a new date or title; true when anything changed.</summary>
    public bool Reschedule(DateOnly dueOn, LocalizedText title, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(title);
        if (DueOn == dueOn && TitleEn == title.En && TitleZh == title.ZhHans)
            return false;
        if (DueOn != dueOn)
            Settled = false;
        DueOn = dueOn;
        TitleEn = title.En;
        TitleZh = title.ZhHans;
        UpdatedAt = now;
        return true;
    }
}
