using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.Data;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Reports;
using RestorationWorkflow.Web.Features.Projects;

namespace RestorationWorkflow.Web.Features.Reports;

/// <summary>
/// <c>/Projects/{id}/Reports</c>: a project's reports, newest first, and the request form's handler (the same
/// <see cref="ReportService"/> as the API); a request leads to the report's own page, which follows it until done.
/// </summary>
[Authorize(Policy = ReportPolicies.ProjectReports)]
public sealed class IndexModel(AppDbContext db, ReportService reports) : PageModel
{
    public Project Project { get; private set; } = null!;

    public IReadOnlyList<ReportView> Items { get; private set; } = [];

    public int Total { get; private set; }

    public int PageNumber { get; private set; } = 1;

    public int PageSize => reports.PageSize;

    public async Task<IActionResult> OnGetAsync(Guid id, int? p, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } refused)
            return refused;
        PageNumber = Math.Max(p ?? 1, 1);
        (Items, Total) = await reports.ListAsync(Project, PageNumber, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostRequestAsync(Guid id, string? kind, string? language, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } refused)
            return refused;
        var result = await reports.RequestAsync(ReportScope.Project, id, kind, language, User, ct);
        if (result.Report is { } report)
            return RedirectToPage("/Reports/Show", new { reportId = report.Id });
        var refusal = result.Refusal!;
        if (refusal.Status == StatusCodes.Status403Forbidden)
            return Forbid();
        ModelState.AddModelError(refusal.Field ?? "", refusal.Message.For(System.Globalization.CultureInfo.CurrentUICulture));
        (Items, Total) = await reports.ListAsync(Project, 1, ct);
        return Page();
    }

    private async Task<IActionResult?> LoadAsync(Guid id, CancellationToken ct)
    {
        var project = await db.Projects.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct);
        if (project is null)
            return NotFound();
        if (!await reports.MayAsync(User, project))
            return Forbid();
        Project = project;
        return null;
    }
}
