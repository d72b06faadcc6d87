using RestorationWorkflow.Reports;
using RestorationWorkflow.Web.Features.Reports.AuditTrail;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Web.Features.Reports;

/// <summary>What the render job knows of a report: its row's values and the requester's name.</summary>
public sealed record ReportRenderRequest(Guid ReportId, Guid? ProjectId, string Language, string RequestedById, string RequestedByName);

/// <summary>
/// One kind of report (decision 0036). Adding a kind is one class implementing this, registered with
/// <see cref="ReportsFeature.AddReportKind{T}"/>: the request endpoints, the job, storage, downloads and pages follow.
/// </summary>
public interface IReportKind
{
    /// <summary>The key in requests and rows: <c>audit-trail</c>, <c>dossier</c>, <c>monitoring</c>, <c>portfolio</c>.</summary>
    string Kind { get; }

    /// <summary>Whether it is requested for one project or for the portfolio.</summary>
    ReportScope Scope { get; }

    /// <summary>Its name in the interface and in file names.</summary>
    LocalizedText Label { get; }

    /// <summary>
    /// Loads the report's input and writes the PDF to <paramref name="output"/>; answers the number of pages (0 when not
    /// known). Throws <see cref="ReportFailedException"/> with a reason a reader understands when it cannot be made.
    /// </summary>
    Task<int> LoadAndRenderAsync(ReportRenderRequest request, Stream output, CancellationToken ct);
}

/// <summary>A report that cannot be made, with the reason stored on its row.</summary>
public sealed class ReportFailedException : Exception
{
    public ReportFailedException()
    {
    }

    public ReportFailedException(string message) : base(message)
    {
    }

    public ReportFailedException(string message, Exception innerException) : base(message, innerException)
    {
    }
}

/// <summary>The registered kinds, by key.</summary>
public sealed class ReportKinds(IEnumerable<IReportKind> kinds)
{
    private readonly Dictionary<string, IReportKind> _byKey = kinds.ToDictionary(k => k.Kind, StringComparer.Ordinal);

    public IReadOnlyCollection<IReportKind> All => _byKey.Values;

    public IReportKind? Find(string? kind) => kind is not null && _byKey.TryGetValue(kind, out var found) ? found : null;

    public IEnumerable<IReportKind> Of(ReportScope scope) => _byKey.Values.Where(k => k.Scope == scope).OrderBy(k => k.Kind, StringComparer.Ordinal);

    /// <summary>The report languages: English and Simplified Chinese.</summary>
    public static readonly IReadOnlyList<string> Languages = ["en", "zh-Hans"];

    public static bool IsLanguage(string? language) => language is not null && Languages.Contains(language, StringComparer.Ordinal);
}

/// <summary>The first kind: the audit trail of a project (decision 0035), loaded and drawn for the job.</summary>
public sealed class AuditTrailReportKind(AuditTrailReportSource source, AuditTrailReport report) : IReportKind
{
    public const string Key = "audit-trail";

    public string Kind => Key;

    public ReportScope Scope => ReportScope.Project;

    public LocalizedText Label { get; } = new("Audit trail", "审计记录");

    public async Task<int> LoadAndRenderAsync(ReportRenderRequest request, Stream output, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ProjectId is not { } projectId)
            throw new ReportFailedException("An audit-trail report needs a project.");
        var input = await source.LoadAsync(projectId, request.Language, request.RequestedById, request.RequestedByName, ct)
            ?? throw new ReportFailedException($"The project {projectId} no longer exists.");
        return report.RenderCounting(input, output);
    }
}

/// <summary>The project dossier (issue 20, report 1): everything recorded about a project, with the requester's rights.</summary>
public sealed class DossierReportKind(Dossier.DossierReportSource source, Dossier.DossierReport report) : IReportKind
{
    public const string Key = "dossier";

    public string Kind => Key;

    public ReportScope Scope => ReportScope.Project;

    public LocalizedText Label { get; } = new("Project dossier", "项目档案");

    public async Task<int> LoadAndRenderAsync(ReportRenderRequest request, Stream output, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ProjectId is not { } projectId)
            throw new ReportFailedException("A project dossier needs a project.");
        var input = await source.LoadAsync(projectId, request.Language, request.RequestedById, request.RequestedByName, ct)
            ?? throw new ReportFailedException($"The project {projectId} no longer exists.");
        return report.RenderCounting(input, output);
    }
}
