using RestorationWorkflow.Reminders;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.UnitTests.Projects.Evaluations;

/// <summary>After closure a project's targets stay due (the seed's D2: monitoring goes on) until the last target's horizon.</summary>
public sealed class AfterClosureTests
{
    private static readonly Guid Biomass = Guid.Parse("00000000-0000-0000-0000-000000000001");
    private static readonly Guid Jobs = Guid.Parse("00000000-0000-0000-0000-000000000002");

    private static TargetDueFacts Target(Guid id, string deadline, int months, string? lastReview) =>
        new(id, new LocalizedText("x", "x"), DateOnly.Parse(deadline, System.Globalization.CultureInfo.InvariantCulture), months,
            lastReview is null ? null : DateOnly.Parse(lastReview, System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public void ReviewsStayDue_UntilTheLastTargetsDeadline_ThenStop()
    {
        var from = new DateOnly(2027, 1, 10);
        // Jobs' deadline passed and was reviewed after it; biomass runs to 2031-06-30, reviewed every 12 months.
        var targets = new[] { Target(Biomass, "2031-06-30", 12, "2030-07-01"), Target(Jobs, "2029-12-31", 24, "2030-01-15") };

        var items = DuePlan.AfterClosure(targets, from).ToList();
        Assert.Equal(new DateOnly(2031, 6, 30), DuePlan.Horizon(targets));
        // Biomass: next review 2031-07-01 is after the horizon: not reminded; its deadline still is.
        Assert.DoesNotContain(items, i => i.Key == DueItemKeys.TargetMonitoring(Biomass));
        Assert.Contains(items, i => i.Key == DueItemKeys.TargetDeadline(Biomass) && i.DueOn == new DateOnly(2031, 6, 30));
        // Jobs: its next review (2032-01-15) is past the horizon too, and its deadline was settled by the review after it.
        Assert.DoesNotContain(items, i => i.SourceId == Jobs);

        // One review earlier, biomass's next one (2030-07-01) falls before the horizon: reminded.
        var earlier = DuePlan.AfterClosure([Target(Biomass, "2031-06-30", 12, "2029-07-01"), targets[1]], from).ToList();
        Assert.Contains(earlier, i => i.Key == DueItemKeys.TargetMonitoring(Biomass) && i.DueOn == new DateOnly(2030, 7, 1));
        Assert.Empty(DuePlan.AfterClosure([], from));
    }
}
