using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RestorationWorkflow.IntegrationTests.Infrastructure;
using RestorationWorkflow.Web.Features.Reports.AuditTrail;
using RestorationWorkflow.Web.Reporting;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.IntegrationTests.Reporting;

/// <summary>The audit-trail report of a real project, read back with PdfPig.</summary>
public sealed class AuditTrailReportTests(AppFactory factory) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task TheReport_ListsEveryEvent_AndTheChainsHead_AndItsVerification()
    {
        var id = await ProjectWithHistoryAsync("Mangrove belt audit");
        var input = await LoadAsync(id, "en");
        var bytes = Render(input, "audit-trail-en");

        var text = AllText(bytes);
        Assert.Contains("Audit trail", text, StringComparison.Ordinal);
        Assert.Contains("Mangrove belt audit", text, StringComparison.Ordinal);
        var (headSequence, head) = await HeadAsync(id);
        Assert.Equal(3, headSequence);
        Assert.Contains(head, text, StringComparison.Ordinal);
        Assert.Contains("Verified: every link of the chain", text, StringComparison.Ordinal);
        var events = await factory.Scope().ServiceProvider.GetRequiredService<RestorationWorkflow.Data.AppDbContext>()
            .AuditEvents.AsNoTracking().Where(e => e.ProjectId == id).OrderBy(e => e.Sequence).ToListAsync();
        Assert.Equal(3, events.Count);
        foreach (var e in events)
            Assert.Contains("SHA-256 " + e.Hash[..16], text, StringComparison.Ordinal);
        Assert.Contains("created the project", text, StringComparison.Ordinal);
        Assert.Contains("moved the project from Draft to Assessment", text, StringComparison.Ordinal);
        Assert.Contains("Draft → Assessment", text, StringComparison.Ordinal);
        Assert.Contains("Kick-off with the village council", text, StringComparison.Ordinal);
        Assert.Contains("Pat Manager", text, StringComparison.Ordinal);
        // The changed values, old → new.
        Assert.Contains("checklist.A3.status: open → notApplicable", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InChinese_TheStateNamesOfTheWorkflowAreThere_AndEveryCharacterHasAGlyph()
    {
        var id = await ProjectWithHistoryAsync("红树林带修复");
        var input = await LoadAsync(id, "zh-Hans");
        var bytes = Render(input, "audit-trail-zh");

        var text = AllText(bytes);
        var catalog = factory.Services.GetRequiredService<WorkflowCatalog>();
        var project = await factory.Scope().ServiceProvider.GetRequiredService<RestorationWorkflow.Data.AppDbContext>()
            .Projects.AsNoTracking().SingleAsync(p => p.Id == id);
        var definition = catalog.Get(project.WorkflowId, project.WorkflowVersion);
        var chinese = new CultureInfo("zh-Hans");
        var draft = definition.GetState("Draft").Label.For(chinese);
        var assessment = definition.GetState("Assessment").Label.For(chinese);
        Assert.NotEqual("Draft", draft);
        Assert.Contains($"{draft} → {assessment}", text, StringComparison.Ordinal);
        Assert.Contains("审计记录", text, StringComparison.Ordinal);
        Assert.Contains("红树林带修复", text, StringComparison.Ordinal);
        Assert.Contains("创建了项目", text, StringComparison.Ordinal);
        Assert.Contains("验证通过", text, StringComparison.Ordinal);
        Assert.Contains("第 1 页，共 1 页", text, StringComparison.Ordinal);
        Assert.True(ReportFont.Shared.Covers(text), "a character has no glyph in the report font");
        using var pdf = Pdf.Open(bytes);
        Assert.DoesNotContain(pdf.GetPages().SelectMany(p => p.Letters), l => string.IsNullOrEmpty(l.Value) || l.Value == "\uFFFD");
        Assert.Equal("审计记录 — " + input.Project.Code + " · 红树林带修复", pdf.Information.Title);
    }

    [Fact]
    public async Task AnEditedEvent_IsReportedAsABrokenChain_NamingTheEvent()
    {
        var id = await ProjectWithHistoryAsync("Edited behind our back");
        await factory.WithDbAsync(db => db.AuditEvents.Where(e => e.ProjectId == id && e.Sequence == 2)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.Comment, "Rewritten")));

        var input = await LoadAsync(id, "en");
        var text = AllText(Render(input, "audit-trail-broken"));

        Assert.False(input.Chain.Valid);
        Assert.Contains("Verification failed at event #2", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Verified: every link", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ALongHistory_RunsOverPages_InOrder_WithTheTableHeaderOnEach()
    {
        var at = new DateTimeOffset(2026, 1, 5, 8, 0, 0, TimeSpan.Zero);
        var events = Enumerable.Range(1, 1200).Select(i => new AuditTrailEntry(i, at.AddHours(i), "Field Officer", "updated the checklist", "Assessment", "Assessment",
            i % 10 == 0 ? "Checked on site with the community." : null, [new AuditTrailChange($"checklist.A{i % 6 + 1}.status", "open", "done")], new string('a', 64))).ToList();
        var input = new AuditTrailReportInput("en", at.AddDays(30), "Auditor", new AuditTrailProject(Guid.NewGuid(), "LONG-1", "Long history", "Assessment", "STAPER v3"),
            new AuditTrailChain(1200, new string('b', 64), true, 1200, null, null, at.AddDays(30)), events);

        var bytes = Render(input, "audit-trail-long");

        using var pdf = Pdf.Open(bytes);
        Assert.True(pdf.NumberOfPages >= 40, $"{pdf.NumberOfPages} pages");
        var sequences = new List<int>();
        foreach (var page in pdf.GetPages())
        {
            var lines = Pdf.BodyLines(page).Select(Pdf.Join).ToList();
            Assert.Contains(lines, l => l.Contains("When (UTC)", StringComparison.Ordinal) && l.Contains("Changed values", StringComparison.Ordinal));
            sequences.AddRange(lines.Select(l => System.Text.RegularExpressions.Regex.Match(l, @"^(\d+)2026-")).Where(m => m.Success)
                .Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)));
        }
        Assert.Equal(Enumerable.Range(1, 1200), sequences);
    }

    private async Task<Guid> ProjectWithHistoryAsync(string name)
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync(name);
        var version = await pm.FireAsync(id, "StartAssessment", 1, "Kick-off with the village council");
        await pm.SetStepAsync(id, "A3", version, status: "notApplicable", note: "Stakeholders mapped");
        return id;
    }

    private async Task<AuditTrailReportInput> LoadAsync(Guid id, string language)
    {
        await using var scope = factory.Scope();
        var db = scope.ServiceProvider.GetRequiredService<RestorationWorkflow.Data.AppDbContext>();
        var auditor = await db.Users.AsNoTracking().SingleAsync(u => u.Email == DemoUsers.Auditor);
        var source = scope.ServiceProvider.GetRequiredService<AuditTrailReportSource>();
        return (await source.LoadAsync(id, language, auditor.Id, "Audrey Auditor", CancellationToken.None))!;
    }

    private async Task<(int Sequence, string Head)> HeadAsync(Guid id)
    {
        await using var scope = factory.Scope();
        var project = await scope.ServiceProvider.GetRequiredService<RestorationWorkflow.Data.AppDbContext>().Projects.AsNoTracking().SingleAsync(p => p.Id == id);
        return (project.AuditSequence, project.AuditHead);
    }

    private byte[] Render(AuditTrailReportInput input, string keepAs)
    {
        var bytes = factory.Services.GetRequiredService<AuditTrailReport>().Render(input);
        Pdf.Keep(bytes, keepAs);
        return bytes;
    }

    private static string AllText(byte[] bytes)
    {
        using var pdf = Pdf.Open(bytes);
        return string.Concat(pdf.GetPages().Select(Pdf.Text));
    }
}
