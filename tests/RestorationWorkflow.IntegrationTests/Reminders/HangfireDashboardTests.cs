using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using RestorationWorkflow.IntegrationTests.Infrastructure;

namespace RestorationWorkflow.IntegrationTests.Reminders;

/// <summary>The Hangfire dashboard at /hangfire: administrators only, through the named policy.</summary>
public sealed class HangfireDashboardTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task Anonymous_IsSentToSignIn()
    {
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var response = await client.GetAsync("/hangfire");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/Account/Login", response.Headers.Location!.AbsolutePath);
    }

    [Theory]
    [InlineData(DemoUsers.Pm)]
    [InlineData(DemoUsers.Approver1)]
    [InlineData(DemoUsers.Auditor)]
    public async Task ANonAdministrator_IsDenied_WithACookieAndWithABearerToken(string email)
    {
        using var page = await PageSession.SignInAsync(app, email);
        using (var response = await page.GetAsync("/hangfire/recurring"))
        {
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal("/Account/AccessDenied", response.Headers.Location!.AbsolutePath);
        }
        using var api = await app.ClientForAsync(email);
        using (var response = await api.GetAsync("/hangfire"))
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task TheAdministrator_SeesTheRecurringReminderJobs()
    {
        using var page = await PageSession.SignInAsync(app, DemoUsers.Admin);
        using var response = await page.GetAsync("/hangfire/recurring");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("RestorationWorkflow — jobs", html, StringComparison.Ordinal);
        foreach (var job in new[] { "reminders-scan", "reminders-daily-digest", "reminders-weekly-digest" })
            Assert.Contains(job, html, StringComparison.Ordinal);
        // The dashboard's own script runs under the site's Content-Security-Policy (script-src 'self').
        Assert.Contains("script-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }
}
