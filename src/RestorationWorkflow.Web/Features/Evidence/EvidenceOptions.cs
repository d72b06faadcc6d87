namespace RestorationWorkflow.Web.Features.Evidence;

/// <summary><c>Evidence:*</c> settings.</summary>
public sealed class EvidenceOptions
{
    public const string Section = "Evidence";

    /// <summary>Room for the multipart boundaries and the small form fields beside the file.</summary>
    public const long FormOverheadBytes = 64 * 1024;

    /// <summary><c>Evidence:MaxFileMegabytes</c>: the largest file accepted (413 beyond). Default 25.</summary>
    public int MaxFileMegabytes { get; set; } = 25;

    public long MaxFileBytes => MaxFileMegabytes * 1024L * 1024L;

    /// <summary>The largest request body of an upload: the file and its form.</summary>
    public long MaxRequestBytes => MaxFileBytes + FormOverheadBytes;
}
