using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using RestorationWorkflow.IntegrationTests.Infrastructure;
using RestorationWorkflow.Web.Features.Identity;

namespace RestorationWorkflow.IntegrationTests.Identity;

/// <summary>A bearer token is decrypted once, not on every request, and that changes nothing a request is answered.</summary>
public sealed class BearerTicketCacheTests
{
    [Fact]
    public void SameToken_IsDecryptedOnce_AndEachCallerGetsItsOwnCopy()
    {
        using var cache = new BearerTicketCache();
        var protector = new CountingProtector(Ticket(DateTimeOffset.UtcNow.AddHours(1)));

        var first = cache.Unprotect(protector, "token");
        var second = cache.Unprotect(protector, "token");

        Assert.Equal(1, protector.Unprotects);
        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.NotSame(first.Principal, second.Principal);
        Assert.NotSame(first.Properties, second.Properties);
        // What one request does to its principal does not reach the next.
        second.Principal.AddIdentity(new ClaimsIdentity([new Claim(ClaimTypes.Role, "Administrator")]));
        var third = cache.Unprotect(protector, "token");
        Assert.False(third!.Principal.IsInRole("Administrator"));
        Assert.Equal("pm", third.Principal.FindFirstValue(ClaimTypes.NameIdentifier));
        Assert.Equal(first.Properties.ExpiresUtc, third.Properties.ExpiresUtc);

        cache.Unprotect(protector, "another token");
        Assert.Equal(2, protector.Unprotects);
    }

    [Fact]
    public void TokenThatDoesNotDecrypt_OrHasNoExpiry_IsNotKept()
    {
        using var cache = new BearerTicketCache();
        var forged = new CountingProtector(null);
        Assert.Null(cache.Unprotect(forged, "forged"));
        Assert.Null(cache.Unprotect(forged, "forged"));
        Assert.Equal(2, forged.Unprotects);

        var noExpiry = new CountingProtector(Ticket(null));
        cache.Unprotect(noExpiry, "no expiry");
        cache.Unprotect(noExpiry, "no expiry");
        Assert.Equal(2, noExpiry.Unprotects);
    }

    [Fact]
    public void TokenPastItsExpiry_IsNotKept()
    {
        using var cache = new BearerTicketCache();
        var expired = new CountingProtector(Ticket(DateTimeOffset.UtcNow.AddMinutes(-1)));
        cache.Unprotect(expired, "expired");
        cache.Unprotect(expired, "expired");
        Assert.Equal(2, expired.Unprotects);
    }

    private static AuthenticationTicket Ticket(DateTimeOffset? expires) =>
        new(new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, "pm")], "Identity.Bearer")),
            new AuthenticationProperties { ExpiresUtc = expires }, "Identity.Bearer");

    internal sealed class CountingProtector(AuthenticationTicket? ticket) : ISecureDataFormat<AuthenticationTicket>
    {
        public int Unprotects;

        public string Protect(AuthenticationTicket data) => throw new NotSupportedException();

        public string Protect(AuthenticationTicket data, string? purpose) => throw new NotSupportedException();

        public AuthenticationTicket? Unprotect(string? protectedText) => Unprotect(protectedText, null);

        public AuthenticationTicket? Unprotect(string? protectedText, string? purpose)
        {
            Interlocked.Increment(ref Unprotects);
            return ticket?.Clone();
        }
    }
}

/// <summary>The app's bearer scheme decrypts each token once, and still refuses it once it has expired by the app's clock.</summary>
public sealed class BearerTicketCacheAppTests(BearerTicketCacheAppTests.CountingApp factory) : IClassFixture<BearerTicketCacheAppTests.CountingApp>
{
    /// <summary>The app on a <see cref="FakeTimeProvider"/>, its bearer protector counting what it decrypts.</summary>
    public sealed class CountingApp : AppFactory
    {
        public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

        public int Unprotects => Volatile.Read(ref _unprotects);

        private int _unprotects;

        protected override void ConfigureTestServices(IServiceCollection services)
        {
            services.AddSingleton<TimeProvider>(Time);
            services.PostConfigure<BearerTokenOptions>(IdentityConstants.BearerScheme, o => o.BearerTokenProtector = new Counting(o.BearerTokenProtector, this));
        }

        private sealed class Counting(ISecureDataFormat<AuthenticationTicket> inner, CountingApp app) : ISecureDataFormat<AuthenticationTicket>
        {
            public string Protect(AuthenticationTicket data) => inner.Protect(data);

            public string Protect(AuthenticationTicket data, string? purpose) => inner.Protect(data, purpose);

            public AuthenticationTicket? Unprotect(string? protectedText) => Unprotect(protectedText, null);

            public AuthenticationTicket? Unprotect(string? protectedText, string? purpose)
            {
                Interlocked.Increment(ref app._unprotects);
                return inner.Unprotect(protectedText, purpose);
            }
        }
    }

    [Fact]
    public async Task ATokenUsedTwice_IsDecryptedOnce_AndRefusedOnceExpired()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        await (await pm.GetAsync("/api/projects")).ExpectAsync(HttpStatusCode.OK);
        var before = factory.Unprotects;
        await (await pm.GetAsync("/api/projects")).ExpectAsync(HttpStatusCode.OK);
        await (await pm.GetAsync("/api/workflows")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(before, factory.Unprotects);

        // Tokens live an hour by the app's clock; the kept ticket's expiry is compared with it on every request.
        factory.Time.Advance(TimeSpan.FromMinutes(61));
        await (await pm.GetAsync("/api/projects")).ExpectProblemAsync(HttpStatusCode.Unauthorized);
    }
}
