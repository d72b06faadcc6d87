using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using RestorationWorkflow.IntegrationTests.Infrastructure;

namespace RestorationWorkflow.IntegrationTests.Identity;

/// <summary>Accounts and sign-ins for the identity tests: users made through the admin API, the sign-in form posted as a browser would.</summary>
public static class Accounts
{
    public const string Password = "Account-Test-2026!";

    public static string NewEmail(string prefix) => $"{prefix}-{Guid.NewGuid():N}@example.org";

    /// <summary>Creates a user through <c>POST /api/admin/users</c> as the demo administrator; returns its id and e-mail.</summary>
    public static async Task<(string Id, string Email)> CreateAsync(AppFactory app, string prefix, params string[] roles)
    {
        ArgumentNullException.ThrowIfNull(app);
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        var email = NewEmail(prefix);
        var created = await (await admin.PostAsJsonAsync("/api/admin/users", new { email, displayName = prefix, password = Password, roles }))
            .ExpectAsync(HttpStatusCode.Created);
        return (created.Str("id"), email);
    }

    /// <summary>A browser-like client (cookies, no redirects followed).</summary>
    public static HttpClient Browser(AppFactory app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
    }

    /// <summary>Posts the sign-in form with its anti-forgery token.</summary>
    public static async Task<HttpResponseMessage> PostSignInFormAsync(HttpClient browser, string email, string password)
    {
        ArgumentNullException.ThrowIfNull(browser);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = password,
            ["ReturnUrl"] = "/",
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(PageSession.Token(await browser.GetStringAsync("/Account/Login"))),
        });
        return await browser.PostAsync("/Account/Login", form);
    }

    /// <summary>A cookie session of <paramref name="email"/> through the sign-in page.</summary>
    public static async Task<HttpClient> SignedInBrowserAsync(AppFactory app, string email, string password)
    {
        var browser = Browser(app);
        using var response = await PostSignInFormAsync(browser, email, password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return browser;
    }
}
