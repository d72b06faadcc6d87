using System.Data.Common;
using System.Diagnostics;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.Data;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Reminders;
using RestorationWorkflow.Web.Infrastructure.Persistence;
using RestorationWorkflow.Workflows;

using RestorationWorkflow.Web.Features.Reminders.Due;

namespace RestorationWorkflow.Web.Features.Reminders.Delivery;

/// <summary>What one scan did.</summary>
/// <remarks>
/// The time splits into reading and checking pages (<see cref="Reading"/>), writing the rows (<see cref="Writing"/>) and
/// waiting for enqueued jobs (<see cref="Enqueuing"/>; a page's jobs are enqueued while the next page is read).
/// </remarks>
public sealed record ReminderScanResult(
    int Backfilled, int ItemsRead, int Reminders, int Notifications, int Emails, int Enqueued, int Conflicts, int Reenqueued,
    TimeSpan Elapsed, TimeSpan Reading, TimeSpan Writing, TimeSpan Enqueuing);

/// <summary>
/// The reminder scan (a recurring Hangfire job, <c>Reminders:ScanCron</c>): reads the due items up to
/// today + the longest before-due threshold in pages ordered by (DueOn, Id) — keyset pagination on their index, no
/// tracking, one page in memory — and for each item whose latest stage reached has no <see cref="SentReminder"/> yet
/// for its due date writes, in one transaction per page, the sent-reminder row (unique key), a notification per
/// person of the audience and their e-mail outbox rows; only after the commit does it enqueue a delivery job per
/// pending e-mail. A key another scan took meanwhile (a second node, a concurrent run) is skipped, not an error.
/// It then enqueues again the pending e-mails whose job was enqueued long ago (lost with an in-memory queue).
/// </summary>
public sealed class ReminderScan(
    AppDbContext db,
    IBackgroundJobClient jobs,
    TimeProvider time,
    WorkflowCatalog workflows,
    ReminderOptions options,
    ReminderThresholds thresholds,
    DueItemBackfill backfill,
    ILogger<ReminderScan> logger,
    SqliteWriteGate? writeGate = null)
{
    private const int MaxWriteAttempts = 5;

    /// <summary>The job's entry point: one full scan.</summary>
    [AutomaticRetry(Attempts = 0)]
    [JobDisplayName("Reminder scan")]
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var result = await ScanAsync(cancellationToken);
        logger.LogInformation(
            "Reminder scan: {Backfilled} projects' due items planned first, {Items} due items read, {Reminders} reminders, {Notifications} notifications, {Emails} e-mails ({Enqueued} enqueued, {Reenqueued} re-enqueued), {Conflicts} taken by another scan, in {Elapsed} ms.",
            result.Backfilled, result.ItemsRead, result.Reminders, result.Notifications, result.Emails, result.Enqueued, result.Reenqueued, result.Conflicts, (long)result.Elapsed.TotalMilliseconds);
    }

    public async Task<ReminderScanResult> ScanAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.StartNew();
        // Projects whose due items predate the current rules are planned first, so they are reminded from this scan on.
        var backfilled = await backfill.RunAsync(cancellationToken);
        var now = time.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var horizon = today.AddDays(thresholds.BeforeDueDays.DefaultIfEmpty(0).Max());
        var schedule = StageOffsets.Of(thresholds);
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        ReminderDirectory? directory = null;

        int read = 0, reminders = 0, notifications = 0, emails = 0, enqueued = 0, conflicts = 0;
        TimeSpan writing = TimeSpan.Zero, enqueuing = TimeSpan.Zero;
        // A page's jobs are enqueued while the next page is read (the in-memory storage takes each on its own thread).
        var enqueuingPage = Task.CompletedTask;
        // Reminders found but not written yet: at most a page and a bit.
        var backlog = new List<Candidate>();
        // Items whose escalation (the last stage) another scan already sent: settled with the next write.
        var settledElsewhere = new List<Item>();
        var after = (DueOn: DateOnly.MinValue, Id: Guid.Empty);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var page = await NextPageAsync(after, horizon, cancellationToken);
            if (page.Count == 0)
                break;
            read += page.Count;
            after = (page[^1].DueOn, page[^1].Id);

            // The latest stage reached by each item, and which of those were not reminded yet.
            var reached = new List<Candidate>(page.Count);
            foreach (var item in page)
            {
                if (schedule.Reached(item.DueOn, today) is { } stage)
                    reached.Add(new Candidate(item, stage, SentReminder.KeyFor(item.Id, stage, item.DueOn)));
            }
            if (reached.Count > 0)
            {
                var taken = await TakenAsync(reached.Select(c => c.Key).ToList(), cancellationToken);
                backlog.AddRange(reached.Where(c => !taken.Contains(c.Key)));
                settledElsewhere.AddRange(reached.Where(c => c.Stage == ReminderStages.Escalation && taken.Contains(c.Key)).Select(c => c.Item));
            }
            // Written a page's worth at a time: on a quiet day a few reminders per page would otherwise cost a transaction each.
            if (backlog.Count + settledElsewhere.Count >= options.PageSize)
                await WriteBacklogAsync();
        }
        await WriteBacklogAsync();

        async Task WriteBacklogAsync()
        {
            if (backlog.Count == 0 && settledElsewhere.Count == 0)
                return;
            var writeStarted = Stopwatch.GetTimestamp();
            directory ??= await ReminderDirectory.LoadAsync(db, now, cancellationToken);
            var written = await WriteAsync(backlog, settledElsewhere, directory, now, cancellationToken);
            backlog.Clear();
            settledElsewhere.Clear();
            reminders += written.Reminders;
            notifications += written.Notifications;
            emails += written.Emails;
            conflicts += written.Conflicts;
            writing += Stopwatch.GetElapsedTime(writeStarted);
            // Only now, with the rows committed: a job never runs for an e-mail that is not in the outbox.
            var enqueueStarted = Stopwatch.GetTimestamp();
            await enqueuingPage;
            enqueuing += Stopwatch.GetElapsedTime(enqueueStarted);
            var pending = written.Pending;
            enqueuingPage = Task.Run(() =>
            {
                foreach (var id in pending)
                    Enqueue(id);
            }, CancellationToken.None);
            enqueued += pending.Count;
        }

        var enqueueLostStarted = Stopwatch.GetTimestamp();
        await enqueuingPage;
        var reenqueued = await ReenqueueLostAsync(now, cancellationToken);
        enqueuing += Stopwatch.GetElapsedTime(enqueueLostStarted);
        var elapsed = started.Elapsed;
        return new ReminderScanResult(backfilled, read, reminders, notifications, emails, enqueued, conflicts, reenqueued,
            elapsed, elapsed - writing - enqueuing, writing, enqueuing);
    }

    private sealed record Item(Guid Id, Guid ProjectId, string Kind, Guid? SourceId, DateOnly DueOn);

    private sealed record Candidate(Item Item, string Stage, string Key);

    private sealed record Written(int Reminders, int Notifications, int Emails, int Conflicts, IReadOnlyList<Guid> Pending);

    /// <summary>The next page after <paramref name="after"/> in (DueOn, Id) order, up to <paramref name="horizon"/>.</summary>
    private Task<List<Item>> NextPageAsync((DateOnly DueOn, Guid Id) after, DateOnly horizon, CancellationToken ct)
    {
        var (dueOn, id) = after;
        return db.DueItems.AsNoTracking()
            .Where(d => !d.Settled && d.DueOn <= horizon && d.DueOn >= dueOn && (d.DueOn > dueOn || d.Id.CompareTo(id) > 0))
            .OrderBy(d => d.DueOn).ThenBy(d => d.Id)
            .Take(options.PageSize)
            .Select(d => new Item(d.Id, d.ProjectId, d.Kind, d.SourceId, d.DueOn))
            .ToListAsync(ct);
    }

    /// <summary>Which of <paramref name="keys"/> are taken: one parameter (a JSON array) whatever the page size, looked up on the unique index.</summary>
    private async Task<HashSet<string>> TakenAsync(List<string> keys, CancellationToken ct) =>
        (await db.SentReminders.AsNoTracking().Where(s => EF.Parameter(keys).Contains(s.Key)).Select(s => s.Key).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// One transaction for the page's open reminders. On SQLite the transaction takes the write lock as it begins
    /// (BEGIN IMMEDIATE), so the keys read inside it cannot be taken before the commit. On SQL Server two nodes may
    /// both find a key free: the loser's commit fails on the unique index, and the page is tried again, skipping
    /// the keys the winner took.
    /// </summary>
    private async Task<Written> WriteAsync(List<Candidate> open, List<Item> settled, ReminderDirectory directory, DateTimeOffset now, CancellationToken ct)
    {
        var ids = open.Select(c => c.Item.Id).ToList();
        var titles = (await db.DueItems.AsNoTracking().Where(d => EF.Parameter(ids).Contains(d.Id))
                .Select(d => new { d.Id, d.TitleEn, d.TitleZh }).ToListAsync(ct))
            .ToDictionary(d => d.Id, d => new LocalizedText(d.TitleEn, d.TitleZh));
        var projects = await ProjectsAsync(open.Select(c => c.Item.ProjectId).Distinct().ToList(), ct);
        var requests = await RequestsAsync(
            open.Where(c => c.Item.Kind == DueItemKinds.ApprovalDecision && c.Item.SourceId is not null).Select(c => c.Item.SourceId!.Value).Distinct().ToList(), ct);

        // SQL Server retries transient faults through its execution strategy: the whole transaction, which re-reads the keys.
        var strategy = db.Database.CreateExecutionStrategy();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await strategy.ExecuteAsync(ct => WriteOnceAsync(open, settled, titles, projects, requests, directory, now, ct), ct);
            }
            catch (DbException ex) when (DatabaseErrors.IsUniqueViolation(ex) && attempt < MaxWriteAttempts)
            {
                // Another node committed some of these keys between our read and our commit: read them again.
                logger.LogInformation("Reminder scan: another scan took some of {Count} reminders meanwhile; trying the page again.", open.Count);
            }
        }
    }

    private async Task<Written> WriteOnceAsync(
        List<Candidate> open, List<Item> settled, Dictionary<Guid, LocalizedText> titles, Dictionary<Guid, ReminderProject> projects, Dictionary<Guid, ReminderRequest> requests, ReminderDirectory directory, DateTimeOffset now, CancellationToken ct)
    {
        using var held = writeGate is null ? null : await writeGate.EnterAsync();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var taken = await TakenAsync(open.Select(c => c.Key).ToList(), ct);
        await using var sentRows = new RowInserter<SentReminder>(db);
        await using var notificationRows = new RowInserter<Notification>(db);
        await using var emailRows = new RowInserter<ReminderEmail>(db);
        int reminders = 0, notifications = 0, emails = 0;
        var pending = new List<Guid>();
        foreach (var candidate in open.Where(c => !taken.Contains(c.Key)))
        {
            var item = candidate.Item;
            // An item deleted or a project gone since the page was read: nothing to remind.
            if (!projects.TryGetValue(item.ProjectId, out var project) || !titles.TryGetValue(item.Id, out var itemTitle))
                continue;
            var sent = SentReminder.Create(candidate.Key, item.Id, item.ProjectId, candidate.Stage, item.DueOn, now);
            sentRows.Add(sent);
            reminders++;
            var request = item.SourceId is { } source ? requests.GetValueOrDefault(source) : null;
            var title = ReminderTexts.Title(candidate.Stage, thresholds, itemTitle, project.Name, project.Code);
            foreach (var userId in ReminderAudience.For(item.Kind, candidate.Stage, project, request, directory, workflows))
            {
                var notification = Notification.Create(userId, item.ProjectId, sent.Id, candidate.Stage, title, ProjectLink(item.ProjectId), item.DueOn, now);
                notificationRows.Add(notification);
                notifications++;
                if (directory.Find(userId) is not { EmailReminders: true, Email.Length: > 0 } recipient)
                    continue;
                var email = ReminderEmail.Create(notification.Id, userId, digest: recipient.DailyDigest, now);
                emailRows.Add(email);
                emails++;
                if (email.Status == ReminderEmailStatus.Pending)
                    pending.Add(email.Id);
            }
        }
        // In foreign-key order: an e-mail row names its notification.
        await sentRows.FlushAsync(ct);
        await notificationRows.FlushAsync(ct);
        await emailRows.FlushAsync(ct);
        // Escalation sent (now or by another scan): the item's reminders are over for this due date.
        await SettleAsync([.. settled, .. open.Where(c => c.Stage == ReminderStages.Escalation).Select(c => c.Item)], ct);
        await transaction.CommitAsync(ct);
        return new Written(reminders, notifications, emails, taken.Count, pending);
    }

    /// <summary>
    /// Marks the items settled for the due date they were read with (grouped by date: after a pause a few dates, on a
    /// normal day one); an item whose date moved since is not touched, so its new date is reminded.
    /// </summary>
    private async Task SettleAsync(List<Item> items, CancellationToken ct)
    {
        foreach (var group in items.GroupBy(i => i.DueOn))
        {
            var ids = group.Select(i => i.Id).ToList();
            var dueOn = group.Key;
            await db.DueItems.Where(d => EF.Parameter(ids).Contains(d.Id) && d.DueOn == dueOn)
                .ExecuteUpdateAsync(u => u.SetProperty(d => d.Settled, true), ct);
        }
    }

    /// <summary>The page of the project on which its reminders open.</summary>
    public static string ProjectLink(Guid projectId) => $"/Projects/{projectId}";

    private async Task<Dictionary<Guid, ReminderProject>> ProjectsAsync(List<Guid> ids, CancellationToken ct)
    {
        var rows = await db.Projects.AsNoTracking().Where(p => EF.Parameter(ids).Contains(p.Id))
            .Select(p => new { p.Id, p.Name, p.Code, p.WorkflowId })
            .ToListAsync(ct);
        var team = (await db.ProjectMembers.AsNoTracking().Where(m => EF.Parameter(ids).Contains(m.ProjectId))
                .Select(m => new { m.ProjectId, m.UserId, m.Role })
                .ToListAsync(ct))
            .ToLookup(m => m.ProjectId);
        return rows.ToDictionary(p => p.Id, p => new ReminderProject(p.Id, p.Name, p.Code, p.WorkflowId,
            [.. team[p.Id].Select(m => (m.UserId, m.Role))]));
    }

    private async Task<Dictionary<Guid, ReminderRequest>> RequestsAsync(List<Guid> ids, CancellationToken ct)
    {
        if (ids.Count == 0)
            return [];
        var rows = await db.ApprovalRequests.AsNoTracking().Where(r => EF.Parameter(ids).Contains(r.Id))
            .Select(r => new { r.Id, r.Gate, r.WorkflowVersion, r.Status, r.SubmittedById })
            .ToListAsync(ct);
        var decided = (await db.ApprovalDecisions.AsNoTracking().Where(d => EF.Parameter(ids).Contains(d.RequestId))
                .Select(d => new { d.RequestId, d.DeciderId, d.OnBehalfOfId })
                .ToListAsync(ct))
            .ToLookup(d => d.RequestId);
        return rows.ToDictionary(r => r.Id, r => new ReminderRequest(r.Id, r.Gate, r.WorkflowVersion, r.Status == RestorationWorkflow.Approvals.ApprovalRequestStatus.Open, r.SubmittedById,
            decided[r.Id].SelectMany(d => d.OnBehalfOfId is null ? [d.DeciderId] : new[] { d.DeciderId, d.OnBehalfOfId }).ToHashSet(StringComparer.Ordinal)));
    }

    /// <summary>
    /// Pending e-mails whose delivery job was enqueued more than <c>Reminders:ReenqueueAfterMinutes</c> ago: the job
    /// was lost (an in-memory queue and a restart) or is stuck. Marked enqueued again (the row's revision moves, so a
    /// late first job and the new one cannot both mark it sent), then enqueued.
    /// </summary>
    private async Task<int> ReenqueueLostAsync(DateTimeOffset now, CancellationToken ct)
    {
        var before = now.AddMinutes(-options.ReenqueueAfterMinutes);
        var count = 0;
        while (true)
        {
            // The index (Status, EnqueuedAt); rows re-enqueued leave the range, so each page is the next one.
            var rows = await db.ReminderEmails
                .Where(e => e.Status == ReminderEmailStatus.Pending && e.EnqueuedAt < before)
                .OrderBy(e => e.EnqueuedAt).ThenBy(e => e.Id)
                .Take(options.PageSize)
                .ToListAsync(ct);
            if (rows.Count == 0)
                return count;
            foreach (var row in rows)
                row.Enqueued(now);
            db.ChangeTracker.DetectChanges();
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                // A delivery job changed some of them meanwhile: they are not lost; the next scan looks again.
                db.ChangeTracker.Clear();
                return count;
            }
            db.ChangeTracker.Clear();
            foreach (var row in rows)
                Enqueue(row.Id);
            count += rows.Count;
        }
    }

    private void Enqueue(Guid emailId) => jobs.Enqueue<ReminderEmailDelivery>(d => d.SendAsync(emailId, CancellationToken.None));
}

/// <summary>
/// <see cref="ReminderSchedule.Stages"/> as day offsets from the due date, taken once per scan, so that finding the
/// latest stage of each of hundreds of thousands of items allocates nothing.
/// </summary>
internal sealed class StageOffsets
{
    private readonly (string Stage, int Offset)[] _stages;

    private StageOffsets((string, int)[] stages) => _stages = stages;

    public static StageOffsets Of(ReminderThresholds thresholds)
    {
        // The schedule is the same for every due date: measure it once from an arbitrary one.
        var anchor = new DateOnly(2000, 1, 1);
        return new StageOffsets([.. ReminderSchedule.Stages(anchor, thresholds).Select(s => (s.Stage, s.From.DayNumber - anchor.DayNumber))]);
    }

    /// <summary>The latest stage reached on <paramref name="today"/> (as <see cref="ReminderSchedule.Reached"/>), or null.</summary>
    public string? Reached(DateOnly dueOn, DateOnly today)
    {
        var days = today.DayNumber - dueOn.DayNumber;
        string? reached = null;
        foreach (var (stage, offset) in _stages)
        {
            if (offset <= days)
                reached = stage;
        }
        return reached;
    }
}
