using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.IntegrationTests.Infrastructure;

namespace RestorationWorkflow.IntegrationTests.Persistence;

/// <summary>The app with <c>DataProtection:Certificate:Path</c> set to a freshly made self-signed PFX.</summary>
public sealed class CertificateAppFactory : AppFactory
{
    private const string Password = "pfx-test-password";

    protected override IDictionary<string, string?> Settings
    {
        get
        {
            var path = Path.Combine(StorageRoot, "dataprotection.pfx");
            if (!File.Exists(path))
            {
                using var rsa = RSA.Create(2048);
                var request = new CertificateRequest("CN=RestorationWorkflow data protection (test)", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
                using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
                Directory.CreateDirectory(StorageRoot);
                File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, Password));
            }
            return new Dictionary<string, string?>
            {
                ["DataProtection:Certificate:Path"] = path,
                ["DataProtection:Certificate:Password"] = Password,
            };
        }
    }
}

public sealed class DataProtectionKeysTests(CertificateAppFactory factory) : IClassFixture<CertificateAppFactory>
{
    [Fact]
    public async Task WithACertificate_TheKeysAreEncryptedAtRest_AndTokensStillWork()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        await (await pm.GetAsync("/api/projects")).ExpectAsync(HttpStatusCode.OK);

        var keys = await factory.QueryDbAsync(db => db.DataProtectionKeys.Select(k => k.Xml).ToListAsync());
        Assert.NotEmpty(keys);
        Assert.All(keys, xml =>
        {
            Assert.Contains("EncryptedData", xml, StringComparison.Ordinal);
            Assert.DoesNotContain("<value>", xml, StringComparison.Ordinal);
        });
    }
}
