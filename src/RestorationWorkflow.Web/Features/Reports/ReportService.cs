using System.Globalization;
using System.Security.Claims;
using Hangfire;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.Data;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Reports;
using RestorationWorkflow.Web.Features.Identity;
using RestorationWorkflow.Web.Features.Projects;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Web.Features.Reports;

/// <summary>Why a report request or download was refused: an HTTP status, the field (for 400) or a code, the message.</summary>
public sealed record ReportRefusal(int Status, string? Field, string? Code, LocalizedText Message, IReadOnlyList<UnmetGuard>? Rules = null);

/// <summary>The outcome of a request: the new row, or the refusal.</summary>
public sealed record ReportRequestResult(Report? Report, ReportRefusal? Refusal);

/// <summary>The outcome of a download: the verified bytes and a file name, or the refusal.</summary>
public sealed record ReportDownloadResult(byte[]? Bytes, string? FileName, ReportRefusal? Refusal);

/// <summary>A report as the API and the pages show it.</summary>
public sealed record ReportView(Report Report, string? ProjectCode, string? ProjectName, string RequestedBy);

/// <summary>
/// Requests, reads and downloads reports for the API and the pages alike (decision 0036): validation naming the field,
/// authorization through <see cref="ReportAccessRequirement"/>, the row committed before its job is enqueued, lost jobs
/// enqueued again when the report is looked at, and every download checked against the stored SHA-256 and recorded.
/// </summary>
public sealed class ReportService(
    AppDbContext db, ReportKinds kinds, ReportStorage storage, ReportOptions options, IBackgroundJobClient jobs,
    IAuthorizationService authorization, TimeProvider time, ILogger<ReportService> logger)
{
    public async Task<ReportRequestResult> RequestAsync(ReportScope scope, Guid? projectId, string? kind, string? language, ClaimsPrincipal user, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(user);
        var found = kinds.Find(kind);
        if (found is null)
        {
            var known = string.Join(", ", kinds.Of(scope).Select(k => k.Kind));
            return Invalid("kind", string.IsNullOrWhiteSpace(kind)
                ? new LocalizedText($"Name the kind of report ({known}).", $"请指定报告类型（{known}）。")
                : new LocalizedText($"'{Quote(kind)}' is not a kind of report here; known: {known}.", $"“{Quote(kind)}”不是此处可用的报告类型；可用：{known}。"));
        }
        if (found.Scope != scope)
        {
            return Invalid("kind", found.Scope == ReportScope.Portfolio
                ? new LocalizedText($"'{found.Kind}' is a portfolio report: request it without a project.", $"“{found.Kind}”是组合报告，请不指定项目请求。")
                : new LocalizedText($"'{found.Kind}' is a project report: request it for a project.", $"“{found.Kind}”是项目报告，请针对项目请求。"));
        }
        if (!ReportKinds.IsLanguage(language))
        {
            return Invalid("language", string.IsNullOrWhiteSpace(language)
                ? new LocalizedText("Name the language: en or zh-Hans.", "请指定语言：en 或 zh-Hans。")
                : new LocalizedText($"'{Quote(language)}' is not a report language: en or zh-Hans.", $"“{Quote(language)}”不是报告语言：en 或 zh-Hans。"));
        }

        Project? project = null;
        if (scope == ReportScope.Project)
        {
            project = await db.Projects.AsNoTracking().FirstOrDefaultAsync(p => p.Id == projectId, ct);
            if (project is null)
                return new(null, NotFound(new LocalizedText($"No project has the id {projectId}.", $"没有 ID 为 {projectId} 的项目。")));
        }
        if (await AuthorizeAsync(user, new ReportTarget(scope, project)) is { } refused)
            return new(null, refused);

        var now = time.GetUtcNow();
        var report = new Report
        {
            Id = Guid.CreateVersion7(now),
            Kind = found.Kind,
            Language = language!,
            ProjectId = project?.Id,
            RequestedById = user.UserId(),
            RequestedAt = now,
            EnqueuedAt = now,
            Status = ReportStatus.Queued,
        };
        db.Reports.Add(report);
        await db.SaveChangesAsync(ct);
        // Only after the commit: a job never looks for a row that is not there yet.
        Enqueue(report.Id);
        return new(report, null);
    }

    /// <summary>A report the caller may see, with a lost job enqueued again; null with the refusal otherwise.</summary>
    public async Task<(ReportView? View, ReportRefusal? Refusal)> GetAsync(Guid id, ClaimsPrincipal user, CancellationToken ct)
    {
        var report = await db.Reports.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct);
        if (report is null)
            return (null, NotFound(new LocalizedText($"No report has the id {id}.", $"没有 ID 为 {id} 的报告。")));
        var project = report.ProjectId is { } projectId ? await db.Projects.AsNoTracking().FirstOrDefaultAsync(p => p.Id == projectId, ct) : null;
        if (report.ProjectId is not null && project is null && !user.IsInRole(RestorationWorkflow.Identity.AppRoles.Auditor))
            return (null, NotFound(new LocalizedText($"No report has the id {id}.", $"没有 ID 为 {id} 的报告。")));
        var scope = report.ProjectId is null ? ReportScope.Portfolio : ReportScope.Project;
        if (await AuthorizeAsync(user, new ReportTarget(scope, project, report.RequestedById)) is { } refused)
            return (null, refused);
        report = await KeepMovingAsync(report, ct);
        var names = await ProjectQueries.UserNamesAsync(db, [report.RequestedById], ct);
        return (new ReportView(report, project?.Code, project?.Name, names.GetValueOrDefault(report.RequestedById, report.RequestedById)), null);
    }

    /// <summary>A project's reports, newest first, one page.</summary>
    public async Task<(IReadOnlyList<ReportView> Items, int Total)> ListAsync(Project project, int page, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(project);
        var query = db.Reports.AsNoTracking().Where(r => r.ProjectId == project.Id);
        var total = await query.CountAsync(ct);
        var rows = await query.OrderByDescending(r => r.RequestedAt).ThenByDescending(r => r.Id)
            .Skip((Math.Max(page, 1) - 1) * options.PageSize).Take(options.PageSize).ToListAsync(ct);
        var names = await ProjectQueries.UserNamesAsync(db, rows.Select(r => r.RequestedById), ct);
        return ([.. rows.Select(r => new ReportView(r, project.Code, project.Name, names.GetValueOrDefault(r.RequestedById, r.RequestedById)))], total);
    }

    /// <summary>
    /// The newest portfolio reports <paramref name="user"/> may see (decision 0040): every one for those who see every
    /// project (approvers, auditors, administrators), their own for a project manager; none without a portfolio role.
    /// </summary>
    public async Task<IReadOnlyList<ReportView>> ListPortfolioAsync(ClaimsPrincipal user, int count, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (!ReportPolicies.PortfolioReportRoles.Any(user.IsInRole))
            return [];
        var query = db.Reports.AsNoTracking().Where(r => r.ProjectId == null);
        if (!ProjectScope.SeesAll(user))
        {
            var me = user.UserId();
            query = query.Where(r => r.RequestedById == me);
        }
        var rows = await query.OrderByDescending(r => r.RequestedAt).ThenByDescending(r => r.Id).Take(count).ToListAsync(ct);
        var names = await ProjectQueries.UserNamesAsync(db, rows.Select(r => r.RequestedById), ct);
        return [.. rows.Select(r => new ReportView(r, null, null, names.GetValueOrDefault(r.RequestedById, r.RequestedById)))];
    }

    /// <summary>Whether <paramref name="user"/> may request portfolio reports.</summary>
    public async Task<bool> MayRequestPortfolioAsync(ClaimsPrincipal user) =>
        (await authorization.AuthorizeAsync(user, new ReportTarget(ReportScope.Portfolio, null), ReportAccessRequirement.Instance)).Succeeded;

    public int PageSize => options.PageSize;

    /// <summary>Whether <paramref name="user"/> may request or download reports of this project.</summary>
    public async Task<bool> MayAsync(ClaimsPrincipal user, Project project) =>
        (await authorization.AuthorizeAsync(user, new ReportTarget(ReportScope.Project, project), ReportAccessRequirement.Instance)).Succeeded;

    /// <summary>
    /// The bytes of a finished report, after checking them against the stored SHA-256; each download (and each refused
    /// one) is recorded in <c>ReportDownloads</c>. A mismatch is refused (409 <c>report-tampered</c>) and logged as tampering.
    /// </summary>
    public async Task<ReportDownloadResult> DownloadAsync(Guid id, ClaimsPrincipal user, CancellationToken ct)
    {
        var (view, refused) = await GetAsync(id, user, ct);
        if (view is null)
            return new(null, null, refused);
        var report = view.Report;
        if (report.Status != ReportStatus.Done || report.StorageName is null || report.Sha256 is null)
        {
            return new(null, null, new ReportRefusal(StatusCodes.Status409Conflict, null, "report-not-ready", new LocalizedText(
                $"The report is {report.Status}; its file can be downloaded once it is done.", $"报告状态为 {report.Status}，完成后才能下载。")));
        }
        var bytes = await storage.ReadAsync(report.StorageName, ct);
        var found = bytes is null ? null : ReportStorage.Sha256Of(bytes);
        var outcome = bytes is null ? ReportDownloadOutcomes.Missing
            : string.Equals(found, report.Sha256, StringComparison.Ordinal) ? ReportDownloadOutcomes.Served : ReportDownloadOutcomes.Tampered;
        db.ReportDownloads.Add(new ReportDownload
        {
            ReportId = report.Id,
            ProjectId = report.ProjectId,
            UserId = user.UserId(),
            UserName = user.ToCaller().DisplayName,
            At = time.GetUtcNow(),
            Outcome = outcome,
            FoundSha256 = found,
        });
        await db.SaveChangesAsync(ct);
        switch (outcome)
        {
            case ReportDownloadOutcomes.Missing:
                logger.LogCritical("Report tampering: the file of report {ReportId} ({StorageName}) is missing; download by {UserId} refused.", report.Id, report.StorageName, user.UserId());
                return new(null, null, new ReportRefusal(StatusCodes.Status409Conflict, null, "report-file-missing", new LocalizedText(
                    "The report's stored file is missing; it was not served. Request the report again.", "报告的存储文件缺失，未提供下载。请重新请求报告。")));
            case ReportDownloadOutcomes.Tampered:
                logger.LogCritical("Report tampering: the file of report {ReportId} ({StorageName}) hashes to {Found}, not the stored {Expected}; download by {UserId} refused.",
                    report.Id, report.StorageName, found, report.Sha256, user.UserId());
                return new(null, null, new ReportRefusal(StatusCodes.Status409Conflict, null, "report-tampered", new LocalizedText(
                    "The report's file no longer matches its SHA-256: it was altered after it was made and is not served. Request the report again.",
                    "报告文件与其 SHA-256 不再一致：生成后已被改动，因此不提供下载。请重新请求报告。")));
        }
        return new(bytes, FileName(view), null);
    }

    /// <summary><c>audit-trail_DEMO-KE-MAU_2026-11-26_0930_en.pdf</c>: kind, project code, when, language (ASCII only).</summary>
    public static string FileName(ReportView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var r = view.Report;
        var subject = string.IsNullOrWhiteSpace(view.ProjectCode) ? (r.ProjectId is null ? "portfolio" : "project") : view.ProjectCode;
        var name = $"{r.Kind}_{subject}_{r.RequestedAt.UtcDateTime.ToString("yyyy-MM-dd_HHmm", CultureInfo.InvariantCulture)}_{r.Language}.pdf";
        return Evidence.EvidenceEndpoints.AsciiName(name);
    }

    /// <summary>
    /// A lost job, enqueued again (decision 0036): a report queued longer than <c>Reports:ReenqueueAfterMinutes</c> since
    /// its job was enqueued, or rendering longer than <c>Reports:RenderTimeoutMinutes</c>. One looker wins the update
    /// of <see cref="Report.EnqueuedAt"/> and enqueues; the job's claim makes a duplicate harmless.
    /// </summary>
    private async Task<Report> KeepMovingAsync(Report report, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var lost = (report.Status == ReportStatus.Queued && report.EnqueuedAt < now.AddMinutes(-options.ReenqueueAfterMinutes))
            || (report.Status == ReportStatus.Rendering && report.StartedAt < now.AddMinutes(-options.RenderTimeoutMinutes)
                && report.EnqueuedAt < now.AddMinutes(-options.RenderTimeoutMinutes));
        if (!lost)
            return report;
        var previous = report.EnqueuedAt;
        var won = await db.Reports.Where(r => r.Id == report.Id && r.EnqueuedAt == previous && r.Status == report.Status)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.EnqueuedAt, now), ct);
        if (won == 1)
        {
            logger.LogWarning("Report {ReportId} was {Status} since {EnqueuedAt}: its job is enqueued again.", report.Id, report.Status, previous);
            Enqueue(report.Id);
            report.EnqueuedAt = now;
        }
        return report;
    }

    private void Enqueue(Guid reportId) => jobs.Enqueue<ReportJob>(job => job.RunAsync(reportId, CancellationToken.None));

    private async Task<ReportRefusal?> AuthorizeAsync(ClaimsPrincipal user, ReportTarget target)
    {
        var result = await authorization.AuthorizeAsync(user, target, ReportAccessRequirement.Instance);
        if (result.Succeeded)
            return null;
        var rules = result.Rules();
        return new ReportRefusal(StatusCodes.Status403Forbidden, null, RestorationWorkflow.Commands.CommandErrorCodes.Forbidden, rules[0].Message, rules);
    }

    private static ReportRequestResult Invalid(string field, LocalizedText message) =>
        new(null, new ReportRefusal(StatusCodes.Status400BadRequest, field, RestorationWorkflow.Commands.CommandErrorCodes.Validation, message));

    private static ReportRefusal NotFound(LocalizedText message) => new(StatusCodes.Status404NotFound, null, "not-found", message);

    private static string Quote(string value) => Infrastructure.TextRules.Quote(value);
}
