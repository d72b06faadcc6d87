using RestorationWorkflow.Evidence;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Projects.Safeguards;
using RestorationWorkflow.Projects.Targets;

namespace RestorationWorkflow.Approvals;

/// <summary>
/// The rows an approval snapshot is built from, and the stamp the database keeps over them (decision 0068). Every
/// table here has a <c>ProjectId</c> column and triggers that add one to the project's
/// <see cref="Project.ContentStamp"/> on every insert, update and delete of its rows; the project's registry columns
/// (<see cref="ProjectRegistryFields"/>) have one for updates. Triggers are in the database, so a row written around
/// the command path (by hand, by a script) moves the stamp too. While a request's stamp is the project's, nothing its
/// snapshot covers was written, and the snapshot is current without being built again.
/// </summary>
public static class CoveredContent
{
    /// <summary>The entities whose tables an approval snapshot reads, each by <c>ProjectId</c>.</summary>
    public static readonly IReadOnlyList<Type> Entities =
    [
        typeof(ProjectMember), typeof(ChecklistItem), typeof(StepForm), typeof(Site), typeof(Stakeholder), typeof(ParticipationEvent),
        typeof(ConsentRecord), typeof(RestorationTarget), typeof(SafeguardReview), typeof(SafeguardAnswer), typeof(PlannedSpecies),
        typeof(EvidenceFile),
    ];

    /// <summary>The name of the trigger that stamps a table's changes (declared to EF Core: SQL Server then saves without OUTPUT).</summary>
    public static string TriggerOf(string table) => $"TR_{table}_ContentStamp";

    /// <summary>
    /// Whether a request's snapshot is known to be current without building it again: it recorded the project's stamp
    /// when it was built, and nothing covered was written since. False means only "not known": build and compare.
    /// </summary>
    public static bool Unchanged(long? requestStamp, Project project)
    {
        ArgumentNullException.ThrowIfNull(project);
        return requestStamp is { } stamp && stamp == project.ContentStamp;
    }
}
