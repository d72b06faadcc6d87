using RestorationWorkflow.Projects.Targets;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Web.Features.Targets;

/// <summary>
/// <c>POST</c> and <c>PUT /api/projects/{id}/targets…</c>. <c>indicator</c> is a code of <c>GET /api/indicators</c>, or
/// <c>custom</c> with <c>customIndicator</c> (its name) and <c>unit</c>; <c>unit</c> defaults to the catalogue's;
/// <c>baseline.source</c> defaults to the source the project's A6 form records.
/// </summary>
public sealed record TargetRequest(
    string? Kind, string? Indicator, string? CustomIndicator, string? Unit, TargetBaselineRequest? Baseline, string? Action,
    decimal? Quantity, bool? QuantityIsPercent, DateOnly? Deadline, int? MonitoringFrequencyMonths, IReadOnlyList<Guid>? SiteIds, int? ExpectedVersion)
{
    public TargetInput ToInput() => new(Kind, Indicator, CustomIndicator, Unit,
        Baseline is null ? null : new TargetBaselineInput(Baseline.Value, Baseline.Date, Baseline.Source), Action,
        Quantity, QuantityIsPercent, Deadline, MonitoringFrequencyMonths, SiteIds);
}

/// <summary>The baseline of a <see cref="TargetRequest"/>.</summary>
public sealed record TargetBaselineRequest(decimal? Value, DateOnly? Date, string? Source);

/// <summary>A target's baseline as the API returns it.</summary>
public sealed record TargetBaselineDto(decimal Value, DateOnly Date, string Source);

/// <summary>A rule a stored target no longer meets (the project's lifespan or sites changed since it was saved).</summary>
public sealed record TargetProblemDto(string Field, string Message);

/// <summary>
/// A target as the API returns it: its fields, its sentence in both languages, whether it is complete now (and if not,
/// why), and the project's version.
/// </summary>
public sealed record TargetDto(
    Guid Id, Guid ProjectId, string Kind, string Indicator, string? CustomIndicator, LocalizedText IndicatorLabel, string Unit,
    TargetBaselineDto Baseline, string Action, decimal? Quantity, bool QuantityIsPercent, DateOnly Deadline, int MonitoringFrequencyMonths,
    IReadOnlyList<Guid> SiteIds, LocalizedText Sentence, bool Complete, IReadOnlyList<TargetProblemDto> Problems, int Version,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary><c>GET /api/projects/{id}/targets</c>: the targets, oldest first, with the project's version.</summary>
public sealed record TargetListDto(Guid ProjectId, int Version, IReadOnlyList<TargetDto> Items);

/// <summary>What <c>DELETE /api/projects/{id}/targets/{targetId}</c> returns.</summary>
public sealed record TargetRemovedDto(Guid ProjectId, Guid TargetId, int Version);

/// <summary>One entry of <c>GET /api/indicators</c>.</summary>
public sealed record IndicatorDto(string Code, string Kind, string Unit, LocalizedText Label, LocalizedText UnitLabel);
