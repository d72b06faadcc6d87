using RestorationWorkflow.Evidence;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Projects.Safeguards;
using RestorationWorkflow.Projects.Targets;

namespace RestorationWorkflow.Approvals;

/// <summary>
/// The rows the database keeps a stamp over (decision 0068): what an approval snapshot is built from, and what the
/// guards' data that is reused between requests reads (decision 0069). Every table here has a <c>ProjectId</c> column
/// and triggers that add one to the project's <see cref="Project.ContentStamp"/> on every insert, update and delete of
/// its rows; the project's registry columns (<see cref="ProjectRegistryFields"/>) have one for updates. Triggers are
/// in the database, so a row written around the command path (by hand, by a script) moves the stamp too. While a
/// request's stamp is the project's, nothing its snapshot covers was written, and the snapshot is current without
/// being built again; while a project's stamp is the one guard data was read at, that data is still what it was.
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

    /// <summary>
    /// Every entity whose writes move the stamp: <see cref="Entities"/>, and the safeguard acknowledgements, which no
    /// snapshot reads but the <c>safeguardsCleared</c> guard does (a stamped guard data provider may read only these).
    /// </summary>
    public static readonly IReadOnlyList<Type> StampedEntities = [.. Entities, typeof(SafeguardAcknowledgement)];

    /// <summary>
    /// The <see cref="Project.ContentStamp"/> of a project loaded before its command wrote stamped rows and committed
    /// them: the database has moved the stamp on, and this copy no longer knows to what. It never equals a stamp the
    /// database keeps (those start at 0), so nothing is taken as unchanged or reused under it.
    /// </summary>
    public const long UnknownStamp = -1;

    /// <summary>The project's stamp, or null when it is <see cref="UnknownStamp"/>.</summary>
    public static long? StampOf(Project project)
    {
        ArgumentNullException.ThrowIfNull(project);
        return project.ContentStamp == UnknownStamp ? null : project.ContentStamp;
    }

    /// <summary>The name of the trigger that stamps a table's changes (declared to EF Core: SQL Server then saves without OUTPUT).</summary>
    public static string TriggerOf(string table) => $"TR_{table}_ContentStamp";

    /// <summary>
    /// Whether a request's snapshot is known to be current without building it again: it recorded the project's stamp
    /// when it was built, and nothing covered was written since. False means only "not known": build and compare.
    /// </summary>
    public static bool Unchanged(long? requestStamp, Project project)
    {
        ArgumentNullException.ThrowIfNull(project);
        return requestStamp is { } stamp && stamp != UnknownStamp && stamp == project.ContentStamp;
    }
}
