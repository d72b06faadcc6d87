using System.Collections.Concurrent;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using RestorationWorkflow.Data;
using RestorationWorkflow.IntegrationTests.Infrastructure;
using RestorationWorkflow.Reminders;
using RestorationWorkflow.Web.Features.Reminders.Delivery;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.IntegrationTests.Reminders;

/// <summary>
/// The app for reminder tests: a <see cref="FakeTimeProvider"/>, no Hangfire server (the tests run the jobs), and an
/// <see cref="IBackgroundJobClient"/> that records what the app enqueues. <see cref="SharedRoot"/> lets a second app
/// open the first one's SQLite file (a restart); <see cref="Extra"/> adds settings (SMTP, thresholds).
/// </summary>
public sealed class ReminderApp : AppFactory
{
    /// <summary>Monday 1 March 2027, 00:30 UTC: after midnight, as the first scan of a day runs.</summary>
    public static readonly DateTimeOffset Start = new(2027, 3, 1, 0, 30, 0, TimeSpan.Zero);

    public ReminderApp(string? sharedRoot = null, IDictionary<string, string?>? extra = null, DateTimeOffset? start = null)
    {
        SharedRoot = sharedRoot;
        Extra = extra ?? new Dictionary<string, string?>();
        Time = new FakeTimeProvider(start ?? Start);
    }

    public FakeTimeProvider Time { get; }

    public string? SharedRoot { get; }

    public IDictionary<string, string?> Extra { get; }

    public CapturingJobClient Jobs { get; } = new();

    /// <summary>Where this app keeps its database and its mail: the shared root when given.</summary>
    public string Root => SharedRoot ?? StorageRoot;

    public string PickupFolder => RemindersFeature.PickupFolder(Root);

    public DateOnly Today => DateOnly.FromDateTime(Time.GetUtcNow().UtcDateTime);

    protected override IDictionary<string, string?> Settings
    {
        get
        {
            var settings = new Dictionary<string, string?> { ["App:BaseUrl"] = "https://restoration.example.org/" };
            if (SharedRoot is not null)
                settings["Storage:Root"] = SharedRoot;
            foreach (var (key, value) in Extra)
                settings[key] = value;
            return settings;
        }
    }

    protected override void ConfigureTestServices(IServiceCollection services)
    {
        services.AddSingleton<TimeProvider>(Time);
        services.AddSingleton<IBackgroundJobClient>(Jobs);
    }

    /// <summary>Moves the clock to <paramref name="day"/> at 00:30 UTC (never backwards).</summary>
    public void MoveTo(DateOnly day)
    {
        var target = new DateTimeOffset(day.ToDateTime(new TimeOnly(0, 30)), TimeSpan.Zero);
        Assert.True(target >= Time.GetUtcNow(), $"The clock cannot go back to {day}.");
        Time.SetUtcNow(target);
    }

    public async Task<ReminderScanResult> ScanAsync()
    {
        await using var scope = Scope();
        return await scope.ServiceProvider.GetRequiredService<ReminderScan>().ScanAsync(CancellationToken.None);
    }

    /// <summary>Runs every delivery job enqueued and not run yet, in order; answers each one's outcome or exception.</summary>
    public async Task<IReadOnlyList<(Guid EmailId, ReminderEmailDelivery.Outcome? Outcome, Exception? Error)>> DeliverEnqueuedAsync()
    {
        var results = new List<(Guid, ReminderEmailDelivery.Outcome?, Exception?)>();
        while (Jobs.TakeNext<ReminderEmailDelivery>() is { } job)
            results.Add(await DeliverAsync((Guid)job.Args[0]));
        return results;
    }

    public async Task<(Guid EmailId, ReminderEmailDelivery.Outcome? Outcome, Exception? Error)> DeliverAsync(Guid emailId)
    {
        await using var scope = Scope();
        try
        {
            return (emailId, await scope.ServiceProvider.GetRequiredService<ReminderEmailDelivery>().DeliverAsync(emailId, CancellationToken.None), null);
        }
        catch (ReminderDeliveryException ex)
        {
            return (emailId, null, ex);
        }
    }

    public async Task<T> WithDbAsync<T>(Func<AppDbContext, Task<T>> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        await using var scope = Scope();
        return await action(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }

    public Task<string> UserIdAsync(string email) =>
        WithDbAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());

    /// <summary>A due item of <paramref name="projectId"/>, written straight to the table as the project commands would.</summary>
    public Task<Guid> AddDueItemAsync(Guid projectId, DateOnly dueOn, string kind = DueItemKinds.TargetMonitoring, string? title = null, Guid? sourceId = null) =>
        WithDbAsync(async db =>
        {
            var source = sourceId ?? Guid.NewGuid();
            var text = title ?? "Monitoring review of the canopy-cover target";
            var key = $"{kind}:{source}";
            // The project commands may have planned the same item already (an open request's decision): move it instead.
            var item = await db.DueItems.SingleOrDefaultAsync(d => d.ProjectId == projectId && d.Key == key);
            if (item is null)
                db.DueItems.Add(item = DueItem.Create(projectId, kind, key, source, dueOn, new LocalizedText(text, $"{text}（中文）"), Time.GetUtcNow()));
            else
                item.Reschedule(dueOn, new LocalizedText(text, $"{text}（中文）"), Time.GetUtcNow());
            await db.SaveChangesAsync();
            return item.Id;
        });

    public Task<List<SentReminder>> SentAsync(Guid dueItemId) =>
        WithDbAsync(db => db.SentReminders.AsNoTracking().Where(s => s.DueItemId == dueItemId).OrderBy(s => s.CreatedAt).ThenBy(s => s.Id).ToListAsync());

    /// <summary>The notifications of the reminders of <paramref name="dueItemId"/>: (stage, user id).</summary>
    public Task<List<(string Stage, string UserId)>> NotifiedAsync(Guid dueItemId) =>
        WithDbAsync(async db => (await (
                from n in db.Notifications
                join s in db.SentReminders on n.SentReminderId equals s.Id
                where s.DueItemId == dueItemId
                orderby n.CreatedAt, n.Stage, n.UserId
                select new { n.Stage, n.UserId })
            .AsNoTracking().ToListAsync()).Select(n => (n.Stage, n.UserId)).ToList());
}

/// <summary>Records every job the app creates instead of storing it; the tests run them.</summary>
public sealed class CapturingJobClient : IBackgroundJobClient
{
    private readonly ConcurrentQueue<Job> _queue = new();
    private readonly ConcurrentQueue<Job> _all = new();
    private long _ids;

    /// <summary>Every job created so far, in order.</summary>
    public IReadOnlyList<Job> All => [.. _all];

    public string Create(Job job, IState state)
    {
        ArgumentNullException.ThrowIfNull(job);
        _queue.Enqueue(job);
        _all.Enqueue(job);
        return Interlocked.Increment(ref _ids).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    public bool ChangeState(string jobId, IState state, string expectedState) => true;

    /// <summary>The next job not taken yet, if it is of <typeparamref name="T"/> (others are skipped).</summary>
    public Job? TakeNext<T>()
    {
        while (_queue.TryDequeue(out var job))
        {
            if (job.Type == typeof(T))
                return job;
        }
        return null;
    }

    /// <summary>The e-mail ids of every delivery job created so far.</summary>
    public IReadOnlyList<Guid> DeliveryIds => [.. _all.Where(j => j.Type == typeof(ReminderEmailDelivery)).Select(j => (Guid)j.Args[0])];
}
