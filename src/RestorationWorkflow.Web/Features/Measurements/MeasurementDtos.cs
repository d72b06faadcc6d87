using RestorationWorkflow.Projects.Targets;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Web.Features.Measurements;

/// <summary>
/// <c>POST</c> and <c>PUT /api/projects/{id}/targets/{targetId}/measurements…</c>: the day (<c>measuredOn</c>,
/// YYYY-MM-DD, not in the future), the value in the target's <c>unit</c> (which must be given and equal the target's),
/// the method, who measured (a name), an optional evidence file of the project and notes.
/// </summary>
public sealed record MeasurementRequest(
    DateOnly? MeasuredOn, decimal? Value, string? Unit, string? Method, string? MeasuredBy, Guid? EvidenceFileId, string? Notes, int? ExpectedVersion)
{
    public MeasurementInput ToInput() => new(MeasuredOn, Value, Unit, Method, MeasuredBy, EvidenceFileId, Notes);
}

/// <summary>A measurement as the API returns it.</summary>
public sealed record MeasurementDto(
    Guid Id, Guid ProjectId, Guid TargetId, DateOnly MeasuredOn, decimal Value, string Unit, string Method, string MeasuredBy,
    Guid? EvidenceFileId, string Notes, string RecordedBy, DateTimeOffset RecordedAt);

/// <summary>
/// Where a target stands (decision 0031): <c>status</c> <c>onTrack</c>, <c>atRisk</c>, <c>offTrack</c> or <c>noData</c>,
/// the value aimed at (and, to maintain, its band), the latest measurement, the value expected on its day, the
/// progress ratio and the thresholds applied.
/// </summary>
public sealed record ProgressDto(
    string Status, LocalizedText StatusLabel, decimal TargetValue, decimal? BandLow, decimal? BandHigh, DateOnly? LatestOn, decimal? LatestValue,
    decimal? ExpectedAtLatest, decimal? Ratio, decimal AtRiskBelow, decimal OffTrackBelow)
{
    public static ProgressDto From(TargetProgressResult progress, ProgressThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(progress);
        ArgumentNullException.ThrowIfNull(thresholds);
        return new(TargetProgress.Code(progress.Status), progress.StatusLabel, Math.Round(progress.TargetValue, 4), Round(progress.BandLow), Round(progress.BandHigh),
            progress.Latest?.On, progress.Latest?.Value, Round(progress.ExpectedAtLatest), progress.Ratio, thresholds.AtRiskBelow, thresholds.OffTrackBelow);
    }

    private static decimal? Round(decimal? value) => value is { } v ? Math.Round(v, 4) : null;
}

/// <summary><c>GET …/measurements</c>: the target's measurements, oldest first, its progress and the project's version.</summary>
public sealed record MeasurementListDto(Guid ProjectId, Guid TargetId, string Unit, LocalizedText Sentence, int Version, ProgressDto Progress, IReadOnlyList<MeasurementDto> Items);

/// <summary>What recording or correcting a measurement returns: it, the target's progress now and the project's version.</summary>
public sealed record MeasurementSavedDto(MeasurementDto Measurement, ProgressDto Progress, int Version);

/// <summary>What deleting a measurement returns.</summary>
public sealed record MeasurementDeletedDto(Guid ProjectId, Guid TargetId, Guid MeasurementId, ProgressDto Progress, int Version);

/// <summary>One problem of a bad row of an import file.</summary>
public sealed record ImportErrorDto(string Field, LocalizedText Message);

/// <summary>A bad row of an import file: its line (the header is line 1) and each problem in both languages.</summary>
public sealed record ImportBadRowDto(int Line, IReadOnlyList<ImportErrorDto> Errors);

/// <summary>A good row of an import file as it would be recorded.</summary>
public sealed record ImportRowDto(int Line, Guid TargetId, string Indicator, DateOnly MeasuredOn, decimal Value, string Unit, string Method, string MeasuredBy, string Notes);

/// <summary><c>POST /api/projects/{id}/measurements/import?preview=true</c>: every row read and every bad row; nothing imported.</summary>
public sealed record ImportPreviewDto(bool Preview, int RowCount, bool Valid, IReadOnlyList<ImportRowDto> Rows, IReadOnlyList<ImportBadRowDto> BadRows, int Version);

/// <summary><c>POST /api/projects/{id}/measurements/import?preview=false</c>: how many measurements were recorded, in one audit event.</summary>
public sealed record ImportResultDto(int Imported, int Version);

public static class ImportDtos
{
    public static ImportBadRowDto ToDto(CsvBadRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return new(row.Line, [.. row.Errors.Select(e => new ImportErrorDto(e.Field, e.Message))]);
    }

    public static ImportRowDto ToDto(CsvGoodRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var d = row.Details;
        return new(row.Line, d.TargetId, row.Target.Indicator, d.MeasuredOn, d.Value, d.Unit, d.Method, d.MeasuredBy, d.Notes);
    }
}
