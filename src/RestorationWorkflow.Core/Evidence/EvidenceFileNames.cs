using System.Globalization;
using System.Text;

namespace RestorationWorkflow.Evidence;

/// <summary>
/// The uploader's file name, kept only as metadata: the last path segment, without control, format (bidi) or
/// path characters, without leading dots, at most <see cref="MaxLength"/> characters (the extension kept).
/// It never becomes a path: files are stored under generated names.
/// </summary>
public static class EvidenceFileNames
{
    public const int MaxLength = 200;

    public const string Fallback = "file";

    private const string Forbidden = "<>:\"|?*/\\";

    public static string Clean(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
            return Fallback;
        var text = name.Normalize(NormalizationForm.FormC);
        var slash = text.LastIndexOfAny(['/', '\\']);
        if (slash >= 0)
            text = text[(slash + 1)..];
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                // Tabs and line breaks become one space.
                if (builder.Length > 0 && builder[^1] != ' ')
                    builder.Append(' ');
                continue;
            }
            if (char.GetUnicodeCategory(c) is UnicodeCategory.Control or UnicodeCategory.Format || Forbidden.Contains(c, StringComparison.Ordinal))
                continue;
            builder.Append(c);
        }
        var cleaned = builder.ToString().Trim().TrimStart('.').TrimEnd('.', ' ').Trim();
        if (cleaned.Length > MaxLength)
        {
            var dot = cleaned.LastIndexOf('.');
            var extension = dot > 0 && cleaned.Length - dot <= 16 ? cleaned[dot..] : "";
            cleaned = Cut(cleaned[..(cleaned.Length - extension.Length)], MaxLength - extension.Length).TrimEnd('.', ' ') + extension;
        }
        return cleaned.Length == 0 ? Fallback : cleaned;
    }

    /// <summary>
    /// <paramref name="name"/> with an extension that names the detected kind: kept when it already does
    /// (<c>.jpg</c> for JPEG), replaced when it names something else (a PNG named <c>scan.pdf</c> downloads as
    /// <c>scan.png</c>), appended otherwise.
    /// </summary>
    public static string WithExtension(string name, string extension)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(extension);
        var kind = EvidenceKind.ByExtension(extension);
        var dot = name.LastIndexOf('.');
        var current = dot > 0 ? name[dot..] : "";
        if (current.Length > 0 && (kind?.Extensions.Contains(current, StringComparer.OrdinalIgnoreCase) ?? string.Equals(current, extension, StringComparison.OrdinalIgnoreCase)))
            return name;
        var replaceable = current.Length is > 1 and <= 6 && current.Skip(1).All(char.IsAsciiLetterOrDigit);
        return (replaceable ? name[..dot] : name) + extension;
    }

    private static string Cut(string text, int length)
    {
        if (text.Length <= length)
            return text;
        var end = length;
        if (end > 0 && char.IsHighSurrogate(text[end - 1]))
            end--;
        return text[..end];
    }
}
