using System.Text.Json.Nodes;
using RestorationWorkflow.Approvals;
using RestorationWorkflow.Web.Features.Approvals;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.IntegrationTests.Approvals;

/// <summary>The pure parts of the approval gates: canonical JSON and its hash, snapshot diffs, audited sections, quorum counting.</summary>
public sealed class ApprovalSnapshotTests
{
    [Fact]
    public void CanonicalJson_SortsKeys_AtEveryDepth_AndKeepsArrayOrder()
    {
        var a = JsonNode.Parse("""{"b": 1, "a": {"y": [3, 1], "x": "中文"}}""");
        var b = JsonNode.Parse("""{ "a": { "x": "中文", "y": [3, 1] }, "b": 1 }""");

        var canonical = CanonicalJson.Serialize(a);

        Assert.Equal("""{"a":{"x":"中文","y":[3,1]},"b":1}""", canonical);
        Assert.Equal(canonical, CanonicalJson.Serialize(b));
        Assert.Equal(CanonicalJson.Sha256(canonical), CanonicalJson.Sha256(CanonicalJson.Serialize(b)));
        Assert.NotEqual(CanonicalJson.Sha256(canonical), CanonicalJson.Sha256(CanonicalJson.Serialize(JsonNode.Parse("""{"a":{"x":"中文","y":[1,3]},"b":1}"""))));
        Assert.Matches("^[0-9a-f]{64}$", CanonicalJson.Sha256(canonical));
    }

    [Fact]
    public void CanonicalJson_HashesTheBytesItWrites_AndSortsAnObjectOnlyWhenItIsOutOfOrder()
    {
        var node = JsonNode.Parse("""{"z": {"b": 2, "a": 1}, "a": {"a": 1, "b": [{"d": 4, "c": 3}]}, "m": "<&>\"é"}""");

        var (canonical, hash) = CanonicalJson.SerializeAndHash(node);

        Assert.Equal("""{"a":{"a":1,"b":[{"c":3,"d":4}]},"m":"<&>\"é","z":{"a":1,"b":2}}""", canonical);
        Assert.Equal(CanonicalJson.Serialize(node), canonical);
        Assert.Equal(CanonicalJson.Sha256(canonical), hash);
    }

    /// <summary>
    /// A registry field written straight to a JSON value gives the same bytes as the serializer's node for it, so a
    /// snapshot hashes as it did when every field went through the serializer (an open request would otherwise turn stale).
    /// </summary>
    [Theory]
    [MemberData(nameof(RegistryValues))]
    public void RegistryValue_WritesTheSameBytesAsTheSerializer(object? value) =>
        Assert.Equal(
            CanonicalJson.Serialize(new JsonObject { ["v"] = System.Text.Json.JsonSerializer.SerializeToNode(value) }),
            CanonicalJson.Serialize(new JsonObject { ["v"] = ApprovalSnapshotBuilder.Value(value) }));

    public static TheoryData<object?> RegistryValues() => new()
    {
        "Miombo woodland", "", "引号\"与<标签>&amp;", "tab\tnew\nline\u0001", "emoji 🌳", "\u2028",
        true, false, 0, 7, -3, int.MaxValue,
        0m, 12.50m, -0.001m, 1234567890.123456789m, 100m, decimal.MaxValue,
        new List<string> { "forest", "草地", "a\"b" }, new List<string>(),
        new DateOnly(2026, 11, 29),
    };

    [Fact]
    public void SnapshotDiff_NamesEachChangedAddedAndRemovedLeaf_WithItsSection()
    {
        const string older = """{"consents":{"c1":{"outcome":"granted","scopes":["plan"]}},"registry":{"name":"Old"}}""";
        const string newer = """{"consents":{"c1":{"outcome":"withdrawn","scopes":["plan"]},"c2":{"outcome":"granted","scopes":["plan"]}},"registry":{"name":"Old"}}""";

        var changes = SnapshotDiff.Between(older, newer);

        Assert.Equal(
            [
                new SnapshotChange("consents", "consents.c1.outcome", "granted", "withdrawn"),
                new SnapshotChange("consents", "consents.c2.outcome", null, "granted"),
                new SnapshotChange("consents", "consents.c2.scopes", null, """["plan"]"""),
            ],
            changes);
        Assert.Empty(SnapshotDiff.Between(newer, newer));
    }

    [Theory]
    [InlineData("name", ApprovalSections.Registry)]
    [InlineData("checklist.A3.status", ApprovalSections.Checklist)]
    [InlineData("steps.C4.values", ApprovalSections.Forms)]
    [InlineData("consents.123.outcome", ApprovalSections.Consents)]
    [InlineData("consents.123.verifiedBy", null)]
    [InlineData("stakeholders.9.contact", null)]
    [InlineData("stakeholders.9.name", ApprovalSections.Stakeholders)]
    [InlineData("safeguards.findings.grassland.acknowledgement", null)]
    [InlineData("safeguards.6.answer", ApprovalSections.Safeguards)]
    [InlineData("species.1.native", ApprovalSections.Safeguards)]
    [InlineData("managers", ApprovalSections.Team)]
    [InlineData("evidence.sha256", ApprovalSections.Evidence)]
    [InlineData("state", null)]
    [InlineData("approvals.plan.stale", null)]
    public void AuditedSections_MapFieldsToTheSectionTheyChange(string field, string? section) =>
        Assert.Equal(section, AuditedSections.Of(field));

    [Fact]
    public void Request_CountsDistinctPeople_AndTakesNoDecisionOnceStaleOrClosed()
    {
        var now = new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
        var request = ApprovalRequest.Open(Guid.NewGuid(), "plan", "PlanReview", 3, 1, "pm", now, 30, 2, "{}", new string('a', 64), 0, null);
        Assert.Equal(now.AddDays(30), request.DueAt);

        request.Decide(ApprovalDecisionKind.Approve, "approver2", "approver1", "For approver1 on leave.", [], now);
        Assert.Equal(1, request.ApprovalCount);
        Assert.True(request.HasDecided("approver1"));
        Assert.True(request.HasDecided("approver2"));
        Assert.False(request.HasDecided("approver3"));

        request.MarkStale(["consents"], now);
        Assert.Throws<InvalidOperationException>(() => request.Decide(ApprovalDecisionKind.Approve, "approver3", null, null, [], now));
        Assert.Equal("consents", request.StaleSections);
        request.Close(ApprovalRequestStatus.Superseded, now);
        Assert.False(request.IsOpen);
    }
}
