using System.Net;
using System.Text.RegularExpressions;
using RestorationWorkflow.IntegrationTests.Infrastructure;

namespace RestorationWorkflow.IntegrationTests.Browser;

/// <summary>Every asset a page links to is served by the app itself (users may be offline: no CDN).</summary>
public sealed partial class StaticAssetsTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task SignInPage_LinksOnlyLocalAssets_AndEachIsServed()
    {
        using var client = app.CreateClient();
        var html = await client.GetStringAsync("/Account/Login");
        var links = AssetLink().Matches(html).Select(m => m.Groups["url"].Value).ToList();
        Assert.NotEmpty(links);
        foreach (var url in links)
        {
            Assert.StartsWith("/", url, StringComparison.Ordinal);
            Assert.False(url.StartsWith("//", StringComparison.Ordinal), $"{url} is not local");
            using var response = await client.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task VendoredMermaid_IsServed()
    {
        using var client = app.CreateClient();
        using var response = await client.GetAsync("/lib/mermaid/mermaid.min.js");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("mermaid", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [GeneratedRegex("""(?:href|src)="(?<url>[^"#?]+\.(?:css|js))""")]
    private static partial Regex AssetLink();
}
