using RestorationWorkflow.Data;

namespace RestorationWorkflow.UnitTests.Data;

/// <summary>
/// The change tracking of a list of texts kept in one column (<see cref="TextListComparer"/>): what counts as a change
/// to a project's ecosystem types, a consent's scopes or a decision's sections.
/// </summary>
public sealed class TextListComparerTests
{
    private static readonly TextListComparer Comparer = new();

    [Fact]
    public void The_same_texts_in_the_same_order_are_equal_in_another_list()
    {
        Assert.True(Comparer.Equals(["forest", "wetland"], ["forest", "wetland"]));
        Assert.True(Comparer.Equals([], []));
        Assert.True(Comparer.Equals(null, null));
        Assert.Equal(Comparer.GetHashCode(["forest", "wetland"]), Comparer.GetHashCode(["forest", "wetland"]));
    }

    [Theory]
    [InlineData("forest,wetland", "wetland,forest")]
    [InlineData("forest,wetland", "forest")]
    [InlineData("forest", "Forest")]
    [InlineData("forest", "forest,forest")]
    [InlineData("", "forest")]
    public void Another_order_another_case_a_text_more_or_less_is_a_change(string before, string after)
    {
        Assert.False(Comparer.Equals(Split(before), Split(after)));
        Assert.False(Comparer.Equals(Split(after), Split(before)));
    }

    [Fact]
    public void No_list_and_an_empty_list_differ()
    {
        Assert.False(Comparer.Equals(null, []));
        Assert.False(Comparer.Equals([], null));
    }

    [Fact]
    public void The_snapshot_is_a_copy_so_a_change_made_in_place_is_seen()
    {
        var tracked = new List<string> { "forest" };
        var snapshot = Comparer.Snapshot(tracked);
        Assert.NotSame(tracked, snapshot);
        Assert.True(Comparer.Equals(tracked, snapshot));

        tracked.Add("wetland");
        Assert.False(Comparer.Equals(tracked, snapshot));
        Assert.Equal(["forest"], snapshot);
    }

    private static List<string> Split(string texts) => texts.Length == 0 ? [] : [.. texts.Split(',')];
}
