using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Mvc.Controllers;
using Microsoft.Extensions.Options;

namespace RestorationWorkflow.Web.Infrastructure;

public static class PlatformExtensions
{
    /// <summary>Time, OpenAPI, forwarded headers: what every feature leans on.</summary>
    public static IHostApplicationBuilder AddPlatform(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddOpenApi(o =>
        {
            o.ShouldInclude = description => description.RelativePath?.StartsWith("api/", StringComparison.OrdinalIgnoreCase) == true;
            o.AddApiConventions();
        });
        // Behind a reverse proxy: the client's address (sign-in and calendar-feed limits) and scheme (secure cookies,
        // the calendar feed's address) come from X-Forwarded-For/-Proto, but only from the trusted proxies (decision 0042).
        var proxy = ReverseProxyOptions.Read(builder.Configuration);
        builder.Services.AddSingleton(proxy);
        builder.Services.Configure<ForwardedHeadersOptions>(proxy.ApplyTo);
        // glibc's free arena memory given back to the system now and then (decision 0058).
        builder.Services.AddSingleton(NativeHeapOptions.Read(builder.Configuration));
        builder.Services.AddSingleton<NativeHeapTrimmer>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<NativeHeapTrimmer>());
        // How many requests are worked on at once, the others waiting their turn (decision 0059).
        builder.Services.AddSingleton(RequestLimitOptions.Read(builder.Configuration, Environment.ProcessorCount));
        builder.Services.AddSingleton<RequestLimiter>();
        return builder;
    }

    /// <summary>Razor Pages in feature folders (<c>Features/</c> is the pages root) with anti-forgery.</summary>
    public static WebApplicationBuilder AddPages(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // Build-output assets (fingerprinted and pre-compressed under obj/) in every environment, not only
        // Development: otherwise a non-Development `dotnet run` serves empty compressed files. A published app
        // has no runtime manifest and this does nothing.
        builder.WebHost.UseStaticWebAssets();
        builder.Services.AddRazorPages(o =>
            {
                o.RootDirectory = "/Features";
                o.Conventions.AuthorizeFolder("/", RestorationWorkflow.Identity.Policies.SignedInWithRole);
                o.Conventions.AllowAnonymousToPage("/Identity/Login");
                o.Conventions.AllowAnonymousToPage("/Identity/AccessDenied");
                o.Conventions.AllowAnonymousToPage("/Errors/Error");
                o.Conventions.AuthorizeFolder("/Admin", RestorationWorkflow.Identity.Policies.ManageUsers);
            })
            // No controllers: MVC would otherwise load every type of the app at start-up to look for them, and the
            // assemblies their base types live in (ScottPlot's among them), for about 3 MiB (decision 0061).
            .ConfigureApplicationPartManager(parts =>
            {
                foreach (var provider in parts.FeatureProviders.OfType<ControllerFeatureProvider>().ToList())
                    parts.FeatureProviders.Remove(provider);
            })
            .AddViewLocalization()
            .AddDataAnnotationsLocalization(o => o.DataAnnotationLocalizerProvider = (_, factory) => factory.Create(typeof(SharedResource)));
        return builder;
    }

    public static WebApplication UsePlatform(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseForwardedHeaders();
        app.UseProblemDetailsForEverything();
        if (!app.Environment.IsDevelopment())
            app.UseHsts();
        app.UseRequestLocalization(app.Services.GetRequiredService<IOptions<RequestLocalizationOptions>>().Value);
        app.UseRouting();
        app.UseRequestLimit();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        return app;
    }

    /// <summary>
    /// <c>/health/live</c>: the process answers (no database); <c>/health/ready</c> and <c>/health</c>: the database
    /// answers too.
    /// </summary>
    public static WebApplication MapHealth(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // The probes answer while the node is busy; they do not wait behind the requests (decision 0059).
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).ExemptFromRequestLimit();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") }).ExemptFromRequestLimit();
        app.MapHealthChecks("/health").ExemptFromRequestLimit();
        return app;
    }
}
