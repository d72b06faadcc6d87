namespace RestorationWorkflow.Reports;

/// <summary>Where a report is in its life: queued → rendering → done or failed.</summary>
public static class ReportStatus
{
    public const string Queued = "queued";
    public const string Rendering = "rendering";
    public const string Done = "done";
    public const string Failed = "failed";
}

/// <summary>What a report covers: one project, or every project (the portfolio).</summary>
public enum ReportScope
{
    Project,
    Portfolio,
}

/// <summary>
/// One requested PDF report (decision 0036). The row is written when it is requested; the render job moves it to
/// <see cref="ReportStatus.Rendering"/> and then to done (with the stored file's name, size and SHA-256) or failed
/// (with the reason). The file is written once and never changed; asking again makes a new row.
/// </summary>
public sealed class Report
{
    public Guid Id { get; set; }

    /// <summary>The report kind's key: <c>audit-trail</c>, later <c>dossier</c>, <c>monitoring</c>, <c>portfolio</c>.</summary>
    public string Kind { get; set; } = "";

    /// <summary><c>en</c> or <c>zh-Hans</c>.</summary>
    public string Language { get; set; } = "";

    /// <summary>The project of a project report; null for a portfolio report.</summary>
    public Guid? ProjectId { get; set; }

    public string RequestedById { get; set; } = "";

    public DateTimeOffset RequestedAt { get; set; }

    public string Status { get; set; } = ReportStatus.Queued;

    /// <summary>Why rendering failed (English, for people and logs).</summary>
    public string? FailureReason { get; set; }

    /// <summary>When the render job was last enqueued: a queued report not taken for long is enqueued again.</summary>
    public DateTimeOffset EnqueuedAt { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    public long? Size { get; set; }

    /// <summary>Lower-case hex SHA-256 of the stored bytes; checked on every download.</summary>
    public string? Sha256 { get; set; }

    /// <summary>The file's path below <c>Storage:Root</c> (forward slashes).</summary>
    public string? StorageName { get; set; }

    public int? PageCount { get; set; }
}

/// <summary>
/// One download of a report (or a refused one): who, when, which report and what the check of its bytes found.
/// Append-only; a read does not change the project, so it is not on the project's audit chain (decision 0036).
/// </summary>
public sealed class ReportDownload
{
    public long Id { get; set; }

    public Guid ReportId { get; set; }

    public Guid? ProjectId { get; set; }

    public string UserId { get; set; } = "";

    public string UserName { get; set; } = "";

    public DateTimeOffset At { get; set; }

    /// <summary><see cref="ReportDownloadOutcomes"/>.</summary>
    public string Outcome { get; set; } = "";

    /// <summary>The SHA-256 of the bytes found on disk (equal to the report's when served).</summary>
    public string? FoundSha256 { get; set; }
}

public static class ReportDownloadOutcomes
{
    public const string Served = "served";
    public const string Tampered = "tampered";
    public const string Missing = "missing";
}
