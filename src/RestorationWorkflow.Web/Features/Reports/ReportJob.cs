using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.Data;
using RestorationWorkflow.Reports;

namespace RestorationWorkflow.Web.Features.Reports;

/// <summary>
/// The Hangfire job that makes one report (decision 0036): claims the row (queued → rendering, or a rendering row whose
/// job died), renders it through its <see cref="IReportKind"/> into <see cref="ReportStorage"/>, and marks it done with
/// the file's name, size, SHA-256 and pages — or failed with the reason, leaving no file. A job for a row another job
/// holds, or that is finished, does nothing, so enqueuing twice is harmless.
/// </summary>
public sealed class ReportJob(AppDbContext db, ReportKinds kinds, ReportStorage storage, ReportOptions options, TimeProvider time, ILogger<ReportJob> logger)
{
    /// <summary>What the run did.</summary>
    public enum Outcome
    {
        Done,
        Failed,
        NotClaimed,
    }

    public async Task<Outcome> RunAsync(Guid reportId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var stale = now.AddMinutes(-options.RenderTimeoutMinutes);
        var claimed = await db.Reports
            .Where(r => r.Id == reportId && (r.Status == ReportStatus.Queued || (r.Status == ReportStatus.Rendering && r.StartedAt < stale)))
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, ReportStatus.Rendering).SetProperty(r => r.StartedAt, now), ct);
        if (claimed == 0)
            return Outcome.NotClaimed;
        var report = await db.Reports.SingleAsync(r => r.Id == reportId, ct);
        var requester = await db.Users.AsNoTracking().Where(u => u.Id == report.RequestedById)
            .Select(u => u.DisplayName == "" ? u.Email ?? u.Id : u.DisplayName).FirstOrDefaultAsync(ct) ?? report.RequestedById;

        try
        {
            var kind = kinds.Find(report.Kind) ?? throw new ReportFailedException($"The report kind '{report.Kind}' is not known to this version.");
            var request = new ReportRenderRequest(report.Id, report.ProjectId, report.Language, report.RequestedById, requester);
            var stored = await storage.WriteAsync(report.Id, report.RequestedAt, output => kind.LoadAndRenderAsync(request, output, ct), ct);
            report.Status = ReportStatus.Done;
            report.StorageName = stored.StorageName;
            report.Size = stored.Size;
            report.Sha256 = stored.Sha256;
            report.PageCount = stored.PageCount > 0 ? stored.PageCount : null;
            report.FinishedAt = time.GetUtcNow();
            await db.SaveChangesAsync(ct);
            logger.LogInformation("Report {ReportId} ({Kind}, {Language}) done: {Size} bytes, SHA-256 {Sha256}.", report.Id, report.Kind, report.Language, stored.Size, stored.Sha256);
            return Outcome.Done;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Rendering is deterministic: a retry would fail the same way, so the reason is stored and the job ends.
            var reason = ex is ReportFailedException ? ex.Message : $"Rendering failed: {ex.GetType().Name}: {ex.Message}";
            logger.LogError(ex, "Report {ReportId} ({Kind}) failed: {Reason}", report.Id, report.Kind, reason);
            db.ChangeTracker.Clear();
            await db.Reports.Where(r => r.Id == reportId).ExecuteUpdateAsync(s => s
                .SetProperty(r => r.Status, ReportStatus.Failed)
                .SetProperty(r => r.FailureReason, reason.Length > 2000 ? reason[..2000] : reason)
                .SetProperty(r => r.FinishedAt, time.GetUtcNow()), CancellationToken.None);
            return Outcome.Failed;
        }
    }
}
