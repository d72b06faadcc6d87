namespace RestorationWorkflow.Web.Features.Reports.Dossier;

/// <summary>
/// Everything the project dossier shows, already in the report's language where it comes from data (state and step
/// names, group and option labels, target sentences) and already reduced to what the requester may see (a stakeholder's
/// contact is absent for a reader outside the project's team). <see cref="DossierReportSource"/> builds it from the
/// database, <see cref="DossierReport"/> draws it; its SHA-256 (as JSON) is printed in every page's footer.
/// </summary>
public sealed record DossierReportInput(
    string Language,
    DateTimeOffset GeneratedAt,
    string RequestedBy,
    DossierProject Project,
    IReadOnlyList<DossierEntry> Registry,
    IReadOnlyList<DossierState> States,
    IReadOnlyList<DossierGroup> Groups,
    IReadOnlyList<DossierStep> Steps,
    IReadOnlyList<DossierSite> Sites,
    DossierPeople People,
    IReadOnlyList<DossierFinding> Findings,
    DossierPlan Plan,
    IReadOnlyList<DossierGate> Gates,
    DossierEvaluation Evaluation);

/// <summary>
/// The project: code, name, description, current state (label, kind, STAPER group and the steps worked on in it),
/// workflow, version.
/// </summary>
public sealed record DossierProject(
    Guid Id, string Code, string Name, string Description, string StateCode, string State, string StateKind, string StateGroup,
    IReadOnlyList<string> StateSteps, string Workflow, int Version, decimal AreaHectares);

/// <summary>A label and its value (registry, a form's field).</summary>
public sealed record DossierEntry(string Label, string Value);

/// <summary>A state of the workflow in the definition's order: code, label, group (A–D or none), kind, whether it is the project's.</summary>
public sealed record DossierState(string Code, string Label, string Group, string Kind, bool Current);

/// <summary>A STAPER group (A–D): its label, the steps settled out of all, and whether the project is in it now.</summary>
public sealed record DossierGroup(string Group, string Label, int Settled, int Total, bool Current);

/// <summary>
/// One step A1–D3 as the project page shows it: its label, status (the checklist's, or its form's for a step with a
/// form), note, who changed it last and when, and the form's fields with their values (empty without a form).
/// </summary>
public sealed record DossierStep(
    string Code, string Group, string Label, string Status, bool Settled, string? Note, string? UpdatedBy, DateTimeOffset? UpdatedAt,
    bool HasForm, IReadOnlyList<DossierEntry> Fields);

/// <summary>A site with its boundary's rings (longitudes and latitudes, WGS 84), declared and computed hectares and warnings.</summary>
public sealed record DossierSite(
    string Name, string Ecosystem, string Tenure, decimal DeclaredHectares, decimal ComputedHectares, IReadOnlyList<DossierRing> Rings,
    IReadOnlyList<string> Warnings);

/// <summary>One ring of a boundary (the exterior of a polygon), as parallel longitude and latitude arrays.</summary>
public sealed record DossierRing(IReadOnlyList<double> Lon, IReadOnlyList<double> Lat);

/// <summary>Stakeholders, participation events and consent records, and whether the reader sees contacts.</summary>
public sealed record DossierPeople(
    bool ContactsVisible, IReadOnlyList<DossierStakeholder> Stakeholders, IReadOnlyList<DossierParticipation> Participation,
    IReadOnlyList<DossierConsent> Consents);

/// <summary>A stakeholder; <see cref="Contact"/> is null when the reader may not see it (<see cref="Masked"/> when there is one).</summary>
public sealed record DossierStakeholder(string Name, string Group, bool IsIplc, string? Contact, bool Masked);

/// <summary>A participation event with its counts by gender and by IPLC membership.</summary>
public sealed record DossierParticipation(
    DateOnly Date, string Step, string Method, string Purpose, int Women, int Men, int OtherGender, int IplcMembers, int NonIplcMembers, string Outcome);

/// <summary>A consent record: whose, for what, the outcome, when, conditions, who verified it, a withdrawal.</summary>
public sealed record DossierConsent(
    string Stakeholder, string Scopes, string Outcome, DateOnly Date, string Conditions, string? VerifiedBy, DateOnly? WithdrawnOn, string WithdrawalReason);

/// <summary>A safeguard finding derived from the data (decision 0025): safeguard, severity, status, message, acknowledgement.</summary>
public sealed record DossierFinding(int Safeguard, string SafeguardTitle, bool Blocking, string Severity, string Status, string Message, string? Acknowledgement);

/// <summary>The plan: what the plan's guard still misses (null when complete) and the targets as sentences.</summary>
public sealed record DossierPlan(string? Missing, IReadOnlyList<DossierTarget> Targets);

/// <summary>A SMART target: its kind's label, its sentence, baseline, monitoring frequency and the rules it fails now.</summary>
public sealed record DossierTarget(string Kind, string Sentence, string Baseline, string Monitoring, IReadOnlyList<string> Problems);

/// <summary>A gate of the workflow with every request made to it, oldest first.</summary>
public sealed record DossierGate(string Label, int Quorum, IReadOnlyList<DossierRequest> Requests);

/// <summary>One request to a gate: who submitted it and when, its status and snapshot hash, and every decision.</summary>
public sealed record DossierRequest(
    int Sequence, string Status, string SubmittedBy, DateTimeOffset OpenedAt, DateTimeOffset? ClosedAt, string SnapshotHash, int Approvals, int Quorum,
    IReadOnlyList<DossierApproval> Decisions);

/// <summary>A decision on a request: approve or reject, who (on whose behalf), when, the hash signed, the comment.</summary>
public sealed record DossierApproval(string Decision, string Decider, string? OnBehalfOf, DateTimeOffset At, string SnapshotHash, string? Comment);

/// <summary>Step D: evaluations per cycle, adaptive-management decisions and lessons learned.</summary>
public sealed record DossierEvaluation(
    IReadOnlyList<DossierCycle> Cycles, IReadOnlyList<DossierDecision> Decisions, IReadOnlyList<DossierLesson> Lessons);

/// <summary>One cycle's evaluation.</summary>
public sealed record DossierCycle(int Cycle, string Effectiveness, string Impact, string SocioEconomicOutcomes, string UnintendedConsequences, string RecordedBy, DateTimeOffset RecordedAt);

/// <summary>An adaptive-management decision.</summary>
public sealed record DossierDecision(int Cycle, string Decision, string Rationale, string ResultingState, string DecidedBy, DateTimeOffset DecidedAt);

/// <summary>A lesson learned (D3).</summary>
public sealed record DossierLesson(string Topic, string WhatWorked, string WhatDidNot, string Recommendation);
