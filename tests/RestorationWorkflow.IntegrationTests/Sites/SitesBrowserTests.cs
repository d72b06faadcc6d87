using System.Text;
using Microsoft.Playwright;
using RestorationWorkflow.IntegrationTests.Browser;
using RestorationWorkflow.IntegrationTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace RestorationWorkflow.IntegrationTests.Sites;

/// <summary>
/// A manager uploads a site as a GeoJSON file and draws another on the map; both are drawn on the project page over
/// the vendored country outlines, with no Content-Security-Policy violation. A malformed upload is shown next to the field.
/// </summary>
public sealed class SitesBrowserTests(KestrelAppFactory app, BrowserFixture browser) : IClassFixture<KestrelAppFactory>, IClassFixture<BrowserFixture>
{
    private const string Upload = """
        {"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"Upper catchment"},
         "geometry":{"type":"Polygon","coordinates":[[[36.80,-1.40],[36.90,-1.40],[36.90,-1.30],[36.80,-1.30],[36.80,-1.40]]]}}]}
        """;

    private const string BowTie = """{"type":"Polygon","coordinates":[[[36.8,-1.4],[36.9,-1.4],[36.8,-1.3],[36.9,-1.3],[36.8,-1.4]]]}""";

    [BrowserFact]
    public async Task AManager_UploadsAndDrawsSites_AndSeesThemOnTheMap()
    {
        using var api = app.CreateClient();
        api.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", await app.TokenForAsync(DemoUsers.Pm));
        var id = await api.CreateProjectAsync("Mau forest sites");

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
        await page.GotoAsync("/Account/Login");
        await page.GetByLabel("E-mail").FillAsync(DemoUsers.Pm);
        await page.GetByLabel("Password").FillAsync(AppFactory.DemoPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByTestId("whoami")).ToBeVisibleAsync();

        await page.GotoAsync($"/Projects/{id}");
        await Expect(page.GetByTestId("no-sites")).ToBeVisibleAsync();
        await page.GetByTestId("add-site").ClickAsync();

        // A self-intersecting upload comes back with its location next to the boundary field.
        await FillAsync(page, "Upper catchment", "1230");
        await page.GetByTestId("site-file").SetInputFilesAsync(new FilePayload { Name = "bowtie.geojson", MimeType = "application/geo+json", Buffer = Encoding.UTF8.GetBytes(BowTie) });
        await page.GetByTestId("save-site").ClickAsync();
        await Expect(page.GetByTestId("boundary-error")).ToContainTextAsync("intersects itself at (36.85, -1.35)");

        // The file is read in the browser (drawn on the map at once) and again by the server.
        await FillAsync(page, "Upper catchment", "1230");
        await page.GetByTestId("site-file").SetInputFilesAsync(new FilePayload { Name = "site.geojson", MimeType = "application/geo+json", Buffer = Encoding.UTF8.GetBytes(Upload) });
        await Expect(page.Locator("#site-editor-map .leaflet-overlay-pane path.leaflet-interactive")).ToHaveCountAsync(1);
        await Expect(page.GetByTestId("site-boundary")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("\"Polygon\""));
        await page.GetByTestId("save-site").ClickAsync();
        await Expect(page.GetByTestId("sites-table").Locator("tbody tr")).ToHaveCountAsync(1);

        // The second site is drawn with leaflet-draw's rectangle, right of the first one.
        await page.GetByTestId("add-site").ClickAsync();
        var editor = page.GetByTestId("site-editor-map");
        await Expect(editor).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("map-ready"));
        await FillAsync(page, "Lower wetland", "900");
        await page.Locator(".leaflet-draw-draw-rectangle").ClickAsync();
        var box = (await editor.BoundingBoxAsync())!;
        await page.Mouse.MoveAsync(box.X + (box.Width * 0.86f), box.Y + (box.Height * 0.55f));
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(box.X + (box.Width * 0.93f), box.Y + (box.Height * 0.75f), new() { Steps = 8 });
        await page.Mouse.UpAsync();
        await Expect(page.GetByTestId("site-boundary")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("\"Polygon\""));
        await page.GetByTestId("save-site").ClickAsync();

        var rows = page.GetByTestId("sites-table").Locator("tbody tr");
        await Expect(rows).ToHaveCountAsync(2);
        var map = page.GetByTestId("sites-map");
        await Expect(map).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("map-ready"));
        await Expect(map.Locator(".leaflet-overlay-pane path.leaflet-interactive")).ToHaveCountAsync(2);
        Assert.True(await map.Locator(".leaflet-outlines-pane path").CountAsync() > 100, "The country outlines are drawn.");
        // Each site is on top: the element at the centre of its shape is the site itself, not an outline over it. Waited
        // for, up to 5 s: on a loaded machine the map may still be moving to the sites' bounds when it reports ready.
        foreach (var path in await map.Locator(".leaflet-overlay-pane path.leaflet-interactive").AllAsync())
        {
            var onTop = "p => { const r = p.getBoundingClientRect(); return document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2) === p; }";
            try
            {
                await page.WaitForFunctionAsync(onTop, await path.ElementHandleAsync(), new() { Timeout = 5000 });
            }
            catch (TimeoutException)
            {
                Assert.Fail("A site is hidden under another layer.");
            }
        }
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = "/tmp/sites-map.png", FullPage = false, Clip = await ClipAsync(map) });
        await BrowserFixture.ScreenshotAsync(page, "sites-project-page");

        var collection = await (await api.GetAsync($"/api/projects/{id}/sites")).ExpectAsync(System.Net.HttpStatusCode.OK);
        Assert.Equal(["Upper catchment", "Lower wetland"], collection.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("properties").Str("name")));
        Assert.True(violations.Count == 0, "CSP violations: " + string.Join(" | ", violations));
    }

    [BrowserFact]
    public async Task ASiteSplitAtTheAntimeridian_IsDrawnAsOneShapeAtTheLine_NotAStripeRoundTheWorld()
    {
        using var api = app.CreateClient();
        api.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", await app.TokenForAsync(DemoUsers.Pm));
        var id = await api.CreateProjectWithAsync(AntimeridianSitesTests.FijiProject("Taveuni on the map"));
        var added = await api.AddSiteAsync(id, AntimeridianSitesTests.Split(), 1, "Taveuni east cape", declaredHectares: 7_000m);

        var page = await browser.NewPageAsync(app.BaseAddress);
        await page.GotoAsync("/Account/Login");
        await page.GetByLabel("E-mail").FillAsync(DemoUsers.Pm);
        await page.GetByLabel("Password").FillAsync(AppFactory.DemoPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByTestId("whoami")).ToBeVisibleAsync();
        await page.GotoAsync($"/Projects/{id}");

        var map = page.GetByTestId("sites-map");
        await Expect(map).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("map-ready"));
        var site = map.Locator(".leaflet-overlay-pane path.leaflet-interactive");
        await Expect(site).ToHaveCountAsync(1);
        var mapBox = (await map.BoundingBoxAsync())!;
        var shape = (await site.BoundingBoxAsync())!;
        // 0.1° × 0.06° near 17° S is about 1.6 times as wide as high on the map; drawn at both ends of the world its
        // two parts would make one path hundreds of pixels wide and a pixel high.
        Assert.InRange(shape.Width / shape.Height, 1.2, 2.2);
        Assert.True(shape.Width > 15, $"The site is fitted at the overview's zoom 8, not a speck: {shape.Width} px wide.");
        Assert.True(shape.X >= mapBox.X && shape.X + shape.Width <= mapBox.X + mapBox.Width, "The site lies inside the map's view.");
        Assert.True(await map.Locator(".leaflet-outlines-pane path").CountAsync() > 100, "The country outlines are drawn.");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = "/tmp/sites-antimeridian.png", FullPage = false, Clip = await ClipAsync(map) });
        await BrowserFixture.ScreenshotAsync(page, "sites-antimeridian");

        // The editor shows the two parts side by side at the line too, each editable.
        await page.GotoAsync($"/Projects/{id}/Sites/{added.Str("id")}");
        var editor = page.GetByTestId("site-editor-map");
        await Expect(editor).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("map-ready"));
        var parts = editor.Locator(".leaflet-overlay-pane path.leaflet-interactive");
        await Expect(parts).ToHaveCountAsync(2);
        var east = (await parts.Nth(0).BoundingBoxAsync())!;
        var west = (await parts.Nth(1).BoundingBoxAsync())!;
        Assert.True(Math.Abs(west.X - (east.X + east.Width)) < 6, $"The western part starts where the eastern one ends (strokes overlap): {east.X}+{east.Width} vs {west.X}.");
        await BrowserFixture.ScreenshotAsync(page, "sites-antimeridian-editor");
    }

    private static async Task FillAsync(IPage page, string name, string declared)
    {
        await page.GetByTestId("site-name").FillAsync(name);
        await page.GetByTestId("site-ecosystem").SelectOptionAsync("forest");
        await page.GetByTestId("site-tenure").SelectOptionAsync("public");
        await page.GetByTestId("site-declared").FillAsync(declared);
    }

    private static async Task<Clip> ClipAsync(ILocator element)
    {
        await element.ScrollIntoViewIfNeededAsync();
        var box = (await element.BoundingBoxAsync())!;
        return new Clip { X = box.X, Y = box.Y, Width = box.Width, Height = box.Height };
    }
}
