using Hangfire;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.Data;
using RestorationWorkflow.Reminders;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Web.Features.Reminders.Delivery;

/// <summary>
/// Sends one row of the e-mail outbox (a Hangfire job per pending e-mail, enqueued by the scan after its commit).
/// The row is claimed before the message leaves (its revision moves: of two jobs for one row only one gets past the
/// claim), marked sent after; a row no longer pending sends nothing. A failure is recorded on the row (attempts, last
/// error) and thrown, so Hangfire retries with back-off and shows it in the dashboard; after <c>Email:Attempts</c>
/// attempts the row is failed (the in-app notification stays).
/// </summary>
public sealed class ReminderEmailDelivery(
    AppDbContext db,
    IReminderMailTransport transport,
    ReminderMessages messages,
    ReminderOptions options,
    ReminderThresholds thresholds,
    TimeProvider time,
    ILogger<ReminderEmailDelivery> logger)
{
    /// <summary>What became of one job.</summary>
    public enum Outcome
    {
        Sent,

        /// <summary>The row is gone, already sent, failed, held for the digest, or another job claimed it.</summary>
        NothingToDo,
    }

    [JobDisplayName("Reminder e-mail {0}")]
    public async Task SendAsync(Guid emailId, CancellationToken cancellationToken) => await DeliverAsync(emailId, cancellationToken);

    /// <exception cref="ReminderDeliveryException">The message was not taken by the mail system (recorded on the row).</exception>
    public async Task<Outcome> DeliverAsync(Guid emailId, CancellationToken cancellationToken)
    {
        var email = await db.ReminderEmails.SingleOrDefaultAsync(e => e.Id == emailId, cancellationToken);
        if (email is not { Status: ReminderEmailStatus.Pending })
            return Outcome.NothingToDo;
        var notification = await db.Notifications.AsNoTracking().SingleOrDefaultAsync(n => n.Id == email.NotificationId, cancellationToken);
        var recipient = await ReminderDirectory.FindActiveAsync(db, email.UserId, time.GetUtcNow(), cancellationToken);
        if (notification is null || recipient is not { Email.Length: > 0 })
        {
            // The account was locked or lost its e-mail address since: nothing may be sent; the row says why.
            email.AttemptFailed("The recipient is no longer active or has no e-mail address.", final: true);
            await SaveAsync(cancellationToken);
            return Outcome.NothingToDo;
        }

        // The claim: a second job for this row (a re-enqueue racing a late first job) fails here and sends nothing.
        email.Enqueued(time.GetUtcNow());
        if (!await SaveAsync(cancellationToken))
            return Outcome.NothingToDo;

        var title = new LocalizedText(notification.TitleEn, notification.TitleZh);
        var message = notification.Stage == ReminderTexts.WeeklyDigestStage
            ? await WeeklyDigestAsync(recipient, title, cancellationToken)
            : messages.Reminder(recipient, new ReminderLine(title, notification.DueOn, notification.Link));
        try
        {
            await transport.SendAsync(message, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var final = email.Attempts + 1 >= options.EmailAttempts;
            email.AttemptFailed($"{ex.GetType().Name}: {ex.Message}", final);
            await SaveAsync(CancellationToken.None);
            logger.LogWarning(ex, "Reminder e-mail {EmailId} to user {UserId} was not sent (attempt {Attempt} of {Attempts}).", email.Id, email.UserId, email.Attempts, options.EmailAttempts);
            throw new ReminderDeliveryException($"Reminder e-mail {email.Id} was not sent (attempt {email.Attempts} of {options.EmailAttempts}{(final ? ", the last" : "")}): {ex.Message}", ex);
        }
        email.MarkSent(time.GetUtcNow());
        await SaveAsync(CancellationToken.None);
        return Outcome.Sent;
    }

    /// <summary>The weekly digest lists the long-overdue items as they stand now, oldest first, up to <c>Reminders:DigestListLimit</c>.</summary>
    private async Task<MimeKit.MimeMessage> WeeklyDigestAsync(ReminderRecipient recipient, LocalizedText subject, CancellationToken cancellationToken)
    {
        var cutoff = WeeklyDigest.Cutoff(thresholds, DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime));
        var overdue = WeeklyDigest.OverdueFor(db, recipient, cutoff);
        var total = await overdue.CountAsync(cancellationToken);
        var items = await overdue
            .Join(db.Projects, d => d.ProjectId, p => p.Id, (d, p) => new { d.Id, d.ProjectId, d.DueOn, d.TitleEn, d.TitleZh, p.Name, p.Code })
            .OrderBy(i => i.DueOn).ThenBy(i => i.Id).Take(options.DigestListLimit)
            .ToListAsync(cancellationToken);
        var lines = items.Select(i => new ReminderLine(
            new LocalizedText($"{i.TitleEn} — {i.Name} ({i.Code})", $"{i.TitleZh} — {i.Name}（{i.Code}）"), i.DueOn, ReminderScan.ProjectLink(i.ProjectId))).ToList();
        return messages.WeeklyDigest(recipient, subject, lines, Math.Max(0, total - lines.Count));
    }

    /// <summary>Saves the row; false when another job changed it first (its revision moved).</summary>
    private async Task<bool> SaveAsync(CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return false;
        }
    }
}

/// <summary>A reminder e-mail was not taken by the mail system; Hangfire retries the job.</summary>
public sealed class ReminderDeliveryException(string message, Exception inner) : Exception(message, inner);
