using System.Text.Json;

namespace RestorationWorkflow.IntegrationTests.Platform;

/// <summary>
/// The garbage-collector settings the app's build writes into <c>RestorationWorkflow.Web.runtimeconfig.json</c>, which
/// the runtime reads when the app starts (decision 0054): workstation GC, and at most 16 MiB of new objects between
/// two gen-0 collections instead of a budget derived from the L3 cache (80 MiB on a VM reporting 300 MiB of L3).
/// </summary>
public sealed class RuntimeConfigTests
{
    private static JsonElement ConfigProperties()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "RestorationWorkflow.Web.runtimeconfig.json");
        Assert.True(File.Exists(path), $"{path} is missing: the web project's build output is not beside the tests");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties").Clone();
    }

    [Fact]
    public void TheApp_CapsTheGen0Budget_At16MiB()
    {
        var properties = ConfigProperties();
        Assert.True(properties.TryGetProperty("System.GC.Gen0MaxBudget", out var budget), "System.GC.Gen0MaxBudget is not set");
        Assert.Equal(16L * 1024 * 1024, budget.GetInt64());
    }

    [Fact]
    public void TheApp_RunsWorkstationGC()
    {
        var properties = ConfigProperties();
        Assert.False(properties.GetProperty("System.GC.Server").GetBoolean());
    }
}
