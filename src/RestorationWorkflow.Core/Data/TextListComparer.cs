using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace RestorationWorkflow.Data;

/// <summary>
/// Change tracking for a list of texts kept in one column (<c>PrimitiveCollection</c>: a project's ecosystem types, a
/// consent's scopes, a decision's sections): equal when the same texts stand in the same order (ordinal), snapshot a
/// copy. EF Core's own comparer for such a list passes its element comparer to a helper as a nested lambda, so every
/// snapshot and every comparison of the compiled delegate built a new delegate through
/// <c>DynamicMethod.CreateDelegate</c>: 7.6 % of the samples of the transitions load, which snapshots a project on
/// every load and compares it on every change scan (docs/performance.md). These expressions call plain methods instead.
/// </summary>
public sealed class TextListComparer : ValueComparer<List<string>>
{
    public TextListComparer()
        : base((a, b) => AreEqual(a, b), list => HashOf(list), list => Copy(list))
    {
    }

    /// <summary>The same texts in the same order; two nulls are equal.</summary>
    public static bool AreEqual(List<string>? a, List<string>? b)
    {
        if (ReferenceEquals(a, b))
            return true;
        if (a is null || b is null || a.Count != b.Count)
            return false;
        for (var i = 0; i < a.Count; i++)
        {
            if (!string.Equals(a[i], b[i], StringComparison.Ordinal))
                return false;
        }
        return true;
    }

    public static int HashOf(List<string> list)
    {
        ArgumentNullException.ThrowIfNull(list);
        var hash = new HashCode();
        foreach (var text in list)
            hash.Add(text, StringComparer.Ordinal);
        return hash.ToHashCode();
    }

    /// <summary>A new list with the same texts, so a change made in place to the tracked list is seen.</summary>
    public static List<string> Copy(List<string> list)
    {
        ArgumentNullException.ThrowIfNull(list);
        return [.. list];
    }
}
