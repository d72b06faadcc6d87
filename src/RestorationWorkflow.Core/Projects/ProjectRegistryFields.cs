using System.Text.Json;

namespace RestorationWorkflow.Projects;

/// <summary>
/// The registry fields as the audit trail names and records them (camelCase, JSON values): what the create and
/// update commands record and what <see cref="Audit.AuditReplay"/> replays and compares.
/// </summary>
public static class ProjectRegistryFields
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// The fields replayed from events. <c>areaHectares</c> is recorded but not replayed: the project's total area
    /// becomes the sum of its sites, changed by the site commands.
    /// </summary>
    public static readonly IReadOnlyList<string> Replayed =
    [
        "name", "code", "description", "country", "region", "scale", "ecosystemTypes", "naturallyLowTreeCover",
        "situation", "startDate", "lifespanYears", "budget", "currency", "leadOrganisation",
    ];

    /// <summary>Each registry field of <paramref name="project"/> by its audit name.</summary>
    public static IReadOnlyDictionary<string, object?> Of(Project project)
    {
        ArgumentNullException.ThrowIfNull(project);
        return new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["name"] = project.Name,
            ["code"] = project.Code,
            ["description"] = project.Description,
            ["country"] = project.Country,
            ["region"] = project.Region,
            ["scale"] = project.Scale,
            ["ecosystemTypes"] = project.EcosystemTypes.ToList(),
            ["naturallyLowTreeCover"] = project.NaturallyLowTreeCover,
            ["situation"] = project.Situation,
            ["startDate"] = project.StartDate,
            ["lifespanYears"] = project.LifespanYears,
            ["budget"] = project.Budget,
            ["currency"] = project.Currency,
            ["leadOrganisation"] = project.LeadOrganisation,
            ["areaHectares"] = project.AreaHectares,
        };
    }

    /// <summary>The fields as JSON values, for <see cref="Audit.ProjectRows.Registry"/>.</summary>
    public static IReadOnlyDictionary<string, JsonElement> Values(Project project) =>
        Of(project).ToDictionary(kv => kv.Key, kv => JsonSerializer.SerializeToElement(kv.Value, Json), StringComparer.Ordinal);
}
