using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Web.Features.Safeguards;

/// <summary>One answer in <c>PUT /api/projects/{id}/safeguards</c>: a safeguard's number (1–9), its answer and a note.</summary>
public sealed record SafeguardAnswerRequest(int? Number, string? Answer, string? Note);

/// <summary>
/// <c>PUT /api/projects/{id}/safeguards</c> replaces the review: the answers given (a safeguard left out is unanswered), whether
/// the plan plants or afforests, and the justification of planting where afforestation is to be avoided.
/// </summary>
public sealed record SafeguardReviewRequest(
    IReadOnlyList<SafeguardAnswerRequest>? Answers, bool? PlansPlantingOrAfforestation, string? PlantingJustification, int? ExpectedVersion);

/// <summary>A safeguard with the project's answer. <c>check</c> names the plan question the answer also settles, if any.</summary>
public sealed record SafeguardAnswerDto(int Number, LocalizedText Title, LocalizedText Text, string? Answer, string? Note, string? Check, DateTimeOffset? UpdatedAt);

/// <summary>
/// The three plan questions the app checks: each is the answer to a safeguard (natural regeneration is safeguard 6,
/// connectivity with protected areas 8, disturbance regimes 3), so the review asks each once.
/// </summary>
public sealed record PlanQuestionDto(string Answer, string? Note, bool Answered);

public sealed record PlanQuestionsDto(
    bool? PlansPlantingOrAfforestation, string? PlantingJustification, PlanQuestionDto? NaturalRegenerationConsidered,
    PlanQuestionDto? ConnectivityWithProtectedAreas, PlanQuestionDto? DisturbanceRegimes);

/// <summary><c>GET /api/projects/{id}/safeguards</c>.</summary>
public sealed record SafeguardReviewDto(
    Guid ProjectId, int Version, IReadOnlyList<SafeguardAnswerDto> Safeguards, bool? PlansPlantingOrAfforestation, string? PlantingJustification,
    PlanQuestionsDto PlanQuestions, int OpenBlockingFindings, DateTimeOffset? UpdatedAt);

public sealed record AcknowledgementDto(string UserId, string UserName, string Comment, DateTimeOffset At, string JustificationSha256);

/// <summary>One finding: severity (blocking, warning), status (open, justified, acknowledged), its safeguard and text in both languages.</summary>
public sealed record SafeguardFindingDto(
    string Id, string Severity, string Status, bool NeedsAcknowledgement, bool Cleared, bool Blocks, LocalizedText Message,
    int Safeguard, LocalizedText SafeguardTitle, LocalizedText SafeguardText, AcknowledgementDto? Acknowledgement);

/// <summary><c>GET /api/projects/{id}/safeguards/findings</c>.</summary>
public sealed record SafeguardFindingsDto(Guid ProjectId, int Version, bool Cleared, IReadOnlyList<SafeguardFindingDto> Findings);

/// <summary><c>POST …/safeguards/findings/{findingId}/acknowledgement</c>.</summary>
public sealed record AcknowledgementRequest(string? Comment, int? ExpectedVersion);

/// <summary><c>POST</c> and <c>PUT /api/projects/{id}/species…</c>.</summary>
public sealed record SpeciesRequest(string? ScientificName, string? CommonName, bool? Native, string? Provenance, string? PrecautionaryJustification, int? ExpectedVersion)
{
    public SpeciesInput ToInput() => new(ScientificName, CommonName, Native, Provenance, PrecautionaryJustification);
}

/// <summary>What a species command receives from the API or the page.</summary>
public sealed record SpeciesInput(string? ScientificName, string? CommonName, bool? Native, string? Provenance, string? PrecautionaryJustification);

/// <summary>A species with the findings it raises now.</summary>
public sealed record SpeciesDto(
    Guid Id, Guid ProjectId, string ScientificName, string? CommonName, bool Native, string Provenance, string? PrecautionaryJustification,
    IReadOnlyList<SafeguardFindingDto> Findings, int Version, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary><c>GET /api/projects/{id}/species</c>.</summary>
public sealed record SpeciesListDto(Guid ProjectId, int Version, IReadOnlyList<SpeciesDto> Items);

/// <summary>What <c>DELETE /api/projects/{id}/species/{itemId}</c> returns.</summary>
public sealed record SpeciesRemovedDto(Guid ProjectId, Guid SpeciesId, int Version);

/// <summary>What the findings partial shows: the project's findings and whether the reader may acknowledge them.</summary>
public sealed record SafeguardFindingsView(RestorationWorkflow.Projects.Project Project, IReadOnlyList<RestorationWorkflow.Projects.Safeguards.SafeguardFinding> Findings, bool CanAcknowledge);
