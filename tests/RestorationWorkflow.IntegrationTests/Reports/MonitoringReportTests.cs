using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RestorationWorkflow.IntegrationTests.Infrastructure;
using RestorationWorkflow.IntegrationTests.Reporting;
using RestorationWorkflow.Projects.Targets;
using RestorationWorkflow.Reminders;
using RestorationWorkflow.Web.Features.Reports;
using RestorationWorkflow.Web.Features.Reports.Monitoring;
using RestorationWorkflow.Web.Reporting;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.IntegrationTests.Reports;

/// <summary>
/// The monitoring report (issue 20, report 2) of real projects, read back with PdfPig: each target's sentence, status
/// by the progress rule and measured values, the chart's legend, the overdue and upcoming reviews, Chinese without a
/// missing glyph, a project without targets, and the request → job → download path.
/// </summary>
public sealed class MonitoringReportTests(ReportPipelineTests.App app) : IClassFixture<ReportPipelineTests.App>
{
    private static readonly CultureInfo Chinese = new("zh-Hans");

    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    [Fact]
    public async Task EachTarget_HasItsSentence_ItsStatusByTheRule_ItsMeasuredValues_AndAChartWithALegend()
    {
        var (id, _, _) = await MeasuredProjectAsync();
        var input = await LoadAsync(id, "en");
        var bytes = Render(input, "monitoring-en");

        // The rule of decision 0031 rated them: biomass on its trajectory, jobs behind it.
        Assert.Equal([ProgressStatus.OnTrack, ProgressStatus.AtRisk], input.Targets.Select(t => t.Status).ToArray());
        using var pdf = Pdf.Open(bytes);
        var pages = pdf.GetPages().Select(Pdf.Text).ToList();
        var text = string.Concat(pages);
        Assert.Contains("Monitoring report", text, StringComparison.Ordinal);
        Assert.Contains("Increase vegetation biomass by 50 % by 2031-06-30", text, StringComparison.Ordinal);
        Assert.Contains("Increase jobs created by 40 jobs by 2030-12-31", text, StringComparison.Ordinal);

        // Each target has its own page: its status in words, its last value, the rule's figures and a labelled chart.
        var biomass = Assert.Single(pages, p => p.Contains("Target 1: Vegetation biomass", StringComparison.Ordinal));
        Assert.Contains("On track", biomass, StringComparison.Ordinal);
        Assert.DoesNotContain("At risk", biomass, StringComparison.Ordinal);
        Assert.Contains("43.3 t/ha on 2026-06-01", biomass, StringComparison.Ordinal);
        Assert.Contains("40 t/ha on 2025-06-01 (source: 2025 plot survey)", biomass, StringComparison.Ordinal);
        Assert.Contains("60 t/ha by 2031-06-30", biomass, StringComparison.Ordinal);
        Assert.Matches(@"Expected on 2026-06-01: 43\.\d+ t/ha \(\+3\.\d+ from the baseline\)\. Measured: 43\.3 t/ha \(\+3\.3\), 10\d % of the expected change\.", biomass);
        Assert.Contains("Expected trajectory", biomass, StringComparison.Ordinal);
        Assert.Contains("Baseline (40 t/ha)", biomass, StringComparison.Ordinal);
        Assert.Contains("Target (60 t/ha)", biomass, StringComparison.Ordinal);
        var jobs = Assert.Single(pages, p => p.Contains("Target 2: Jobs created", StringComparison.Ordinal));
        Assert.Contains("At risk", jobs, StringComparison.Ordinal);
        Assert.DoesNotContain("On track", jobs, StringComparison.Ordinal);
        Assert.Contains("5 jobs on 2026-06-01", jobs, StringComparison.Ordinal);

        // The measurements, one row each: date, value, method, who.
        var rows = pdf.GetPages().SelectMany(p => Pdf.BodyLines(p).Select(Pdf.Join)).ToList();
        Assert.Contains(rows, l => l.StartsWith("2025-12-0141", StringComparison.Ordinal) && l.Contains("Plot survey", StringComparison.Ordinal) && l.EndsWith("A. Wanjiru", StringComparison.Ordinal));
        Assert.Contains(rows, l => l.StartsWith("2026-06-0143.3", StringComparison.Ordinal));
        Assert.Contains(rows, l => l.StartsWith("2026-06-015", StringComparison.Ordinal) && l.Contains("Payroll count", StringComparison.Ordinal));
        Assert.Contains("No review recorded yet", text, StringComparison.Ordinal);
        Assert.True(pdf.NumberOfPages >= 3);
    }

    [Fact]
    public async Task InChinese_TheStatusWordsAndSentencesAreChinese_AndEveryCharacterHasAGlyph()
    {
        var (id, _, _) = await MeasuredProjectAsync();
        var input = await LoadAsync(id, "zh-Hans");
        var bytes = Render(input, "monitoring-zh");

        using var pdf = Pdf.Open(bytes);
        var text = string.Concat(pdf.GetPages().Select(Pdf.Text));
        Assert.Contains("监测报告", text, StringComparison.Ordinal);
        Assert.Contains(TargetProgress.Label(ProgressStatus.OnTrack).For(Chinese), text, StringComparison.Ordinal);
        Assert.Contains(TargetProgress.Label(ProgressStatus.AtRisk).For(Chinese), text, StringComparison.Ordinal);
        Assert.Equal("进展正常", TargetProgress.Label(ProgressStatus.OnTrack).For(Chinese));
        Assert.Contains("到 2031-06-30 将植被生物量增加 50%", text, StringComparison.Ordinal);
        Assert.Contains("43.3 吨/公顷（2026-06-01）", text, StringComparison.Ordinal);
        Assert.Contains("预期轨迹", text, StringComparison.Ordinal);
        Assert.DoesNotContain("On track", text, StringComparison.Ordinal);
        Assert.True(ReportFont.Shared.Covers(text), "a character has no glyph in the report font");
        Assert.DoesNotContain(pdf.GetPages().SelectMany(p => p.Letters), l => string.IsNullOrEmpty(l.Value) || l.Value == "\uFFFD");
        Assert.StartsWith("监测报告 — ", pdf.Information.Title, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AProjectWithoutTargets_SaysSo_AndThatNothingIsDue()
    {
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync("Nothing to monitor yet");

        var en = string.Concat(Pdf.Open(Render(await LoadAsync(id, "en"), "monitoring-empty-en")).GetPages().Select(Pdf.Text));
        Assert.Contains("No SMART targets are recorded for this project", en, StringComparison.Ordinal);
        Assert.Contains("Nothing is overdue.", en, StringComparison.Ordinal);
        Assert.Contains("Nothing is due: no review or deadline is scheduled.", en, StringComparison.Ordinal);
        Assert.DoesNotContain("Target 1:", en, StringComparison.Ordinal);
        var zh = string.Concat(Pdf.Open(Render(await LoadAsync(id, "zh-Hans"), "monitoring-empty-zh")).GetPages().Select(Pdf.Text));
        Assert.Contains("此项目尚未记录 SMART 目标", zh, StringComparison.Ordinal);
        Assert.Contains("没有逾期事项。", zh, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OverdueAndUpcomingReviews_AreListed_WithTheLastReviewOfTheTarget()
    {
        var (id, biomass, _) = await MeasuredProjectAsync();
        var pmId = await app.UserIdAsync(DemoUsers.Pm);
        var now = DateTimeOffset.UtcNow;
        await app.WithDbAsync(async db =>
        {
            db.MonitoringReviews.Add(MonitoringReview.Create(id, biomass, new DateOnly(2026, 6, 15), "Canopy closing on plots 3 and 7.", pmId, now));
            // A review the schedule expected 45 days ago (the planner put the targets' deadlines there itself).
            await db.DueItems.Where(d => d.ProjectId == id && d.Key == $"targetMonitoring:{biomass}").ExecuteDeleteAsync();
            db.DueItems.Add(DueItem.Create(id, DueItemKinds.TargetMonitoring, $"targetMonitoring:{biomass}", biomass, Today.AddDays(-45),
                new LocalizedText("Monitoring review of vegetation biomass", "植被生物量的监测审查"), now));
            // Not a monitoring item: the report leaves it out.
            db.DueItems.Add(DueItem.Create(id, DueItemKinds.ConsentRenewal, $"consentRenewal:{Guid.NewGuid()}", null, Today.AddDays(-3),
                new LocalizedText("Renew the village consent", "续签村民同意书"), now));
            return await db.SaveChangesAsync();
        });

        using var pdf = Pdf.Open(Render(await LoadAsync(id, "en"), "monitoring-due-en"));
        var text = string.Concat(pdf.GetPages().Select(Pdf.Text));
        var lines = pdf.GetPages().SelectMany(p => Pdf.BodyLines(p).Select(Pdf.Join)).ToList();
        var overdue = lines.IndexOf("Overdue");
        var upcoming = lines.IndexOf("Upcoming");
        Assert.True(overdue >= 0 && upcoming > overdue, "the overdue section comes before the upcoming one");
        var review = lines.FindIndex(overdue, l => l.Contains("Monitoring review of vegetation biomass", StringComparison.Ordinal));
        Assert.InRange(review, overdue + 1, upcoming - 1);
        Assert.EndsWith($"{Today.AddDays(-45):yyyy-MM-dd}45", lines[review], StringComparison.Ordinal);
        Assert.StartsWith("Monitoring review", lines[review], StringComparison.Ordinal);
        Assert.Contains(lines.Skip(upcoming), l => l.StartsWith("Target deadline", StringComparison.Ordinal) && l.Contains("2031-06-30", StringComparison.Ordinal));
        Assert.Contains(lines.Skip(upcoming), l => l.StartsWith("Target deadline", StringComparison.Ordinal) && l.Contains("2030-12-31", StringComparison.Ordinal));
        Assert.DoesNotContain("Nothing is overdue.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Renew the village consent", text, StringComparison.Ordinal);
        Assert.Contains("2026-06-15, recorded by Pat Manager", text, StringComparison.Ordinal);
        Assert.Contains("Canopy closing on plots 3 and 7.", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Requested_ThroughTheApi_TheJobMakesIt_AndItDownloads()
    {
        var (id, _, _) = await MeasuredProjectAsync();
        using var auditor = await app.ClientForAsync(DemoUsers.Auditor);
        var accepted = await (await auditor.PostAsJsonAsync($"/api/projects/{id}/reports", new { kind = "monitoring", language = "zh-Hans" }))
            .ExpectAsync(HttpStatusCode.Accepted);
        var reportId = accepted.GetProperty("id").GetGuid();
        Assert.Equal("queued", accepted.Str("status"));

        Assert.Equal(ReportJob.Outcome.Done, await app.RunJobAsync(reportId));

        var status = await (await auditor.GetAsync($"/api/reports/{reportId}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("done", status.Str("status"));
        Assert.Equal("monitoring", status.Str("kind"));
        var file = await auditor.GetAsync($"/api/reports/{reportId}/file");
        Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        Assert.Matches("^monitoring_[A-Za-z0-9._()-]+_zh-Hans\\.pdf$", file.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var bytes = await file.Content.ReadAsByteArrayAsync();
        using var pdf = Pdf.Open(bytes);
        var text = string.Concat(pdf.GetPages().Select(Pdf.Text));
        Assert.Contains("监测报告", text, StringComparison.Ordinal);
        Assert.Contains("有风险", text, StringComparison.Ordinal);
        Assert.Contains("Ari Auditor", text, StringComparison.Ordinal);
        Assert.Equal(pdf.NumberOfPages, (await app.RowAsync(reportId)).PageCount);
    }

    [Fact]
    public void ALongSeries_ContinuesOnTheNextPages_WithItsHeader_AndATargetToMaintainShowsItsBand()
    {
        var start = new DateOnly(2020, 1, 6);
        var series = Enumerable.Range(0, 150).Select(i => new MonitoringReportMeasurement(start.AddDays(7 * i), 30 + i % 5, "Transect", "Field team")).ToList();
        var last = series[^1];
        var target = new MonitoringReportTarget(Guid.NewGuid(), "Tree cover", "Maintain tree cover within 5 % of the baseline of 30 % until 2030-12-31", "%",
            30, start, "", Maintain: true, 30, 28.5m, 31.5m, new DateOnly(2030, 12, 31), ProgressStatus.OffTrack,
            new MeasuredPoint(last.On, last.Value), 30, 0.375m, null, series);
        var input = new MonitoringReportInput("en", Pdf.GeneratedAt, new DateOnly(2026, 11, 26), "Ari Auditor",
            new MonitoringReportProject(Guid.NewGuid(), "LONG-2", "Long series", "Monitoring", "STAPER v3"),
            new MonitoringReportThresholds(0.8m, 0.5m), [target], null, []);

        using var pdf = Pdf.Open(Render(input, "monitoring-long-en"));

        var rows = new List<string>();
        foreach (var page in pdf.GetPages())
        {
            var lines = Pdf.BodyLines(page).Select(Pdf.Join).ToList();
            var onPage = lines.Where(l => l.EndsWith("TransectField team", StringComparison.Ordinal)).ToList();
            if (onPage.Count == 0)
                continue;
            Assert.Contains("DateValue (%)MethodMeasured by", lines);
            rows.AddRange(onPage);
        }
        Assert.True(pdf.NumberOfPages >= 4, $"{pdf.NumberOfPages} pages");
        Assert.Equal(series.Select(m => $"{m.On:yyyy-MM-dd}{m.Value}TransectField team"), rows);
        var text = string.Concat(pdf.GetPages().Select(Pdf.Text));
        Assert.Contains("30 %, kept within 28.5–31.5 % until 2030-12-31", text, StringComparison.Ordinal);
        Assert.Contains("Measured 34 %, outside the band 28.5–31.5 %: half the band's width is 38 % of the distance to the level.", text, StringComparison.Ordinal);
        Assert.Contains("Off track", text, StringComparison.Ordinal);
        Assert.Contains("Band to keep within", text, StringComparison.Ordinal);
        // The date axis spans the series (the band has no dates of its own and must not stretch it): every tick is in this century.
        var ticks = Assert.Single(Pdf.BodyLines(pdf.GetPage(2)).Select(Pdf.Join), l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^(\d{4})+$"));
        Assert.Matches(@"^(20[23]\d)+$", ticks);
    }

    /// <summary>The two targets of <see cref="MeasurementsApi.MonitoredProjectAsync"/>, measured: biomass on its trajectory, jobs behind it.</summary>
    private async Task<(Guid Id, Guid Biomass, Guid Jobs)> MeasuredProjectAsync()
    {
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        var (id, biomass, jobs, version) = await pm.MonitoredProjectAsync(app);
        version = (await pm.RecordAsync(id, biomass, MeasurementsApi.Measurement(version, "2025-12-01", 41m))).Number("version");
        version = (await pm.RecordAsync(id, biomass, MeasurementsApi.Measurement(version, "2026-06-01", 43.3m))).Number("version");
        await pm.RecordAsync(id, jobs, MeasurementsApi.Measurement(version, "2026-06-01", 5m, b =>
        {
            b["unit"] = "jobs";
            b["method"] = "Payroll count";
        }));
        return (id, biomass, jobs);
    }

    private async Task<MonitoringReportInput> LoadAsync(Guid id, string language)
    {
        await using var scope = app.Scope();
        var source = scope.ServiceProvider.GetRequiredService<MonitoringReportSource>();
        return (await source.LoadAsync(id, language, "Audrey Auditor", CancellationToken.None))!;
    }

    private byte[] Render(MonitoringReportInput input, string keepAs)
    {
        var bytes = app.Services.GetRequiredService<MonitoringReport>().Render(input);
        Pdf.Keep(bytes, keepAs);
        return bytes;
    }
}
