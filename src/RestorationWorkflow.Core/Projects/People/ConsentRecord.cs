using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Projects;

/// <summary>
/// The prior and informed consent of one IPLC stakeholder (A3) for one or more stages (<see cref="ConsentScopes"/>):
/// its outcome, date, conditions and evidence, and the approver who verified the record. A withdrawal sets the
/// outcome to <c>withdrawn</c> with its date and reason; consent given again is a new record.
/// </summary>
public sealed class ConsentRecord
{
    private ConsentRecord()
    {
    }

    public Guid Id { get; private set; }

    public Guid ProjectId { get; private set; }

    public Guid StakeholderId { get; private set; }

    /// <summary>Codes of <see cref="ConsentScopes"/>, in their catalogue order.</summary>
    public List<string> Scopes { get; private set; } = [];

    /// <summary>A code of <see cref="ConsentOutcomes"/>.</summary>
    public string Outcome { get; private set; } = "";

    public DateOnly Date { get; private set; }

    /// <summary>The conditions of a conditional consent; empty otherwise.</summary>
    public string Conditions { get; private set; } = "";

    public Guid? EvidenceFileId { get; private set; }

    /// <summary>
    /// When the consent must be renewed, or the date a condition of it falls due; null when it has none. A permitting
    /// consent with a date is due then (a reminder), never refused.
    /// </summary>
    public DateOnly? RenewOn { get; private set; }

    /// <summary>The approver who verified the record, or null; a change to the record clears it.</summary>
    public string? VerifiedById { get; private set; }

    public string? VerifiedByName { get; private set; }

    public DateTimeOffset? VerifiedAt { get; private set; }

    public DateOnly? WithdrawnOn { get; private set; }

    public string WithdrawalReason { get; private set; } = "";

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public static ConsentRecord Create(Guid projectId, ConsentDetails details, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(details);
        var record = new ConsentRecord { Id = Guid.CreateVersion7(now), ProjectId = projectId, CreatedAt = now };
        record.Update(details, now);
        return record;
    }

    public void Update(ConsentDetails details, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(details);
        StakeholderId = details.StakeholderId;
        Scopes = [.. ConsentScopes.All.Select(s => s.Code).Where(details.Scopes.Contains)];
        Outcome = details.Outcome;
        Date = details.Date;
        Conditions = details.Conditions.Trim();
        EvidenceFileId = details.EvidenceFileId;
        RenewOn = details.RenewOn;
        ClearVerification();
        UpdatedAt = now;
    }

    public void Verify(string userId, string userName, DateTimeOffset now)
    {
        VerifiedById = userId;
        VerifiedByName = userName;
        VerifiedAt = now;
    }

    public void Withdraw(DateOnly date, string reason, DateTimeOffset now)
    {
        Outcome = ConsentOutcomes.Withdrawn;
        WithdrawnOn = date;
        WithdrawalReason = reason.Trim();
        UpdatedAt = now;
    }

    private void ClearVerification()
    {
        VerifiedById = null;
        VerifiedByName = null;
        VerifiedAt = null;
    }

    public ConsentDetails Details => new(StakeholderId, Scopes, Outcome, Date, Conditions, EvidenceFileId, RenewOn);

    /// <summary>The date the record's outcome took effect: the withdrawal's date once withdrawn.</summary>
    public DateOnly EffectiveDate => WithdrawnOn ?? Date;
}

/// <summary>What a consent record holds; <see cref="RenewOn"/> is the renewal or dated condition, if any.</summary>
public sealed record ConsentDetails(
    Guid StakeholderId, IReadOnlyList<string> Scopes, string Outcome, DateOnly Date, string Conditions, Guid? EvidenceFileId, DateOnly? RenewOn = null);

/// <summary>The stages a consent covers.</summary>
public static class ConsentScopes
{
    public const string Assessment = "assessment";
    public const string Plan = "plan";
    public const string Implementation = "implementation";

    public static readonly IReadOnlyList<(string Code, LocalizedText Label)> All =
    [
        (Assessment, new("Assessment", "评估")),
        (Plan, new("Plan", "规划")),
        (Implementation, new("Implementation", "实施")),
    ];

    public static bool IsKnown(string? code) => All.Any(s => s.Code == code);

    public static LocalizedText Label(string code) => All.FirstOrDefault(s => s.Code == code).Label ?? new LocalizedText(code, code);

    /// <summary>
    /// The stage a workflow state belongs to, for <c>{"scope": "current"}</c>: Assessment and ConsentReview →
    /// assessment; Planning, PlanReview and EnablingEnvironment → plan; Implementation, Monitoring and Evaluation →
    /// implementation; any other state → null (nothing to require).
    /// </summary>
    public static string? OfState(string? state) => state switch
    {
        "Assessment" or "ConsentReview" => Assessment,
        "Planning" or "PlanReview" or "EnablingEnvironment" => Plan,
        "Implementation" or "Monitoring" or "Evaluation" => Implementation,
        _ => null,
    };
}

/// <summary>What IPLC said.</summary>
public static class ConsentOutcomes
{
    public const string Granted = "granted";
    public const string Conditional = "conditional";
    public const string Withheld = "withheld";
    public const string Withdrawn = "withdrawn";

    public static readonly IReadOnlyList<(string Code, LocalizedText Label)> All =
    [
        (Granted, new("Granted", "同意")),
        (Conditional, new("Granted with conditions", "有条件同意")),
        (Withheld, new("Withheld", "不同意")),
        (Withdrawn, new("Withdrawn", "撤回同意")),
    ];

    public static bool IsKnown(string? code) => All.Any(s => s.Code == code);

    public static LocalizedText Label(string code) => All.FirstOrDefault(s => s.Code == code).Label ?? new LocalizedText(code, code);

    /// <summary>Whether the outcome lets the work go on: granted or conditional.</summary>
    public static bool Permits(string outcome) => outcome is Granted or Conditional;
}

/// <summary>
/// The consent rule of the <c>consentGranted</c> guard, pure: every IPLC stakeholder has, for the scope, a latest
/// consent record (by the date its outcome took effect, then by when it was recorded) whose outcome is granted or
/// conditional. Met vacuously when the project has no IPLC stakeholder.
/// </summary>
public static class ConsentRules
{
    /// <summary>The IPLC stakeholders without a permitting consent for <paramref name="scope"/>, in the order given.</summary>
    public static IReadOnlyList<ConsentStakeholder> Missing(IEnumerable<ConsentStakeholder> iplc, IEnumerable<ConsentFact> consents, string scope)
    {
        ArgumentNullException.ThrowIfNull(iplc);
        ArgumentNullException.ThrowIfNull(consents);
        var list = consents.ToList();
        return [.. iplc.Where(s => !Permits(list, s.Id, scope))];
    }

    public static bool Permits(IEnumerable<ConsentFact> consents, Guid stakeholderId, string scope)
    {
        ArgumentNullException.ThrowIfNull(consents);
        var latest = consents.Where(c => c.StakeholderId == stakeholderId && c.Scopes.Contains(scope))
            .OrderByDescending(c => c.EffectiveDate).ThenByDescending(c => c.RecordedAt).FirstOrDefault();
        return latest is not null && ConsentOutcomes.Permits(latest.Outcome);
    }
}

public sealed record ConsentStakeholder(Guid Id, string Name);

public sealed record ConsentFact(Guid StakeholderId, IReadOnlyCollection<string> Scopes, string Outcome, DateOnly EffectiveDate, DateTimeOffset RecordedAt);
