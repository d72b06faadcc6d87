using System.Globalization;
using CsvHelper;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.Data;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Projects.Targets;
using RestorationWorkflow.Reminders;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.Web.Features.Portfolio;

/// <summary>
/// The portfolio's CSV files (CsvHelper; UTF-8 with a byte order mark so that spreadsheet programs read the Chinese
/// right; comma; RFC 4180 quoting; invariant numbers and ISO dates). Rows are written as the database returns them: the
/// project table after one grouped query per figure (sites, targets, overdue items, measurements — one row per project
/// each), the measurements in the order of their index (project, target, day), never held in memory together.
/// No personal data: no team, no <c>measuredBy</c>, no notes (decision 0033).
/// </summary>
public sealed class PortfolioCsv(AppDbContext db, WorkflowCatalog catalog, TimeProvider time, PortfolioTargets targets)
{
    public const string ContentType = "text/csv; charset=utf-8";

    public static readonly IReadOnlyList<string> ProjectColumns =
    [
        "code", "name", "country", "ecosystemTypes", "state", "stepGroup", "startDate", "sites", "hectares", "underRestoration",
        "targets", "onTrack", "atRisk", "offTrack", "noData", "measurements", "overdueItems", "projectId",
    ];

    public static readonly IReadOnlyList<string> MeasurementColumns =
        ["projectCode", "projectId", "targetId", "indicator", "unit", "date", "value", "method"];

    // Text cells starting with = + - @ are escaped (a leading apostrophe) so that a spreadsheet never runs a project name as a
    // formula; numbers written as numbers are left alone.
    private static readonly CsvWriterOptions Options = CsvWriterOptions.Default with { WriteByteOrderMark = true, Injection = CsvInjection.Escape };

    public async Task WriteProjectsAsync(Stream output, IQueryable<Project> projects, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(projects);
        var sites = await db.Sites.AsNoTracking().Where(s => projects.Any(p => p.Id == s.ProjectId))
            .GroupBy(s => s.ProjectId).Select(g => new { g.Key, Count = g.Count(), Hectares = g.Sum(s => (double)s.ComputedHectares) })
            .ToDictionaryAsync(g => g.Key, ct);
        var statuses = (await targets.StatusesAsync(projects, ct)).ToLookup(r => r.ProjectId, r => r.Status);
        var today = DuePlan.Day(time.GetUtcNow());
        var overdue = await db.DueItems.AsNoTracking().Where(d => d.DueOn < today && projects.Any(p => p.Id == d.ProjectId))
            .GroupBy(d => d.ProjectId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        var measurements = await db.Measurements.AsNoTracking().Where(m => projects.Any(p => p.Id == m.ProjectId))
            .GroupBy(m => m.ProjectId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);

        await using var csv = CsvWriter.Create(output, Options, leaveOpen: true);
        foreach (var column in ProjectColumns)
            csv.WriteField(column);
        await csv.EndRecordAsync(ct);
        var rows = projects.OrderBy(p => p.Code)
            .Select(p => new { p.Id, p.Code, p.Name, p.Country, p.EcosystemTypes, p.State, p.WorkflowId, p.WorkflowVersion, p.StartDate })
            .AsAsyncEnumerable();
        await foreach (var p in rows.WithCancellation(ct))
        {
            var definition = catalog.Find(p.WorkflowId, p.WorkflowVersion);
            var site = sites.GetValueOrDefault(p.Id);
            var own = statuses[p.Id].ToList();
            csv.WriteField(p.Code);
            csv.WriteField(p.Name);
            csv.WriteField(p.Country);
            csv.WriteField(string.Join(' ', p.EcosystemTypes));
            csv.WriteField(p.State);
            csv.WriteField(definition?.FindState(p.State)?.Group ?? "none");
            csv.WriteField(p.StartDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "");
            csv.WriteField(I(site?.Count ?? 0));
            csv.WriteField(Math.Round((decimal)(site?.Hectares ?? 0), 4), "");
            csv.WriteField(definition is not null && MonitoringPhase.Of(definition).Applies(p.State) ? "true" : "false");
            csv.WriteField(I(own.Count));
            csv.WriteField(I(own.Count(s => s == ProgressStatus.OnTrack)));
            csv.WriteField(I(own.Count(s => s == ProgressStatus.AtRisk)));
            csv.WriteField(I(own.Count(s => s == ProgressStatus.OffTrack)));
            csv.WriteField(I(own.Count(s => s == ProgressStatus.NoData)));
            csv.WriteField(I(measurements.GetValueOrDefault(p.Id)));
            csv.WriteField(I(overdue.GetValueOrDefault(p.Id)));
            csv.WriteField(p.Id.ToString());
            await csv.EndRecordAsync(ct);
        }
        await csv.FlushAsync(ct);
    }

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);

    public async Task WriteMeasurementsAsync(Stream output, IQueryable<Project> projects, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(projects);
        await using var csv = CsvWriter.Create(output, Options, leaveOpen: true);
        foreach (var column in MeasurementColumns)
            csv.WriteField(column);
        await csv.EndRecordAsync(ct);
        // In the order of the index (ProjectId, TargetId, MeasuredOn): the rows stream without a sort.
        var rows = (from m in db.Measurements.AsNoTracking()
                    join p in projects on m.ProjectId equals p.Id
                    join t in db.RestorationTargets on m.TargetId equals t.Id
                    orderby m.ProjectId, m.TargetId, m.MeasuredOn, m.Id
                    select new { p.Code, m.ProjectId, m.TargetId, t.Indicator, t.CustomIndicator, m.Unit, m.MeasuredOn, m.Value, m.Method })
            .AsAsyncEnumerable();
        await foreach (var m in rows.WithCancellation(ct))
        {
            csv.WriteField(m.Code);
            csv.WriteField(m.ProjectId.ToString());
            csv.WriteField(m.TargetId.ToString());
            csv.WriteField(m.CustomIndicator ?? m.Indicator);
            csv.WriteField(m.Unit);
            csv.WriteField(m.MeasuredOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            // Typed: a number is never escaped as a formula, so a negative value stays a number.
            csv.WriteField(m.Value, "");
            csv.WriteField(m.Method);
            await csv.EndRecordAsync(ct);
        }
        await csv.FlushAsync(ct);
    }
}
