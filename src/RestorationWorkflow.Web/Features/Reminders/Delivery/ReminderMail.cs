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

/// <summary>
/// How the SMTP connection is secured: MailKit's <see cref="SecureSocketOptions"/>, named here so that reading the
/// settings at start-up loads no mail library (decision 0061).
/// </summary>
public enum SmtpSecurity
{
    None,
    Auto,
    SslOnConnect,
    StartTls,
    StartTlsWhenAvailable,
}

/// <summary>
/// <c>Email:Smtp:*</c>: the SMTP server; <c>Email:From</c> the sender of every message. MailKit and MimeKit are loaded
/// only when a message is built or sent, or when <c>Email:From</c> is checked (decision 0061).
/// </summary>
public sealed class MailSettings
{
    private const string DefaultFromName = "RestorationWorkflow";
    private const string DefaultFromAddress = "no-reply@localhost";
    private MailboxAddress? _from;

    public string? Host { get; init; }

    public int Port { get; init; } = 25;

    public string? UserName { get; init; }

    public string? Password { get; init; }

    /// <summary><c>Auto</c> (default: TLS if the server offers it), <c>None</c>, <c>StartTls</c>, <c>SslOnConnect</c>, <c>StartTlsWhenAvailable</c>.</summary>
    public SmtpSecurity Security { get; init; } = SmtpSecurity.Auto;

    /// <summary><c>Email:Smtp:TimeoutSeconds</c>: per operation (default 30).</summary>
    public int TimeoutSeconds { get; init; } = 30;

    /// <summary><c>Email:From</c> as configured (checked at start-up), or null for RestorationWorkflow &lt;no-reply@localhost&gt;.</summary>
    public string? FromText { get; init; }

    public MailboxAddress From => _from ??= FromText is null ? new MailboxAddress(DefaultFromName, DefaultFromAddress) : MailboxAddress.Parse(FromText);

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
        var security = SmtpSecurity.Auto;
        if (smtp["Security"] is { Length: > 0 } securityText && !EnumNames.TryParse(securityText, out security))
            throw new StartupException($"Email:Smtp:Security '{TextRules.Quote(securityText)}' is not valid; use Auto, None, StartTls, StartTlsWhenAvailable or SslOnConnect.");
        var timeout = 30;
        if (smtp["TimeoutSeconds"] is { Length: > 0 } timeoutText
            && (!int.TryParse(timeoutText, NumberStyles.Integer, CultureInfo.InvariantCulture, out timeout) || timeout is < 1 or > 600))
            throw new StartupException($"Email:Smtp:TimeoutSeconds '{TextRules.Quote(timeoutText)}' is not valid; use 1 to 600.");
        var fromText = configuration["Email:From"] is { Length: > 0 } configured ? configured : null;
        if (fromText is not null && !IsMailbox(fromText))
            throw new StartupException($"Email:From '{TextRules.Quote(fromText)}' is not an e-mail address, e.g. \"RestorationWorkflow <no-reply@example.org>\".");
        return new MailSettings
        {
            Host = smtp["Host"]?.Trim(),
            Port = port,
            UserName = smtp["UserName"],
            Password = smtp["Password"],
            Security = security,
            TimeoutSeconds = timeout,
            FromText = fromText,
        };
    }

    /// <summary>In a method of its own, so that <see cref="Read"/> loads MimeKit only when there is an address to check.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static bool IsMailbox(string text) => MailboxAddress.TryParse(text, out _);
}

/// <summary>SMTP through MailKit: one connection per message (reminders are few; a pool would hide a dead server).</summary>
public sealed class SmtpMailTransport(MailSettings settings) : IReminderMailTransport
{
    public string Describe() => string.Create(CultureInfo.InvariantCulture, $"SMTP {settings.Host}:{settings.Port} ({settings.Security})");

    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        using var client = new SmtpClient { Timeout = settings.TimeoutSeconds * 1000 };
        await client.ConnectAsync(settings.Host ?? "", settings.Port, ToMailKit(settings.Security), cancellationToken);
        if (!string.IsNullOrEmpty(settings.UserName))
            await client.AuthenticateAsync(settings.UserName, settings.Password ?? "", cancellationToken);
        await client.SendAsync(message, cancellationToken);
        await client.DisconnectAsync(quit: true, cancellationToken);
    }

    public static SecureSocketOptions ToMailKit(SmtpSecurity security) => security switch
    {
        SmtpSecurity.None => SecureSocketOptions.None,
        SmtpSecurity.Auto => SecureSocketOptions.Auto,
        SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
        SmtpSecurity.StartTls => SecureSocketOptions.StartTls,
        SmtpSecurity.StartTlsWhenAvailable => SecureSocketOptions.StartTlsWhenAvailable,
        _ => throw new ArgumentOutOfRangeException(nameof(security), security, null),
    };
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
