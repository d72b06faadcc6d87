namespace RestorationWorkflow.Web.Features.Reports;

/// <summary><c>Reports:*</c> settings.</summary>
public sealed class ReportOptions
{
    public const string Section = "Reports";

    /// <summary>
    /// <c>Reports:ReenqueueAfterMinutes</c>: a report still queued this long after its job was enqueued (the in-memory
    /// queue forgot it on a restart) is enqueued again when it is next looked at. Default 10.
    /// </summary>
    public int ReenqueueAfterMinutes { get; set; } = 10;

    /// <summary>
    /// <c>Reports:RenderTimeoutMinutes</c>: a report rendering this long (its process died) may be taken by a new job,
    /// enqueued when it is next looked at. Default 30.
    /// </summary>
    public int RenderTimeoutMinutes { get; set; } = 30;

    /// <summary><c>Reports:PageSize</c>: reports per page of a project's list. Default 20.</summary>
    public int PageSize { get; set; } = 20;
}
