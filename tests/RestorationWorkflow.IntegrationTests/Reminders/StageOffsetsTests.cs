using RestorationWorkflow.Reminders;
using RestorationWorkflow.Web.Features.Reminders.Delivery;

namespace RestorationWorkflow.IntegrationTests.Reminders;

/// <summary>The scan's allocation-free stage lookup answers what <see cref="ReminderSchedule.Reached"/> answers.</summary>
public sealed class StageOffsetsTests
{
    [Theory]
    [InlineData(new[] { 14, 3 }, 7)]
    [InlineData(new[] { 30, 7, 1 }, 10)]
    [InlineData(new int[0], 2)]
    public void Reached_IsTheSchedules(int[] beforeDue, int escalation)
    {
        var thresholds = new ReminderThresholds { BeforeDueDays = beforeDue, EscalationDays = escalation };
        var offsets = StageOffsets.Of(thresholds);
        var due = new DateOnly(2027, 2, 27);
        for (var day = due.AddDays(-40); day <= due.AddDays(40); day = day.AddDays(1))
            Assert.Equal(ReminderSchedule.Reached(due, day, thresholds)?.Stage, offsets.Reached(due, day));
    }
}
