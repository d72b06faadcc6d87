using System.Net;
using System.Net.Http.Headers;
using RestorationWorkflow.IntegrationTests.Infrastructure;

namespace RestorationWorkflow.IntegrationTests.Platform;

/// <summary>Pages carry Chinese as UTF-8 text, not as HTML character references.</summary>
public sealed class HtmlEncodingTests(AppFactory factory) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task SignInPage_InChinese_CarriesTheCharactersThemselves()
    {
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/Account/Login");
        request.Headers.AcceptLanguage.Add(new StringWithQualityHeaderValue("zh-Hans"));

        using var response = await client.SendAsync(request);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        Assert.Contains("登录", html, StringComparison.Ordinal);
        Assert.DoesNotContain("&#x767B;", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ProjectPage_ShowsAChineseNameAsText_AndStillEncodesMarkup()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync("湿地恢复 <b>&\"'");
        using var page = await PageSession.SignInAsync(factory, DemoUsers.Pm);

        var html = await page.GetStringAsync($"/Projects/{id}");

        Assert.Contains("湿地恢复 &lt;b&gt;&amp;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>&", html, StringComparison.Ordinal);
    }
}
