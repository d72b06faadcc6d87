using System.Net;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.IntegrationTests.Infrastructure;

namespace RestorationWorkflow.IntegrationTests.Identity;

/// <summary><c>/api</c> accepts bearer tokens only: the pages' cookie, which a browser sends along cross-site, authorizes nothing there.</summary>
public sealed class ApiBearerOnlyTests(AppFactory factory) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task CrossSiteFormPost_WithTheAdministratorsCookie_Is401_AndLocksNobody()
    {
        var (id, _) = await Accounts.CreateAsync(factory, "csrf-target", "Approver");
        using var browser = await PageSession.SignInAsync(factory, DemoUsers.Admin);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/admin/users/{id}/lock")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["x"] = "1" }),
        };
        request.Headers.Add("Origin", "https://attacker.example");

        var response = await browser.SendAsync(request);

        await response.ExpectProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Null(await factory.QueryDbAsync(db => db.Users.Where(u => u.Id == id).Select(u => u.LockoutEnd).SingleAsync()));
        // The cookie still signs in the pages.
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/Admin/Users")).StatusCode);
    }

    [Theory]
    [InlineData("/api/projects")]
    [InlineData("/api/admin/users")]
    [InlineData("/api/auth/manage/info")]
    public async Task Get_WithOnlyTheCookie_Is401(string path)
    {
        using var browser = await PageSession.SignInAsync(factory, DemoUsers.Admin);
        var response = await browser.GetAsync(path);
        await response.ExpectProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public void NoPageOrScript_CallsTheApi()
    {
        var web = Path.Combine(Solution(), "src", "RestorationWorkflow.Web");
        var callers = Directory.EnumerateFiles(Path.Combine(web, "Features"), "*.cshtml", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(Path.Combine(web, "wwwroot", "js"), "*.js", SearchOption.AllDirectories))
            .Where(f => File.ReadAllText(f).Contains("/api/", StringComparison.Ordinal))
            .ToList();
        Assert.True(callers.Count == 0, "Pages use the cookie, which /api refuses: " + string.Join(", ", callers));
    }

    private static string Solution()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RestorationWorkflow.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException("RestorationWorkflow.sln not found above the test output.");
    }
}
