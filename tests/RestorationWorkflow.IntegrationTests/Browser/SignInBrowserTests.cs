using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace RestorationWorkflow.IntegrationTests.Browser;

/// <summary>A project manager signs in through the sign-in page, sees their navigation, switches to Chinese and signs out.</summary>
public sealed class SignInBrowserTests(KestrelAppFactory app, BrowserFixture browser) : IClassFixture<KestrelAppFactory>, IClassFixture<BrowserFixture>
{
    [BrowserFact]
    public async Task ProjectManager_SignsIn_SeesRoleNavigation_SwitchesToChinese_SignsOut()
    {
        var page = await browser.NewPageAsync(app.BaseAddress);

        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/Account/Login"));
        await page.GetByLabel("E-mail").FillAsync("pm@example.org");
        await page.GetByLabel("Password").FillAsync(Infrastructure.AppFactory.DemoPassword);
        await BrowserFixture.ScreenshotAsync(page, "01-sign-in");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        var who = page.GetByTestId("whoami");
        await Expect(who).ToContainTextAsync("Pat Manager");
        await Expect(page.GetByTestId("roles")).ToHaveTextAsync("Project manager");
        var nav = page.GetByTestId("main-nav");
        await Expect(nav.Locator("[data-nav=projects]")).ToHaveTextAsync("Projects");
        await Expect(nav.Locator("[data-nav=new-project]")).ToHaveTextAsync("New project");
        await Expect(nav.Locator("[data-nav=users]")).ToHaveCountAsync(0);
        await Expect(nav.Locator("[data-nav=audit]")).ToHaveCountAsync(0);
        await Expect(nav.Locator("[data-nav=reviews]")).ToHaveCountAsync(0);
        await BrowserFixture.ScreenshotAsync(page, "02-signed-in-en");

        await page.GetByTestId("lang-zh").ClickAsync();
        await Expect(nav.Locator("[data-nav=projects]")).ToHaveTextAsync("项目");
        await Expect(nav.Locator("[data-nav=new-project]")).ToHaveTextAsync("新建项目");
        await Expect(page.GetByTestId("roles")).ToHaveTextAsync("项目经理");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "zh-Hans");
        await BrowserFixture.ScreenshotAsync(page, "03-signed-in-zh");

        await page.GetByTestId("sign-out").ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/Account/Login"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "登录" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("main-nav")).ToHaveCountAsync(0);
        await BrowserFixture.ScreenshotAsync(page, "04-signed-out-zh");
    }
}
