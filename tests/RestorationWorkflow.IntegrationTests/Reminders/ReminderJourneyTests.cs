using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using RestorationWorkflow.IntegrationTests.Infrastructure;

namespace RestorationWorkflow.IntegrationTests.Reminders;

/// <summary>
/// End to end, with nothing planted in the database: a plan submitted and approved through the API makes its reviews
/// due, the scan reminds the approvers of their decision and the manager of each review, each user reads them through
/// the notifications API, and a review recorded through the API moves the next reminder.
/// </summary>
public sealed class ReminderJourneyTests
{
    private static async Task<List<JsonElement>> NotificationsAsync(HttpClient client, Guid project)
    {
        var page = await (await client.GetAsync("/api/notifications?pageSize=200")).ExpectAsync(HttpStatusCode.OK);
        return [.. page.GetProperty("items").EnumerateArray().Where(n => n.Str("projectId") == project.ToString())];
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task APlanApprovedThroughTheApi_IsRemindedByTheScan_AndAReviewRecordedThroughTheApiMovesTheNextReminder()
    {
        using var app = new ReminderApp();
        var submittedOn = app.Today;
        Guid id;
        using (var pm = await app.ClientForAsync(DemoUsers.Pm))
        using (var approver1 = await app.ClientForAsync(DemoUsers.Approver1))
        {
            id = await pm.CreateProjectWithAsync(SafeguardsApi.ProjectRequest("forest"));
            await pm.ToPlanReviewAsync(approver1, id);
        }

        // The plan gate's decision is due in 30 days: sixteen days on, the scan reminds the approvers, not the manager.
        app.MoveTo(submittedOn.AddDays(16));
        await app.ScanAsync();
        using (var pm = await app.ClientForAsync(DemoUsers.Pm))
        using (var approver1 = await app.ClientForAsync(DemoUsers.Approver1))
        using (var approver2 = await app.ClientForAsync(DemoUsers.Approver2))
        {
            var toApprover = Assert.Single(await NotificationsAsync(approver2, id));
            Assert.Equal("before14", toApprover.Str("stage"));
            Assert.Equal(Day(submittedOn.AddDays(30)), toApprover.Str("dueOn"));
            Assert.Empty(await NotificationsAsync(pm, id));
            await approver1.ApprovePlanAsync(approver2, id);
        }

        // Approved today: the targets' reviews and the plan's review fall due in twelve months (C4's interval). Fourteen
        // days before, the scan reminds the manager of each of them through the API, once however often it runs.
        var approvedOn = app.Today;
        var due = approvedOn.AddMonths(12);
        app.MoveTo(due.AddDays(-14));
        await app.ScanAsync();
        await app.ScanAsync();
        using (var pm = await app.ClientForAsync(DemoUsers.Pm))
        {
            var reminded = await NotificationsAsync(pm, id);
            Assert.Equal(3, reminded.Count); // two targets' monitoring and the plan's review
            Assert.All(reminded, n => Assert.Equal("before14", n.Str("stage")));
            Assert.All(reminded, n => Assert.Equal(Day(due), n.Str("dueOn")));
            Assert.All(reminded, n => Assert.Equal($"/Projects/{id}", n.Str("link")));

            // The manager records the plan's review early, through the API: its next date moves twelve months on.
            var version = (await pm.GetProjectAsync(id)).Number("version");
            var recorded = await (await pm.PostAsJsonAsync($"/api/projects/{id}/monitoring/reviews",
                new { reviewedOn = Day(app.Today), summary = "Plan reviewed with the community.", expectedVersion = version }))
                .ExpectAsync(HttpStatusCode.Created);
            Assert.Equal(Day(app.Today.AddMonths(12)), recorded.Str("nextDueOn"));
        }

        // On the old due date the two targets are due; the plan's review is not, and is not reminded again.
        app.MoveTo(due);
        await app.ScanAsync();
        List<string> dueTitles;
        using (var pm = await app.ClientForAsync(DemoUsers.Pm))
        {
            var onTheDay = (await NotificationsAsync(pm, id)).Where(n => n.Str("stage") == "due").ToList();
            Assert.Equal(2, onTheDay.Count);
            dueTitles = [.. onTheDay.Select(n => n.GetProperty("title").Str("en"))];
        }

        // Fourteen days before the plan's moved date, it is reminded again, for its new date.
        var moved = due.AddDays(-14).AddMonths(12);
        app.MoveTo(moved.AddDays(-14));
        await app.ScanAsync();
        using (var pm = await app.ClientForAsync(DemoUsers.Pm))
        {
            var again = (await NotificationsAsync(pm, id)).Where(n => n.Str("dueOn") == Day(moved)).ToList();
            var plan = Assert.Single(again);
            Assert.Equal("before14", plan.Str("stage"));
            Assert.DoesNotContain(plan.GetProperty("title").Str("en"), dueTitles);
        }
    }
}
