using Microsoft.Playwright;
using RestorationWorkflow.IntegrationTests.Browser;
using RestorationWorkflow.IntegrationTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace RestorationWorkflow.IntegrationTests.Platform;

/// <summary>
/// In a real browser the Content-Security-Policy blocks nothing the app needs: the vendored Mermaid draws the
/// diagram, with the current state highlighted, and the browser reports no violation.
/// </summary>
public sealed class ContentSecurityPolicyBrowserTests(KestrelAppFactory app, BrowserFixture browser) : IClassFixture<KestrelAppFactory>, IClassFixture<BrowserFixture>
{
    [BrowserFact]
    public async Task ProjectAndWorkflowDiagrams_RenderUnderThePolicy_WithoutViolations()
    {
        using var api = app.CreateClient();
        api.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", await app.TokenForAsync(DemoUsers.Pm));
        var id = await api.CreateProjectAsync("CSP check");
        var page = await browser.NewPageAsync(app.BaseAddress);
        var violations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
                violations.Add(message.Text);
        };
        await page.AddInitScriptAsync("""
            document.addEventListener('securitypolicyviolation', e =>
                console.error('Content Security Policy violation: ' + e.violatedDirective + ' ' + e.blockedURI));
            """);

        var response = await page.GotoAsync("/Account/Login");
        Assert.Contains("frame-ancestors 'none'", (await response!.AllHeadersAsync())["content-security-policy"], StringComparison.Ordinal);
        await page.GetByLabel("E-mail").FillAsync(DemoUsers.Pm);
        await page.GetByLabel("Password").FillAsync(AppFactory.DemoPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByTestId("whoami")).ToBeVisibleAsync();

        await page.GotoAsync($"/Projects/{id}");
        var diagram = page.GetByTestId("diagram");
        await Expect(diagram.Locator("svg")).ToBeVisibleAsync();
        var current = diagram.Locator("svg g.current").First;
        await Expect(current).ToBeVisibleAsync();
        // Mermaid's classDef colours the current state (#f6c343) through its generated styles.
        var fill = await current.Locator("rect, path, polygon").First.EvaluateAsync<string>("e => getComputedStyle(e).fill");
        Assert.Equal("rgb(246, 195, 67)", fill);
        await BrowserFixture.ScreenshotAsync(page, "csp-project-diagram");

        Assert.True(violations.Count == 0, "CSP violations: " + string.Join(" | ", violations));
    }
}
