using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using RestorationWorkflow.IntegrationTests.Infrastructure;

namespace RestorationWorkflow.IntegrationTests.MultiNode;

/// <summary>
/// A lock-out or a role change made on node A reaches node B within the promised 30 s, for bearer tokens and sign-in
/// cookies alike (decisions 0015, 0041): B trusts what it read about the account for <c>Identity:BearerRecheckInterval</c>
/// (30 s) by its <see cref="TimeProvider"/>, then refuses. Each node runs on a <see cref="FakeTimeProvider"/> started at
/// the same instant, so the 30 s are moved, not waited for.
/// </summary>
public sealed class AccountChangesAcrossNodesTests
{
    private static readonly TimeSpan JustBefore = TimeSpan.FromSeconds(29);
    private static readonly TimeSpan JustAfter = TimeSpan.FromSeconds(30) + TimeSpan.FromMilliseconds(1);

    [PostgresFact]
    public async Task ALockOutOnNodeA_IsRefusedOnNodeB_ForTheTokenAndTheCookie_Within30Seconds()
    {
        await using var nodes = await Nodes.StartAsync();
        var token = await nodes.A.TokenForAsync(DemoUsers.Pm);
        var cookie = await MultiNodeTests.SignInCookieAsync(nodes.A, DemoUsers.Pm);
        // B reads the account now: both accepted.
        Assert.Equal(HttpStatusCode.OK, await nodes.WithTokenOnBAsync(token, HttpMethod.Get, "/api/projects"));
        Assert.Equal(HttpStatusCode.OK, await nodes.WithCookieOnBAsync(cookie, "/Projects"));

        using var admin = await nodes.A.ClientForAsync(DemoUsers.Admin);
        await (await admin.PostAsync($"/api/admin/users/{await nodes.PmIdAsync()}/lock", null)).ExpectAsync(HttpStatusCode.OK);
        // A, which made the change, refuses the token at once.
        using (var onA = nodes.A.CreateClient())
        {
            onA.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var refused = await onA.GetAsync("/api/projects");
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        // 29 s later B may still trust what it read (this is what the interval allows, and proves the clock is B's)...
        nodes.B.Time.Advance(JustBefore);
        Assert.Equal(HttpStatusCode.OK, await nodes.WithTokenOnBAsync(token, HttpMethod.Get, "/api/projects"));
        Assert.Equal(HttpStatusCode.OK, await nodes.WithCookieOnBAsync(cookie, "/Projects"));
        // ...past 30 s it refuses both: the sign-in page for the cookie, 401 for the token.
        nodes.B.Time.Advance(JustAfter - JustBefore);
        await nodes.AssertCookieSentToSignInOnBAsync(cookie, "/Projects");
        Assert.Equal(HttpStatusCode.Unauthorized, await nodes.WithTokenOnBAsync(token, HttpMethod.Get, "/api/projects"));
    }

    [PostgresFact]
    public async Task ARoleRemovedOnNodeA_IsRefusedOnNodeB_ForTheTokenAndTheCookie_Within30Seconds_AndANewSignInGets403()
    {
        await using var nodes = await Nodes.StartAsync();
        var token = await nodes.A.TokenForAsync(DemoUsers.Pm);
        var cookie = await MultiNodeTests.SignInCookieAsync(nodes.A, DemoUsers.Pm);
        Assert.Equal(HttpStatusCode.Created, await nodes.WithTokenOnBAsync(token, HttpMethod.Post, "/api/projects", ProjectsApi.ValidRequest("Before the change")));
        Assert.Equal(HttpStatusCode.OK, await nodes.WithCookieOnBAsync(cookie, "/Projects/New"));

        // pm@ is no longer a project manager (an auditor instead).
        using var admin = await nodes.A.ClientForAsync(DemoUsers.Admin);
        await (await admin.PutAsJsonAsync($"/api/admin/users/{await nodes.PmIdAsync()}/roles", new { roles = new[] { "Auditor" } })).ExpectAsync(HttpStatusCode.OK);

        nodes.B.Time.Advance(JustBefore);
        Assert.Equal(HttpStatusCode.Created, await nodes.WithTokenOnBAsync(token, HttpMethod.Post, "/api/projects", ProjectsApi.ValidRequest("Within the interval")));
        Assert.Equal(HttpStatusCode.OK, await nodes.WithCookieOnBAsync(cookie, "/Projects/New"));

        nodes.B.Time.Advance(JustAfter - JustBefore);
        Assert.Equal(HttpStatusCode.Unauthorized, await nodes.WithTokenOnBAsync(token, HttpMethod.Post, "/api/projects", ProjectsApi.ValidRequest("After the interval")));
        await nodes.AssertCookieSentToSignInOnBAsync(cookie, "/Projects/New");
        Assert.Equal(0, await nodes.A.QueryDbAsync(db => db.Projects.CountAsync(p => p.Name == "After the interval")));

        // Signed in again on B, pm@ holds the new role only: may read, may not create.
        var fresh = await nodes.B.TokenForAsync(DemoUsers.Pm);
        Assert.Equal(HttpStatusCode.OK, await nodes.WithTokenOnBAsync(fresh, HttpMethod.Get, "/api/projects"));
        Assert.Equal(HttpStatusCode.Forbidden, await nodes.WithTokenOnBAsync(fresh, HttpMethod.Post, "/api/projects", ProjectsApi.ValidRequest("With the new role")));
    }

    /// <summary>Two nodes on one database, each on its own fake clock started at the same (real) instant.</summary>
    private sealed class Nodes : IAsyncDisposable
    {
        private Nodes(ClockedApp a, ClockedApp b)
        {
            A = a;
            B = b;
        }

        public ClockedApp A { get; }

        public ClockedApp B { get; }

        public static Task<Nodes> StartAsync()
        {
            var database = PostgresCluster.Shared.CreateDatabase();
            // The real time: Identity's lock-out and the tokens' expiry are compared with it.
            var start = DateTimeOffset.UtcNow;
            var nodes = new Nodes(new ClockedApp(start) { PostgreSql = database }, new ClockedApp(start) { PostgreSql = database });
            _ = nodes.A.Server;
            _ = nodes.B.Server;
            return Task.FromResult(nodes);
        }

        public Task<string> PmIdAsync() =>
            A.QueryDbAsync(db => db.Users.Where(u => u.Email == DemoUsers.Pm).Select(u => u.Id).SingleAsync());

        public async Task<HttpStatusCode> WithTokenOnBAsync(string token, HttpMethod method, string path, object? body = null)
        {
            using var client = B.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
            using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await client.SendAsync(request);
            return response.StatusCode;
        }

        public async Task<HttpStatusCode> WithCookieOnBAsync(string cookie, string path)
        {
            using var response = await CookieRequestOnBAsync(cookie, path);
            return response.StatusCode;
        }

        public async Task AssertCookieSentToSignInOnBAsync(string cookie, string path)
        {
            using var response = await CookieRequestOnBAsync(cookie, path);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/Account/Login", response.Headers.Location?.OriginalString.Replace("http://localhost", "", StringComparison.Ordinal), StringComparison.Ordinal);
        }

        private async Task<HttpResponseMessage> CookieRequestOnBAsync(string cookie, string path)
        {
            using var client = B.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            // The cookie as the browser holds it from A's sign-in (a renewed one from B is not kept: a worst case).
            request.Headers.Add("Cookie", cookie);
            return await client.SendAsync(request);
        }

        public async ValueTask DisposeAsync()
        {
            await A.DisposeAsync();
            await B.DisposeAsync();
        }
    }

    private sealed class ClockedApp(DateTimeOffset start) : AppFactory
    {
        public FakeTimeProvider Time { get; } = new(start);

        protected override void ConfigureTestServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(Time);
    }
}
