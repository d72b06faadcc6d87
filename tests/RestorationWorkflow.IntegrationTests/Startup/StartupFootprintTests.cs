using System.Net;
using Microsoft.AspNetCore.Mvc.ApplicationParts;
using Microsoft.AspNetCore.Mvc.Controllers;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using RestorationWorkflow.Data;
using RestorationWorkflow.IntegrationTests.Infrastructure;

namespace RestorationWorkflow.IntegrationTests.Startup;

/// <summary>
/// What the app keeps after start-up that serving never uses (decision 0061): EF Core's design-time model, and MVC's
/// search for controllers through every type of the app.
/// </summary>
public sealed class StartupFootprintTests(AppFactory factory) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task AfterMigrating_EfCoreKeepsTheRuntimeModel_NotTheDesignTimeOne()
    {
        // Start-up has migrated the database; a request has used the runtime model since.
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        await (await pm.GetAsync("/api/projects")).ExpectAsync(HttpStatusCode.OK);

        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var cache = db.GetService<IMemoryCache>();
        var keys = db.GetService<IModelCacheKeyFactory>();
        Assert.True(cache.TryGetValue(keys.Create(db, designTime: false), out _), "The runtime model is in EF Core's cache.");
        // EF Core's internal services, and so this cache, are shared by every app in the test process with the same
        // options: another test class's app may be migrating right now and hold the design-time model for a moment.
        // Forgotten, it is gone within that moment; kept, it never goes.
        var designTime = keys.Create(db, designTime: true);
        for (var waited = 0; cache.TryGetValue(designTime, out _) && waited < 100; waited++)
            await Task.Delay(100);
        Assert.False(cache.TryGetValue(designTime, out _), "The design-time model is still in EF Core's cache.");
        Assert.NotNull(db.Model.FindEntityType(typeof(RestorationWorkflow.Projects.Project)));
    }

    [Fact]
    public void Mvc_LooksForNoControllers()
    {
        var parts = factory.Services.GetRequiredService<ApplicationPartManager>();
        Assert.DoesNotContain(parts.FeatureProviders, p => p is ControllerFeatureProvider);
        var feature = new ControllerFeature();
        parts.PopulateFeature(feature);
        Assert.Empty(feature.Controllers);
    }

    [Fact]
    public async Task Pages_StillServe_WithoutTheControllerSearch()
    {
        using var anonymous = factory.CreateClient();
        var login = await anonymous.GetAsync("/Account/Login");
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Contains("Input.Email", await login.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
