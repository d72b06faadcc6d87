using Microsoft.Playwright;
using RestorationWorkflow.IntegrationTests.Infrastructure;

namespace RestorationWorkflow.IntegrationTests.Browser;

/// <summary>Where Debian's Chromium is: <c>CHROMIUM_PATH</c>, else <c>/usr/bin/chromium</c>. Playwright never downloads a browser here.</summary>
public static class Chromium
{
    public const string InstallHint = "Chromium was not found. Install it with `apt-get install -y chromium fonts-wqy-microhei` or set CHROMIUM_PATH.";

    public static string? Find()
    {
        var configured = Environment.GetEnvironmentVariable("CHROMIUM_PATH");
        if (!string.IsNullOrWhiteSpace(configured))
            return File.Exists(configured) ? configured : null;
        return File.Exists("/usr/bin/chromium") ? "/usr/bin/chromium" : null;
    }

    /// <summary>With REQUIRE_BROWSER=1 (CI) a missing browser fails the tests instead of skipping them.</summary>
    public static bool Required => Environment.GetEnvironmentVariable("REQUIRE_BROWSER") == "1";
}

/// <summary>A fact that needs Chromium: skipped with a how-to-install message when it is missing, unless REQUIRE_BROWSER=1.</summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (Chromium.Find() is null && !Chromium.Required)
            Skip = Chromium.InstallHint;
    }
}

/// <summary>The app on real Kestrel (a free loopback port) for a real browser.</summary>
public sealed class KestrelAppFactory : AppFactory
{
    public KestrelAppFactory()
    {
        UseKestrel(0);
    }

    public Uri BaseAddress
    {
        get
        {
            StartServer();
            using var client = CreateClient();
            return client.BaseAddress!;
        }
    }
}

/// <summary>One headless Chromium per test class, driven by Playwright, with screenshots saved under the test output.</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public static string ScreenshotFolder { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async Task InitializeAsync()
    {
        var executable = Chromium.Find();
        if (executable is null)
        {
            if (Chromium.Required)
                throw new InvalidOperationException("REQUIRE_BROWSER=1 but " + Chromium.InstallHint);
            return;
        }
        Directory.CreateDirectory(ScreenshotFolder);
        // A loaded CI machine runs the server, the suite and Chromium on two cores: assertions wait as long as actions do.
        Assertions.SetDefaultExpectTimeout(15_000);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executable,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
            ],
        });
    }

    public async Task<IPage> NewPageAsync(Uri baseAddress, string locale = "en-US")
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseAddress.ToString(),
            Locale = locale,
            ViewportSize = new ViewportSize { Width = 1366, Height = 900 },
        });
        context.SetDefaultTimeout(15_000);
        return await context.NewPageAsync();
    }

    /// <summary>A new page signed in as <paramref name="email"/> (a demo user) through the sign-in form.</summary>
    public async Task<IPage> SignInAsync(Uri baseAddress, string email, string locale = "en-US")
    {
        var page = await NewPageAsync(baseAddress, locale);
        await page.GotoAsync("/Account/Login");
        await page.Locator("#Input_Email").FillAsync(email);
        await page.Locator("#Input_Password").FillAsync(AppFactory.DemoPassword);
        await page.Locator("[data-testid=login-form] button[type=submit]").ClickAsync();
        await Assertions.Expect(page.GetByTestId("whoami")).ToBeVisibleAsync();
        return page;
    }

    public static async Task ScreenshotAsync(IPage page, string name)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, name + ".png"), FullPage = true });
        // A full-page screenshot resizes the viewport and back; on a page taller than the window Chromium then
        // jumps to another scroll position at the next focus change, so a click right after lands between two
        // elements. Settle the scroll position here, where the next step cannot be half-way through a click.
        await page.EvaluateAsync("() => { window.scrollTo(0, 0); return new Promise(r => requestAnimationFrame(() => r(null))); }");
    }

    public async Task DisposeAsync()
    {
        if (_playwright is not null)
        {
            await Browser.DisposeAsync();
            _playwright.Dispose();
        }
    }
}
