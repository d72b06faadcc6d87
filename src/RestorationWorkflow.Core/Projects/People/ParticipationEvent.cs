namespace RestorationWorkflow.Projects;

/// <summary>
/// One participation event of a project (a meeting, a workshop, a consultation): when, for which STAPER step, how,
/// why, who came — counted by gender and by IPLC membership — what came of it, and an evidence file of the project.
/// </summary>
public sealed class ParticipationEvent
{
    private ParticipationEvent()
    {
    }

    public Guid Id { get; private set; }

    public Guid ProjectId { get; private set; }

    public DateOnly Date { get; private set; }

    /// <summary>A STAPER step code (A1…D3).</summary>
    public string StepCode { get; private set; } = "";

    public string Method { get; private set; } = "";

    public string Purpose { get; private set; } = "";

    public int Women { get; private set; }

    public int Men { get; private set; }

    /// <summary>Attendees of another gender or who did not say.</summary>
    public int OtherGender { get; private set; }

    /// <summary>Attendees who are members of indigenous peoples or local communities.</summary>
    public int IplcMembers { get; private set; }

    /// <summary>Attendees who are not.</summary>
    public int NonIplcMembers { get; private set; }

    public string Outcome { get; private set; } = "";

    /// <summary>An evidence file of the same project, or null.</summary>
    public Guid? EvidenceFileId { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>Whether attendance was counted by gender (at least one attendee counted).</summary>
    public bool HasGenderCounts => Women + Men + OtherGender > 0;

    public static ParticipationEvent Create(Guid projectId, ParticipationDetails details, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(details);
        var item = new ParticipationEvent { Id = Guid.CreateVersion7(now), ProjectId = projectId, CreatedAt = now };
        item.Update(details, now);
        return item;
    }

    public void Update(ParticipationDetails details, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(details);
        Date = details.Date;
        StepCode = details.StepCode;
        Method = details.Method.Trim();
        Purpose = details.Purpose.Trim();
        Women = details.Women;
        Men = details.Men;
        OtherGender = details.OtherGender;
        IplcMembers = details.IplcMembers;
        NonIplcMembers = details.NonIplcMembers;
        Outcome = details.Outcome.Trim();
        EvidenceFileId = details.EvidenceFileId;
        UpdatedAt = now;
    }

    public ParticipationDetails Details =>
        new(Date, StepCode, Method, Purpose, Women, Men, OtherGender, IplcMembers, NonIplcMembers, Outcome, EvidenceFileId);
}

public sealed record ParticipationDetails(
    DateOnly Date, string StepCode, string Method, string Purpose, int Women, int Men, int OtherGender, int IplcMembers, int NonIplcMembers,
    string Outcome, Guid? EvidenceFileId);
