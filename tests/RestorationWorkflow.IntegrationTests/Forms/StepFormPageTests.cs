using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.IntegrationTests.Infrastructure;

namespace RestorationWorkflow.IntegrationTests.Forms;

public sealed class StepFormPageTests(AppFactory factory) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task Page_RendersTheSchemaInEnglishAndChinese_AndTheProjectPageLinksIt()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        using var browser = await PageSession.SignInAsync(factory, DemoUsers.Pm);

        var en = WebUtility.HtmlDecode(await browser.GetStringAsync($"/Projects/{id}/Steps/A1"));
        Assert.Contains("Extent, type and drivers of degradation", en, StringComparison.Ordinal);
        Assert.Contains("Invasive alien species", en, StringComparison.Ordinal);
        Assert.Contains("name=\"values.drivers\"", en, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"read-only-reason\"", en, StringComparison.Ordinal);

        browser.DefaultRequestHeaders.AcceptLanguage.ParseAdd("zh-Hans");
        var zh = WebUtility.HtmlDecode(await browser.GetStringAsync($"/Projects/{id}/Steps/A1"));
        Assert.Contains("已退化生态系统的范围、类型、程度和地点以及退化的驱动因素", zh, StringComparison.Ordinal);
        Assert.Contains("外来侵入物种", zh, StringComparison.Ordinal);
        Assert.Contains("(公顷)", zh, StringComparison.Ordinal);
        var details = await browser.GetStringAsync($"/Projects/{id}");
        Assert.Contains($"href=\"/Projects/{id}/Steps/A1\"", details, StringComparison.Ordinal);
        Assert.DoesNotContain($"href=\"/Projects/{id}/Steps/A3\"", details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Page_SavesAPlainFormPost_AndShowsErrorsNextToTheirFields()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        var version = await pm.FireAsync(id, "StartAssessment", 1);
        using var browser = await PageSession.SignInAsync(factory, DemoUsers.Pm);
        var token = PageSession.Token(await browser.GetStringAsync($"/Projects/{id}/Steps/A1"));

        using var bad = new FormUrlEncodedContent([
            new("__RequestVerificationToken", token), new("expectedVersion", version.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("values.extentHectares", "lots"), new("values.drivers", "pollution")]);
        using var refused = await browser.PostAsync($"/Projects/{id}/Steps/A1", bad);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var html = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync());
        Assert.Contains("data-testid=\"errors-values.extentHectares\"", html, StringComparison.Ordinal);
        Assert.Contains("value=\"lots\"", html, StringComparison.Ordinal);

        using var good = new FormUrlEncodedContent([
            new("__RequestVerificationToken", token), new("expectedVersion", version.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("values.extentHectares", "42.5"), new("values.drivers", "pollution"), new("values.drivers", "climateChange"),
            new("values.ecosystemTypes", "wetland"), new("values.degradationType", "both"), new("values.degree", "moderate"),
            new("values.location", "North bank"), new("values.driversDescription", "")]);
        using var saved = await browser.PostAsync($"/Projects/{id}/Steps/A1", good);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);

        var step = await (await pm.GetAsync($"/api/projects/{id}/steps/A1")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("complete", step.Str("status"));
        Assert.Equal(42.5m, step.GetProperty("values").GetProperty("extentHectares").GetDecimal());
        Assert.Equal(["pollution", "climateChange"], step.GetProperty("values").GetProperty("drivers").EnumerateArray().Select(d => d.GetString()));
        Assert.False(step.GetProperty("values").TryGetProperty("driversDescription", out _));
    }

    [Fact]
    public async Task Page_SavesRowsWithoutJavaScript()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        var version = await pm.FireAsync(id, "StartAssessment", 1);
        using var browser = await PageSession.SignInAsync(factory, DemoUsers.Pm);
        var token = PageSession.Token(await browser.GetStringAsync($"/Projects/{id}/Steps/A4"));

        using var post = new FormUrlEncodedContent([
            new("__RequestVerificationToken", token), new("expectedVersion", version.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("values.estimatedCost", "1000"), new("values.currency", "EUR"),
            new("values.benefits[0].category", "health"), new("values.benefits[0].estimate", "3"), new("values.benefits[0].unit", "clinics"),
            new("values.benefits[1].category", ""), new("values.benefits[1].estimate", ""), new("values.benefits[1].unit", "")]);
        using var saved = await browser.PostAsync($"/Projects/{id}/Steps/A4", post);

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var step = await (await pm.GetAsync($"/api/projects/{id}/steps/A4")).ExpectAsync(HttpStatusCode.OK);
        var benefits = step.GetProperty("values").GetProperty("benefits");
        Assert.Equal(1, benefits.GetArrayLength());
        Assert.Equal("clinics", benefits[0].Str("unit"));
    }

    [Theory]
    [InlineData(DemoUsers.Approver1)]
    [InlineData(DemoUsers.Auditor)]
    public async Task Page_IsReadOnlyForReaders(string email)
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        var version = await pm.FireAsync(id, "StartAssessment", 1);
        await pm.FillFormAsync(id, "A2", version);
        using var reader = await PageSession.SignInAsync(factory, email);

        var html = await reader.GetStringAsync($"/Projects/{id}/Steps/A2");

        Assert.DoesNotContain("data-testid=\"save-form\"", html, StringComparison.Ordinal);
        Assert.Contains("disabled", html, StringComparison.Ordinal);
        Assert.Contains("data-status=\"complete\"", html, StringComparison.Ordinal);
    }
}
