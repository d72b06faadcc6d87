using Microsoft.Playwright;
using RestorationWorkflow.IntegrationTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace RestorationWorkflow.IntegrationTests.Browser;

/// <summary>A list of rows on a step form: rows are added and removed by <c>js/step-form.js</c> and saved in order.</summary>
public sealed class StepFormBrowserTests(KestrelAppFactory app, BrowserFixture browser) : IClassFixture<KestrelAppFactory>, IClassFixture<BrowserFixture>
{
    [BrowserFact]
    public async Task Manager_AddsAndRemovesBenefitRows_AndSavesA4()
    {
        _ = app.BaseAddress;
        using var pm = await app.ClientForAsync("pm@example.org");
        var id = await pm.CreateProjectAsync("Coastal mangrove belt");
        await pm.FireAsync(id, "StartAssessment", 1);

        var page = await browser.NewPageAsync(app.BaseAddress);
        await page.GotoAsync("/Account/Login");
        await page.Locator("#Input_Email").FillAsync("pm@example.org");
        await page.Locator("#Input_Password").FillAsync(AppFactory.DemoPassword);
        await page.Locator("[data-testid=login-form] button[type=submit]").ClickAsync();
        await Expect(page.GetByTestId("whoami")).ToBeVisibleAsync();

        await page.GotoAsync($"/Projects/{id}/Steps/A4");
        await page.Locator("#values-estimatedCost").FillAsync("250000");
        await page.Locator("#values-currency").FillAsync("USD");
        await page.Locator("select[name='values.benefits[0].category']").SelectOptionAsync("coastalProtection");
        await page.Locator("input[name='values.benefits[0].estimate']").FillAsync("12");
        await page.Locator("input[name='values.benefits[0].unit']").FillAsync("km of shore");
        var add = page.Locator("[data-add-row='values.benefits']");
        await add.ClickAsync();
        await page.Locator("select[name='values.benefits[1].category']").SelectOptionAsync("health");
        await add.ClickAsync();
        await page.Locator("select[name='values.benefits[2].category']").SelectOptionAsync("jobsAndLivelihoods");
        await page.Locator("input[name='values.benefits[2].estimate']").FillAsync("40");
        await page.Locator("input[name='values.benefits[2].unit']").FillAsync("jobs");
        // Remove the unfinished second row: the third becomes the second.
        await page.Locator("[data-rows='values.benefits'] [data-row]").Nth(1).Locator("[data-remove-row]").ClickAsync();
        await Expect(page.Locator("input[name='values.benefits[1].unit']")).ToHaveValueAsync("jobs");
        await BrowserFixture.ScreenshotAsync(page, "15-form-A4-rows");
        await page.GetByTestId("save-form").ClickAsync();

        await Expect(page.GetByTestId("form-status")).ToHaveAttributeAsync("data-status", "complete");
        var step = await (await pm.GetAsync($"/api/projects/{id}/steps/A4")).ExpectAsync(System.Net.HttpStatusCode.OK);
        var benefits = step.GetProperty("values").GetProperty("benefits").EnumerateArray().Select(b => b.Str("category")).ToList();
        Assert.Equal(["coastalProtection", "jobsAndLivelihoods"], benefits);
    }
}
