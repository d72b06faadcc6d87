using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace RestorationWorkflow.IntegrationTests.Localization;

/// <summary>Every interface string used in a page or a page model has a Simplified Chinese translation.</summary>
public sealed partial class TranslationTests
{
    private static string WebProject()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RestorationWorkflow.sln")))
                return Path.Combine(dir.FullName, "src", "RestorationWorkflow.Web");
        }
        throw new InvalidOperationException("RestorationWorkflow.sln not found above the test output.");
    }

    [Fact]
    public void EveryLocalizedKey_HasAChineseTranslation()
    {
        var web = WebProject();
        var resx = XDocument.Load(Path.Combine(web, "Resources", "SharedResource.zh-Hans.resx"));
        var translated = resx.Root!.Elements("data").ToDictionary(d => (string)d.Attribute("name")!, d => (string)d.Element("value")!);

        var used = Directory.EnumerateFiles(Path.Combine(web, "Features"), "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".cshtml", StringComparison.Ordinal) || f.EndsWith(".cs", StringComparison.Ordinal))
            .SelectMany(f => LocalizerKey().Matches(File.ReadAllText(f)).Select(m => m.Groups["key"].Value))
            .Distinct()
            .ToList();

        Assert.NotEmpty(used);
        var missing = used.Where(k => !translated.ContainsKey(k)).Order(StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0, "Untranslated keys: " + string.Join(" | ", missing));
        Assert.All(used, k => Assert.Matches(HanCharacter(), translated[k]));
    }

    /// <summary>The resource compiler drops the second of two names that differ only in case: its translation would never show.</summary>
    [Fact]
    public void ResourceNames_AreUnique_IgnoringCase()
    {
        var resx = XDocument.Load(Path.Combine(WebProject(), "Resources", "SharedResource.zh-Hans.resx"));
        var clashes = resx.Root!.Elements("data").Select(d => (string)d.Attribute("name")!)
            .GroupBy(n => n, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => string.Join(" / ", g)).ToList();
        Assert.True(clashes.Count == 0, "Names that differ only in case: " + string.Join(" | ", clashes));
    }

    [Fact]
    public void TranslationsKeepTheirPlaceholders()
    {
        var resx = XDocument.Load(Path.Combine(WebProject(), "Resources", "SharedResource.zh-Hans.resx"));
        foreach (var data in resx.Root!.Elements("data"))
        {
            var key = (string)data.Attribute("name")!;
            var value = (string)data.Element("value")!;
            var expected = Placeholder().Matches(key).Select(m => m.Value).Order(StringComparer.Ordinal);
            var actual = Placeholder().Matches(value).Select(m => m.Value).Order(StringComparer.Ordinal);
            Assert.True(expected.SequenceEqual(actual), string.Create(CultureInfo.InvariantCulture, $"'{key}' → '{value}' changes its placeholders"));
        }
    }

    [GeneratedRegex("""(?<![A-Za-z])(?:L|localizer)\["(?<key>[^"]+)"\]?""")]
    private static partial Regex LocalizerKey();

    [GeneratedRegex(@"\p{IsCJKUnifiedIdeographs}")]
    private static partial Regex HanCharacter();

    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex Placeholder();
}
