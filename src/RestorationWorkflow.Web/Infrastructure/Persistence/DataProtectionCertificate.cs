using System.Security.Cryptography.X509Certificates;

namespace RestorationWorkflow.Web.Infrastructure.Persistence;

/// <summary>
/// The certificate that encrypts the data-protection keys at rest (<c>DataProtection:Certificate:Path</c>, a PFX, and
/// <c>DataProtection:Certificate:Password</c>). The keys live in the database with everything else; encrypted, a copy
/// of the database alone cannot mint cookies or bearer tokens.
/// </summary>
public static class DataProtectionCertificate
{
    public const string PathKey = "DataProtection:Certificate:Path";
    public const string PasswordKey = "DataProtection:Certificate:Password";

    /// <summary>The configured certificate with its private key, or null when none is configured.</summary>
    /// <exception cref="StartupException">A path is configured but the file cannot be read as a certificate with a private key.</exception>
    public static X509Certificate2? Load(IConfiguration configuration, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(environment);
        var path = configuration[PathKey];
        if (string.IsNullOrWhiteSpace(path))
            return null;
        var full = Path.GetFullPath(path, environment.ContentRootPath);
        try
        {
            var certificate = X509CertificateLoader.LoadPkcs12FromFile(full, configuration[PasswordKey], X509KeyStorageFlags.EphemeralKeySet);
            return certificate.HasPrivateKey
                ? certificate
                : throw new StartupException($"{PathKey}: '{full}' has no private key; the data-protection keys cannot be decrypted with it.");
        }
        catch (System.Security.Cryptography.CryptographicException ex)
        {
            throw new StartupException($"{PathKey}: '{full}' cannot be read as a PFX certificate ({ex.Message}).", ex);
        }
    }

    /// <summary>Warns at start-up, outside Development, that the keys are stored unencrypted.</summary>
    public sealed class MissingWarning(IHostEnvironment environment, ILogger<MissingWarning> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            if (environment.IsProduction())
            {
                logger.LogWarning("No {Setting} is configured: the data-protection keys (cookies, bearer tokens) are stored unencrypted in the database. " +
                    "Configure a certificate to encrypt them at rest (see README, Configuration).", PathKey);
            }
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
