using System.Globalization;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.Data;
using RestorationWorkflow.Identity;
using RestorationWorkflow.Reminders;
using RestorationWorkflow.Web.Infrastructure.Persistence;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Web.Features.Reminders.Delivery;

/// <summary>
/// The daily digest (a recurring job, <c>Reminders:DailyDigestCron</c>): one message per person who chose it, listing
/// the reminders held for it since the last digest; the rows are marked sent together. A person whose message fails
/// keeps their rows held (attempts and last error recorded) and the job throws after the others were sent, so
/// Hangfire retries it for them alone.
/// </summary>
public sealed class DailyDigest(
    AppDbContext db,
    IReminderMailTransport transport,
    ReminderMessages messages,
    ReminderOptions options,
    TimeProvider time,
    ILogger<DailyDigest> logger)
{
    [JobDisplayName("Daily reminder digest")]
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var sent = await SendAllAsync(cancellationToken);
        logger.LogInformation("Daily digest: {Count} message(s) sent.", sent);
    }

    /// <summary>Sends every held digest; answers how many messages left.</summary>
    /// <exception cref="ReminderDeliveryException">Some messages were not taken (their rows say why); the others were sent.</exception>
    public async Task<int> SendAllAsync(CancellationToken cancellationToken)
    {
        var userIds = await db.ReminderEmails.AsNoTracking().Where(e => e.Status == ReminderEmailStatus.HeldForDigest)
            .Select(e => e.UserId).Distinct().ToListAsync(cancellationToken);
        if (userIds.Count == 0)
            return 0;
        var directory = await ReminderDirectory.LoadAsync(db, time.GetUtcNow(), cancellationToken);
        var sent = 0;
        var failures = new List<Exception>();
        foreach (var userId in userIds.Order(StringComparer.Ordinal))
        {
            try
            {
                if (await SendOneAsync(userId, directory, cancellationToken))
                    sent++;
            }
            catch (ReminderDeliveryException ex)
            {
                failures.Add(ex);
            }
        }
        if (failures.Count > 0)
            throw new ReminderDeliveryException($"{failures.Count.ToString(CultureInfo.InvariantCulture)} daily digest(s) were not sent; {sent.ToString(CultureInfo.InvariantCulture)} were.", new AggregateException(failures));
        return sent;
    }

    private async Task<bool> SendOneAsync(string userId, ReminderDirectory directory, CancellationToken cancellationToken)
    {
        var rows = await db.ReminderEmails.Where(e => e.UserId == userId && e.Status == ReminderEmailStatus.HeldForDigest)
            .OrderBy(e => e.Id).ToListAsync(cancellationToken);
        var notificationIds = rows.Select(r => r.NotificationId).ToList();
        var notifications = await db.Notifications.AsNoTracking().Where(n => notificationIds.Contains(n.Id))
            .OrderBy(n => n.Id)
            .Select(n => new { n.TitleEn, n.TitleZh, n.DueOn, n.Link })
            .ToListAsync(cancellationToken);
        if (rows.Count == 0)
            return false;
        if (directory.Find(userId) is not { Email.Length: > 0 } recipient)
        {
            foreach (var row in rows)
                row.AttemptFailed("The recipient is no longer active or has no e-mail address.", final: true);
            await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.Clear();
            return false;
        }
        // The claim: a second digest run at the same time fails here for this person and sends nothing.
        foreach (var row in rows)
            row.Enqueued(time.GetUtcNow());
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return false;
        }

        var lines = notifications.Take(options.DigestListLimit)
            .Select(n => new ReminderLine(new LocalizedText(n.TitleEn, n.TitleZh), n.DueOn, n.Link)).ToList();
        var message = messages.DailyDigest(recipient, lines, notifications.Count - lines.Count);
        try
        {
            await transport.SendAsync(message, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var final = rows[0].Attempts + 1 >= options.EmailAttempts;
            foreach (var row in rows)
                row.AttemptFailed($"{ex.GetType().Name}: {ex.Message}", final);
            await db.SaveChangesAsync(CancellationToken.None);
            db.ChangeTracker.Clear();
            logger.LogWarning(ex, "The daily digest of user {UserId} was not sent.", userId);
            throw new ReminderDeliveryException($"The daily digest of user {userId} was not sent: {ex.Message}", ex);
        }
        foreach (var row in rows)
            row.MarkSent(time.GetUtcNow());
        await db.SaveChangesAsync(CancellationToken.None);
        db.ChangeTracker.Clear();
        return true;
    }
}

/// <summary>
/// The weekly digest (a recurring job, <c>Reminders:WeeklyDigestCron</c>): every approver and administrator gets, once
/// per ISO week, a notification (and an e-mail unless they turned e-mail off) counting the items overdue by
/// <c>Reminders:DigestOverdueDays</c> or more — administrators of every project, approvers of the projects whose team
/// they are not on. The key <c>digest:{isoYear}-W{week}:{userId}</c> in <see cref="SentReminder"/> makes it once, on
/// every node and after restarts. The e-mail lists the items as they stand when it is sent.
/// </summary>
public sealed class WeeklyDigest(
    AppDbContext db,
    IBackgroundJobClient jobs,
    ReminderThresholds thresholds,
    TimeProvider time,
    ILogger<WeeklyDigest> logger,
    SqliteWriteGate? writeGate = null)
{
    /// <summary>Where the digest notification opens: the list of projects.</summary>
    public const string Link = "/Projects";

    [JobDisplayName("Weekly digest of overdue items")]
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var created = await CreateAllAsync(cancellationToken);
        logger.LogInformation("Weekly digest: {Count} digest(s) created.", created);
    }

    public static string KeyFor(DateOnly day, string userId) => string.Create(CultureInfo.InvariantCulture,
        $"digest:{ISOWeek.GetYear(day.ToDateTime(TimeOnly.MinValue))}-W{ISOWeek.GetWeekOfYear(day.ToDateTime(TimeOnly.MinValue)):00}:{userId}");

    /// <summary>Creates this week's digests not created yet; answers how many.</summary>
    public async Task<int> CreateAllAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var cutoff = Cutoff(thresholds, today);
        if (!await db.DueItems.AnyAsync(d => d.DueOn <= cutoff, cancellationToken))
            return 0;
        var directory = await ReminderDirectory.LoadAsync(db, now, cancellationToken);
        var created = 0;
        foreach (var recipient in directory.All.Where(u => u.IsAdministrator || u.Roles.Contains(AppRoles.Approver)).OrderBy(u => u.Id, StringComparer.Ordinal))
        {
            var key = KeyFor(today, recipient.Id);
            if (await db.SentReminders.AnyAsync(s => s.Key == key, cancellationToken))
                continue;
            var count = await OverdueFor(db, recipient, cutoff).CountAsync(cancellationToken);
            if (count == 0)
                continue;
            Guid? pending;
            try
            {
                // SQL Server retries transient faults through its execution strategy: the whole transaction.
                pending = await db.Database.CreateExecutionStrategy().ExecuteAsync(ct => CreateAsync(recipient, key, count, now, ct), cancellationToken);
            }
            catch (DbUpdateException ex) when (DatabaseErrors.IsUniqueViolation(ex))
            {
                // Another node created it meanwhile.
                db.ChangeTracker.Clear();
                continue;
            }
            if (pending is null)
                continue;
            db.ChangeTracker.Clear();
            created++;
            if (pending != Guid.Empty)
            {
                var id = pending.Value;
                jobs.Enqueue<ReminderEmailDelivery>(d => d.SendAsync(id, CancellationToken.None));
            }
        }
        return created;
    }

    /// <summary>
    /// One digest in one transaction: its key, notification and e-mail row. Answers the e-mail's id (empty when the
    /// person turned e-mail off), or null when the key was taken meanwhile.
    /// </summary>
    private async Task<Guid?> CreateAsync(ReminderRecipient recipient, string key, int count, DateTimeOffset now, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        using var held = writeGate is null ? null : await writeGate.EnterAsync();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (await db.SentReminders.AnyAsync(s => s.Key == key, ct))
            return null;
        var sent = SentReminder.Create(key, null, null, ReminderTexts.WeeklyDigestStage, null, now);
        var notification = Notification.Create(recipient.Id, null, sent.Id, ReminderTexts.WeeklyDigestStage,
            ReminderTexts.WeeklyDigestTitle(count, thresholds.DigestOverdueDays), Link, null, now);
        db.SentReminders.Add(sent);
        db.Notifications.Add(notification);
        var emailId = Guid.Empty;
        if (recipient is { EmailReminders: true, Email.Length: > 0 })
        {
            // Already a digest: never held for the daily one.
            var email = ReminderEmail.Create(notification.Id, recipient.Id, digest: false, now);
            db.ReminderEmails.Add(email);
            emailId = email.Id;
        }
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return emailId;
    }

    /// <summary>The last due date that counts as overdue by <c>DigestOverdueDays</c> on <paramref name="today"/>.</summary>
    public static DateOnly Cutoff(ReminderThresholds thresholds, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(thresholds);
        return today.AddDays(-thresholds.DigestOverdueDays);
    }

    /// <summary>The long-overdue items <paramref name="recipient"/> oversees: all for administrators, off their teams for approvers.</summary>
    public static IQueryable<DueItem> OverdueFor(AppDbContext db, ReminderRecipient recipient, DateOnly cutoff)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(recipient);
        var items = db.DueItems.AsNoTracking().Where(d => d.DueOn <= cutoff);
        return recipient.IsAdministrator
            ? items
            : items.Where(d => !db.ProjectMembers.Any(m => m.ProjectId == d.ProjectId && m.UserId == recipient.Id));
    }
}
