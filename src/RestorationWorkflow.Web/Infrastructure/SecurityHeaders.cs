namespace RestorationWorkflow.Web.Infrastructure;

/// <summary>
/// Security headers on every response: pages, API, static files, health, and the error responses written by the
/// exception handler and the status-code pages.
/// </summary>
public static class SecurityHeaders
{
    /// <summary>
    /// Scripts only from this origin (Mermaid is vendored under <c>wwwroot/lib</c>; no page has an inline script or
    /// event handler). Styles also allow <c>'unsafe-inline'</c> because Mermaid draws each diagram as an SVG with its
    /// own <c>&lt;style&gt;</c> element and <c>style</c> attributes, generated in the browser (no nonce or hash can
    /// name them); without it the diagram loses its layout and the highlight of the current state. Inline style
    /// cannot run code. No page may be framed (<c>frame-ancestors 'none'</c>, and X-Frame-Options for old browsers),
    /// forms post only here, and nothing is loaded from another origin.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; " +
        "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>
    /// Sets the headers just before each response starts, so that they survive the exception handler (which clears
    /// the headers of a failed response) and replace antiforgery's <c>X-Frame-Options: SAMEORIGIN</c>. Goes first in
    /// the pipeline. HSTS is added by <c>UseHsts</c> outside Development.
    /// </summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.Use((context, next) =>
        {
            context.Response.OnStarting(static state =>
            {
                var headers = ((HttpResponse)state).Headers;
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers.XFrameOptions = "DENY";
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "no-referrer";
                headers["Cross-Origin-Opener-Policy"] = "same-origin";
                headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()";
                return Task.CompletedTask;
            }, context.Response);
            return next(context);
        });
    }
}
