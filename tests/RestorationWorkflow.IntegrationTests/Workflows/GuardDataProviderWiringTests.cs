using Microsoft.Extensions.DependencyInjection;
using RestorationWorkflow.IntegrationTests.Infrastructure;
using RestorationWorkflow.Workflows.Guards;

namespace RestorationWorkflow.IntegrationTests.Workflows;

/// <summary>
/// Through the app's own registration: every kind of data a guard reads has one provider, registered under that
/// kind's name (each feature's <c>AddGuardDataProvider</c>), and none is registered so that it would be created for
/// every evaluation.
/// </summary>
public sealed class GuardDataProviderWiringTests(AppFactory factory) : IClassFixture<AppFactory>
{
    [Fact]
    public void EveryKindAGuardReads_HasAProviderOfThatKind_RegisteredUnderItsName()
    {
        using var scope = factory.Services.CreateScope();
        var registry = scope.ServiceProvider.GetRequiredService<GuardRegistry>();
        var kinds = registry.Types.Select(registry.Get).SelectMany(g => g.Needs).Select(k => k.Name)
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(["checklist", "consent", "participation", "safeguardFindings", "stepForms", "targets"], kinds);
        foreach (var kind in kinds)
        {
            var provider = scope.ServiceProvider.GetKeyedService<IGuardDataProvider>(kind);
            Assert.True(provider is not null, $"No provider is registered for {kind}.");
            Assert.Equal(kind, provider.Key.Name);
        }
        Assert.Empty(scope.ServiceProvider.GetServices<IGuardDataProvider>());
    }
}
