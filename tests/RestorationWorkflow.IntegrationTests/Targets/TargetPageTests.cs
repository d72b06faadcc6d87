using System.Net;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.IntegrationTests.Infrastructure;

namespace RestorationWorkflow.IntegrationTests.Targets;

/// <summary>
/// The targets section of the project page (sentences in the reader's language) and the target page, which calls the
/// same command as the API: a broken rule comes back next to its field; another manager is turned away.
/// </summary>
public sealed class TargetPageTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static FormUrlEncodedContent Form(string token, string deadline, string baselineValue = "40") => new(new Dictionary<string, string>
    {
        ["Kind"] = "environmental",
        ["Indicator"] = "vegetationBiomass",
        ["CustomIndicator"] = "",
        ["Unit"] = "",
        ["BaselineValue"] = baselineValue,
        ["BaselineDate"] = "2025-06-01",
        ["BaselineSource"] = "2025 plot survey",
        ["Action"] = "increase",
        ["Quantity"] = "50",
        ["QuantityIsPercent"] = "true",
        ["Deadline"] = deadline,
        ["MonitoringFrequencyMonths"] = "12",
        ["ExpectedVersion"] = "1",
        ["__RequestVerificationToken"] = token,
    });

    [Fact]
    public async Task TheProjectPage_ListsTargetsAsSentences_InTheReadersLanguage()
    {
        using var api = await app.ClientForAsync(DemoUsers.Pm);
        var id = await api.CreateProjectAsync();
        await api.AddTargetAsync(id, TargetsApi.Environmental(1));
        using var client = await PageSession.SignInAsync(app, DemoUsers.Auditor);

        var en = WebUtility.HtmlDecode(await client.GetStringAsync($"/Projects/{id}"));
        using var zhRequest = new HttpRequestMessage(HttpMethod.Get, $"/Projects/{id}");
        zhRequest.Headers.AcceptLanguage.ParseAdd("zh-Hans");
        using var zhResponse = await client.SendAsync(zhRequest);
        var zh = WebUtility.HtmlDecode(await zhResponse.Content.ReadAsStringAsync());

        Assert.Contains("Increase vegetation biomass by 50 % by 2031-06-30", en, StringComparison.Ordinal);
        Assert.Contains("到 2031-06-30 将植被生物量增加 50%", zh, StringComparison.Ordinal);
        Assert.Contains("恢复目标", zh, StringComparison.Ordinal);
        Assert.Contains("Add a complete socio-economic target", en, StringComparison.Ordinal);
        Assert.Contains("请添加一个完整的社会经济目标", zh, StringComparison.Ordinal);
        Assert.DoesNotContain("Add a complete environmental target", en, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"add-target\"", en, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheForm_SavesThroughTheCommand_AndShowsABrokenRuleNextToItsField()
    {
        using var api = await app.ClientForAsync(DemoUsers.Pm);
        var id = await api.CreateProjectAsync();
        using var client = await PageSession.SignInAsync(app, DemoUsers.Pm);
        var form = await client.GetStringAsync($"/Projects/{id}/Targets");
        using var chinese = Chinese($"/Projects/{id}/Targets");
        using var chineseForm = await client.SendAsync(chinese);
        Assert.Contains("植被生物量", WebUtility.HtmlDecode(await chineseForm.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        var token = PageSession.Token(form);

        using var refused = await client.PostAsync($"/Projects/{id}/Targets", Form(token, "2040-01-01"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var html = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync());
        Assert.Matches(@"data-valmsg-for=""Deadline""[^>]*>The deadline must fall within the project's lifespan", html);
        Assert.Equal(0, await app.QueryDbAsync(db => db.RestorationTargets.CountAsync(t => t.ProjectId == id)));

        using var saved = await client.PostAsync($"/Projects/{id}/Targets", Form(token, "2031-06-30"));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal($"/Projects/{id}#targets", saved.Headers.Location?.OriginalString);
        var page = WebUtility.HtmlDecode(await client.GetStringAsync($"/Projects/{id}"));
        Assert.Contains("Increase vegetation biomass by 50 % by 2031-06-30", page, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"add-target\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMissingBaselineValue_ShowsNextToTheBaselineField()
    {
        using var api = await app.ClientForAsync(DemoUsers.Pm);
        var id = await api.CreateProjectAsync();
        using var client = await PageSession.SignInAsync(app, DemoUsers.Pm);
        var token = PageSession.Token(await client.GetStringAsync($"/Projects/{id}/Targets"));

        using var refused = await client.PostAsync($"/Projects/{id}/Targets", Form(token, "2031-06-30", baselineValue: ""));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var html = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync());
        Assert.Matches(@"data-valmsg-for=""BaselineValue""[^>]*>The baseline value is required", html);
    }

    [Fact]
    public async Task AForeignSite_ShowsNextToTheSitesField_AndNothingIsSaved()
    {
        using var api = await app.ClientForAsync(DemoUsers.Pm);
        var id = await api.CreateProjectAsync();
        using var client = await PageSession.SignInAsync(app, DemoUsers.Pm);
        var token = PageSession.Token(await client.GetStringAsync($"/Projects/{id}/Targets"));
        using var form = Form(token, "2031-06-30");
        var fields = (await form.ReadAsStringAsync()) + "&SiteIds=" + Guid.NewGuid();
        using var content = new StringContent(fields, System.Text.Encoding.UTF8, "application/x-www-form-urlencoded");

        using var refused = await client.PostAsync($"/Projects/{id}/Targets", content);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var html = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync());
        Assert.Matches(@"data-valmsg-for=""SiteIds""[^>]*>The project has no site", html);
        Assert.Equal(0, await app.QueryDbAsync(db => db.RestorationTargets.CountAsync(t => t.ProjectId == id)));
    }

    [Fact]
    public async Task AnotherManager_IsTurnedAwayFromTheTargetPage()
    {
        using var api = await app.ClientForAsync(DemoUsers.Pm);
        var id = await api.CreateProjectAsync();
        using var client = await PageSession.SignInAsync(app, DemoUsers.Pm2);

        using var response = await client.GetAsync($"/Projects/{id}/Targets");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/Account/AccessDenied", response.Headers.Location?.AbsolutePath ?? response.Headers.Location?.OriginalString, StringComparison.Ordinal);
    }

    private static HttpRequestMessage Chinese(string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.AcceptLanguage.ParseAdd("zh-Hans");
        return request;
    }
}
