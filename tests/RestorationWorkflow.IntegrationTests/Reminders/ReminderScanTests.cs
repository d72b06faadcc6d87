using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RestorationWorkflow.IntegrationTests.Infrastructure;
using RestorationWorkflow.Reminders;
using RestorationWorkflow.Web.Features.Reminders.Delivery;

namespace RestorationWorkflow.IntegrationTests.Reminders;

/// <summary>
/// The scan with a fake clock: each stage of a due item is reminded once, at its moment, to its audience; re-runs and
/// concurrent runs send nothing twice; a scan after a long pause sends the latest stage only.
/// </summary>
public sealed class ReminderScanTests
{
    [Fact]
    public async Task ASixMonthTarget_IsRemindedBeforeOnAndAfterItsDueDate_ExactlyOnceEach()
    {
        using var app = new ReminderApp();
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        var project = await pm.CreateProjectAsync("Six-monthly canopy monitoring");
        var pmId = await app.UserIdAsync(DemoUsers.Pm);
        // The target's next review: six months from today (its monitoring frequency).
        var due = app.Today.AddMonths(6);
        var item = await app.AddDueItemAsync(project, due);

        // Each day the scan runs (twice, as re-runs and retries do) and what it must have sent by then.
        (DateOnly Day, string[] Sent)[] days =
        [
            (app.Today, []),
            (due.AddDays(-15), []),
            (due.AddDays(-14), ["before14"]),
            (due.AddDays(-13), ["before14"]),
            (due.AddDays(-4), ["before14"]),
            (due.AddDays(-3), ["before14", "before3"]),
            (due.AddDays(-1), ["before14", "before3"]),
            (due, ["before14", "before3", "due"]),
            (due.AddDays(1), ["before14", "before3", "due", "overdue"]),
            (due.AddDays(6), ["before14", "before3", "due", "overdue"]),
        ];
        foreach (var (day, expected) in days)
        {
            app.MoveTo(day);
            await app.ScanAsync();
            await app.ScanAsync();
            Assert.Equal(expected, (await app.SentAsync(item)).Select(s => s.Stage));
            // The server runs the delivery jobs the scans enqueued.
            Assert.All(await app.DeliverEnqueuedAsync(), r => Assert.Equal(ReminderEmailDelivery.Outcome.Sent, r.Outcome));
        }

        // One notification per stage, to the project's manager alone, each titled in both languages and linking its page.
        Assert.Equal(["before14", "before3", "due", "overdue"], (await app.NotifiedAsync(item)).Select(n => n.Stage));
        Assert.All(await app.NotifiedAsync(item), n => Assert.Equal(pmId, n.UserId));
        var notifications = await app.WithDbAsync(db => db.Notifications.AsNoTracking().Where(n => n.ProjectId == project).OrderBy(n => n.CreatedAt).ToListAsync());
        Assert.Equal("Due in 14 days: Monitoring review of the canopy-cover target — Six-monthly canopy monitoring", notifications[0].TitleEn.Split(" (")[0]);
        Assert.StartsWith("14 天后到期：Monitoring review of the canopy-cover target（中文）", notifications[0].TitleZh, StringComparison.Ordinal);
        Assert.All(notifications, n => Assert.Equal($"/Projects/{project}", n.Link));
        Assert.All(notifications, n => Assert.Equal(due, n.DueOn));
        // One outbox row, one delivery job and one message per notification: re-runs enqueued and sent nothing twice.
        var emails = await app.WithDbAsync(db => db.ReminderEmails.AsNoTracking().Where(e => e.UserId == pmId).ToListAsync());
        Assert.Equal(4, emails.Count);
        Assert.All(emails, e => Assert.Equal(ReminderEmailStatus.Sent, e.Status));
        Assert.Equal(emails.Select(e => e.Id).Order(), app.Jobs.DeliveryIds.Order());
        Assert.Equal(4, ReminderEmailTests.Pickup(app).Count);
    }

    [Fact]
    public async Task AScanAfterAPause_SendsTheLatestStageOnly_AndAMovedDueDateIsRemindedAgain()
    {
        using var app = new ReminderApp();
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        var project = await pm.CreateProjectAsync("Paused scan");
        var item = await app.AddDueItemAsync(project, app.Today.AddDays(10));

        // Nothing ran for two weeks: the item went past before14, before3, due and overdue meanwhile.
        app.MoveTo(app.Today.AddDays(12));
        await app.ScanAsync();
        Assert.Equal(["overdue"], (await app.SentAsync(item)).Select(s => s.Stage));

        // The review was moved (a new due date): its stages are reminded again, keyed by the new date.
        app.Time.Advance(TimeSpan.FromHours(1));
        var moved = app.Today.AddDays(3);
        await app.WithDbAsync(async db =>
        {
            var row = await db.DueItems.SingleAsync(d => d.Id == item);
            row.Reschedule(moved, row.Title, app.Time.GetUtcNow());
            return await db.SaveChangesAsync();
        });
        await app.ScanAsync();
        var sent = await app.SentAsync(item);
        Assert.Equal(["overdue", "before3"], sent.Select(s => s.Stage));
        Assert.Equal(moved, sent[1].DueOn);
        Assert.Equal(SentReminder.KeyFor(item, "before3", moved), sent[1].Key);
    }

    [Fact]
    public async Task AnItemWhoseEscalationWentOut_IsSettled_AndNoLongerRead_UntilItsDateMoves()
    {
        using var app = new ReminderApp();
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        var project = await pm.CreateProjectAsync("Settled reminders");
        var source = Guid.NewGuid();
        var item = await app.AddDueItemAsync(project, app.Today, sourceId: source);
        var other = await app.AddDueItemAsync(project, app.Today, DueItemKinds.TargetDeadline, "Deadline of the jobs target");
        bool Settled(Guid id) => app.WithDbAsync(db => db.DueItems.Where(d => d.Id == id).Select(d => d.Settled).SingleAsync()).GetAwaiter().GetResult();

        // Overdue: read and reminded, not settled (escalation is still to come).
        app.MoveTo(app.Today.AddDays(1));
        var overdue = await app.ScanAsync();
        Assert.Equal(2, overdue.ItemsRead);
        Assert.False(Settled(item));

        // Another scan sent the second item's escalation already (another node): this scan sends nothing for it but
        // settles it too.
        var escalationDay = app.Today.AddDays(6);
        await app.WithDbAsync(async db =>
        {
            db.SentReminders.Add(SentReminder.Create(SentReminder.KeyFor(other, ReminderStages.Escalation, escalationDay.AddDays(-7)), other, project,
                ReminderStages.Escalation, escalationDay.AddDays(-7), app.Time.GetUtcNow()));
            return await db.SaveChangesAsync();
        });
        app.MoveTo(escalationDay);
        var escalated = await app.ScanAsync();
        Assert.Equal(2, escalated.ItemsRead);
        Assert.Equal(1, escalated.Reminders);
        Assert.Equal(["overdue", "escalation"], (await app.SentAsync(item)).Select(s => s.Stage));
        Assert.True(Settled(item));
        Assert.True(Settled(other));

        // Settled items cost the scan nothing from then on.
        app.MoveTo(app.Today.AddDays(1));
        Assert.Equal(0, (await app.ScanAsync()).ItemsRead);

        // A new date unsettles the item: its reminders start again.
        var moved = app.Today.AddDays(3);
        Assert.Equal(item, await app.AddDueItemAsync(project, moved, sourceId: source));
        Assert.False(Settled(item));
        var again = await app.ScanAsync();
        Assert.Equal(1, again.ItemsRead);
        Assert.Equal(["overdue", "escalation", "before3"], (await app.SentAsync(item)).Select(s => s.Stage));
    }

    [Fact]
    public async Task Escalation_At7DaysOverdue_ReachesTheApproversOffTheTeamAndTheAdministrators_NotLockedOrTeamApprovers()
    {
        using var app = new ReminderApp();
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        var project = await pm.CreateProjectAsync("Escalated wetland");
        // approver2 works on the project's team; approver3 is locked out.
        await (await pm.PostAsJsonAsync($"/api/projects/{project}/team", new { email = DemoUsers.Approver2, role = "member", expectedVersion = 1 }))
            .ExpectAsync(HttpStatusCode.OK);
        var approver3 = await (await admin.PostAsJsonAsync("/api/admin/users", new
        {
            email = "approver3@example.org", displayName = "Approver three", password = AppFactory.DemoPassword, roles = new[] { "Approver" },
        })).ExpectAsync(HttpStatusCode.Created);
        await (await admin.PostAsync($"/api/admin/users/{approver3.Str("id")}/lock", null)).ExpectAsync(HttpStatusCode.OK);

        var item = await app.AddDueItemAsync(project, app.Today.AddDays(-6), DueItemKinds.TargetDeadline, "Deadline of the water-table target");
        await app.ScanAsync();
        app.MoveTo(app.Today.AddDays(1));
        await app.ScanAsync();
        await app.ScanAsync();

        var ids = new Dictionary<string, string>();
        foreach (var email in new[] { DemoUsers.Pm, DemoUsers.Pm2, DemoUsers.Approver1, DemoUsers.Approver2, DemoUsers.Auditor, DemoUsers.Admin })
            ids[await app.UserIdAsync(email)] = email;
        ids[approver3.Str("id")] = "approver3@example.org";
        var notified = (await app.NotifiedAsync(item)).Select(n => (n.Stage, Email: ids[n.UserId])).ToList();
        Assert.Equal(
            [("overdue", DemoUsers.Pm), ("escalation", DemoUsers.Admin), ("escalation", DemoUsers.Approver1), ("escalation", DemoUsers.Pm)],
            notified.OrderBy(n => n.Stage == "escalation").ThenBy(n => n.Email, StringComparer.Ordinal).ToList());
        var escalation = await app.WithDbAsync(db => db.Notifications.AsNoTracking().FirstAsync(n => n.Stage == "escalation"));
        Assert.StartsWith("Overdue by 7 days or more — escalated: Deadline of the water-table target", escalation.TitleEn, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnApprovalDecision_RemindsWhoMayDecideIt_NotTheSubmitterOrTheTeam()
    {
        using var app = new ReminderApp();
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        var project = await pm.CreateProjectAsync("Consent awaited");
        var version = await pm.FireAsync(project, "StartAssessment", 1);
        version = await pm.CompleteStepsAsync(project, ProjectsApi.AssessmentSteps, version);
        await (await pm.PostAsJsonAsync($"/api/projects/{project}/team", new { email = DemoUsers.Approver2, role = "member", expectedVersion = version }))
            .ExpectAsync(HttpStatusCode.OK);
        await pm.FireAsync(project, "SubmitAssessment", version + 1);
        var request = (await pm.OpenRequestAsync(project, "consent")).GetProperty("id").GetGuid();

        var item = await app.AddDueItemAsync(project, app.Today.AddDays(3), DueItemKinds.ApprovalDecision, "Decision on the consent review", request);
        await app.ScanAsync();

        var approver1 = await app.UserIdAsync(DemoUsers.Approver1);
        Assert.Equal([("before3", approver1)], await app.NotifiedAsync(item));
    }

    [Fact]
    public async Task TwoScansAtOnce_SendEachReminderOnce()
    {
        using var app = new ReminderApp(extra: new Dictionary<string, string?> { ["Reminders:PageSize"] = "10" });
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        using var pm2 = await app.ClientForAsync(DemoUsers.Pm2);
        var projects = new[] { await pm.CreateProjectAsync("Concurrent A"), await pm.CreateProjectAsync("Concurrent B"), await pm2.CreateProjectAsync("Concurrent C") };
        var items = new List<Guid>();
        for (var i = 0; i < 60; i++)
            items.Add(await app.AddDueItemAsync(projects[i % 3], app.Today.AddDays(i % 5 == 0 ? 0 : 3), title: $"Item {i}"));

        var results = await Task.WhenAll(app.ScanAsync(), app.ScanAsync(), app.ScanAsync());

        Assert.Equal(60, results.Sum(r => r.Reminders));
        foreach (var item in items)
            Assert.Single(await app.SentAsync(item));
        var notifications = await app.WithDbAsync(db => db.Notifications.CountAsync());
        Assert.Equal(60, notifications);
        Assert.Equal(60, await app.WithDbAsync(db => db.ReminderEmails.CountAsync()));
        Assert.Equal(60, app.Jobs.DeliveryIds.Distinct().Count());
        Assert.Equal(60, app.Jobs.DeliveryIds.Count);
    }

    [Fact]
    public async Task EmailOff_StoresTheNotificationOnly_AndTheDailyDigestSendsHeldRemindersInOneMessage()
    {
        using var app = new ReminderApp();
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        using var pm2 = await app.ClientForAsync(DemoUsers.Pm2);
        var digestProject = await pm.CreateProjectAsync("Digest project");
        var quietProject = await pm2.CreateProjectAsync("Quiet project");
        await app.WithDbAsync(async db =>
        {
            (await db.Users.SingleAsync(u => u.Email == DemoUsers.Pm)).DailyDigest = true;
            (await db.Users.SingleAsync(u => u.Email == DemoUsers.Pm2)).EmailReminders = false;
            return await db.SaveChangesAsync();
        });
        await app.AddDueItemAsync(digestProject, app.Today.AddDays(3), title: "First digest line");
        await app.AddDueItemAsync(digestProject, app.Today, title: "Second digest line");
        await app.AddDueItemAsync(quietProject, app.Today, title: "Quiet line");

        await app.ScanAsync();
        var pmId = await app.UserIdAsync(DemoUsers.Pm);
        var pm2Id = await app.UserIdAsync(DemoUsers.Pm2);
        Assert.Equal(1, await app.WithDbAsync(db => db.Notifications.CountAsync(n => n.UserId == pm2Id)));
        Assert.Equal(0, await app.WithDbAsync(db => db.ReminderEmails.CountAsync(e => e.UserId == pm2Id)));
        Assert.Equal(2, await app.WithDbAsync(db => db.ReminderEmails.CountAsync(e => e.UserId == pmId && e.Status == ReminderEmailStatus.HeldForDigest)));
        Assert.Empty(app.Jobs.DeliveryIds);

        await using (var scope = app.Scope())
            Assert.Equal(1, await scope.ServiceProvider.GetRequiredService<DailyDigest>().SendAllAsync(CancellationToken.None));
        await using (var scope = app.Scope())
            Assert.Equal(0, await scope.ServiceProvider.GetRequiredService<DailyDigest>().SendAllAsync(CancellationToken.None));

        var message = Assert.Single(ReminderEmailTests.Pickup(app));
        Assert.Equal(DemoUsers.Pm, message.To.Mailboxes.Single().Address);
        Assert.Equal("Your reminders of the day: 2", message.Subject);
        Assert.Contains("First digest line", message.TextBody, StringComparison.Ordinal);
        Assert.Contains("Second digest line", message.TextBody, StringComparison.Ordinal);
        Assert.Equal(2, await app.WithDbAsync(db => db.ReminderEmails.CountAsync(e => e.UserId == pmId && e.Status == ReminderEmailStatus.Sent)));
    }

    [Fact]
    public async Task WeeklyDigest_ListsLongOverdueItems_OncePerApproverAndAdministratorPerIsoWeek()
    {
        using var app = new ReminderApp();
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        var project = await pm.CreateProjectAsync("Long overdue");
        await (await pm.PostAsJsonAsync($"/api/projects/{project}/team", new { email = DemoUsers.Approver2, role = "member", expectedVersion = 1 }))
            .ExpectAsync(HttpStatusCode.OK);
        await app.AddDueItemAsync(project, app.Today.AddDays(-45), DueItemKinds.PlanReview, "Review of the plan");
        await app.AddDueItemAsync(project, app.Today.AddDays(-29), title: "Not yet thirty days");

        Assert.Equal(2, await WeeklyAsync(app));
        Assert.Equal(0, await WeeklyAsync(app));
        var admin = await app.UserIdAsync(DemoUsers.Admin);
        var approver1 = await app.UserIdAsync(DemoUsers.Approver1);
        var digests = await app.WithDbAsync(db => db.Notifications.AsNoTracking().Where(n => n.Stage == ReminderTexts.WeeklyDigestStage).ToListAsync());
        Assert.Equal(new[] { admin, approver1 }.Order(StringComparer.Ordinal), digests.Select(d => d.UserId).Order(StringComparer.Ordinal));
        Assert.All(digests, d => Assert.Equal("Weekly digest: 1 item overdue by 30 days or more", d.TitleEn));
        Assert.Contains(WeeklyDigest.KeyFor(app.Today, admin), await app.WithDbAsync(db => db.SentReminders.Select(s => s.Key).ToListAsync()));

        await app.DeliverEnqueuedAsync();
        var messages = ReminderEmailTests.Pickup(app);
        Assert.Equal(2, messages.Count);
        Assert.All(messages, m => Assert.Contains("Review of the plan — Long overdue", m.TextBody, StringComparison.Ordinal));
        Assert.All(messages, m => Assert.DoesNotContain("Not yet thirty days", m.TextBody, StringComparison.Ordinal));

        // Next ISO week: a new digest each.
        app.MoveTo(app.Today.AddDays(7));
        Assert.Equal(2, await WeeklyAsync(app));
    }

    private static async Task<int> WeeklyAsync(ReminderApp app)
    {
        await using var scope = app.Scope();
        return await scope.ServiceProvider.GetRequiredService<WeeklyDigest>().CreateAllAsync(CancellationToken.None);
    }
}
