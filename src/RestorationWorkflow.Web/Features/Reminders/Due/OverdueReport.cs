using System.Globalization;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.Data;
using RestorationWorkflow.Reminders;
using RestorationWorkflow.Web.Features.Projects;
using RestorationWorkflow.Web.Infrastructure;

namespace RestorationWorkflow.Web.Features.Reminders.Due;

/// <summary>One overdue item in the report across projects.</summary>
public sealed record OverdueItemDto(
    Guid Id, Guid ProjectId, string ProjectName, string ProjectCode, string Kind, string Title, string TitleEn, string TitleZh, DateOnly DueOn, int DaysOverdue);

/// <summary>
/// <c>GET /api/reminders/overdue?kind=&amp;sort=&amp;order=&amp;page=&amp;pageSize=</c> and <c>/Admin/Overdue</c>: <c>kind</c> one of
/// <see cref="DueItemKinds.All"/>; <c>sort</c> <c>daysOverdue</c> (default, most overdue first), <c>project</c> or
/// <c>kind</c>; <c>order</c> <c>asc|desc</c>; <c>page</c> 1–100,000, <c>pageSize</c> 1–200.
/// </summary>
public sealed record OverdueQuery(string? Kind, string? Sort, string? Order, int? Page, int? PageSize)
{
    public const string DaysOverdue = "daysOverdue";
    public const string Project = "project";
    public const string KindSort = "kind";

    public static readonly IReadOnlyList<string> Sorts = [DaysOverdue, Project, KindSort];

    public int PageNumber => Page ?? 1;

    public int Size => PageSize ?? 25;

    public string SortBy => string.IsNullOrEmpty(Sort) ? DaysOverdue : Sort;

    /// <summary>Most overdue first unless asked otherwise; names and kinds A to Z.</summary>
    public bool Descending => string.IsNullOrEmpty(Order) ? SortBy == DaysOverdue : Order == "desc";

    public void Validate(IDictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (!string.IsNullOrEmpty(Kind) && !DueItemKinds.All.Contains(Kind, StringComparer.Ordinal))
            errors["kind"] = [$"'{TextRules.Quote(Kind)}' is not a kind of due item; kinds: {string.Join(", ", DueItemKinds.All)}."];
        if (!string.IsNullOrEmpty(Sort) && !Sorts.Contains(Sort, StringComparer.Ordinal))
            errors["sort"] = [$"'{TextRules.Quote(Sort)}' is not a sort; sorts: {string.Join(", ", Sorts)}."];
        if (!string.IsNullOrEmpty(Order) && Order is not ("asc" or "desc"))
            errors["order"] = [$"'{TextRules.Quote(Order)}' is not an order; use asc or desc."];
        if (PageNumber is < 1 or > ProjectEndpoints.MaxPage)
            errors["page"] = [$"The page must be between 1 and {ProjectEndpoints.MaxPage}."];
        if (Size is < 1 or > ProjectEndpoints.MaxPageSize)
            errors["pageSize"] = [$"The page size must be between 1 and {ProjectEndpoints.MaxPageSize}."];
    }
}

/// <summary>
/// Every due item past its date, across projects, a page at a time: one count and one page query on the due-date index.
/// Closed and cancelled projects have no items, so every row is work still to do.
/// </summary>
public sealed class OverdueReport(AppDbContext db, TimeProvider time)
{
    public async Task<PagedResult<OverdueItemDto>> ReadAsync(OverdueQuery query, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(query);
        var today = DuePlan.Day(time.GetUtcNow());
        var rows = from d in db.DueItems.AsNoTracking()
                   where d.DueOn < today
                   join p in db.Projects.AsNoTracking() on d.ProjectId equals p.Id
                   select new { d.Id, d.ProjectId, p.Name, p.Code, d.Kind, d.TitleEn, d.TitleZh, d.DueOn };
        if (!string.IsNullOrEmpty(query.Kind))
            rows = rows.Where(r => r.Kind == query.Kind);
        var total = await rows.CountAsync(ct);
        rows = (query.SortBy, query.Descending) switch
        {
            (OverdueQuery.Project, false) => rows.OrderBy(r => r.Name).ThenBy(r => r.DueOn).ThenBy(r => r.Id),
            (OverdueQuery.Project, true) => rows.OrderByDescending(r => r.Name).ThenBy(r => r.DueOn).ThenBy(r => r.Id),
            (OverdueQuery.KindSort, false) => rows.OrderBy(r => r.Kind).ThenBy(r => r.DueOn).ThenBy(r => r.Id),
            (OverdueQuery.KindSort, true) => rows.OrderByDescending(r => r.Kind).ThenBy(r => r.DueOn).ThenBy(r => r.Id),
            // Days overdue grow as the due date goes back: most overdue first is the earliest date first.
            (_, true) => rows.OrderBy(r => r.DueOn).ThenBy(r => r.Id),
            (_, false) => rows.OrderByDescending(r => r.DueOn).ThenByDescending(r => r.Id),
        };
        var offset = checked((int)((long)(query.PageNumber - 1) * query.Size));
        var page = await rows.Skip(offset).Take(query.Size).ToListAsync(ct);
        var culture = CultureInfo.CurrentUICulture;
        var items = page.Select(r => new OverdueItemDto(r.Id, r.ProjectId, r.Name, r.Code, r.Kind,
            new RestorationWorkflow.Workflows.LocalizedText(r.TitleEn, r.TitleZh).For(culture), r.TitleEn, r.TitleZh, r.DueOn, today.DayNumber - r.DueOn.DayNumber)).ToList();
        return new PagedResult<OverdueItemDto>(items, query.PageNumber, query.Size, total);
    }
}
