using System.Diagnostics;
using System.Globalization;
using RestorationWorkflow.Web.Features.Reports.Dossier;
using RestorationWorkflow.Web.Reporting;

namespace RestorationWorkflow.Benchmarks;

/// <summary>
/// <c>pdf</c>: renders a project dossier of about 100 pages from an in-memory <see cref="DossierReportInput"/> (many
/// targets, participation events, approvals, a long checklist with filled forms, sites with boundaries) in this process
/// — no app and no database: the renderer is pure. Warm-up renders first (JIT, the font, ScottPlot), then timed renders;
/// the managed heap is sampled meanwhile. Last line: <c>pdf-100-pages-ms=N peak-managed-mb=M</c> (N the median).
/// </summary>
internal static class PdfBenchmark
{
    public const int MinPages = 95;
    public const int MaxPages = 110;

    public static int Run(int runs, int warmup, string language, string? outPath)
    {
        var input = Input(language);
        var report = new DossierReport(ReportFont.Shared);
        Console.WriteLine($"pdf: dossier in {language}: {input.Plan.Targets.Count} targets, {input.People.Participation.Count} participation events, "
            + $"{input.People.Stakeholders.Count} stakeholders, {input.Gates.Sum(g => g.Requests.Sum(r => r.Decisions.Count + 1))} approval rows, "
            + $"{input.Steps.Sum(s => s.Fields.Count)} form fields, {input.Sites.Count} sites; {warmup} warm-up and {runs} timed renders");

        var pages = 0;
        long bytes = 0;
        for (var i = 0; i < warmup; i++)
            (pages, bytes) = RenderOnce(report, input);
        Console.WriteLine($"  warm-up done: {pages} pages, {bytes / 1024.0:F0} KiB");
        if (outPath is not null)
        {
            File.WriteAllBytes(outPath, report.Render(input));
            Console.WriteLine($"  wrote {Path.GetFullPath(outPath)}");
        }

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var baseline = GC.GetTotalMemory(forceFullCollection: false);
        long peak = baseline;
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                var now = Math.Max(GC.GetTotalMemory(false), GC.GetGCMemoryInfo().HeapSizeBytes);
                if (now > Interlocked.Read(ref peak))
                    Interlocked.Exchange(ref peak, now);
                Thread.Sleep(2);
            }
        });

        var times = new List<double>(runs);
        for (var i = 0; i < runs; i++)
        {
            var watch = Stopwatch.StartNew();
            (pages, bytes) = RenderOnce(report, input);
            watch.Stop();
            times.Add(watch.Elapsed.TotalMilliseconds);
            Console.WriteLine($"  run {i + 1}: {watch.Elapsed.TotalMilliseconds:F0} ms, {pages} pages, {bytes / 1024.0:F0} KiB");
        }
        stop.Cancel();
        sampler.Wait();

        times.Sort();
        var median = times.Count % 2 == 1 ? times[times.Count / 2] : (times[times.Count / 2 - 1] + times[times.Count / 2]) / 2;
        var peakMb = Interlocked.Read(ref peak) / (1024.0 * 1024.0);
        Console.WriteLine($"  min {times[0]:F0} ms, median {median:F0} ms, max {times[^1]:F0} ms; {median / pages:F1} ms a page");
        Console.WriteLine($"  managed heap: {baseline / (1024.0 * 1024.0):F1} MB before the timed renders, peak {peakMb:F1} MB while rendering (sampled every 2 ms)");
        Console.WriteLine($"  pages: {pages} (expected {MinPages}-{MaxPages})");
        if (pages is < MinPages or > MaxPages)
        {
            Console.Error.WriteLine($"FAILED: the dossier has {pages} pages, not {MinPages}-{MaxPages}; adjust PdfBenchmark.Input.");
            return 1;
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"pdf-100-pages-ms={median:F0} peak-managed-mb={peakMb:F0}"));
        return 0;
    }

    private static (int Pages, long Bytes) RenderOnce(DossierReport report, DossierReportInput input)
    {
        using var output = new CountingStream();
        var pages = report.RenderCounting(input, output);
        return (pages, output.Length);
    }

    /// <summary>A large project in implementation: what a dossier of about a hundred pages holds.</summary>
    public static DossierReportInput Input(string language)
    {
        var zh = language.StartsWith("zh", StringComparison.Ordinal);
        string T(string en, string cn) => zh ? cn : en;
        var at = new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);
        var random = new Random(20);
        var groups = new[] { ("A", T("Assess restoration opportunities", "生态系统恢复机会的评估")), ("B", T("Improve the institutional enabling environment", "改善生态系统恢复的体制性有利环境")),
            ("C", T("Plan and implement restoration", "规划和实施生态系统的恢复活动")), ("D", T("Monitor, evaluate, feed back and disseminate", "监测、评价、反馈和传播结果")) };
        var codes = new[] { "A1", "A2", "A3", "A4", "A5", "A6", "B1", "B2", "B3", "B4", "B5", "B6", "B7", "B8", "B9", "C1", "C2", "C3", "C4", "C5", "D1", "D2", "D3" };
        var note = T("Checked on site with the community forest association; the minutes and the photographs are filed as evidence. ",
            "已与社区森林协会现场核查；会议纪要和照片已作为证据归档。");
        var steps = codes.Select((code, i) => new DossierStep(code, code[..1], T($"Step {code}: a long label as the seed has it for this STAPER step", $"步骤 {code}：与种子数据一致的较长步骤名称"),
            i < 20 ? T("Complete", "已完成填写") : T("Open", "未完成"), i < 20, string.Concat(Enumerable.Repeat(note, 1 + i % 3)), "Pat Manager", at.AddDays(i),
            HasForm: true,
            [.. Enumerable.Range(1, 14).Select(f => new DossierEntry(T($"Field {f} of the {code} form", $"{code} 表单第 {f} 项"),
                f % 4 == 0 ? string.Join('\n', Enumerable.Range(1, 4).Select(r => $"{r}. " + T("Row value with a measured quantity and its source", "包含测量数量及其来源的行值")))
                : T("A recorded answer of moderate length, as a field officer writes it.", "现场人员填写的中等长度的记录答案。")))])).ToList();

        var sites = Enumerable.Range(0, 12).Select(i =>
        {
            var (lon, lat) = (35.4 + (i % 4) * 0.09, -0.55 - (i / 4) * 0.07);
            var ring = new DossierRing([lon, lon + 0.05, lon + 0.06, lon + 0.01, lon], [lat, lat + 0.005, lat - 0.04, lat - 0.045, lat]);
            return new DossierSite(T($"Block {i + 1}", $"地块 {i + 1}"), T("Forest", "森林"), T("Communal / customary", "社区共有 / 习惯权属"),
                1800 + i * 40, 1750 + i * 41, [ring], i % 5 == 0 ? [T("The declared area differs from the computed one by more than 10 %.", "申报面积与计算面积相差超过 10%。")] : []);
        }).ToList();

        var stakeholders = Enumerable.Range(1, 140).Select(i => new DossierStakeholder(T($"Stakeholder {i}", $"利益攸关方 {i}"),
            T("Local community", "地方社区"), i % 3 == 0, $"+254 7{i:00} 555 {i:000}", false)).ToList();
        var events = Enumerable.Range(1, 540).Select(i => new DossierParticipation(new DateOnly(2025, 1, 1).AddDays(i * 2), codes[i % 23], T("Village meeting", "村民大会"),
            T("Explain the plan", "说明计划"), random.Next(5, 40), random.Next(5, 40), random.Next(0, 3), random.Next(0, 30), random.Next(0, 30),
            T("Agreed on the next steps and the grazing rules.", "就后续步骤和放牧规则达成一致。"))).ToList();
        var consents = Enumerable.Range(1, 40).Select(i => new DossierConsent(T($"Stakeholder {i * 3}", $"利益攸关方 {i * 3}"), T("Assessment, plan", "评估、计划"),
            T("Granted", "同意"), new DateOnly(2025, 2, 1).AddDays(i), T("Grazing corridors stay open.", "放牧通道保持开放。"), "Approver One", null, "")).ToList();
        var findings = Enumerable.Range(1, 30).Select(i => new DossierFinding(1 + i % 12, T("Avoid planting in natural grasslands", "避免在天然草地植树"), i % 4 == 0,
            i % 4 == 0 ? T("Blocking", "阻止提交") : T("Warning", "警告"), T("Justified", "已说明理由"),
            T("A planted species is not native to the site's ecosystem; the justification cites the county's seed programme.", "种植的物种不是该地块生态系统的本地物种；理由引用了县级种子计划。"), null)).ToList();
        var targets = Enumerable.Range(1, 330).Select(i => new DossierTarget(i % 2 == 0 ? T("Environmental", "环境") : T("Socio-economic", "社会经济"),
            T($"Increase vegetation biomass on block {i % 12 + 1} by {10 + i % 30} t/ha by 2030-12-31", $"到 2030-12-31 将地块 {i % 12 + 1} 的植被生物量增加 {10 + i % 30} 吨/公顷"),
            T("Baseline: 40 t/ha on 2025-06-01 (2025 plot survey)", "基线：40 吨/公顷，2025-06-01（2025 年样地调查）"), T("monitored every 6 months", "每 6 个月监测一次"), [])).ToList();
        var gates = new[] { T("Consent record and assessment", "事先和知情同意记录及评估"), T("Restoration plan", "恢复计划"), T("Evaluation and closure", "评估及结束项目") }
            .Select((label, g) => new DossierGate(label, g == 1 ? 2 : 1, [.. Enumerable.Range(1, 22).Select(r => new DossierRequest(r, r == 22 ? T("Approved", "已批准") : T("Rejected", "已驳回"),
                "Pat Manager", at.AddDays(g * 60 + r), at.AddDays(g * 60 + r + 1), Hash(g * 100 + r), r == 22 ? 2 : 0, 2,
                [.. Enumerable.Range(1, 2).Select(d => new DossierApproval(r == 22 ? T("Approved", "批准") : T("Rejected", "驳回"), d == 1 ? "Approver One" : "Approver Two", null,
                    at.AddDays(g * 60 + r).AddHours(d), Hash(g * 100 + r), T("Checked against the snapshot.", "已对照快照核查。")))]))])).ToList();
        var cycles = Enumerable.Range(1, 6).Select(c => new DossierCycle(c, T("Most targets on track.", "大多数目标进展正常。"), T("Cover doubled on the upper blocks.", "上部地块的植被覆盖翻了一番。"),
            T("Forty jobs in the nurseries.", "苗圃创造了四十个就业岗位。"), T("None observed.", "未观察到。"), "Pat Manager", at.AddYears(c))).ToList();
        var decisions = cycles.Select(c => new DossierDecision(c.Cycle, T("Continue", "继续"), T("The trajectory holds.", "轨迹保持不变。"), T("Long-term monitoring", "长期监测"), "Pat Manager", c.RecordedAt)).ToList();
        var lessons = Enumerable.Range(1, 30).Select(i => new DossierLesson(T("Community", "社区"), T("Paying the nursery groups monthly.", "按月向苗圃小组付款。"),
            T("Planting before the short rains.", "在短雨季之前种植。"), T("Agree grazing rules before planting.", "在种植前商定放牧规则。"))).ToList();

        var states = new[] { ("Draft", T("Draft", "草稿"), "none", "Active"), ("Assessment", T("Assessment of restoration opportunities", "生态系统恢复机会的评估"), "A", "Active"),
            ("ConsentReview", T("Verify consent record", "核实事先和知情同意记录"), "A", "Review"), ("Planning", T("Planning, with the enabling environment", "规划（同时改善体制性有利环境）"), "C", "Active"),
            ("PlanReview", T("Restoration plan review", "恢复计划审查"), "C", "Review"), ("Implementation", T("Implementation", "实施"), "C", "Active"),
            ("Monitoring", T("Long-term monitoring", "长期监测"), "D", "Active"), ("Evaluation", T("Evaluation of efficiency and impact, adaptive management", "效率和影响评估及适应性管理"), "D", "Active"),
            ("EvaluationReview", T("Evaluation sign-off", "评估结果审定"), "D", "Review"), ("Closed", T("Closed", "已结束"), "none", "Terminal"),
            ("Suspended", T("Suspended (consent withdrawn)", "已暂停（撤回同意）"), "none", "Suspended"), ("Cancelled", T("Cancelled", "已取消"), "none", "Terminal") }
            .Select(s => new DossierState(s.Item1, s.Item2, s.Item3, s.Item4, s.Item1 == "Implementation")).ToList();

        return new DossierReportInput(
            zh ? "zh-Hans" : "en", at.AddYears(7), "Audrey Auditor",
            new DossierProject(Guid.Parse("0190f000-0000-7000-8000-000000000100"), "KE-2026-0100", T("Mau forest landscape restoration", "茅森林景观恢复"),
                T("Restoring 21,000 ha of degraded montane forest with the communities of the Mau.", "与茅地区社区一起恢复 21,000 公顷退化山地森林。"), "Implementation",
                T("Implementation", "实施"), "Active", "C", ["C5"], T("STAPER restoration v3", "STAPER 生态系统恢复 v3"), 412, 21_000m),
            [new(T("Project code", "项目代码"), "KE-2026-0100"), new(T("Country", "国家"), "KE · Nakuru"), new(T("Lead organisation", "牵头组织"), "Kenya Forest Service")],
            states,
            [.. groups.Select(g => new DossierGroup(g.Item1, g.Item2, steps.Count(s => s.Group == g.Item1 && s.Settled), steps.Count(s => s.Group == g.Item1), g.Item1 == "C"))],
            steps, sites, new DossierPeople(true, stakeholders, events, consents), findings,
            new DossierPlan(null, targets), gates, new DossierEvaluation(cycles, decisions, lessons));
    }

    private static string Hash(int seed) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(seed)));

    /// <summary>A sink that counts what is written: the benchmark measures rendering, not copying into a buffer.</summary>
    private sealed class CountingStream : Stream
    {
        private long _length;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => _length;

        public override long Position { get => _length; set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => _length += count;
    }
}
