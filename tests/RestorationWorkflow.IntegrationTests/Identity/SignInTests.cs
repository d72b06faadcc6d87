using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RestorationWorkflow.Identity;
using RestorationWorkflow.IntegrationTests.Infrastructure;

namespace RestorationWorkflow.IntegrationTests.Identity;

/// <summary>
/// Sign-in tells nobody whether an account exists or is locked: unknown e-mail, wrong password and locked account
/// answer alike (status, body, the work done), and failures never lock an account.
/// </summary>
public sealed class SignInTests(SignInTests.CountingHasherAppFactory factory) : IClassFixture<SignInTests.CountingHasherAppFactory>
{
    /// <summary>The app with its password hasher wrapped to count verifications.</summary>
    public sealed class CountingHasherAppFactory : AppFactory
    {
        public CountingHasher Hasher { get; } = new();

        protected override void ConfigureTestServices(IServiceCollection services) =>
            services.AddScoped<IPasswordHasher<AppUser>>(sp =>
            {
                Hasher.Inner = new PasswordHasher<AppUser>(sp.GetRequiredService<IOptions<PasswordHasherOptions>>());
                return Hasher;
            });
    }

    public sealed class CountingHasher : IPasswordHasher<AppUser>
    {
        private int verifications;

        public IPasswordHasher<AppUser> Inner { get; set; } = new PasswordHasher<AppUser>();

        public int Verifications => Volatile.Read(ref verifications);

        public string HashPassword(AppUser user, string password) => Inner.HashPassword(user, password);

        public PasswordVerificationResult VerifyHashedPassword(AppUser user, string hashedPassword, string providedPassword)
        {
            Interlocked.Increment(ref verifications);
            return Inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }

    [Fact]
    public async Task UnknownEmail_WrongPassword_LockedAccount_GetTheSame401()
    {
        var (lockedId, lockedEmail) = await Accounts.CreateAsync(factory, "locked-signin", "Auditor");
        using (var admin = await factory.ClientForAsync(DemoUsers.Admin))
            await (await admin.PostAsync($"/api/admin/users/{lockedId}/lock", null)).ExpectAsync(HttpStatusCode.OK);
        using var anonymous = factory.CreateClient();

        var unknown = await LoginProblemAsync(anonymous, Accounts.NewEmail("nobody"), "Whatever-Password-2026!");
        var wrong = await LoginProblemAsync(anonymous, DemoUsers.Pm2, "Wrong-Password-2026!");
        // The right password of a locked account: refused exactly like a wrong one.
        var locked = await LoginProblemAsync(anonymous, lockedEmail, Accounts.Password);

        Assert.Equal(Canonical(unknown), Canonical(wrong));
        Assert.Equal(Canonical(unknown), Canonical(locked));
        Assert.Equal("The e-mail or password is not correct.", unknown.Str("detail"));
        Assert.DoesNotContain("lock", Canonical(locked), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task UnknownEmail_AndLockedAccount_StillVerifyAPasswordHash()
    {
        var (lockedId, lockedEmail) = await Accounts.CreateAsync(factory, "locked-hash", "Auditor");
        using (var admin = await factory.ClientForAsync(DemoUsers.Admin))
            await (await admin.PostAsync($"/api/admin/users/{lockedId}/lock", null)).ExpectAsync(HttpStatusCode.OK);
        using var anonymous = factory.CreateClient();

        foreach (var (email, password) in new[] { (Accounts.NewEmail("nobody"), "Whatever-Password-2026!"), (lockedEmail, Accounts.Password), (DemoUsers.Pm2, "Wrong-Password-2026!") })
        {
            var before = factory.Hasher.Verifications;
            await LoginProblemAsync(anonymous, email, password);
            Assert.True(factory.Hasher.Verifications - before == 1, $"Signing in as {email} verified {factory.Hasher.Verifications - before} hashes; every failure verifies one.");
        }
    }

    [Fact]
    public async Task UnknownEmail_TakesAboutAsLongAsAWrongPassword()
    {
        using var anonymous = factory.CreateClient();
        await LoginProblemAsync(anonymous, DemoUsers.Auditor, "Warm-Up-Password-2026!");
        await LoginProblemAsync(anonymous, Accounts.NewEmail("warm-up"), "Warm-Up-Password-2026!");
        var known = new List<double>();
        var unknown = new List<double>();
        for (var i = 0; i < 7; i++)
        {
            known.Add(await TimeAsync(() => LoginProblemAsync(anonymous, DemoUsers.Auditor, "Wrong-Password-2026!")));
            unknown.Add(await TimeAsync(() => LoginProblemAsync(anonymous, Accounts.NewEmail("timing"), "Wrong-Password-2026!")));
        }

        // Before: 1–3 ms against 50–130 ms. The same hash work makes them comparable; the bound leaves room for a busy machine.
        var knownMedian = known.Order().ElementAt(3);
        var unknownMedian = unknown.Order().ElementAt(3);
        Assert.True(unknownMedian > knownMedian * 0.3, $"Unknown e-mail median {unknownMedian:F1} ms against wrong password {knownMedian:F1} ms.");
    }

    [Fact]
    public async Task ManyWrongPasswords_NeverLockTheAccount()
    {
        var (id, email) = await Accounts.CreateAsync(factory, "no-lockout", "Auditor");
        using var anonymous = factory.CreateClient();
        for (var attempt = 1; attempt <= 8; attempt++)
            await LoginProblemAsync(anonymous, email, $"Wrong-Password-{attempt}!");

        var right = await anonymous.PostAsJsonAsync("/api/auth/login", new { email, password = Accounts.Password });
        Assert.False(string.IsNullOrEmpty((await right.ExpectAsync(HttpStatusCode.OK)).Str("accessToken")));
        var stored = await factory.QueryDbAsync(db => db.Users.Where(u => u.Id == id).Select(u => new { u.LockoutEnd, u.AccessFailedCount }).SingleAsync());
        Assert.Null(stored.LockoutEnd);
        Assert.Equal(0, stored.AccessFailedCount);
    }

    [Fact]
    public async Task Login_WithUseCookies_StillAnswersWithABearerTokenAndSetsNoCookie()
    {
        using var anonymous = factory.CreateClient();
        var response = await anonymous.PostAsJsonAsync("/api/auth/login?useCookies=true", new { email = DemoUsers.Auditor, password = AppFactory.DemoPassword });
        var body = await response.ExpectAsync(HttpStatusCode.OK);
        Assert.False(string.IsNullOrEmpty(body.Str("accessToken")));
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task SignInPage_UnknownEmail_WrongPassword_LockedAccount_ShowTheSameMessage()
    {
        var (lockedId, lockedEmail) = await Accounts.CreateAsync(factory, "locked-page", "Auditor");
        using (var admin = await factory.ClientForAsync(DemoUsers.Admin))
            await (await admin.PostAsync($"/api/admin/users/{lockedId}/lock", null)).ExpectAsync(HttpStatusCode.OK);

        var pages = new List<string>();
        foreach (var (email, password) in new[] { (Accounts.NewEmail("nobody"), "Whatever-Password-2026!"), (DemoUsers.Approver2, "Wrong-Password-2026!"), (lockedEmail, Accounts.Password) })
        {
            using var browser = Accounts.Browser(factory);
            using var response = await Accounts.PostSignInFormAsync(browser, email, password);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
            pages.Add(System.Text.RegularExpressions.Regex.Match(html, "<div class=\"errors[^\"]*\"[^>]*>.*?</div>", System.Text.RegularExpressions.RegexOptions.Singleline).Value);
        }

        Assert.All(pages, p => Assert.Contains("The e-mail or password is not correct.", p, StringComparison.Ordinal));
        Assert.All(pages, p => Assert.Equal(pages[0], p));
        Assert.All(pages, p => Assert.DoesNotContain("locked", p, StringComparison.OrdinalIgnoreCase));
    }

    private static async Task<JsonElement> LoginProblemAsync(HttpClient client, string email, string password) =>
        await (await client.PostAsJsonAsync("/api/auth/login", new { email, password })).ExpectProblemAsync(HttpStatusCode.Unauthorized);

    /// <summary>The body without what differs per request by design (the trace id).</summary>
    private static string Canonical(JsonElement problem) =>
        JsonSerializer.Serialize(problem.EnumerateObject().Where(p => p.Name != "traceId").ToDictionary(p => p.Name, p => p.Value.ToString()));

    private static async Task<double> TimeAsync(Func<Task> action)
    {
        var watch = Stopwatch.StartNew();
        await action();
        return watch.Elapsed.TotalMilliseconds;
    }
}
