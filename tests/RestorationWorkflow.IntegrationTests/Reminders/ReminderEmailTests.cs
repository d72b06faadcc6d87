using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Hangfire;
using Hangfire.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using RestorationWorkflow.IntegrationTests.Infrastructure;
using RestorationWorkflow.Reminders;
using RestorationWorkflow.Web.Features.Reminders.Delivery;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace RestorationWorkflow.IntegrationTests.Reminders;

/// <summary>Delivery: the pickup folder's .eml files, the recipient's language, SMTP failures and retries, duplicate jobs.</summary>
public sealed class ReminderEmailTests
{
    /// <summary>Every .eml in the app's pickup folder, parsed with MimeKit, oldest first.</summary>
    public static IReadOnlyList<MimeMessage> Pickup(ReminderApp app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (!Directory.Exists(app.PickupFolder))
            return [];
        Assert.Empty(Directory.GetFiles(app.PickupFolder, "*.tmp"));
        return [.. Directory.GetFiles(app.PickupFolder, "*.eml").Order(StringComparer.Ordinal).Select(f => MimeMessage.Load(f))];
    }

    [Fact]
    public async Task WithoutSmtp_EachMessageIsAnEmlFile_PlainTextAndEncodedHtml_LinkingTheProjectPage()
    {
        using var app = new ReminderApp();
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        var project = await pm.CreateProjectAsync("Rivers <b>&</b> wetlands");
        await app.AddDueItemAsync(project, app.Today.AddDays(3), title: "Monitoring review of <target> & co");
        await app.ScanAsync();

        var outcome = Assert.Single(await app.DeliverEnqueuedAsync());
        Assert.Equal(ReminderEmailDelivery.Outcome.Sent, outcome.Outcome);
        var message = Assert.Single(Pickup(app));
        Assert.Equal(DemoUsers.Pm, message.To.Mailboxes.Single().Address);
        Assert.StartsWith("Due in 3 days: Monitoring review of <target> & co — Rivers <b>&</b> wetlands", message.Subject, StringComparison.Ordinal);
        var link = $"https://restoration.example.org/Projects/{project}";
        Assert.Contains(link, message.TextBody, StringComparison.Ordinal);
        Assert.Contains("Monitoring review of <target> & co", message.TextBody, StringComparison.Ordinal);
        Assert.Contains($"href=\"{link}\"", message.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("Monitoring review of &lt;target&gt; &amp; co", message.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>&</b>", message.HtmlBody, StringComparison.Ordinal);
        Assert.Contains(app.Today.AddDays(3).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), message.TextBody, StringComparison.Ordinal);

        var row = await app.WithDbAsync(db => db.ReminderEmails.AsNoTracking().SingleAsync());
        Assert.Equal(ReminderEmailStatus.Sent, row.Status);
        Assert.Equal(app.Time.GetUtcNow(), row.SentAt);
        Assert.Equal(1, row.Attempts);

        // The same job again (a duplicate, a retry after a crash): the row is sent, nothing leaves twice.
        Assert.Equal(ReminderEmailDelivery.Outcome.NothingToDo, (await app.DeliverAsync(row.Id)).Outcome);
        Assert.Single(Pickup(app));
    }

    [Fact]
    public async Task AChineseSpeakingUser_GetsTheMessageInChinese()
    {
        using var app = new ReminderApp();
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        var project = await pm.CreateProjectAsync("黄河湿地恢复");
        await app.WithDbAsync(async db =>
        {
            (await db.Users.SingleAsync(u => u.Email == DemoUsers.Pm)).PreferredLanguage = "zh-Hans";
            return await db.SaveChangesAsync();
        });
        await app.AddDueItemAsync(project, app.Today.AddDays(-1), title: "Canopy review");
        await app.ScanAsync();
        await app.DeliverEnqueuedAsync();

        var message = Assert.Single(Pickup(app));
        Assert.StartsWith("已逾期：Canopy review（中文） — 黄河湿地恢复（", message.Subject, StringComparison.Ordinal);
        Assert.Contains("您好", message.TextBody, StringComparison.Ordinal);
        Assert.Contains("到期日", message.TextBody, StringComparison.Ordinal);
        Assert.Contains("lang=\"zh-Hans\"", message.HtmlBody, StringComparison.Ordinal);
        Assert.Equal("zh-Hans", message.Body!.Headers[HeaderId.ContentLanguage]);
        Assert.DoesNotContain("Hello", message.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SmtpUnreachable_TheJobThrowsAndTheRowKeepsItsAttempts_ThenAWorkingServerGetsIt_AndTheLastAttemptFails()
    {
        var port = FreePort();
        using var app = new ReminderApp(extra: new Dictionary<string, string?>
        {
            ["Email:Smtp:Host"] = "127.0.0.1",
            ["Email:Smtp:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Email:Smtp:Security"] = "None",
            ["Email:Smtp:TimeoutSeconds"] = "5",
            ["Email:Attempts"] = "3",
        });
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        var project = await pm.CreateProjectAsync("Mail server down");
        await app.AddDueItemAsync(project, app.Today, title: "Kept for later");
        await app.AddDueItemAsync(project, app.Today.AddDays(14), title: "Given up");
        await app.ScanAsync();
        var emails = await app.WithDbAsync(db => (
            from e in db.ReminderEmails
            join n in db.Notifications on e.NotificationId equals n.Id
            select new { e.Id, n.TitleEn }).ToListAsync());
        var keptEmail = emails.Single(e => e.TitleEn.Contains("Kept for later", StringComparison.Ordinal)).Id;
        var lostEmail = emails.Single(e => e.TitleEn.Contains("Given up", StringComparison.Ordinal)).Id;

        // Nothing listens on the port: each attempt throws (Hangfire retries the job), the row records it and stays pending.
        var first = await app.DeliverAsync(keptEmail);
        Assert.IsType<ReminderDeliveryException>(first.Error);
        var row = await app.WithDbAsync(db => db.ReminderEmails.AsNoTracking().SingleAsync(e => e.Id == keptEmail));
        Assert.Equal((ReminderEmailStatus.Pending, 1), (row.Status, row.Attempts));
        Assert.Contains("SocketException", row.LastError, StringComparison.Ordinal);
        // The in-app notification was stored before any e-mail was tried.
        Assert.Equal(2, await app.WithDbAsync(db => db.Notifications.CountAsync()));

        for (var attempt = 1; attempt <= 3; attempt++)
            Assert.NotNull((await app.DeliverAsync(lostEmail)).Error);
        var failed = await app.WithDbAsync(db => db.ReminderEmails.AsNoTracking().SingleAsync(e => e.Id == lostEmail));
        Assert.Equal((ReminderEmailStatus.Failed, 3), (failed.Status, failed.Attempts));

        // The server is back: the next attempt sends it, once.
        var store = new CapturingStore();
        using var stop = new CancellationTokenSource();
        var provider = new SmtpServer.ComponentModel.ServiceProvider();
        provider.Add(store);
        var server = new SmtpServer.SmtpServer(
            new SmtpServerOptionsBuilder().ServerName("localhost").Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, port))).Build(), provider);
        var running = server.StartAsync(stop.Token);
        try
        {
            Assert.Equal(ReminderEmailDelivery.Outcome.Sent, (await app.DeliverAsync(keptEmail)).Outcome);
            Assert.Equal(ReminderEmailDelivery.Outcome.NothingToDo, (await app.DeliverAsync(keptEmail)).Outcome);
            Assert.Equal(ReminderEmailDelivery.Outcome.NothingToDo, (await app.DeliverAsync(lostEmail)).Outcome);
        }
        finally
        {
            await stop.CancelAsync();
            try
            {
                await running;
            }
            catch (OperationCanceledException)
            {
            }
        }
        var received = Assert.Single(store.Messages);
        Assert.StartsWith("Due today: Kept for later", received.Subject, StringComparison.Ordinal);
        Assert.Equal(DemoUsers.Pm, received.To.Mailboxes.Single().Address);
        row = await app.WithDbAsync(db => db.ReminderEmails.AsNoTracking().SingleAsync(e => e.Id == keptEmail));
        Assert.Equal((ReminderEmailStatus.Sent, 2, ""), (row.Status, row.Attempts, row.LastError));
    }

    [Fact]
    public async Task DeliveryJobs_RetryWithHangfiresBackOff_UpToTheConfiguredAttempts()
    {
        using var app = new ReminderApp(extra: new Dictionary<string, string?> { ["Email:Attempts"] = "4" });
        var filters = app.Services.GetRequiredService<IJobFilterProvider>();
        var delivery = filters.GetFilters(Job.FromExpression<ReminderEmailDelivery>(d => d.SendAsync(Guid.Empty, CancellationToken.None)))
            .Select(f => f.Instance).OfType<AutomaticRetryAttribute>().ToList();
        Assert.Equal(3, Assert.Single(delivery).Attempts);
        Assert.Equal(AttemptsExceededAction.Fail, delivery[0].OnAttemptsExceeded);
        // The scan is recurring: a failed run is not retried (the next one reads everything again).
        var scan = filters.GetFilters(Job.FromExpression<ReminderScan>(s => s.RunAsync(CancellationToken.None)))
            .Select(f => f.Instance).OfType<AutomaticRetryAttribute>().ToList();
        Assert.Equal(0, Assert.Single(scan).Attempts);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The test's mail server keeps what it receives.</summary>
    private sealed class CapturingStore : MessageStore
    {
        private readonly List<MimeMessage> _messages = [];

        public IReadOnlyList<MimeMessage> Messages
        {
            get
            {
                lock (_messages)
                    return [.. _messages];
            }
        }

        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            using var stream = new MemoryStream(buffer.ToArray());
            var message = await MimeMessage.LoadAsync(stream, cancellationToken);
            lock (_messages)
                _messages.Add(message);
            return SmtpResponse.Ok;
        }
    }
}
