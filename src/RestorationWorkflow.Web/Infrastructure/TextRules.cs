using System.Globalization;
using System.Text;

namespace RestorationWorkflow.Web.Infrastructure;

/// <summary>
/// What free text a person may enter (names, descriptions, notes, comments, e-mails), and how an input is quoted
/// back in an error message. One rule for the API and the pages.
/// </summary>
public static class TextRules
{
    /// <summary>How many characters of an input an error message quotes (<see cref="Quote"/>).</summary>
    public const int QuoteLength = 64;

    /// <summary>
    /// Why <paramref name="value"/> is not acceptable free text, or null when it is (null and empty are acceptable
    /// here: whether a field is required is the caller's rule). Refused: control characters, NUL included (in
    /// <paramref name="multiline"/> text line feed, carriage return and tab are allowed); the bidirectional
    /// embeddings, overrides and isolates U+202A–U+202E and U+2066–U+2069, which make text display in an order other
    /// than the one stored (a name that reads differently from what an approver signs off); unpaired surrogates;
    /// and text that is only whitespace or invisible characters (zero-width space, joiners, word joiner, byte order
    /// mark). Zero-width joiners inside visible text stay allowed: scripts and emoji need them.
    /// </summary>
    public static string? Problem(string? value, bool multiline = false)
    {
        if (string.IsNullOrEmpty(value))
            return null;
        var visible = false;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                visible = true;
                i++;
                continue;
            }
            if (char.IsSurrogate(c))
                return "The text is not valid Unicode (an unpaired surrogate).";
            if (char.IsControl(c) && !(multiline && c is '\n' or '\r' or '\t'))
                return $"The text contains a control character ({CodePoint(c)}); only letters, digits, punctuation and spaces{(multiline ? ", line breaks and tabs" : "")} are allowed.";
            if (IsBidiControl(c))
                return $"The text contains a bidirectional override ({CodePoint(c)}), which makes it display differently from what is stored.";
            if (!char.IsWhiteSpace(c) && !IsInvisible(c))
                visible = true;
        }
        return visible ? null : "The text is only spaces or invisible characters.";
    }

    /// <summary>
    /// <paramref name="value"/> as an error message quotes it: at most <see cref="QuoteLength"/> characters, then
    /// "…", so that a 100 KB input is not sent back; control characters are shown as <c>U+XXXX</c>.
    /// </summary>
    public static string Quote(string? value)
    {
        if (value is null)
            return "";
        var cut = value.Length > QuoteLength;
        var end = cut && char.IsHighSurrogate(value[QuoteLength - 1]) ? QuoteLength - 1 : Math.Min(value.Length, QuoteLength);
        var text = new StringBuilder(end + 8);
        foreach (var c in value.AsSpan(0, end))
            text.Append(char.IsControl(c) || IsBidiControl(c) ? CodePoint(c) : c.ToString());
        if (cut)
            text.Append('…');
        return text.ToString();
    }

    private static bool IsBidiControl(char c) => c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069';

    /// <summary>Zero-width space and joiners, word joiner, byte order mark, and every other format character.</summary>
    private static bool IsInvisible(char c) =>
        c is >= '\u200B' and <= '\u200D' or '\u2060' or '\uFEFF' || char.GetUnicodeCategory(c) == UnicodeCategory.Format;

    private static string CodePoint(char c) => "U+" + ((int)c).ToString("X4", CultureInfo.InvariantCulture);
}
