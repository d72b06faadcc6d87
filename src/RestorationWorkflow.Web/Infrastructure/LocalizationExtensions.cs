using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.WebEncoders;

namespace RestorationWorkflow.Web.Infrastructure;

public static class LocalizationExtensions
{
    public static readonly CultureInfo[] SupportedCultures = [new("en"), new("zh-Hans")];

    /// <summary>
    /// English and Simplified Chinese: the culture comes from the language switcher's cookie, then from
    /// Accept-Language (zh-CN, zh-SG… fall back to zh-Hans), then English. Pages carry Chinese as UTF-8 text: the
    /// HTML encoder lets every Unicode range through (it still encodes <c>&lt; &gt; &amp; " '</c> and characters
    /// that are unsafe in HTML), instead of writing <c>&amp;#x767B;&amp;#x5F55;</c> for 登录.
    /// </summary>
    public static IHostApplicationBuilder AddLocalizationForEnAndZhHans(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddLocalization(o => o.ResourcesPath = "Resources");
        builder.Services.Configure<WebEncoderOptions>(o => o.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        builder.Services.Configure<RequestLocalizationOptions>(o =>
        {
            o.DefaultRequestCulture = new RequestCulture("en");
            o.SupportedCultures = SupportedCultures;
            o.SupportedUICultures = SupportedCultures;
            o.FallBackToParentCultures = true;
            o.FallBackToParentUICultures = true;
            o.RequestCultureProviders =
            [
                new CookieRequestCultureProvider(),
                new AcceptLanguageHeaderRequestCultureProvider(),
            ];
        });
        return builder;
    }

    /// <summary>
    /// <c>POST /culture</c>: the language switcher sets the culture cookie, tells each <see cref="ICultureChoiceObserver"/>
    /// (a feature keeping its own copy of the person's language) and returns to the page.
    /// </summary>
    public static IEndpointRouteBuilder MapCultureSwitch(this IEndpointRouteBuilder app)
    {
        app.MapPost("/culture", async (HttpContext context, [Microsoft.AspNetCore.Mvc.FromForm] string culture, [Microsoft.AspNetCore.Mvc.FromForm] string? returnUrl) =>
            {
                var chosen = SupportedCultures.FirstOrDefault(c => c.Name == culture)?.Name ?? "en";
                foreach (var observer in context.RequestServices.GetServices<ICultureChoiceObserver>())
                    await observer.CultureChosenAsync(context, chosen, context.RequestAborted);
                context.Response.Cookies.Append(
                    CookieRequestCultureProvider.DefaultCookieName,
                    CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(chosen)),
                    new CookieOptions { Expires = DateTimeOffset.UtcNow.AddYears(1), IsEssential = true, HttpOnly = true, SameSite = SameSiteMode.Lax });
                var target = !string.IsNullOrEmpty(returnUrl) && Uri.IsWellFormedUriString(returnUrl, UriKind.Relative) && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//", StringComparison.Ordinal)
                    ? returnUrl
                    : "/";
                return Results.LocalRedirect(target);
            })
            .ExcludeFromDescription();
        return app;
    }
}

/// <summary>Told when a person picks a language with the switch (<c>POST /culture</c>), before the redirect.</summary>
public interface ICultureChoiceObserver
{
    /// <param name="context">The request (its <c>User</c> is the signed-in person, if any).</param>
    /// <param name="culture">The chosen culture, one of <see cref="LocalizationExtensions.SupportedCultures"/>.</param>
    /// <param name="cancellationToken">The request's.</param>
    Task CultureChosenAsync(HttpContext context, string culture, CancellationToken cancellationToken);
}
