using RestorationWorkflow.Projects;
using RestorationWorkflow.Web.Infrastructure;

namespace RestorationWorkflow.Web.Features.Sites;

public static class SitesFeature
{
    /// <summary>The sites of a project: the reader (also the <see cref="ISiteLookup"/> other features use) and the country outlines.</summary>
    public static IHostApplicationBuilder AddSites(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<CountryOutlines>();
        // A boundary file's upload takes the client's network time: the page does not wait for a turn (decision 0059).
        builder.Services.ExemptPageFromRequestLimit("/Sites/Edit");
        builder.Services.AddScoped<SiteReader>();
        builder.Services.AddScoped<ISiteLookup>(sp => sp.GetRequiredService<SiteReader>());
        return builder;
    }
}
