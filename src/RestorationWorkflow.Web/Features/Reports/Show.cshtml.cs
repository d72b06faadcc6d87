using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using RestorationWorkflow.Reports;

namespace RestorationWorkflow.Web.Features.Reports;

/// <summary>
/// <c>/Reports/{reportId}</c>: one report's progress — it reloads itself every few seconds while queued or rendering —
/// then its size, SHA-256 and download (the <c>File</c> handler: the same checked download as the API), or why it failed.
/// </summary>
[Authorize(Policy = ReportPolicies.Reports)]
public sealed class ShowModel(ReportService reports, ReportKinds kinds) : PageModel
{
    /// <summary>Seconds between reloads while the report is being made.</summary>
    public const int RefreshSeconds = 3;

    public ReportView View { get; private set; } = null!;

    public string KindLabel { get; private set; } = "";

    public string? Error { get; private set; }

    public bool Pending => View.Report.Status is ReportStatus.Queued or ReportStatus.Rendering;

    public async Task<IActionResult> OnGetAsync(Guid reportId, CancellationToken ct) =>
        await LoadAsync(reportId, ct) ?? Page();

    public async Task<IActionResult> OnGetFileAsync(Guid reportId, CancellationToken ct)
    {
        var download = await reports.DownloadAsync(reportId, User, ct);
        if (download.Refusal is { } refusal)
        {
            if (refusal.Status == StatusCodes.Status403Forbidden)
                return Forbid();
            if (refusal.Status == StatusCodes.Status404NotFound)
                return NotFound();
            if (await LoadAsync(reportId, ct) is { } refused)
                return refused;
            Error = refusal.Message.For(CultureInfo.CurrentUICulture);
            Response.StatusCode = refusal.Status;
            return Page();
        }
        Evidence.EvidenceEndpoints.SetDownloadHeaders(Response, download.FileName!);
        return File(download.Bytes!, "application/pdf");
    }

    private async Task<IActionResult?> LoadAsync(Guid reportId, CancellationToken ct)
    {
        var (view, refusal) = await reports.GetAsync(reportId, User, ct);
        if (view is null)
            return refusal!.Status == StatusCodes.Status403Forbidden ? Forbid() : NotFound();
        View = view;
        KindLabel = kinds.Find(view.Report.Kind)?.Label.For(CultureInfo.CurrentUICulture) ?? view.Report.Kind;
        return null;
    }
}
