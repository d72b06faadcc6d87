using System.Diagnostics;

namespace RestorationWorkflow.IntegrationTests.Startup;

/// <summary>The built app as a process: a bad workflow definition stops start-up with file and JSON path.</summary>
public sealed class StartupTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "rw-startup", Guid.NewGuid().ToString("N"));

    public StartupTests()
    {
        Directory.CreateDirectory(Path.Combine(_root, "workflows", "schema"));
        var shipped = Path.Combine(AppContext.BaseDirectory, "workflows");
        File.Copy(Path.Combine(shipped, "schema", "workflow-definition.schema.json"), Path.Combine(_root, "workflows", "schema", "workflow-definition.schema.json"));
    }

    [Fact]
    public async Task BadDefinition_StopsStartUp_NamingFileAndJsonPath()
    {
        var v1 = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "workflows", "staper-restoration.v1.json"));
        // Point the first transition at a state that does not exist.
        var broken = v1.Replace("\"to\": \"Assessment\"", "\"to\": \"Nowhere\"", StringComparison.Ordinal);
        Assert.NotEqual(v1, broken);
        await File.WriteAllTextAsync(Path.Combine(_root, "workflows", "broken.v1.json"), broken);

        var (exitCode, output) = await RunAppAsync();

        Assert.Equal(1, exitCode);
        Assert.Contains("broken.v1.json", output, StringComparison.Ordinal);
        Assert.Matches(@"\$\.transitions\[\d+\]\.to", output);
        Assert.Contains("Nowhere", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Now listening", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task V2MappingAV1StateNowhere_StopsStartUp_NamingFileAndJsonPath()
    {
        var shipped = Path.Combine(AppContext.BaseDirectory, "workflows");
        File.Copy(Path.Combine(shipped, "staper-restoration.v1.json"), Path.Combine(_root, "workflows", "staper-restoration.v1.json"));
        var v2 = await File.ReadAllTextAsync(Path.Combine(shipped, "staper-restoration.v2.json"));
        var broken = v2.Replace("\"EnablingEnvironment\": \"Planning\"", "\"EnablingEnvironment\": \"Enabling\"", StringComparison.Ordinal);
        Assert.NotEqual(v2, broken);
        await File.WriteAllTextAsync(Path.Combine(_root, "workflows", "staper-restoration.v2.json"), broken);

        var (exitCode, output) = await RunAppAsync();

        Assert.Equal(1, exitCode);
        Assert.Contains("staper-restoration.v2.json: $.migrateFrom.states.EnablingEnvironment: Unknown state 'Enabling'", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Now listening", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DefinitionThatIsNotJson_StopsStartUp_NamingTheFile()
    {
        await File.WriteAllTextAsync(Path.Combine(_root, "workflows", "half-written.v1.json"), "{ \"id\": \"x\", ");

        var (exitCode, output) = await RunAppAsync();

        Assert.Equal(1, exitCode);
        Assert.Contains("half-written.v1.json", output, StringComparison.Ordinal);
    }

    private async Task<(int ExitCode, string Output)> RunAppAsync()
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "RestorationWorkflow.Web.dll"), "--urls", "http://127.0.0.1:0"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _root,
        };
        start.Environment["Storage__Root"] = Path.Combine(_root, "data");
        start.Environment["Workflows__Path"] = Path.Combine(_root, "workflows");
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("The app did not stop on a bad definition: " + await stdout);
        }
        return (process.ExitCode, await stdout + await stderr);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean.
        }
    }
}
