using RestorationWorkflow.Projects;

namespace RestorationWorkflow.Web.Features.Sites;

public static class SitesFeature
{
    /// <summary>The sites of a project: the reader (also the <see cref="ISiteLookup"/> other features use) and the country outlines.</summary>
    public static IHostApplicationBuilder AddSites(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<CountryOutlines>();
        builder.Services.AddScoped<SiteReader>();
        builder.Services.AddScoped<ISiteLookup>(sp => sp.GetRequiredService<SiteReader>());
        return builder;
    }
}
