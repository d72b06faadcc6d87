using RestorationWorkflow.Reminders;
using RestorationWorkflow.Workflows;
using static RestorationWorkflow.UnitTests.TestSupport.TestWorkflows;

namespace RestorationWorkflow.UnitTests.Reminders;

/// <summary>What becomes due, pure: next reviews from the latest review (a late one moves the next), deadlines until met, the diff by key.</summary>
public sealed class DuePlanTests
{
    private static readonly DateTimeOffset Now = new(2027, 5, 10, 8, 0, 0, TimeSpan.Zero);
    private static readonly Guid ProjectId = Guid.Parse("0193a000-0000-7000-8000-000000000001");
    private static readonly Guid TargetId = Guid.Parse("0193a000-0000-7000-8000-0000000000aa");
    private static readonly LocalizedText Biomass = new("Vegetation biomass", "植被生物量");

    private static TargetDueFacts Target(DateOnly? lastReview, int months = 6, string deadline = "2030-12-31") =>
        new(TargetId, Biomass, DateOnly.Parse(deadline, System.Globalization.CultureInfo.InvariantCulture), months, lastReview);

    [Fact]
    public void NextReview_IsOneIntervalAfterTheLatestReview_ElseAfterMonitoringStarted()
    {
        var approved = new DateOnly(2026, 9, 15);
        Assert.Equal(new DateOnly(2027, 3, 15), DuePlan.NextReview(null, approved, 6));
        // Reviewed two months late: the next one is six months after the review, not after the missed date.
        Assert.Equal(new DateOnly(2027, 11, 20), DuePlan.NextReview(new DateOnly(2027, 5, 20), approved, 6));
        Assert.Throws<ArgumentOutOfRangeException>(() => DuePlan.NextReview(null, approved, 0));
    }

    [Fact]
    public void ATarget_HasItsDeadlineAlways_ItsMonitoringOnlyOnceMonitoringStarted_AndTheDeadlineGoesWhenReviewedOnOrAfterIt()
    {
        var before = DuePlan.ForTargets([Target(null)], monitoringFrom: null).ToList();
        var deadline = Assert.Single(before);
        Assert.Equal((DueItemKinds.TargetDeadline, $"targetDeadline:{TargetId}", TargetId, new DateOnly(2030, 12, 31)), (deadline.Kind, deadline.Key, deadline.SourceId, deadline.DueOn));
        Assert.Equal("Deadline of the target “Vegetation biomass”", deadline.Title.En);
        Assert.Equal("目标“植被生物量”的期限", deadline.Title.ZhHans);

        var after = DuePlan.ForTargets([Target(null)], new DateOnly(2026, 9, 15)).ToDictionary(i => i.Kind);
        Assert.Equal(new DateOnly(2027, 3, 15), after[DueItemKinds.TargetMonitoring].DueOn);
        Assert.Equal($"targetMonitoring:{TargetId}", after[DueItemKinds.TargetMonitoring].Key);

        var met = DuePlan.ForTargets([Target(new DateOnly(2030, 12, 31))], new DateOnly(2026, 9, 15)).ToList();
        Assert.Equal([DueItemKinds.TargetMonitoring], met.Select(i => i.Kind));
    }

    [Fact]
    public void ThePlanReview_NeedsAnIntervalAndAnApprovedPlan()
    {
        Assert.Null(DuePlan.ForPlanReview(null, null, new DateOnly(2026, 9, 15)));
        Assert.Null(DuePlan.ForPlanReview(12, null, null));
        var review = DuePlan.ForPlanReview(12, new DateOnly(2027, 10, 1), new DateOnly(2026, 9, 15))!;
        Assert.Equal((DueItemKinds.PlanReview, "planReview", (Guid?)null, new DateOnly(2028, 10, 1)), (review.Kind, review.Key, review.SourceId, review.DueOn));
    }

    [Fact]
    public void OnlyPermittingConsentsWithADate_AreDue()
    {
        var granted = Guid.NewGuid();
        var items = DuePlan.ForConsents(
        [
            new ConsentDueFacts(granted, "Ogiek community", "conditional", new DateOnly(2027, 4, 2)),
            new ConsentDueFacts(Guid.NewGuid(), "Ogiek community", "granted", null),
            new ConsentDueFacts(Guid.NewGuid(), "Ogiek community", "withdrawn", new DateOnly(2027, 4, 2)),
            new ConsentDueFacts(Guid.NewGuid(), "Ogiek community", "withheld", new DateOnly(2027, 4, 2)),
        ]).ToList();
        var item = Assert.Single(items);
        Assert.Equal($"consentRenewal:{granted}", item.Key);
        Assert.Contains("Ogiek community", item.Title.En, StringComparison.Ordinal);
    }

    [Fact]
    public void TheStepWindow_IsDueWhenTheWindowEnds()
    {
        var implementation = StaperV3.GetState("Implementation");
        var item = DuePlan.ForStepWindow(new StepWindowDueFacts(implementation.Label, implementation.Window!, new DateOnly(2026, 3, 1)))!;
        Assert.Equal((DueItemKinds.StepWindow, "stepWindow", new DateOnly(2032, 3, 1)), (item.Kind, item.Key, item.DueOn));
        Assert.Contains("year 6", item.Title.En, StringComparison.Ordinal);
        Assert.Null(DuePlan.ForStepWindow(null));
    }

    [Fact]
    public void Diff_AddsNewKeys_ReschedulesMovedOnes_RemovesVanishedOnes_AndLeavesEqualOnesUntouched()
    {
        var earlier = Now.AddDays(-30);
        var same = DueItem.Create(ProjectId, DueItemKinds.PlanReview, "planReview", null, new DateOnly(2028, 1, 1), new LocalizedText("Plan", "计划"), earlier);
        var moved = DueItem.Create(ProjectId, DueItemKinds.TargetMonitoring, "targetMonitoring:a", null, new DateOnly(2027, 6, 1), new LocalizedText("A", "A"), earlier);
        var gone = DueItem.Create(ProjectId, DueItemKinds.TargetDeadline, "targetDeadline:a", null, new DateOnly(2030, 1, 1), new LocalizedText("A", "A"), earlier);
        PlannedDueItem[] planned =
        [
            new(DueItemKinds.PlanReview, "planReview", null, new DateOnly(2028, 1, 1), new LocalizedText("Plan", "计划")),
            new(DueItemKinds.TargetMonitoring, "targetMonitoring:a", null, new DateOnly(2027, 12, 1), new LocalizedText("A", "A")),
            new(DueItemKinds.ApprovalDecision, "approvalDecision:r", null, new DateOnly(2027, 6, 9), new LocalizedText("R", "R")),
        ];

        var diff = DuePlan.Diff(ProjectId, [same, moved, gone], planned, Now);

        Assert.Equal(["approvalDecision:r"], diff.Added.Select(d => d.Key));
        Assert.Equal(ProjectId, diff.Added[0].ProjectId);
        Assert.Equal([gone], diff.Removed);
        Assert.Equal(1, diff.Rescheduled);
        Assert.Equal((new DateOnly(2027, 12, 1), Now), (moved.DueOn, moved.UpdatedAt));
        Assert.Equal(earlier, same.UpdatedAt);

        var again = DuePlan.Diff(ProjectId, [same, moved, diff.Added[0]], planned, Now.AddDays(1));
        Assert.True(again.IsEmpty);
    }
}
