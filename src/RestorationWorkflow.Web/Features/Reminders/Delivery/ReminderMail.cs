using System.Globalization;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using RestorationWorkflow.Web.Infrastructure;

namespace RestorationWorkflow.Web.Features.Reminders.Delivery;

/// <summary>Hands a finished message to the mail system; throws when it was not taken.</summary>
public interface IReminderMailTransport
{
    /// <summary>Where messages go, in words (for the start-up log).</summary>
    string Describe();

    Task SendAsync(MimeMessage message, CancellationToken cancellationToken);
}

/// <summary><c>Email:Smtp:*</c>: the SMTP server; <c>Email:From</c> the sender of every message.</summary>
public sealed class MailSettings
{
    public string? Host { get; init; }

    public int Port { get; init; } = 25;

    public string? UserName { get; init; }

    public string? Password { get; init; }

    /// <summary><c>Auto</c> (default: TLS if the server offers it), <c>None</c>, <c>StartTls</c>, <c>SslOnConnect</c>, <c>StartTlsWhenAvailable</c>.</summary>
    public SecureSocketOptions Security { get; init; } = SecureSocketOptions.Auto;

    /// <summary><c>Email:Smtp:TimeoutSeconds</c>: per operation (default 30).</summary>
    public int TimeoutSeconds { get; init; } = 30;

    public MailboxAddress From { get; init; } = new("RestorationWorkflow", "no-reply@localhost");

    public bool UsesSmtp => !string.IsNullOrWhiteSpace(Host);

    /// <exception cref="StartupException">A value cannot be used (one line naming the key).</exception>
    public static MailSettings Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var smtp = configuration.GetSection("Email:Smtp");
        var port = 25;
        if (smtp["Port"] is { Length: > 0 } portText
            && (!int.TryParse(portText, NumberStyles.Integer, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535))
            throw new StartupException($"Email:Smtp:Port '{TextRules.Quote(portText)}' is not a port number (1-65535).");
        var security = SecureSocketOptions.Auto;
        if (smtp["Security"] is { Length: > 0 } securityText && !EnumNames.TryParse(securityText, out security))
            throw new StartupException($"Email:Smtp:Security '{TextRules.Quote(securityText)}' is not valid; use Auto, None, StartTls, StartTlsWhenAvailable or SslOnConnect.");
        var timeout = 30;
        if (smtp["TimeoutSeconds"] is { Length: > 0 } timeoutText
            && (!int.TryParse(timeoutText, NumberStyles.Integer, CultureInfo.InvariantCulture, out timeout) || timeout is < 1 or > 600))
            throw new StartupException($"Email:Smtp:TimeoutSeconds '{TextRules.Quote(timeoutText)}' is not valid; use 1 to 600.");
        var from = new MailboxAddress("RestorationWorkflow", "no-reply@localhost");
        if (configuration["Email:From"] is { Length: > 0 } fromText && !MailboxAddress.TryParse(fromText, out from))
            throw new StartupException($"Email:From '{TextRules.Quote(fromText)}' is not an e-mail address, e.g. \"RestorationWorkflow <no-reply@example.org>\".");
        return new MailSettings
        {
            Host = smtp["Host"]?.Trim(),
            Port = port,
            UserName = smtp["UserName"],
            Password = smtp["Password"],
            Security = security,
            TimeoutSeconds = timeout,
            From = from,
        };
    }
}

/// <summary>SMTP through MailKit: one connection per message (reminders are few; a pool would hide a dead server).</summary>
public sealed class SmtpMailTransport(MailSettings settings) : IReminderMailTransport
{
    public string Describe() => string.Create(CultureInfo.InvariantCulture, $"SMTP {settings.Host}:{settings.Port} ({settings.Security})");

    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        using var client = new SmtpClient { Timeout = settings.TimeoutSeconds * 1000 };
        await client.ConnectAsync(settings.Host ?? "", settings.Port, settings.Security, cancellationToken);
        if (!string.IsNullOrEmpty(settings.UserName))
            await client.AuthenticateAsync(settings.UserName, settings.Password ?? "", cancellationToken);
        await client.SendAsync(message, cancellationToken);
        await client.DisconnectAsync(quit: true, cancellationToken);
    }
}

/// <summary>
/// No SMTP server configured: each message becomes one <c>.eml</c> file in <c>{Storage:Root}/mail/pickup</c>, written
/// to a hidden temp file in the same folder (<c>.name.tmp</c>), flushed to disk and renamed, so a reader of <c>*.eml</c>
/// — another node, a mail server's pickup — never sees half a message (decision 0042). Development loses nothing, and a
/// mail server's pickup directory can be pointed at the folder.
/// </summary>
public sealed class PickupFolderMailTransport(string folder, TimeProvider time) : IReminderMailTransport
{
    public string Folder { get; } = folder;

    public string Describe() => $"pickup folder {Folder}";

    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        Directory.CreateDirectory(Folder);
        var name = string.Create(CultureInfo.InvariantCulture, $"{time.GetUtcNow():yyyyMMddTHHmmssfff}-{Guid.NewGuid():N}");
        var temporary = Path.Combine(Folder, $".{name}.tmp");
        try
        {
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
            {
                await message.WriteToAsync(file, cancellationToken);
                await file.FlushAsync(cancellationToken);
                file.Flush(flushToDisk: true);
            }
            File.Move(temporary, Path.Combine(Folder, name + ".eml"), overwrite: false);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }
}
