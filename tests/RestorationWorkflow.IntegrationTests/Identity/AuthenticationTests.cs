using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.IntegrationTests.Infrastructure;

namespace RestorationWorkflow.IntegrationTests.Identity;

public sealed partial class AuthenticationTests(AppFactory factory) : IClassFixture<AppFactory>
{
    [Theory]
    [InlineData(DemoUsers.Pm)]
    [InlineData(DemoUsers.Pm2)]
    [InlineData(DemoUsers.Approver1)]
    [InlineData(DemoUsers.Approver2)]
    [InlineData(DemoUsers.Auditor)]
    [InlineData(DemoUsers.Admin)]
    public async Task Login_AsDemoUser_ReturnsBearerTokenThatReadsProjects(string email)
    {
        using var anonymous = factory.CreateClient();
        var login = await anonymous.PostAsJsonAsync("/api/auth/login", new { email, password = AppFactory.DemoPassword });
        var body = await login.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Bearer", body.Str("tokenType"));
        var token = body.Str("accessToken");
        Assert.False(string.IsNullOrWhiteSpace(token));
        Assert.True(body.Number("expiresIn") > 0);

        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var projects = await (await client.GetAsync("/api/projects")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(System.Text.Json.JsonValueKind.Array, projects.GetProperty("items").ValueKind);
        Assert.True(projects.Number("total") >= 0);
    }

    [Fact]
    public async Task Login_WithWrongPassword_Returns401Problem()
    {
        using var anonymous = factory.CreateClient();
        var response = await anonymous.PostAsJsonAsync("/api/auth/login", new { email = DemoUsers.Auditor, password = "Wrong-Password-2026!" });
        var problem = await response.ExpectProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("The e-mail or password is not correct.", problem.Str("detail"));
        Assert.False(problem.TryGetProperty("accessToken", out _));
    }

    [Theory]
    [InlineData("/api/projects")]
    [InlineData("/api/admin/users")]
    [InlineData("/api/workflows")]
    public async Task Api_WithoutToken_Returns401Problem(string path)
    {
        using var anonymous = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var response = await anonymous.GetAsync(path);
        await response.ExpectProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task Api_WithForgedToken_Returns401Problem()
    {
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not-a-token");
        await (await client.GetAsync("/api/projects")).ExpectProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData(DemoUsers.Pm)]
    [InlineData(DemoUsers.Approver1)]
    [InlineData(DemoUsers.Auditor)]
    public async Task AdminUsers_AsNonAdministrator_Returns403Problem(string email)
    {
        using var client = await factory.ClientForAsync(email);
        var response = await client.GetAsync("/api/admin/users");
        await response.ExpectProblemAsync(HttpStatusCode.Forbidden);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task AdminUsers_AsAdministrator_ListsTheDemoUsers()
    {
        using var client = await factory.ClientForAsync(DemoUsers.Admin);
        var users = await (await client.GetAsync("/api/admin/users")).ExpectAsync(HttpStatusCode.OK);
        var emails = users.EnumerateArray().Select(u => u.Str("email")).ToList();
        Assert.Contains(DemoUsers.Pm, emails);
        Assert.Contains(DemoUsers.Admin, emails);
    }

    [Fact]
    public async Task Register_IsDisabled_Returns404AndCreatesNoUser()
    {
        var email = $"self-{Guid.NewGuid():N}@example.org";
        var usersBefore = await factory.QueryDbAsync(db => db.Users.CountAsync());

        using var anonymous = factory.CreateClient();
        var response = await anonymous.PostAsJsonAsync("/api/auth/register", new { email, password = "Self-Register-2026!" });

        var problem = await response.ExpectProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal("Self-registration is disabled.", problem.Str("title"));
        Assert.False(await factory.QueryDbAsync(db => db.Users.AnyAsync(u => u.Email == email)));
        Assert.Equal(usersBefore, await factory.QueryDbAsync(db => db.Users.CountAsync()));
    }

    [Fact]
    public async Task LoginPage_WithValidForm_RedirectsAndSetsTheAuthCookie()
    {
        using var browser = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

        // Before signing in, a page redirects to the sign-in page.
        var before = await browser.GetAsync("/Projects");
        Assert.Equal(HttpStatusCode.Redirect, before.StatusCode);
        Assert.Contains("/Account/Login", before.Headers.Location!.ToString(), StringComparison.Ordinal);

        var response = await PostLoginFormAsync(browser, DemoUsers.Pm, AppFactory.DemoPassword, returnUrl: "/Projects");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/Projects", response.Headers.Location!.OriginalString);
        var cookies = response.Headers.GetValues("Set-Cookie").ToList();
        Assert.Contains(cookies, c => c.StartsWith("rw.auth=", StringComparison.Ordinal) && c.Contains("httponly", StringComparison.OrdinalIgnoreCase));

        // The cookie now signs in the pages; /api takes bearer tokens only.
        var page = await browser.GetAsync("/Projects");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        await (await browser.GetAsync("/api/projects")).ExpectProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task LoginPage_WithWrongPassword_ShowsTheFormAgainWithoutCookie()
    {
        using var browser = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

        var response = await PostLoginFormAsync(browser, DemoUsers.Approver2, "Wrong-Password-2026!", returnUrl: "/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("rw.auth=", StringComparison.Ordinal)));
        Assert.Contains("data-testid=\"login-form\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await (await browser.GetAsync("/api/projects")).ExpectProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task LoginPage_WithoutAntiforgeryToken_IsRejected()
    {
        using var browser = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Email"] = DemoUsers.Pm,
            ["Input.Password"] = AppFactory.DemoPassword,
        });
        var response = await browser.PostAsync("/Account/Login", form);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("rw.auth=", StringComparison.Ordinal)));
    }

    private static async Task<HttpResponseMessage> PostLoginFormAsync(HttpClient browser, string email, string password, string returnUrl)
    {
        var page = await browser.GetAsync("/Account/Login");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        var token = AntiforgeryToken().Match(html);
        Assert.True(token.Success, "The sign-in page carries an anti-forgery token.");

        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = password,
            ["ReturnUrl"] = returnUrl,
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups["token"].Value),
        });
        return await browser.PostAsync("/Account/Login", form);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"(?<token>[^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
