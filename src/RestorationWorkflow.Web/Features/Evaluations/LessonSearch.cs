using System.Globalization;
using System.Security.Claims;
using System.Text;
using CsvHelper;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.Data;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Projects.Evaluations;
using RestorationWorkflow.Web.Features.Projects;
using RestorationWorkflow.Web.Infrastructure;

namespace RestorationWorkflow.Web.Features.Evaluations;

/// <summary>A lesson as lists and the export show it: with its project.</summary>
public sealed record LessonDto(
    Guid Id, Guid ProjectId, string ProjectName, string ProjectCode, string Country, string Topic, string TopicLabel, string WhatWorked,
    string WhatDidNot, string Recommendation, string RecordedBy, DateTimeOffset RecordedAt, DateTimeOffset UpdatedAt);

/// <summary>
/// <c>GET /api/lessons?q=&amp;topic=&amp;country=&amp;projectId=&amp;page=&amp;pageSize=</c> and the page <c>/Lessons</c>: text (in
/// what worked, what did not, the recommendation, the project's name or code), topic, country; newest first.
/// </summary>
public sealed record LessonQuery(string? Q, string? Topic, string? Country, Guid? ProjectId = null, int? Page = null, int? PageSize = null)
{
    public const int MaxTextLength = 200;
    public const int MaxPage = ProjectEndpoints.MaxPage;
    public const int MaxPageSize = ProjectEndpoints.MaxPageSize;
    public const int DefaultPageSize = 20;

    public int PageNumber => Page ?? 1;

    public int Size => PageSize ?? DefaultPageSize;

    /// <summary>Each bad parameter under its name, in the caller's language.</summary>
    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (Q is { Length: > MaxTextLength })
            errors["q"] = [EvaluationRules.Text($"The search text may have at most {MaxTextLength} characters.", $"搜索文字最多 {MaxTextLength} 个字符。")];
        else
            CreateProject.ValidateText(errors, "q", Q);
        if (!string.IsNullOrEmpty(Topic) && !LessonTopics.IsKnown(Topic))
            errors["topic"] = [EvaluationRules.Text($"'{TextRules.Quote(Topic)}' is not a topic; topics are {string.Join(", ", LessonTopics.All)}.",
                $"“{TextRules.Quote(Topic)}”不是有效的主题；可用：{string.Join("、", LessonTopics.All)}。")];
        if (!string.IsNullOrEmpty(Country) && !Countries.IsKnown(Country.Trim().ToUpperInvariant()))
            errors["country"] = [EvaluationRules.Text($"'{TextRules.Quote(Country)}' is not an ISO 3166-1 alpha-2 country code.", $"“{TextRules.Quote(Country)}”不是 ISO 3166-1 二字母国家代码。")];
        if (PageNumber is < 1 or > MaxPage)
            errors["page"] = [EvaluationRules.Text($"The page must be between 1 and {MaxPage}.", $"页码必须在 1 至 {MaxPage} 之间。")];
        if (Size is < 1 or > MaxPageSize)
            errors["pageSize"] = [EvaluationRules.Text($"The page size must be between 1 and {MaxPageSize}.", $"每页条数必须在 1 至 {MaxPageSize} 之间。")];
        return errors;
    }
}

/// <summary>Searches lessons across the projects the caller may read, in SQL (LIKE, escaped), and writes them as CSV.</summary>
public sealed class LessonSearch(AppDbContext db)
{
    /// <summary>The most rows one export writes (newest first).</summary>
    public const int MaxExportRows = 100_000;

    public async Task<PagedResult<LessonDto>> SearchAsync(LessonQuery query, ClaimsPrincipal user, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(query);
        var filtered = Filter(query, user);
        var total = await filtered.CountAsync(ct);
        var offset = checked((int)((long)(query.PageNumber - 1) * query.Size));
        var items = await ToDtosAsync(filtered.Skip(offset).Take(query.Size), ct);
        return new PagedResult<LessonDto>(items, query.PageNumber, query.Size, total);
    }

    /// <summary>Every matching lesson (up to <see cref="MaxExportRows"/>), newest first.</summary>
    public Task<IReadOnlyList<LessonDto>> AllAsync(LessonQuery query, ClaimsPrincipal user, CancellationToken ct) =>
        ToDtosAsync(Filter(query, user).Take(MaxExportRows), ct);

    private sealed record Row(Lesson Lesson, string Name, string Code, string Country);

    private IQueryable<Row> Filter(LessonQuery query, ClaimsPrincipal user)
    {
        var projects = ProjectReadScope.Readable(db.Projects.AsNoTracking(), user);
        if (!string.IsNullOrWhiteSpace(query.Country))
        {
            var country = query.Country.Trim().ToUpperInvariant();
            projects = projects.Where(p => p.Country == country);
        }
        if (query.ProjectId is { } projectId)
            projects = projects.Where(p => p.Id == projectId);
        var lessons = db.Lessons.AsNoTracking();
        if (!string.IsNullOrEmpty(query.Topic))
            lessons = lessons.Where(l => l.Topic == query.Topic);
        var joined = lessons.Join(projects, l => l.ProjectId, p => p.Id, (l, p) => new { Lesson = l, p.Name, p.Code, p.Country });
        if (!string.IsNullOrWhiteSpace(query.Q))
        {
            // Case-insensitive for ASCII on every provider (TextPatterns).
            var pattern = TextPatterns.Contains(query.Q.Trim());
#pragma warning disable CA1304, CA1311 // Translated to SQL lower(), which no .NET culture affects.
            joined = joined.Where(r => EF.Functions.Like(r.Lesson.WhatWorked.ToLower(), pattern, TextPatterns.Escape) || EF.Functions.Like(r.Lesson.WhatDidNot.ToLower(), pattern, TextPatterns.Escape)
                || EF.Functions.Like(r.Lesson.Recommendation.ToLower(), pattern, TextPatterns.Escape) || EF.Functions.Like(r.Name.ToLower(), pattern, TextPatterns.Escape) || EF.Functions.Like(r.Code.ToLower(), pattern, TextPatterns.Escape));
#pragma warning restore CA1304, CA1311
        }
        var rows = joined.OrderByDescending(r => r.Lesson.RecordedAt).ThenByDescending(r => r.Lesson.Id)
            .Select(r => new Row(r.Lesson, r.Name, r.Code, r.Country));
        return rows;
    }

    private async Task<IReadOnlyList<LessonDto>> ToDtosAsync(IQueryable<Row> rows, CancellationToken ct)
    {
        var list = await rows.ToListAsync(ct);
        var names = await ProjectQueries.UserNamesAsync(db, list.Select(r => r.Lesson.RecordedById), ct);
        var culture = CultureInfo.CurrentUICulture;
        return [.. list.Select(r => new LessonDto(r.Lesson.Id, r.Lesson.ProjectId, r.Name, r.Code, r.Country, r.Lesson.Topic,
            LessonTopics.Label(r.Lesson.Topic).For(culture), r.Lesson.WhatWorked, r.Lesson.WhatDidNot, r.Lesson.Recommendation,
            names.GetValueOrDefault(r.Lesson.RecordedById, r.Lesson.RecordedById), r.Lesson.RecordedAt, r.Lesson.UpdatedAt))];
    }

    /// <summary>The CSV columns, in order (stable names for spreadsheets and scripts).</summary>
    public static readonly IReadOnlyList<string> CsvColumns =
        ["projectCode", "projectName", "country", "topic", "whatWorked", "whatDidNot", "recommendation", "recordedOn"];

    /// <summary>
    /// The lessons as CSV (RFC 4180 through CsvHelper, comma, CRLF), UTF-8 with a byte order mark so that spreadsheet
    /// programs read Chinese text correctly. Who recorded a lesson is left out: the export is for sharing (D3).
    /// </summary>
    public static byte[] Csv(IEnumerable<LessonDto> lessons)
    {
        ArgumentNullException.ThrowIfNull(lessons);
        using var stream = new MemoryStream();
        var options = CsvWriterOptions.Default with
        {
            NewLine = "\r\n",
            WriteByteOrderMark = true,
            FormatProvider = CultureInfo.InvariantCulture,
            // A cell starting with =, +, - or @ is a formula to a spreadsheet: escaped, so shared text is never run.
            Injection = CsvInjection.Escape,
        };
        using (var csv = CsvWriter.Create(stream, options, true))
        {
            csv.WriteHeader([.. CsvColumns]);
            foreach (var l in lessons)
            {
                csv.WriteRecord([l.ProjectCode, l.ProjectName, l.Country, l.Topic, l.WhatWorked, l.WhatDidNot, l.Recommendation,
                    l.RecordedAt.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)]);
            }
        }
        return stream.ToArray();
    }
}
