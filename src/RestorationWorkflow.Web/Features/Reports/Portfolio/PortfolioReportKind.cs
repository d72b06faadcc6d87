using RestorationWorkflow.Reports;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Web.Features.Reports.Portfolio;

/// <summary>
/// The portfolio report (decision 0040): requested without a project (<c>POST /api/reports {kind: "portfolio"}</c> or the
/// portfolio page), covering the requester's portfolio scope, loaded by <see cref="PortfolioReportSource"/> and drawn by
/// <see cref="PortfolioReport"/> for the job.
/// </summary>
public sealed class PortfolioReportKind(PortfolioReportSource source, PortfolioReport report) : IReportKind
{
    public const string Key = "portfolio";

    public string Kind => Key;

    public ReportScope Scope => ReportScope.Portfolio;

    public LocalizedText Label { get; } = new("Portfolio report", "项目组合报告");

    public async Task<int> LoadAndRenderAsync(ReportRenderRequest request, Stream output, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var input = await source.LoadAsync(request.Language, request.RequestedById, request.RequestedByName, ct);
        return report.RenderCounting(input, output);
    }
}
