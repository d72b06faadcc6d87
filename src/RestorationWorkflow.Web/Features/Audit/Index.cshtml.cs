using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using RestorationWorkflow.Data;
using RestorationWorkflow.Identity;
using RestorationWorkflow.Web.Features.Identity;

namespace RestorationWorkflow.Web.Features.Audit;

/// <summary>
/// For auditors: every project's audit chain, a page at a time, with its last verification (when, result, the
/// head it covered). Viewing costs two queries whatever the chains' length; verifying a page recomputes its chains.
/// </summary>
[Authorize(Policy = Policies.ReadAuditTrail)]
public sealed class IndexModel(AppDbContext db, AuditVerifier verifier, IStringLocalizer<SharedResource> localizer) : PageModel
{
    public const int PageSize = 25;

    /// <summary>One project's chain. <see cref="Verified"/> is null when never verified; <see cref="Current"/> says whether the head moved since.</summary>
    public sealed record ChainRow(Guid ProjectId, string Name, int Count, DateTimeOffset UpdatedAt, Verification? Verified, bool Current);

    public sealed record Verification(DateTimeOffset At, bool Valid, int? BrokenSequence, string? Reason);

    /// <summary>From <c>?page=</c> (not bound as a property: Razor Pages' own <c>page</c> route value would win).</summary>
    public int PageNumber { get; private set; } = 1;

    public int PageCount { get; private set; } = 1;

    public int Total { get; private set; }

    public IReadOnlyList<ChainRow> Rows { get; private set; } = [];

    public async Task OnGetAsync([FromQuery(Name = "page")] int? page, CancellationToken ct) => await LoadAsync(page, ct);

    /// <summary>Verifies the chains of the projects on this page now.</summary>
    public async Task<IActionResult> OnPostVerifyAsync([FromQuery(Name = "page")] int? page, CancellationToken ct)
    {
        await LoadAsync(page, ct);
        var results = await verifier.VerifyAsync([.. Rows.Select(r => r.ProjectId)], User.UserId(), ct);
        TempData["Message"] = localizer["{0} of {1} chains intact.", results.Values.Count(v => v.Valid), results.Count].Value;
        return LocalRedirect($"/Audit?page={PageNumber.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
    }

    private async Task LoadAsync(int? page, CancellationToken ct)
    {
        Total = await db.Projects.CountAsync(ct);
        PageCount = Math.Max(1, (Total + PageSize - 1) / PageSize);
        PageNumber = Math.Clamp(page ?? 1, 1, PageCount);
        var rows = await (
                from p in db.Projects.AsNoTracking()
                join v in db.AuditVerifications.AsNoTracking() on p.Id equals v.ProjectId into verifications
                from v in verifications.DefaultIfEmpty()
                orderby p.Name, p.Id
                select new
                {
                    p.Id, p.Name, p.AuditSequence, p.AuditHead, p.UpdatedAt,
                    Verified = v == null ? null : new { v.VerifiedAt, v.Valid, v.BrokenSequence, v.Reason, v.HeadSequence, v.HeadHash },
                })
            .Skip((PageNumber - 1) * PageSize).Take(PageSize).ToListAsync(ct);
        Rows = [.. rows.Select(r => new ChainRow(r.Id, r.Name, r.AuditSequence, r.UpdatedAt,
            r.Verified is null ? null : new Verification(r.Verified.VerifiedAt, r.Verified.Valid, r.Verified.BrokenSequence, r.Verified.Reason),
            r.Verified is not null && r.Verified.HeadSequence == r.AuditSequence && r.Verified.HeadHash == r.AuditHead))];
    }
}
