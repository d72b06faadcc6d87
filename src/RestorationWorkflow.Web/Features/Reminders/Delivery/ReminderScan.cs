using System.Diagnostics;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.Data;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Reminders;
using RestorationWorkflow.Web.Infrastructure.Persistence;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Web.Features.Reminders.Delivery;

/// <summary>What one scan did.</summary>
public sealed record ReminderScanResult(int ItemsRead, int Reminders, int Notifications, int Emails, int Enqueued, int Conflicts, int Reenqueued, TimeSpan Elapsed);

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
            "Reminder scan: {Items} due items read, {Reminders} reminders, {Notifications} notifications, {Emails} e-mails ({Enqueued} enqueued, {Reenqueued} re-enqueued), {Conflicts} taken by another scan, in {Elapsed} ms.",
            result.ItemsRead, result.Reminders, result.Notifications, result.Emails, result.Enqueued, result.Reenqueued, result.Conflicts, (long)result.Elapsed.TotalMilliseconds);
    }

    public async Task<ReminderScanResult> ScanAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.StartNew();
        var now = time.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var thresholds = options.Thresholds;
        var horizon = today.AddDays(thresholds.BeforeDueDays.DefaultIfEmpty(0).Max());
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        ReminderDirectory? directory = null;

        int read = 0, reminders = 0, notifications = 0, emails = 0, enqueued = 0, conflicts = 0;
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
                if (ReminderSchedule.Reached(item.DueOn, today, thresholds) is { } stage)
                    reached.Add(new Candidate(item, stage.Stage, SentReminder.KeyFor(item.Id, stage.Stage, item.DueOn)));
            }
            if (reached.Count == 0)
                continue;
            var taken = await TakenAsync(reached.Select(c => c.Key).ToList(), cancellationToken);
            var open = reached.Where(c => !taken.Contains(c.Key)).ToList();
            if (open.Count == 0)
                continue;

            directory ??= await ReminderDirectory.LoadAsync(db, now, cancellationToken);
            var written = await WriteAsync(open, directory, now, cancellationToken);
            reminders += written.Reminders;
            notifications += written.Notifications;
            emails += written.Emails;
            conflicts += written.Conflicts;
            // Only now, with the rows committed: a job never runs for an e-mail that is not in the outbox.
            foreach (var id in written.Pending)
                Enqueue(id);
            enqueued += written.Pending.Count;
        }

        var reenqueued = await ReenqueueLostAsync(now, cancellationToken);
        return new ReminderScanResult(read, reminders, notifications, emails, enqueued, conflicts, reenqueued, started.Elapsed);
    }

    private sealed record Item(Guid Id, Guid ProjectId, string Kind, Guid? SourceId, DateOnly DueOn, string TitleEn, string TitleZh);

    private sealed record Candidate(Item Item, string Stage, string Key);

    private sealed record Written(int Reminders, int Notifications, int Emails, int Conflicts, IReadOnlyList<Guid> Pending);

    /// <summary>The next page after <paramref name="after"/> in (DueOn, Id) order, up to <paramref name="horizon"/>.</summary>
    private Task<List<Item>> NextPageAsync((DateOnly DueOn, Guid Id) after, DateOnly horizon, CancellationToken ct)
    {
        var (dueOn, id) = after;
        return db.DueItems.AsNoTracking()
            .Where(d => d.DueOn <= horizon && d.DueOn >= dueOn && (d.DueOn > dueOn || d.Id.CompareTo(id) > 0))
            .OrderBy(d => d.DueOn).ThenBy(d => d.Id)
            .Take(options.PageSize)
            .Select(d => new Item(d.Id, d.ProjectId, d.Kind, d.SourceId, d.DueOn, d.TitleEn, d.TitleZh))
            .ToListAsync(ct);
    }

    private async Task<HashSet<string>> TakenAsync(List<string> keys, CancellationToken ct) =>
        (await db.SentReminders.AsNoTracking().Where(s => keys.Contains(s.Key)).Select(s => s.Key).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// One transaction for the page's open reminders. On SQLite the transaction takes the write lock as it begins
    /// (BEGIN IMMEDIATE), so the keys read inside it cannot be taken before the commit. On SQL Server two nodes may
    /// both find a key free: the loser's commit fails on the unique index, and the page is tried again, skipping
    /// the keys the winner took.
    /// </summary>
    private async Task<Written> WriteAsync(List<Candidate> open, ReminderDirectory directory, DateTimeOffset now, CancellationToken ct)
    {
        var projects = await ProjectsAsync(open.Select(c => c.Item.ProjectId).Distinct().ToList(), ct);
        var requests = await RequestsAsync(
            open.Where(c => c.Item.Kind == DueItemKinds.ApprovalDecision && c.Item.SourceId is not null).Select(c => c.Item.SourceId!.Value).Distinct().ToList(), ct);

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var held = writeGate is null ? null : await writeGate.EnterAsync();
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                var taken = await TakenAsync(open.Select(c => c.Key).ToList(), ct);
                int reminders = 0, notifications = 0, emails = 0;
                var pending = new List<Guid>();
                foreach (var candidate in open.Where(c => !taken.Contains(c.Key)))
                {
                    var item = candidate.Item;
                    if (!projects.TryGetValue(item.ProjectId, out var project))
                        continue;
                    var sent = SentReminder.Create(candidate.Key, item.Id, item.ProjectId, candidate.Stage, item.DueOn, now);
                    db.SentReminders.Add(sent);
                    reminders++;
                    var request = item.SourceId is { } source ? requests.GetValueOrDefault(source) : null;
                    var title = ReminderTexts.Title(candidate.Stage, options.Thresholds, new LocalizedText(item.TitleEn, item.TitleZh), project.Name, project.Code);
                    foreach (var userId in ReminderAudience.For(item.Kind, candidate.Stage, project, request, directory, workflows))
                    {
                        var notification = Notification.Create(userId, item.ProjectId, sent.Id, candidate.Stage, title, ProjectLink(item.ProjectId), item.DueOn, now);
                        db.Notifications.Add(notification);
                        notifications++;
                        if (directory.Find(userId) is not { EmailReminders: true, Email.Length: > 0 } recipient)
                            continue;
                        var email = ReminderEmail.Create(notification.Id, userId, digest: recipient.DailyDigest, now);
                        db.ReminderEmails.Add(email);
                        emails++;
                        if (email.Status == ReminderEmailStatus.Pending)
                            pending.Add(email.Id);
                    }
                }
                await db.SaveChangesAsync(ct);
                await transaction.CommitAsync(ct);
                db.ChangeTracker.Clear();
                return new Written(reminders, notifications, emails, taken.Count, pending);
            }
            catch (DbUpdateException ex) when (DatabaseErrors.IsUniqueViolation(ex) && attempt < MaxWriteAttempts)
            {
                // Another node committed some of these keys between our read and our commit: read them again.
                db.ChangeTracker.Clear();
                logger.LogInformation("Reminder scan: another scan took some of {Count} reminders meanwhile; trying the page again.", open.Count);
            }
        }
    }

    /// <summary>The page of the project on which its reminders open.</summary>
    public static string ProjectLink(Guid projectId) => $"/Projects/{projectId}";

    private async Task<Dictionary<Guid, ReminderProject>> ProjectsAsync(List<Guid> ids, CancellationToken ct)
    {
        var rows = await db.Projects.AsNoTracking().Where(p => ids.Contains(p.Id))
            .Select(p => new { p.Id, p.Name, p.Code, p.WorkflowId })
            .ToListAsync(ct);
        var team = (await db.ProjectMembers.AsNoTracking().Where(m => ids.Contains(m.ProjectId))
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
        var rows = await db.ApprovalRequests.AsNoTracking().Where(r => ids.Contains(r.Id))
            .Select(r => new { r.Id, r.Gate, r.WorkflowVersion, r.Status, r.SubmittedById })
            .ToListAsync(ct);
        var decided = (await db.ApprovalDecisions.AsNoTracking().Where(d => ids.Contains(d.RequestId))
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
        var after = Guid.Empty;
        while (true)
        {
            // Filtered by time here: SQLite cannot compare DateTimeOffset. Pending rows are few unless mail is down.
            var page = await db.ReminderEmails.AsNoTracking()
                .Where(e => e.Status == ReminderEmailStatus.Pending && e.Id.CompareTo(after) > 0)
                .OrderBy(e => e.Id)
                .Take(options.PageSize)
                .Select(e => new { e.Id, e.EnqueuedAt })
                .ToListAsync(ct);
            if (page.Count == 0)
                return count;
            after = page[^1].Id;
            var stale = page.Where(e => e.EnqueuedAt < before).Select(e => e.Id).ToList();
            if (stale.Count == 0)
                continue;
            var rows = await db.ReminderEmails.Where(e => stale.Contains(e.Id) && e.Status == ReminderEmailStatus.Pending).ToListAsync(ct);
            foreach (var row in rows)
                row.Enqueued(now);
            db.ChangeTracker.DetectChanges();
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                // A delivery job or another scan changed some of them meanwhile: they are not lost; the next scan looks again.
                db.ChangeTracker.Clear();
                continue;
            }
            db.ChangeTracker.Clear();
            foreach (var row in rows)
                Enqueue(row.Id);
            count += rows.Count;
        }
    }

    private void Enqueue(Guid emailId) => jobs.Enqueue<ReminderEmailDelivery>(d => d.SendAsync(emailId, CancellationToken.None));
}
