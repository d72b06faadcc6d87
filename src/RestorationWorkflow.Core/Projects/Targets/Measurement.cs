namespace RestorationWorkflow.Projects.Targets;

/// <summary>
/// One monitoring result of a restoration target (D1): the value measured on a day, in the target's unit, how and by
/// whom, with an optional evidence file of the same project. Measurements change only through the project command path
/// (recorded, corrected, deleted, or imported from CSV), each change audited as <c>measurements.{id}.{field}</c>.
/// </summary>
public sealed class Measurement
{
    private Measurement()
    {
    }

    public Guid Id { get; private set; }

    public Guid ProjectId { get; private set; }

    public Guid TargetId { get; private set; }

    public DateOnly MeasuredOn { get; private set; }

    public decimal Value { get; private set; }

    /// <summary>The target's unit when recorded (a measurement in another unit is refused).</summary>
    public string Unit { get; private set; } = "";

    /// <summary>How it was measured (plot survey, remote sensing, household survey…).</summary>
    public string Method { get; private set; } = "";

    /// <summary>Who measured: a person's name as free text (they need not be a user).</summary>
    public string MeasuredBy { get; private set; } = "";

    public Guid? EvidenceFileId { get; private set; }

    public string Notes { get; private set; } = "";

    /// <summary>The user who recorded (or last corrected) it.</summary>
    public string RecordedById { get; private set; } = "";

    public DateTimeOffset RecordedAt { get; private set; }

    public MeasurementDetails Details => new(TargetId, MeasuredOn, Value, Unit, Method, MeasuredBy, EvidenceFileId, Notes);

    public static Measurement Create(Guid projectId, MeasurementDetails details, string recordedById, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(details);
        var measurement = new Measurement { Id = Guid.CreateVersion7(now), ProjectId = projectId };
        measurement.Update(details, recordedById, now);
        return measurement;
    }

    public void Update(MeasurementDetails details, string recordedById, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(details);
        ArgumentException.ThrowIfNullOrEmpty(recordedById);
        TargetId = details.TargetId;
        MeasuredOn = details.MeasuredOn;
        Value = details.Value;
        Unit = details.Unit;
        Method = details.Method;
        MeasuredBy = details.MeasuredBy;
        EvidenceFileId = details.EvidenceFileId;
        Notes = details.Notes;
        RecordedById = recordedById;
        RecordedAt = now;
    }
}

/// <summary>What a valid measurement holds.</summary>
public sealed record MeasurementDetails(
    Guid TargetId, DateOnly MeasuredOn, decimal Value, string Unit, string Method, string MeasuredBy, Guid? EvidenceFileId, string Notes);
