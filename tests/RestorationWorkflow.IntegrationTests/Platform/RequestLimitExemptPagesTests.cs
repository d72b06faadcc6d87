using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RestorationWorkflow.IntegrationTests.Infrastructure;
using RestorationWorkflow.Web.Infrastructure;

namespace RestorationWorkflow.IntegrationTests.Platform;

/// <summary>
/// <c>ExemptPageFromRequestLimit</c> with a name that matches no page: Razor Pages would ignore the convention and the
/// page would wait for turns; the app refuses to start instead, naming the page (options validated on start).
/// </summary>
public sealed class RequestLimitExemptPagesTests
{
    [Fact]
    public void APageNameThatMatchesNoPage_StopsStartUp_NamingIt()
    {
        using var app = new MisspeltExemptPageApp();

        // What start-up runs (Program.cs, before the database; exit code 1 and the message, StartupFaultTests): under
        // WebApplicationFactory the entry point's early return is not an exception, so the test runs it itself.
        var error = Assert.Throws<OptionsValidationException>(() => app.Services.GetRequiredService<IStartupValidator>().Validate());

        var message = Assert.Single(error.Failures);
        Assert.Contains("/Evidence/Indx", message, StringComparison.Ordinal);
        Assert.Contains("/Reports/Missing", message, StringComparison.Ordinal);
        Assert.Contains("/sites/edit", message, StringComparison.Ordinal);
        // The features' own names match their pages: they are not named.
        Assert.DoesNotContain("/Evidence/Index", message, StringComparison.Ordinal);
        Assert.DoesNotContain("/Sites/Edit", message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheFeaturesExemptPages_AreTheAppsPages()
    {
        using var app = new AppFactory();

        var pages = app.Services.GetRequiredService<IOptions<RequestLimitExemptPages>>().Value;

        Assert.Equal(["/Evidence/Index", "/Measurements/Import", "/Reports/Show", "/Sites/Edit"], pages.Names.Order(StringComparer.Ordinal));
        // Each of them is a page of the app: the start-up validation passes.
        app.Services.GetRequiredService<IStartupValidator>().Validate();
    }

    private sealed class MisspeltExemptPageApp : AppFactory
    {
        protected override void ConfigureTestServices(IServiceCollection services)
        {
            services.ExemptPageFromRequestLimit("/Evidence/Indx");
            services.ExemptPageFromRequestLimit("/Reports/Missing");
            services.ExemptPageFromRequestLimit("/sites/edit");
        }
    }
}
