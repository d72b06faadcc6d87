using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.IntegrationTests.Infrastructure;
using RestorationWorkflow.Reminders;

namespace RestorationWorkflow.IntegrationTests.Reminders;

/// <summary>
/// A restart: a second host on the first one's SQLite file (its in-memory job queue gone) sends nothing twice,
/// catches up what fell due meanwhile, and enqueues again the e-mails whose jobs were lost.
/// </summary>
/// <remarks>SQLite only: the in-memory job queue and the shared file are SQLite's (PostgreSQL keeps the queue in the database).</remarks>
[Trait(TestDatabase.Trait, TestDatabase.SqliteOnly)]
public sealed class ReminderRestartTests
{
    [Fact]
    public async Task ANewHostOnTheSameDatabase_SendsNothingTwice_CatchesUp_AndReenqueuesLostEmails()
    {
        var root = Path.Combine(Path.GetTempPath(), "rw-tests", "restart-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        try
        {
            Guid project, early, late;
            Guid lostEmail;
            DateOnly due;
            using (var first = new ReminderApp(sharedRoot: root))
            {
                using var pm = await first.ClientForAsync(DemoUsers.Pm);
                project = await pm.CreateProjectAsync("Across a restart");
                due = first.Today.AddDays(14);
                early = await first.AddDueItemAsync(project, due, title: "Due in a fortnight");
                await first.ScanAsync();
                Assert.Equal(["before14"], (await first.SentAsync(early)).Select(s => s.Stage));
                // The host stops before its delivery job ran: with an in-memory queue the job is gone.
                lostEmail = Assert.Single(first.Jobs.DeliveryIds);
            }
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

            // Eleven days later another host starts on the same file.
            using var second = new ReminderApp(sharedRoot: root, start: ReminderApp.Start.AddDays(11));
            late = await second.AddDueItemAsync(project, second.Today.AddDays(-2), title: "Fell due while down");
            var result = await second.ScanAsync();
            await second.ScanAsync();

            Assert.Equal(["before14", "before3"], (await second.SentAsync(early)).Select(s => s.Stage));
            Assert.Equal(["overdue"], (await second.SentAsync(late)).Select(s => s.Stage));
            Assert.Equal(2, result.Reminders);
            Assert.Equal(1, result.Reenqueued);
            Assert.Contains(lostEmail, second.Jobs.DeliveryIds);
            Assert.Equal(3, second.Jobs.DeliveryIds.Count);

            // Every e-mail goes out once; a further scan neither reminds nor re-enqueues anything.
            Assert.All(await second.DeliverEnqueuedAsync(), r => Assert.Equal(Web.Features.Reminders.Delivery.ReminderEmailDelivery.Outcome.Sent, r.Outcome));
            Assert.Equal(3, ReminderEmailTests.Pickup(second).Count);
            second.Time.Advance(TimeSpan.FromHours(2));
            var again = await second.ScanAsync();
            Assert.Equal((0, 0), (again.Reminders, again.Reenqueued));
            Assert.Equal(3, await second.WithDbAsync(db => db.ReminderEmails.CountAsync(e => e.Status == ReminderEmailStatus.Sent)));
            Assert.Equal(due, (await second.SentAsync(early))[1].DueOn);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
