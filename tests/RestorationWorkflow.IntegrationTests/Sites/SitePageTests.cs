using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.IntegrationTests.Infrastructure;

namespace RestorationWorkflow.IntegrationTests.Sites;

/// <summary>
/// The site page without a script: a GeoJSON file uploaded with the form is read by the server; a bad one comes back
/// next to the boundary field, in the reader's language; another manager is turned away.
/// </summary>
public sealed class SitePageTests(AppFactory app) : IClassFixture<AppFactory>
{
    private const string BowTie = """{"type":"Polygon","coordinates":[[[36.8,-1.4],[36.9,-1.4],[36.8,-1.3],[36.9,-1.3],[36.8,-1.4]]]}""";

    private const string Square = """{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[36.8,-1.4],[36.9,-1.4],[36.9,-1.3],[36.8,-1.3],[36.8,-1.4]]]}}""";

    private static MultipartFormDataContent Form(string token, string file, string declared = "12300")
    {
        var form = new MultipartFormDataContent
        {
            { new StringContent("Upper catchment"), "Name" },
            { new StringContent("forest"), "EcosystemType" },
            { new StringContent("public"), "Tenure" },
            { new StringContent(declared), "DeclaredHectares" },
            { new StringContent(""), "Boundary" },
            { new StringContent("1"), "ExpectedVersion" },
            { new StringContent(token), "__RequestVerificationToken" },
        };
        form.Add(new ByteArrayContent(Encoding.UTF8.GetBytes(file)), "BoundaryFile", "site.geojson");
        return form;
    }

    [Fact]
    public async Task AnUploadedFile_IsReadByTheServer_AndABadOneIsShownNextToTheField_InChinese()
    {
        using var api = await app.ClientForAsync(DemoUsers.Pm);
        var id = await api.CreateProjectAsync();
        using var client = await PageSession.SignInAsync(app, DemoUsers.Pm);

        var token = PageSession.Token(await client.GetStringAsync($"/Projects/{id}/Sites"));
        using var bad = new HttpRequestMessage(HttpMethod.Post, $"/Projects/{id}/Sites") { Content = Form(token, BowTie) };
        bad.Headers.AcceptLanguage.ParseAdd("zh-Hans");
        using var refused = await client.SendAsync(bad);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var html = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync());
        Assert.Matches(@"data-valmsg-for=""Boundary""[^>]*>boundary\.coordinates\[0\]\[\d\]：边界自相交", html);
        Assert.Equal(0, await app.QueryDbAsync(db => db.Sites.CountAsync(s => s.ProjectId == id)));

        using var good = await client.PostAsync($"/Projects/{id}/Sites", Form(token, Square));
        Assert.Equal(HttpStatusCode.Redirect, good.StatusCode);
        Assert.Equal($"/Projects/{id}#sites", good.Headers.Location?.OriginalString);
        var page = WebUtility.HtmlDecode(await client.GetStringAsync($"/Projects/{id}"));
        Assert.Contains("Upper catchment", page, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"sites-table\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnotherManager_IsTurnedAwayFromTheSitePage()
    {
        using var api = await app.ClientForAsync(DemoUsers.Pm);
        var id = await api.CreateProjectAsync();
        using var client = await PageSession.SignInAsync(app, DemoUsers.Pm2);
        using var response = await client.GetAsync($"/Projects/{id}/Sites");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/Account/AccessDenied", response.Headers.Location?.AbsolutePath ?? response.Headers.Location?.OriginalString, StringComparison.Ordinal);
    }
}
