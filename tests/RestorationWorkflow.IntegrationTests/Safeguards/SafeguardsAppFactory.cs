using RestorationWorkflow.IntegrationTests.Infrastructure;

namespace RestorationWorkflow.IntegrationTests.Safeguards;

/// <summary>
/// The app with the shipped workflows plus <c>Fixtures/staper-safeguards-test.v1.json</c> (v1 with
/// <c>safeguardsCleared</c> on SubmitPlan) as the default for new projects, until workflow v2 carries the guard.
/// </summary>
public sealed class SafeguardsAppFactory : AppFactory
{
    public const string WorkflowId = "staper-safeguards-test";

    public SafeguardsAppFactory()
    {
        var shipped = Path.Combine(AppContext.BaseDirectory, "workflows");
        foreach (var file in Directory.EnumerateFiles(shipped, "*.json", SearchOption.AllDirectories))
        {
            var target = Path.Combine(WorkflowsFolder, Path.GetRelativePath(shipped, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Safeguards", "Fixtures", $"{WorkflowId}.v1.json"),
            Path.Combine(WorkflowsFolder, $"{WorkflowId}.v1.json"));
    }

    public string WorkflowsFolder => Path.Combine(StorageRoot, "workflows");

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Workflows:Path"] = WorkflowsFolder,
        ["Workflows:Default"] = WorkflowId,
    };
}
