namespace RestorationWorkflow.Web.Infrastructure;

/// <summary>
/// <c>Storage:Root</c>: the one folder the app writes to (the SQLite file, evidence, reports, the e-mail
/// pickup folder). Default: <c>data/</c> beside the content root.
/// </summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    public string Root { get; set; } = "";

    /// <summary>The absolute root, created if missing.</summary>
    public static string ResolveRoot(IConfiguration configuration, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(environment);
        var configured = configuration[$"{Section}:Root"];
        var root = string.IsNullOrWhiteSpace(configured)
            ? Path.Combine(environment.ContentRootPath, "data")
            : Path.GetFullPath(configured, environment.ContentRootPath);
        Directory.CreateDirectory(root);
        return root;
    }
}
