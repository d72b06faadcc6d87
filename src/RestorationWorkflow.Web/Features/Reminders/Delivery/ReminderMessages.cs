using System.Globalization;
using System.Net;
using System.Text;
using MimeKit;
using RestorationWorkflow.Reminders;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Web.Features.Reminders.Delivery;

/// <summary>One line of a message: a reminder's title, its due date and its page.</summary>
public sealed record ReminderLine(LocalizedText Title, DateOnly? DueOn, string Link);

/// <summary>
/// The reminder e-mails: plain text and HTML (every value HTML-encoded), in the recipient's language (<c>en</c> or
/// <c>zh-Hans</c>), the subject naming the project and the item, links absolute from <c>App:BaseUrl</c>.
/// </summary>
public sealed class ReminderMessages(MailSettings mail, ReminderOptions options, ReminderThresholds thresholds, TimeProvider time)
{
    /// <summary>One reminder: the notification's title is the subject.</summary>
    public MimeMessage Reminder(ReminderRecipient recipient, ReminderLine line)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        ArgumentNullException.ThrowIfNull(line);
        var language = recipient.Language;
        return Compose(recipient, line.Title.In(language), [line], intro: null, more: 0);
    }

    /// <summary>The daily digest: every reminder held for it, oldest first.</summary>
    public MimeMessage DailyDigest(ReminderRecipient recipient, IReadOnlyList<ReminderLine> lines, int more)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        ArgumentNullException.ThrowIfNull(lines);
        var language = recipient.Language;
        return Compose(recipient, ReminderTexts.DailyDigestSubject(lines.Count + more).In(language), lines, ReminderTexts.DailyDigestIntro.In(language), more);
    }

    /// <summary>The weekly digest of items overdue by <see cref="ReminderThresholds.DigestOverdueDays"/> or more.</summary>
    public MimeMessage WeeklyDigest(ReminderRecipient recipient, LocalizedText subject, IReadOnlyList<ReminderLine> lines, int more)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        ArgumentNullException.ThrowIfNull(subject);
        var language = recipient.Language;
        return Compose(recipient, subject.In(language), lines, ReminderTexts.WeeklyDigestIntro(thresholds.DigestOverdueDays).In(language), more);
    }

    private MimeMessage Compose(ReminderRecipient recipient, string subject, IReadOnlyList<ReminderLine> lines, string? intro, int more)
    {
        var language = recipient.Language;
        var chinese = ReminderTexts.IsChinese(language);
        var message = new MimeMessage { Subject = subject, Date = time.GetUtcNow() };
        message.From.Add(mail.From);
        message.To.Add(new MailboxAddress(recipient.Name, recipient.Email ?? ""));

        var text = new StringBuilder();
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"<!DOCTYPE html><html lang=\"{(chinese ? "zh-Hans" : "en")}\"><head><meta charset=\"utf-8\"><title>{Encode(subject)}</title></head><body>");
        var greeting = ReminderTexts.Greeting(recipient.Name).In(language);
        text.AppendLine(greeting).AppendLine();
        html.Append(CultureInfo.InvariantCulture, $"<p>{Encode(greeting)}</p>");
        if (intro is not null)
        {
            text.AppendLine(intro).AppendLine();
            html.Append(CultureInfo.InvariantCulture, $"<p>{Encode(intro)}</p>");
        }
        html.Append("<ul>");
        foreach (var line in lines)
        {
            var title = line.Title.In(language);
            var url = options.Absolute(line.Link);
            var due = line.DueOn is { } d ? $"{ReminderTexts.DueOnLabel.In(language)}: {d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}" : null;
            text.Append("- ").AppendLine(title);
            if (due is not null)
                text.Append("  ").AppendLine(due);
            text.Append("  ").AppendLine(url).AppendLine();
            html.Append(CultureInfo.InvariantCulture, $"<li><p><strong>{Encode(title)}</strong>");
            if (due is not null)
                html.Append(CultureInfo.InvariantCulture, $"<br>{Encode(due)}");
            html.Append(CultureInfo.InvariantCulture, $"<br><a href=\"{Encode(url)}\">{Encode(ReminderTexts.OpenLink.In(language))}: {Encode(url)}</a></p></li>");
        }
        html.Append("</ul>");
        if (more > 0)
        {
            var andMore = ReminderTexts.AndMore(more).In(language);
            text.AppendLine(andMore).AppendLine();
            html.Append(CultureInfo.InvariantCulture, $"<p>{Encode(andMore)}</p>");
        }
        var footer = ReminderTexts.Footer.In(language);
        text.AppendLine("--").AppendLine(footer);
        html.Append(CultureInfo.InvariantCulture, $"<hr><p><small>{Encode(footer)}</small></p></body></html>");

        message.Body = new BodyBuilder { TextBody = text.ToString(), HtmlBody = html.ToString() }.ToMessageBody();
        // Content-* headers belong to the body entity in MIME.
        message.Body.Headers.Add(HeaderId.ContentLanguage, chinese ? "zh-Hans" : "en");
        return message;
    }

    private static string Encode(string value) => WebUtility.HtmlEncode(value);
}
