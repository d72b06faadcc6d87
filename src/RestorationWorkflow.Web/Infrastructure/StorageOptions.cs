namespace RestorationWorkflow.Web.Infrastructure;

/// <summary>
/// <c>Storage:Root</c>: the one folder the app writes to (the SQLite file, evidence, reports, the e-mail
/// pickup folder). Default: <c>data/</c> beside the content root.
/// </summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    public string Root { get; set; } = "";

    /// <summary>
    /// <c>Storage:MinimumFreeMegabytes</c>: below this much free space on the volume of <see cref="Root"/>,
    /// <c>/health/ready</c> is Unhealthy (before writes start to fail). Default 100.
    /// </summary>
    public long MinimumFreeMegabytes { get; set; } = 100;

    /// <summary>
    /// <c>Storage:FaultHoldSeconds</c>: how long <c>/health/ready</c> stays Unhealthy after a write failed because the
    /// storage was full or unavailable (a later small write that fits proves little). Default 120.
    /// </summary>
    public int FaultHoldSeconds { get; set; } = 120;

    /// <summary>The absolute root, created if missing, and checked to take a file.</summary>
    /// <exception cref="StartupException">The folder cannot be created or written to (one line: what and where).</exception>
    public static string ResolveRoot(IConfiguration configuration, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(environment);
        var configured = configuration[$"{Section}:Root"];
        var root = string.IsNullOrWhiteSpace(configured)
            ? Path.Combine(environment.ContentRootPath, "data")
            : Path.GetFullPath(configured, environment.ContentRootPath);
        try
        {
            Directory.CreateDirectory(root);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StartupException($"Storage:Root {root} cannot be created: {ex.Message}", ex);
        }
        // A read-only mount or a folder of another user would otherwise fail on the first upload or report.
        var probe = Path.Combine(root, $".write-check-{Guid.NewGuid():N}");
        try
        {
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StartupException($"Storage:Root {root} is not writable: {ex.Message}", ex);
        }
        return root;
    }
}
