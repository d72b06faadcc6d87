using RestorationWorkflow.Projects;

namespace RestorationWorkflow.Workflows.Guards;

/// <summary>The kinds of guard data about a project's people: participation events and consent (issue 16).</summary>
public static class PeopleGuardData
{
    /// <summary>The STAPER step codes of the project's participation events that counted attendance by gender.</summary>
    public static readonly GuardDataKey<ParticipationFacts> Participation = new("participation");

    /// <summary>The project's IPLC stakeholders and its consent records.</summary>
    public static readonly GuardDataKey<ConsentFacts> Consent = new("consent");
}

/// <summary>For <c>participationRecorded</c>: the step codes of the events with gender counts.</summary>
public sealed record ParticipationFacts(IReadOnlySet<string> StepsWithGenderCounts);

/// <summary>For <c>consentGranted</c>: who must consent and what they said.</summary>
public sealed record ConsentFacts(IReadOnlyList<ConsentStakeholder> IplcStakeholders, IReadOnlyList<ConsentFact> Consents);
