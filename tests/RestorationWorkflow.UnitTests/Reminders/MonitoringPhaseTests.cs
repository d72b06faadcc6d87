using RestorationWorkflow.Reminders;
using static RestorationWorkflow.UnitTests.TestSupport.TestWorkflows;

namespace RestorationWorkflow.UnitTests.Reminders;

/// <summary>Monitoring applies from the plan's approval on, found in each STAPER version from its structure.</summary>
public sealed class MonitoringPhaseTests
{
    [Fact]
    public void InV3_MonitoringAppliesFromImplementationOn_AndApprovePlanStartsIt()
    {
        var phase = MonitoringPhase.Of(StaperV3);
        Assert.Equal("Implementation", phase.StartState);
        Assert.Equal(["Evaluation", "EvaluationReview", "Implementation", "Monitoring"], phase.States.Order(StringComparer.Ordinal));
        Assert.Equal(["ApprovePlan"], phase.ApprovalTriggers);
        Assert.False(phase.Applies("Planning"));
        Assert.False(phase.Applies("PlanReview"));
        Assert.False(phase.Applies("Closed"));
        Assert.Same(phase, MonitoringPhase.Of(StaperV3));
    }

    [Fact]
    public void InV1AndV2_TheSameApprovalStartsIt()
    {
        foreach (var definition in new[] { Staper, StaperV2 })
        {
            var phase = MonitoringPhase.Of(definition);
            Assert.Equal("Implementation", phase.StartState);
            Assert.Equal(["Evaluation", "Implementation", "Monitoring"], phase.States.Order(StringComparer.Ordinal));
            Assert.Equal(["ApprovePlan"], phase.ApprovalTriggers);
        }
    }

    [Fact]
    public void ASuspendedProject_WorksInTheStateItWasSuspendedFrom()
    {
        Assert.Equal("Monitoring", MonitoringPhase.WorkingState(StaperV3, "Suspended", "Monitoring"));
        Assert.Equal("Planning", MonitoringPhase.WorkingState(StaperV3, "Planning", null));
        Assert.True(MonitoringPhase.Of(StaperV3).Applies(MonitoringPhase.WorkingState(StaperV3, "Suspended", "Implementation")));
    }
}
