using RestorationWorkflow.IntegrationTests.Infrastructure;

namespace RestorationWorkflow.IntegrationTests.Targets;

/// <summary>
/// The app with the repository's definitions plus <c>Fixtures/staper-targets-test.v1.json</c> (v1 with
/// <c>planHasSmartTargets</c> on SubmitPlan, as workflow v2 will have it) as the default for new projects.
/// </summary>
public sealed class TargetsAppFactory : AppFactory
{
    public const string FixtureId = "staper-targets-test";

    public TargetsAppFactory()
    {
        var shipped = Path.Combine(AppContext.BaseDirectory, "workflows");
        foreach (var file in Directory.EnumerateFiles(shipped, "*.json", SearchOption.AllDirectories))
        {
            var target = Path.Combine(WorkflowsFolder, Path.GetRelativePath(shipped, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Targets", "Fixtures", $"{FixtureId}.v1.json"),
            Path.Combine(WorkflowsFolder, $"{FixtureId}.v1.json"));
    }

    public string WorkflowsFolder => Path.Combine(StorageRoot, "workflows");

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Workflows:Path"] = WorkflowsFolder,
        ["Workflows:Default"] = FixtureId,
    };
}
