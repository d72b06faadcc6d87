using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using RestorationWorkflow.IntegrationTests.Infrastructure;

namespace RestorationWorkflow.IntegrationTests.Browser;

/// <summary>Each demo user signs in through the sign-in page and sees the navigation of their role, and only that.</summary>
public sealed partial class RoleNavigationTests(AppFactory app) : IClassFixture<AppFactory>
{
    public static TheoryData<string, string[]> Users => new()
    {
        { "pm@example.org", ["projects", "portfolio", "lessons", "inbox", "notifications", "new-project"] },
        { "pm2@example.org", ["projects", "portfolio", "lessons", "inbox", "notifications", "new-project"] },
        { "approver1@example.org", ["projects", "portfolio", "lessons", "inbox", "notifications", "reviews", "delegations"] },
        { "approver2@example.org", ["projects", "portfolio", "lessons", "inbox", "notifications", "reviews", "delegations"] },
        { "auditor@example.org", ["projects", "portfolio", "lessons", "inbox", "notifications", "audit", "overdue"] },
        { "admin@example.org", ["projects", "portfolio", "lessons", "inbox", "notifications", "delegations", "overdue", "users", "workflows"] },
    };

    [Theory]
    [MemberData(nameof(Users))]
    public async Task DemoUser_SignsInThroughPage_SeesOnlyTheirRolesNavigation(string email, string[] expected)
    {
        using var client = await SignInAsync(email);
        var home = await client.GetStringAsync("/");
        var nav = NavItem().Matches(home).Select(m => m.Groups["nav"].Value).ToArray();
        Assert.Equal(expected, nav);

        // And the pages behind the other roles' links are refused on the server, not only hidden.
        var forbidden = new Dictionary<string, string>
        {
            ["projects"] = "/Projects", ["inbox"] = "/inbox", ["notifications"] = "/Notifications",
            ["new-project"] = "/Projects/New", ["reviews"] = "/Reviews", ["audit"] = "/Audit",
            ["users"] = "/Admin/Users", ["workflows"] = "/Workflows", ["overdue"] = "/Admin/Overdue",
        };
        foreach (var (item, path) in forbidden.Where(f => !expected.Contains(f.Key)))
        {
            using var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Contains("/Account/AccessDenied", response.Headers.Location!.ToString(), StringComparison.Ordinal);
        }
        foreach (var (item, path) in forbidden.Where(f => expected.Contains(f.Key)))
        {
            using var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task AnonymousVisitor_IsSentToSignIn()
    {
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var response = await client.GetAsync("/Projects");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/Account/Login", response.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    private Task<HttpClient> SignInAsync(string email) => PageSession.SignInAsync(app, email);

    [GeneratedRegex("""data-nav="(?<nav>[a-z-]+)""")]
    private static partial Regex NavItem();

}
