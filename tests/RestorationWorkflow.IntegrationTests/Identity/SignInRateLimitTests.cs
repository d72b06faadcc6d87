using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.IntegrationTests.Infrastructure;
using RestorationWorkflow.Web.Features.Identity;

namespace RestorationWorkflow.IntegrationTests.Identity;

/// <summary>
/// Sign-in is rate-limited per client address and per account (429 with Retry-After, on the API and the page).
/// Each test starts an app of its own with low limits, so no test spends another's attempts.
/// </summary>
public sealed class SignInRateLimitTests
{
    private sealed class LowLimits(int perClient, int perAccount) : AppFactory
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Identity:SignInRateLimit:PerClient:PermitLimit"] = perClient.ToString(CultureInfo.InvariantCulture),
            ["Identity:SignInRateLimit:PerClient:Window"] = "00:01:00",
            ["Identity:SignInRateLimit:PerAccount:PermitLimit"] = perAccount.ToString(CultureInfo.InvariantCulture),
            ["Identity:SignInRateLimit:PerAccount:Window"] = "00:15:00",
        };
    }

    [Fact]
    public async Task PerAccount_AfterTheLimit_Answers429WithRetryAfter_EvenForTheRightPassword()
    {
        await using var app = new LowLimits(perClient: 1000, perAccount: 3);
        using var client = app.CreateClient();
        for (var attempt = 1; attempt <= 3; attempt++)
            await (await Login(client, DemoUsers.Pm2, "Wrong-Password-2026!")).ExpectProblemAsync(HttpStatusCode.Unauthorized);

        var refused = await Login(client, DemoUsers.Pm2, AppFactory.DemoPassword);

        var problem = await refused.ExpectProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Equal("Too many sign-in attempts.", problem.Str("title"));
        var retryAfter = int.Parse(Assert.Single(refused.Headers.GetValues("Retry-After")), CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 15 * 60);
        // Another account is not affected.
        await (await Login(client, DemoUsers.Approver2, AppFactory.DemoPassword)).ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task PerAccount_UnknownEmail_IsLimitedExactlyLikeAnAccount()
    {
        await using var app = new LowLimits(perClient: 1000, perAccount: 2);
        using var client = app.CreateClient();
        var nobody = Accounts.NewEmail("nobody");
        var statuses = new List<HttpStatusCode>();
        var known = new List<HttpStatusCode>();
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            statuses.Add((await Login(client, nobody, "Wrong-Password-2026!")).StatusCode);
            known.Add((await Login(client, DemoUsers.Auditor, "Wrong-Password-2026!")).StatusCode);
        }

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(known, statuses);
        // The same account in other letter case or with spaces is the same partition.
        await (await Login(client, "  " + DemoUsers.Auditor.ToUpperInvariant(), AppFactory.DemoPassword)).ExpectProblemAsync(HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task PerClient_AfterTheLimit_Answers429_WhateverAccountIsNamed()
    {
        await using var app = new LowLimits(perClient: 4, perAccount: 1000);
        using var client = app.CreateClient();
        for (var attempt = 1; attempt <= 4; attempt++)
            await (await Login(client, Accounts.NewEmail($"spray{attempt}"), "Wrong-Password-2026!")).ExpectProblemAsync(HttpStatusCode.Unauthorized);

        var refused = await Login(client, DemoUsers.Pm, AppFactory.DemoPassword);

        await refused.ExpectProblemAsync(HttpStatusCode.TooManyRequests);
        var retryAfter = int.Parse(Assert.Single(refused.Headers.GetValues("Retry-After")), CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 60);
    }

    [Fact]
    public async Task SignInPage_AfterTheLimit_Answers429WithRetryAfterAndAMessage()
    {
        await using var app = new LowLimits(perClient: 1000, perAccount: 2);
        using var browser = Accounts.Browser(app);
        for (var attempt = 1; attempt <= 2; attempt++)
            Assert.Equal(HttpStatusCode.OK, (await Accounts.PostSignInFormAsync(browser, DemoUsers.Approver1, "Wrong-Password-2026!")).StatusCode);

        using var refused = await Accounts.PostSignInFormAsync(browser, DemoUsers.Approver1, AppFactory.DemoPassword);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.Contains("Retry-After"));
        Assert.Matches(@"Too many sign-in attempts\. Try again in (1[0-5]|[1-9]) minutes\.", WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync()));
        Assert.False(refused.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("rw.auth=", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task PerAccountLimit_OnAnExistingAccount_IsAuditedOncePerWindow()
    {
        await using var app = new LowLimits(perClient: 1000, perAccount: 2);
        using var client = app.CreateClient();
        for (var attempt = 1; attempt <= 5; attempt++)
            await Login(client, DemoUsers.Pm, "Wrong-Password-2026!");

        var events = await WaitForAsync(app, DemoUsers.Pm);

        var throttled = Assert.Single(events);
        Assert.Equal("system", throttled.ActorId);
        Assert.Contains("\"limit\":\"per-account\"", throttled.Changes, StringComparison.Ordinal);
        Assert.DoesNotContain("Wrong-Password", throttled.Changes, StringComparison.Ordinal);
    }

    private static Task<HttpResponseMessage> Login(HttpClient client, string email, string password) =>
        client.PostAsJsonAsync("/api/auth/login", new { email, password });

    private static async Task<List<RestorationWorkflow.Audit.UserAuditEvent>> WaitForAsync(AppFactory app, string email)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var events = await app.QueryDbAsync(db => db.UserAuditEvents.Where(e => e.UserEmail == email && e.Action == AccountAuditActions.SignInThrottled).ToListAsync());
            // Written in the background: wait for the first, then a moment longer to see that no second one follows.
            if (events.Count > 0 || DateTime.UtcNow > deadline)
            {
                await Task.Delay(300);
                return await app.QueryDbAsync(db => db.UserAuditEvents.Where(e => e.UserEmail == email && e.Action == AccountAuditActions.SignInThrottled).ToListAsync());
            }
            await Task.Delay(100);
        }
    }
}
