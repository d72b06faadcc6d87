using RestorationWorkflow.Web.Infrastructure;

namespace RestorationWorkflow.IntegrationTests.Input;

/// <summary>The one rule for free text, directly (the API tests show where it is applied).</summary>
public sealed class TextRulesTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Mau Forest")]
    [InlineData("湿地恢复")]
    [InlineData("مرحبا بالعالم")]          // right-to-left script without overrides
    [InlineData("👩‍🌾 farmer")]             // a zero-width joiner inside visible text
    [InlineData("می‌خواهم")]               // a zero-width non-joiner in Persian
    public void Problem_AcceptsVisibleText(string? value) => Assert.Null(TextRules.Problem(value));

    [Theory]
    [InlineData("a\0b")]
    [InlineData("a\u001Bb")]
    [InlineData("a\u007Fb")]
    [InlineData("a\u0085b")]
    [InlineData("a\u202Ab")]
    [InlineData("a\u202Eb")]
    [InlineData("a\u2066b")]
    [InlineData("a\u2069b")]
    [InlineData("\u200B")]
    [InlineData("\u200C\u200D")]
    [InlineData("\u2060")]
    [InlineData("\uFEFF")]
    [InlineData("   ")]
    [InlineData("a\nb")]
    public void Problem_RefusesControlBidiAndInvisibleText(string value) => Assert.NotNull(TextRules.Problem(value));

    [Fact]
    public void Problem_RefusesAnUnpairedSurrogate()
    {
        Assert.NotNull(TextRules.Problem(string.Concat("a", ((char)0xD800).ToString(), "b")));
        Assert.NotNull(TextRules.Problem(string.Concat("a", ((char)0xDC00).ToString())));
    }

    [Theory]
    [InlineData("line one\r\nline two")]
    [InlineData("a\tb")]
    public void Problem_AllowsLineBreaksAndTabsInMultilineText(string value)
    {
        Assert.Null(TextRules.Problem(value, multiline: true));
        Assert.NotNull(TextRules.Problem(value));
    }

    [Fact]
    public void Problem_RefusesMultilineTextThatIsOnlyBreaks() => Assert.NotNull(TextRules.Problem("\r\n\t \u200B", multiline: true));

    [Fact]
    public void Quote_CutsAt64CharactersAndShowsControlCharactersAsCodePoints()
    {
        Assert.Equal(new string('x', 64) + "…", TextRules.Quote(new string('x', 100_000)));
        Assert.Equal("short", TextRules.Quote("short"));
        Assert.Equal("aU+0000bU+202E", TextRules.Quote("a\0b\u202E"));
        Assert.Equal("", TextRules.Quote(null));
        // A surrogate pair is never split.
        var emoji = new string('x', 63) + "🌿tail";
        Assert.Equal(new string('x', 63) + "…", TextRules.Quote(emoji));
    }
}
