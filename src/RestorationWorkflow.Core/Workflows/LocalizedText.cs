using System.Globalization;
using System.Text.Json.Serialization;

namespace RestorationWorkflow.Workflows;

/// <summary>A text in the two interface languages, <c>{"en": "...", "zh-Hans": "..."}</c> in JSON.</summary>
public sealed record LocalizedText
{
    [JsonConstructor]
    public LocalizedText(string en, string zhHans)
    {
        En = en;
        ZhHans = zhHans;
    }

    [JsonPropertyName("en")]
    public string En { get; init; }

    [JsonPropertyName("zh-Hans")]
    public string ZhHans { get; init; }

    /// <summary>The text for a culture: Chinese for any <c>zh</c> culture, English otherwise.</summary>
    public string For(CultureInfo culture)
    {
        ArgumentNullException.ThrowIfNull(culture);
        return culture.Name.StartsWith("zh", StringComparison.OrdinalIgnoreCase) && !string.IsNullOrEmpty(ZhHans) ? ZhHans : En;
    }

    /// <summary>The text for the current UI culture.</summary>
    public override string ToString() => For(CultureInfo.CurrentUICulture);
}
