using RestorationWorkflow.Audit;

namespace RestorationWorkflow.UnitTests.Audit;

public sealed class AuditChainTests
{
    private static readonly Guid ProjectId = Guid.Parse("0195f3a2-7c1e-7000-8000-000000000001");

    [Fact]
    public void AnIntactChainVerifies()
    {
        Assert.Null(AuditChain.Verify(Chain()));
    }

    [Fact]
    public void AChangedFieldIsDetected()
    {
        var events = Chain();
        events[1].Comment = "Approved without consent.";

        var broken = AuditChain.Verify(events);

        Assert.NotNull(broken);
        Assert.Equal(2, broken.Sequence);
        Assert.Contains("changed", broken.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void ARemovedEventIsDetected()
    {
        var events = Chain();
        events.RemoveAt(1);

        var broken = AuditChain.Verify(events);

        Assert.NotNull(broken);
        Assert.Equal(3, broken.Sequence);
        Assert.Contains("missing", broken.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void AWrongPreviousHashIsDetected()
    {
        var events = Chain();
        // Re-sealed over the first event instead of the second: its own hash is consistent, its link is not.
        AuditChain.Seal(events[2], events[0].Hash);

        var broken = AuditChain.Verify(events);

        Assert.NotNull(broken);
        Assert.Equal(3, broken.Sequence);
        Assert.Contains("previous-hash", broken.Reason, StringComparison.Ordinal);
    }

    private static List<AuditEvent> Chain()
    {
        var at = new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
        List<AuditEvent> events =
        [
            new() { Id = 1, Action = AuditActions.ProjectCreated, ToState = "Draft" },
            new() { Id = 2, Action = AuditActions.Transition, FromState = "Draft", ToState = "Assessment", Trigger = "StartAssessment" },
            new() { Id = 3, Action = AuditActions.ChecklistUpdated, Changes = """{"A3":{"old":"Open","new":"Done"}}""" },
        ];
        string? previous = null;
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            e.ProjectId = ProjectId;
            e.Sequence = i + 1;
            e.ActorId = "pm-1";
            e.ActorName = "Wang Fang";
            e.At = at.AddMinutes(i);
            e.WorkflowId = "staper-restoration";
            e.WorkflowVersion = 1;
            AuditChain.Seal(e, previous);
            previous = e.Hash;
        }
        return events;
    }
}
