using RestorationWorkflow.Reports;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Web.Features.Reports.Monitoring;

/// <summary>The monitoring report of a project (issue 20, report 2), loaded and drawn for the job.</summary>
public sealed class MonitoringReportKind(MonitoringReportSource source, MonitoringReport report) : IReportKind
{
    public const string Key = "monitoring";

    public string Kind => Key;

    public ReportScope Scope => ReportScope.Project;

    public LocalizedText Label { get; } = new("Monitoring report", "监测报告");

    public async Task<int> LoadAndRenderAsync(ReportRenderRequest request, Stream output, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ProjectId is not { } projectId)
            throw new ReportFailedException("A monitoring report needs a project.");
        var input = await source.LoadAsync(projectId, request.Language, request.RequestedByName, ct)
            ?? throw new ReportFailedException($"The project {projectId} no longer exists.");
        return report.RenderCounting(input, output);
    }
}
