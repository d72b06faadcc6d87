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
