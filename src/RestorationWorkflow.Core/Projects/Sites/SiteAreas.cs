using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace RestorationWorkflow.Projects;

/// <summary>
/// Each project keeps, per ecosystem type, the computed hectares of its sites of that type and how many there are, in
/// two columns of its own row (<c>SiteHectares_forest</c>, <c>SiteCount_forest</c>, …; shadow properties of
/// <see cref="Project"/>, decision 0045). The portfolio's hectares by ecosystem type × state then read one row per
/// project, filtered as the project list is, instead of joining every site to its project. The site commands keep them,
/// with the project's total area, from the project's sites after each change; the migration that added them filled them
/// from the sites. Derived from audited content (the sites), so they write no audit event of their own.
/// </summary>
public static class SiteAreas
{
    /// <summary>Name of the column (and shadow property) holding the hectares of the project's sites of <paramref name="ecosystemType"/>.</summary>
    public static string HectaresColumn(string ecosystemType) => "SiteHectares_" + ecosystemType;

    /// <summary>Name of the column (and shadow property) holding how many of the project's sites are of <paramref name="ecosystemType"/>.</summary>
    public static string CountColumn(string ecosystemType) => "SiteCount_" + ecosystemType;

    internal static void Configure(EntityTypeBuilder<Project> b)
    {
        foreach (var (code, _) in EcosystemTypes.All)
        {
            // Double precision: summed in SQL on every provider (SQLite keeps decimals as text); each site's area has
            // four decimals and the portfolio rounds its sums back to four.
            b.Property<double>(HectaresColumn(code));
            b.Property<int>(CountColumn(code));
        }
    }

    /// <summary>Name of the SQLite index by state that also holds every ecosystem type's two columns.</summary>
    public const string StateIndexName = "IX_Projects_State_WorkflowId_WorkflowVersion_SiteAreas";

    /// <summary>
    /// On SQLite, the index by (state, workflow, version) also holds these columns, so that the portfolio's hectares of every
    /// project by state read the index alone instead of every wide project row (decision 0053: 21 → 13 ms for 10,000
    /// projects); it replaces the three-column index, whose prefix it keeps for the filters by state and the counts. SQL
    /// Server keys at most 16 columns, so the other providers keep the three-column index.
    /// </summary>
    internal static void CoverStateIndex(EntityTypeBuilder<Project> b)
    {
        string[] state = [nameof(Project.State), nameof(Project.WorkflowId), nameof(Project.WorkflowVersion)];
        var index = b.Metadata.FindIndex([.. state.Select(name => b.Metadata.FindProperty(name)!)])
            ?? throw new InvalidOperationException("The projects' index by state is not configured.");
        b.Metadata.RemoveIndex(index);
        b.HasIndex([.. state, .. EcosystemTypes.All.SelectMany(t => new[] { HectaresColumn(t.Code), CountColumn(t.Code) })])
            .HasDatabaseName(StateIndexName);
    }

    /// <summary>Sets the project's columns from all of its sites (as they are after the change being saved).</summary>
    public static void Keep(EntityEntry<Project> project, IEnumerable<Site> sites)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(sites);
        var byType = sites.GroupBy(s => s.EcosystemType, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (Hectares: (double)g.Sum(s => s.ComputedHectares), Count: g.Count()), StringComparer.Ordinal);
        foreach (var (code, _) in EcosystemTypes.All)
        {
            var (hectares, count) = byType.GetValueOrDefault(code);
            var hectaresProperty = project.Property<double>(HectaresColumn(code));
            if (hectaresProperty.CurrentValue != hectares)
                hectaresProperty.CurrentValue = hectares;
            var countProperty = project.Property<int>(CountColumn(code));
            if (countProperty.CurrentValue != count)
                countProperty.CurrentValue = count;
        }
    }
}
