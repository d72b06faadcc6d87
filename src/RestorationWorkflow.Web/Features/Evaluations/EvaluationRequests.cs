namespace RestorationWorkflow.Web.Features.Evaluations;

/// <summary><c>POST /api/projects/{id}/evaluations</c> and <c>PUT …/{evaluationId}</c>: the evaluation of the current cycle.</summary>
public sealed record EvaluationRequest(
    string? Effectiveness, string? Impact, decimal? CostRealised, string? Currency, IReadOnlyList<RealisedBenefitRequest>? Benefits,
    string? SocioEconomicOutcomes, Guid? ParticipationEventId, string? UnintendedConsequences, int? ExpectedVersion);

/// <summary>One benefit realised: an A4 benefit category, the value observed, its unit and a description.</summary>
public sealed record RealisedBenefitRequest(string? Category, decimal? Value, string? Unit, string? Description);

/// <summary><c>POST /api/projects/{id}/evaluations/decisions</c>: the adaptive-management decision that ends the cycle.</summary>
public sealed record AdaptiveDecisionRequest(string? Kind, string? Rationale, int? ExpectedVersion);

/// <summary><c>POST /api/projects/{id}/lessons</c> and <c>PUT …/{lessonId}</c>.</summary>
public sealed record LessonRequest(string? Topic, string? WhatWorked, string? WhatDidNot, string? Recommendation, int? ExpectedVersion);
