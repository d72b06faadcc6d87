using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using RestorationWorkflow.IntegrationTests.Identity;
using RestorationWorkflow.IntegrationTests.Infrastructure;

namespace RestorationWorkflow.IntegrationTests.Platform;

/// <summary>
/// Behind a reverse proxy (decision 0042): <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> are believed from the
/// proxies in <c>ReverseProxy:KnownProxies</c> / <c>KnownNetworks</c> only. Observed through what the app does with
/// them: the sign-in limit's per-client partition, the Secure flag of the sign-in cookie, the calendar feed's address.
/// The test server has no socket, so a first middleware sets the connection's address from <see cref="PeerHeader"/>.
/// </summary>
public sealed class ReverseProxyTests(ReverseProxyTests.BehindProxy app) : IClassFixture<ReverseProxyTests.BehindProxy>
{
    public const string PeerHeader = "X-Test-Peer";
    private const string TrustedProxy = "10.0.0.5";
    private const string ProxyInTrustedNetwork = "10.20.30.40";

    /// <summary>Trusts one proxy address and one network; two sign-in attempts per client address.</summary>
    public sealed class BehindProxy : AppFactory
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["ReverseProxy:KnownProxies:0"] = TrustedProxy,
            ["ReverseProxy:KnownNetworks"] = "10.20.0.0/16",
            ["Identity:SignInRateLimit:PerClient:PermitLimit"] = "2",
            ["Identity:SignInRateLimit:PerClient:Window"] = "01:00:00",
        };

        protected override void ConfigureTestServices(IServiceCollection services) =>
            services.AddSingleton<IStartupFilter, PeerAddressFromTestHeader>();
    }

    private sealed class PeerAddressFromTestHeader : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((HttpContext context, RequestDelegate following) =>
            {
                if (context.Request.Headers.TryGetValue(PeerHeader, out var peer))
                    context.Connection.RemoteIpAddress = IPAddress.Parse(peer.ToString());
                return following(context);
            });
            next(app);
        };
    }

    private static int _forwardedClients;

    [Theory]
    [InlineData(TrustedProxy)]
    [InlineData(ProxyInTrustedNetwork)]
    public async Task FromATrustedProxy_TheSignInLimitCountsPerForwardedClient(string proxy)
    {
        // Addresses of this case only: the cases share one app, and its limiter remembers every client for an hour.
        var number = Interlocked.Increment(ref _forwardedClients);
        var first = $"203.0.113.{number}";
        var second = $"198.51.100.{number}";
        using var client = app.CreateClient();

        Assert.Equal(HttpStatusCode.Unauthorized, await WrongSignInAsync(client, proxy, first));
        Assert.Equal(HttpStatusCode.Unauthorized, await WrongSignInAsync(client, proxy, first));
        Assert.Equal(HttpStatusCode.TooManyRequests, await WrongSignInAsync(client, proxy, first));
        // Another client behind the same proxy has a limit of its own.
        Assert.Equal(HttpStatusCode.Unauthorized, await WrongSignInAsync(client, proxy, second));
    }

    [Theory]
    [InlineData("192.0.2.77")]
    // Loopback is trusted by ASP.NET Core's default; once proxies are configured, only they are.
    [InlineData("127.0.0.1")]
    public async Task FromAnUntrustedPeer_XForwardedForIsIgnored_AndThePeerIsTheClient(string peer)
    {
        using var client = app.CreateClient();

        Assert.Equal(HttpStatusCode.Unauthorized, await WrongSignInAsync(client, peer, "203.0.113.201"));
        Assert.Equal(HttpStatusCode.Unauthorized, await WrongSignInAsync(client, peer, "203.0.113.202"));
        // A forged address per attempt does not buy fresh attempts: the peer's partition is used up.
        Assert.Equal(HttpStatusCode.TooManyRequests, await WrongSignInAsync(client, peer, "203.0.113.203"));
    }

    [Fact]
    public async Task FromATrustedProxy_XForwardedProtoHttps_GivesASecureCookieAndAnHttpsFeedAddress()
    {
        var cookie = await SignInCookieAsync(TrustedProxy, "https");
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);

        var feedUrl = await CalendarFeedUrlAsync(TrustedProxy, "https");
        Assert.StartsWith("https://localhost/api/calendar/", feedUrl, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FromAnUntrustedPeer_XForwardedProtoIsIgnored_NoSecureCookieAndAnHttpFeedAddress()
    {
        var cookie = await SignInCookieAsync("192.0.2.78", "https");
        Assert.DoesNotContain("secure", cookie, StringComparison.OrdinalIgnoreCase);

        var feedUrl = await CalendarFeedUrlAsync("192.0.2.79", "https");
        Assert.StartsWith("http://localhost/api/calendar/", feedUrl, StringComparison.Ordinal);
    }

    private static async Task<HttpStatusCode> WrongSignInAsync(HttpClient client, string peer, string forwardedFor)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login")
        {
            Content = JsonContent.Create(new { email = Accounts.NewEmail("proxy"), password = "Wrong-Password-2026!" }),
        };
        request.Headers.Add(PeerHeader, peer);
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>Signs in on the page from <paramref name="peer"/>; answers the sign-in cookie as set.</summary>
    private async Task<string> SignInCookieAsync(string peer, string forwardedProto)
    {
        using var browser = Accounts.Browser(app);
        browser.DefaultRequestHeaders.Add(PeerHeader, peer);
        browser.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.250");
        browser.DefaultRequestHeaders.Add("X-Forwarded-Proto", forwardedProto);
        using var response = await Accounts.PostSignInFormAsync(browser, DemoUsers.Pm, AppFactory.DemoPassword);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("rw.auth=", StringComparison.Ordinal));
    }

    /// <summary>Creates a calendar feed token from <paramref name="peer"/> (signing in from there too); answers the feed's address.</summary>
    private async Task<string> CalendarFeedUrlAsync(string peer, string forwardedProto)
    {
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Add(PeerHeader, peer);
        client.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.251");
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", forwardedProto);
        var login = await (await client.PostAsJsonAsync("/api/auth/login", new { email = DemoUsers.Approver1, password = AppFactory.DemoPassword })).ExpectAsync(HttpStatusCode.OK);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", login.Str("accessToken"));
        var created = await (await client.PostAsync("/api/me/calendar-token", null)).ExpectAsync(HttpStatusCode.OK);
        return created.Str("url");
    }
}
