using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;

namespace RestorationWorkflow.IntegrationTests.Infrastructure;

/// <summary>A cookie session through the sign-in page, for posting the app's forms as a browser would.</summary>
public static partial class PageSession
{
    public static async Task<HttpClient> SignInAsync(AppFactory app, string email)
    {
        ArgumentNullException.ThrowIfNull(app);
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = AppFactory.DemoPassword,
            ["__RequestVerificationToken"] = Token(await client.GetStringAsync("/Account/Login")),
        });
        using var response = await client.PostAsync("/Account/Login", form);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }

    /// <summary>The anti-forgery token of the first form on a page.</summary>
    public static string Token(string html) => AntiForgery().Match(html).Groups["token"].Value;

    [GeneratedRegex("""name="__RequestVerificationToken" type="hidden" value="(?<token>[^"]+)""")]
    private static partial Regex AntiForgery();
}
