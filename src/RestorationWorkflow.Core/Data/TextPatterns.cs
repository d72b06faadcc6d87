namespace RestorationWorkflow.Data;

/// <summary>
/// The one way searches match text on every provider (decision 0041): <c>LIKE</c> on <c>lower(column)</c> with a pattern
/// lower-cased the same way. SQLite's <c>LIKE</c> folds ASCII case and SQL Server's default collation folds case, but
/// PostgreSQL's is case-sensitive; lowering both sides gives the same ASCII-insensitive match everywhere (SQLite's and a
/// C-locale PostgreSQL's <c>lower()</c> change ASCII letters only, so the pattern lowers ASCII letters only too).
/// </summary>
public static class TextPatterns
{
    /// <summary>The escape character of <see cref="Contains"/>'s pattern.</summary>
    public const string Escape = "\\";

    /// <summary>A <c>LIKE</c> pattern matching <paramref name="text"/> anywhere, with <c>\ % _</c> escaped, ASCII lower case.</summary>
    public static string Contains(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var escaped = text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
        return "%" + string.Create(escaped.Length, escaped, (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
                span[i] = source[i] is >= 'A' and <= 'Z' ? (char)(source[i] + 32) : source[i];
        }) + "%";
    }
}
