using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.IntegrationTests.Infrastructure;
using RestorationWorkflow.Reminders;

namespace RestorationWorkflow.IntegrationTests.Reminders;

/// <summary>
/// A project stored before due items existed (revision 0, no items) is planned in full by the next scan — the same items
/// the command path plans — and reminded from that scan on; projects already planned are left alone.
/// </summary>
public sealed class DueItemBackfillTests
{
    [Fact]
    public async Task AProjectFromBeforeDueItems_IsPlannedByTheNextScan_AsTheCommandsWouldHave_AndOnlyOnce()
    {
        using var app = new ReminderApp();
        Guid old, current;
        using (var pm = await app.ClientForAsync(DemoUsers.Pm))
        using (var approver1 = await app.ClientForAsync(DemoUsers.Approver1))
        using (var approver2 = await app.ClientForAsync(DemoUsers.Approver2))
        {
            old = await pm.CreateProjectWithAsync(SafeguardsApi.ProjectRequest("forest"));
            await pm.ToPlanReviewAsync(approver1, old);
            await approver1.ApprovePlanAsync(approver2, old);
            current = await pm.CreateProjectWithAsync(SafeguardsApi.ProjectRequest("wetland"));
        }
        var planned = await ItemsAsync(app, old);
        Assert.Contains(planned, i => i.Kind == DueItemKinds.TargetMonitoring);
        Assert.Contains(planned, i => i.Kind == DueItemKinds.PlanReview);
        var currentItems = await ItemsAsync(app, current);

        // As if stored before reminders: no due items, revision 0.
        var version = await app.WithDbAsync(async db =>
        {
            await db.DueItems.Where(d => d.ProjectId == old).ExecuteDeleteAsync();
            await db.Projects.Where(p => p.Id == old).ExecuteUpdateAsync(s => s.SetProperty(p => p.DuePlanRevision, 0));
            return await db.Projects.Where(p => p.Id == old).Select(p => p.Version).SingleAsync();
        });

        var first = await app.ScanAsync();
        Assert.Equal(1, first.Backfilled);
        Assert.Equal(planned, await ItemsAsync(app, old));
        Assert.Equal(currentItems, await ItemsAsync(app, current));
        var (revision, versionAfter) = await app.WithDbAsync(db => db.Projects.Where(p => p.Id == old).Select(p => new { p.DuePlanRevision, p.Version })
            .SingleAsync().ContinueWith(t => (t.Result.DuePlanRevision, t.Result.Version), TaskScheduler.Default));
        Assert.Equal(DuePlan.Revision, revision);
        // Bookkeeping, not content: the project's version (and so its audit chain) is untouched.
        Assert.Equal(version, versionAfter);

        // Reminded from then on: fourteen days before the reviews fall due, the scan reminds the manager.
        var due = planned.Where(i => i.Kind == DueItemKinds.PlanReview).Select(i => i.DueOn).Single();
        app.MoveTo(due.AddDays(-14));
        var later = await app.ScanAsync();
        Assert.Equal(0, later.Backfilled);
        var reminded = await app.WithDbAsync(db => db.Notifications.CountAsync(n => n.ProjectId == old && n.Stage == "before14"));
        Assert.Equal(planned.Count(i => i.DueOn == due), reminded);
    }

    private static Task<List<(string Key, string Kind, DateOnly DueOn)>> ItemsAsync(ReminderApp app, Guid project) =>
        app.WithDbAsync(async db => (await db.DueItems.AsNoTracking().Where(d => d.ProjectId == project).ToListAsync())
            .Select(d => (d.Key, d.Kind, d.DueOn)).OrderBy(d => d.Key, StringComparer.Ordinal).ToList());
}
