using System.Globalization;

namespace RestorationWorkflow.Web.Infrastructure;

/// <summary>Reads the app's own settings at start-up; a value it cannot use stops start-up with one line naming it.</summary>
public static class SettingReader
{
    /// <summary>
    /// The whole number at <paramref name="key"/> from <paramref name="min"/> to <paramref name="max"/>, or
    /// <paramref name="fallback"/> when it is not set. <paramref name="hint"/> says what to use instead, in the error's
    /// words (<c>use a whole number of seconds from 0 to 3600</c>).
    /// </summary>
    /// <exception cref="StartupException">Set, but not a whole number in range: <c>{key} '{value}' is not valid; {hint}.</c></exception>
    public static int WholeNumber(IConfiguration configuration, string key, int fallback, int min, int max, string hint)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var text = configuration[key];
        if (string.IsNullOrWhiteSpace(text))
            return fallback;
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new StartupException($"{key} '{TextRules.Quote(text)}' is not valid; {hint}.");
    }
}
