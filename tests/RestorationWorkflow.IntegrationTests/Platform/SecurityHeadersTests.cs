using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using RestorationWorkflow.IntegrationTests.Infrastructure;

namespace RestorationWorkflow.IntegrationTests.Platform;

/// <summary>Every kind of response carries the security headers; no page has an inline script or event handler.</summary>
public sealed partial class SecurityHeadersTests(AppFactory factory) : IClassFixture<AppFactory>
{
    public static TheoryData<string> AnonymousPaths => new()
    {
        "/Account/Login",             // a page that also sets an antiforgery cookie
        "/Projects",                  // a redirect to sign-in
        "/no-such-page",              // the re-executed error page (404)
        "/css/site.css",              // a static file
        "/lib/mermaid/mermaid.min.js",
        "/api/projects",              // 401 ProblemDetails
        "/api/no-such-thing",         // 404 ProblemDetails
        "/health",
        "/openapi/v1.json",
    };

    [Theory]
    [MemberData(nameof(AnonymousPaths))]
    public async Task AnonymousResponses_CarryTheSecurityHeaders(string path)
    {
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var response = await client.GetAsync(path);

        AssertSecurityHeaders(response);
    }

    [Fact]
    public async Task ApiResponses_ForASignedInCaller_CarryTheSecurityHeaders()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();

        using var ok = await pm.GetAsync($"/api/projects/{id}");
        using var invalid = await pm.PostAsync("/api/projects", Http.RawJson("""{"name":"""));
        using var forbidden = await pm.GetAsync("/api/admin/users");

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        AssertSecurityHeaders(ok);
        AssertSecurityHeaders(invalid);
        AssertSecurityHeaders(forbidden);
    }

    [Fact]
    public async Task ThePageWithTheApproveButton_CannotBeFramed()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        using var approver = await PageSession.SignInAsync(factory, DemoUsers.Approver1);

        using var response = await approver.GetAsync($"/Projects/{id}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertSecurityHeaders(response);
        // Antiforgery's own SAMEORIGIN is replaced, not doubled.
        Assert.Equal(["DENY"], response.Headers.GetValues("X-Frame-Options"));
    }

    [Fact]
    public async Task Hsts_IsSentOverHttpsOutsideDevelopment()
    {
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions
        {
            AllowAutoRedirect = false,
            BaseAddress = new Uri("https://restoration.example.org"),
        });

        using var response = await client.GetAsync("/Account/Login");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Matches(@"max-age=\d{6,}", string.Join(";", response.Headers.GetValues("Strict-Transport-Security")));
    }

    [Theory]
    [InlineData(DemoUsers.Pm)]
    [InlineData(DemoUsers.Admin)]
    [InlineData(DemoUsers.Approver1)]
    [InlineData(DemoUsers.Auditor)]
    public async Task Pages_HaveNoInlineScriptOrEventHandler(string email)
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        using var client = await PageSession.SignInAsync(factory, email);
        string[] paths = ["/", "/Projects", "/Projects/New", $"/Projects/{id}", "/Reviews", "/Audit", "/Admin/Users", "/Admin/Users/Create", "/Workflows", "/Account/Manage"];

        foreach (var path in paths)
        {
            using var response = await client.GetAsync(path);
            var html = await response.Content.ReadAsStringAsync();
            AssertSecurityHeaders(response);
            Assert.DoesNotMatch(InlineScript(), html);
            Assert.DoesNotMatch(EventHandlerAttribute(), html);
            Assert.DoesNotContain("javascript:", html, StringComparison.OrdinalIgnoreCase);
        }
    }

    internal static void AssertSecurityHeaders(HttpResponseMessage response)
    {
        var where = $"{response.RequestMessage?.RequestUri} ({(int)response.StatusCode})";
        var csp = Single(response, "Content-Security-Policy");
        var directives = csp.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .ToDictionary(d => d.Split(' ')[0], d => d.Split(' ').Skip(1).ToArray(), StringComparer.Ordinal);
        Assert.True(directives.ContainsKey("frame-ancestors"), $"{where}: {csp}");
        Assert.Equal(["'none'"], directives["frame-ancestors"]);
        Assert.Equal(["'self'"], directives["script-src"]);
        Assert.Equal(["'self'"], directives["default-src"]);
        Assert.Equal(["'none'"], directives["object-src"]);
        Assert.Equal("DENY", Single(response, "X-Frame-Options"));
        Assert.Equal("nosniff", Single(response, "X-Content-Type-Options"));
        Assert.Contains(Single(response, "Referrer-Policy"), new[] { "no-referrer", "strict-origin-when-cross-origin" });
    }

    private static string Single(HttpResponseMessage response, string name)
    {
        var found = response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values);
        Assert.True(found, $"{response.RequestMessage?.RequestUri} ({(int)response.StatusCode}) has no {name} header.");
        return Assert.Single(values!);
    }

    /// <summary>A script element without <c>src</c>.</summary>
    [GeneratedRegex(@"<script(?![^>]*\bsrc=)[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();

    /// <summary>An <c>onclick=</c>, <c>onload=</c>… attribute inside a tag.</summary>
    [GeneratedRegex(@"<[a-z][^>]*\son[a-z]+\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex EventHandlerAttribute();
}
