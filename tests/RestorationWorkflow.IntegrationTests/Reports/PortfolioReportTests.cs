using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RestorationWorkflow.IntegrationTests.Identity;
using RestorationWorkflow.IntegrationTests.Infrastructure;
using RestorationWorkflow.IntegrationTests.Reporting;
using RestorationWorkflow.IntegrationTests.Sites;
using RestorationWorkflow.Reminders;
using RestorationWorkflow.Reports;
using RestorationWorkflow.Web.Features.Portfolio;
using RestorationWorkflow.Web.Features.Reports;
using RestorationWorkflow.Web.Reporting;
using RestorationWorkflow.Workflows;
using UglyToad.PdfPig;

namespace RestorationWorkflow.IntegrationTests.Reports;

/// <summary>
/// The portfolio report (issue 20, report 4; decision 0040): requested with <c>POST /api/reports {kind: "portfolio"}</c> or
/// from the portfolio page, rendered by the job over the requester's portfolio scope with the figures of
/// <c>GET /api/portfolio</c>, in English and Chinese; seen and downloaded by its requester and by approvers, auditors
/// and administrators.
/// </summary>
public sealed class PortfolioReportTests(ReportPipelineTests.App app) : IClassFixture<ReportPipelineTests.App>
{
    private static readonly CultureInfo En = CultureInfo.GetCultureInfo("en");

    private static Dictionary<string, object?> ProjectRequest(string name, string country, string[] ecosystems) => new()
    {
        ["name"] = name, ["description"] = "Portfolio report test.", ["country"] = country, ["region"] = "North", ["scale"] = "site",
        ["ecosystemTypes"] = ecosystems, ["naturallyLowTreeCover"] = false, ["situation"] = "underRestoration", ["startDate"] = "2026-03-01",
        ["lifespanYears"] = 10, ["budget"] = 1000m, ["currency"] = "USD", ["leadOrganisation"] = "Trust", ["areaHectares"] = 1m,
    };

    /// <summary>A project of <paramref name="client"/> with one site of <paramref name="ecosystem"/>, put in <paramref name="state"/>.</summary>
    private async Task<Guid> ProjectAsync(HttpClient client, string name, string ecosystem, string state, double west, double size) =>
        (await ProjectWithVersionAsync(client, name, ecosystem, state, west, size)).Id;

    private async Task<(Guid Id, int Version)> ProjectWithVersionAsync(HttpClient client, string name, string ecosystem, string state, double west, double size)
    {
        var id = await client.CreateProjectWithAsync(ProjectRequest(name, "TZ", [ecosystem]));
        var site = await (await client.PostSiteAsync(id, SitesApi.Request(SitesApi.Box(west, -6.0, west + size, -6.0 + size), 1, name + " site", 100m, ecosystem)))
            .ExpectAsync(HttpStatusCode.Created);
        await app.ForceStateAsync(id, state);
        return (id, site.Number("version"));
    }

    private async Task OverdueAsync(Guid projectId, string title, int days) => await app.WithDbAsync(async db =>
    {
        var today = DuePlan.Day(DateTimeOffset.UtcNow);
        db.DueItems.Add(DueItem.Create(projectId, DueItemKinds.ApprovalDecision, $"approval:{Guid.NewGuid():N}", null, today.AddDays(-days),
            new LocalizedText(title, title + "（中文）"), DateTimeOffset.UtcNow));
        await db.SaveChangesAsync();
    });

    /// <summary>Requests a portfolio report as <paramref name="client"/>, runs its job, downloads it; its id and bytes.</summary>
    private async Task<(Guid Id, byte[] Pdf)> ReportAsync(HttpClient client, string language)
    {
        var id = (await (await client.PostAsJsonAsync("/api/reports", new { kind = "portfolio", language })).ExpectAsync(HttpStatusCode.Accepted))
            .GetProperty("id").GetGuid();
        Assert.Equal(ReportJob.Outcome.Done, await app.RunJobAsync(id));
        var status = await (await client.GetAsync($"/api/reports/{id}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(("done", "portfolio"), (status.Str("status"), status.Str("kind")));
        Assert.Equal(JsonValueKind.Null, status.GetProperty("projectId").ValueKind);
        var file = await client.GetAsync($"/api/reports/{id}/file");
        Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        Assert.Matches($"^portfolio_portfolio_[0-9_-]+_{language}\\.pdf$", file.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var bytes = await file.Content.ReadAsByteArrayAsync();
        Pdf.Keep(bytes, $"portfolio-{language}-{id:N}");
        return (id, bytes);
    }

    /// <summary>Every line of every page, cells apart by a space (a gap between letters wider than a space's).</summary>
    private static List<string> Lines(byte[] bytes)
    {
        using var pdf = PdfDocument.Open(bytes);
        var lines = new List<string>();
        foreach (var page in pdf.GetPages())
        {
            // A key and its value (two sizes) sit a point or two apart: one line is the letters within 3 pt of its first baseline.
            var groups = new List<List<UglyToad.PdfPig.Content.Letter>>();
            foreach (var letter in page.Letters.OrderByDescending(l => l.StartBaseLine.Y))
            {
                if (groups.Count == 0 || groups[^1][0].StartBaseLine.Y - letter.StartBaseLine.Y > 3)
                    groups.Add([]);
                groups[^1].Add(letter);
            }
            foreach (var group in groups)
            {
                var text = new StringBuilder();
                double? end = null;
                foreach (var letter in group.OrderBy(l => l.StartBaseLine.X))
                {
                    if (end is { } previous && letter.StartBaseLine.X - previous > 2.5 && text.Length > 0 && text[^1] != ' ')
                        text.Append(' ');
                    text.Append(letter.Value);
                    end = letter.EndBaseLine.X;
                }
                lines.Add(text.ToString().Trim());
            }
        }
        return lines;
    }

    private static string Ha(JsonElement portfolio, string property) => portfolio.GetProperty(property).GetDecimal().ToString("N2", En);

    private string StateLabel(string state, CultureInfo culture) =>
        PortfolioDto.StateLabel(app.Services.GetRequiredService<WorkflowCatalog>(), state).For(culture);

    [Fact]
    public async Task ThePdf_CarriesTheFiguresOfTheApi_ForTheSameUser()
    {
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        var (usambara, version) = await ProjectWithVersionAsync(pm, "Usambara forest corridor", "forest", "Monitoring", 38.40, 0.05);
        // Two targets: one measured on track, one without data.
        var biomass = await pm.AddTargetAsync(usambara, TargetsApi.Environmental(version));
        var jobs = await pm.AddTargetAsync(usambara, TargetsApi.SocioEconomic(biomass.Number("version")));
        await pm.RecordAsync(usambara, biomass.GetProperty("id").GetGuid(), MeasurementsApi.Measurement(jobs.Number("version")));
        await ProjectAsync(pm, "Rufiji wetland", "wetland", "Planning", 38.90, 0.03);
        var late = await ProjectAsync(pm, "Kilombero grassland", "grassland", "Implementation", 36.80, 0.04);
        await OverdueAsync(late, "Decide the Kilombero plan", 12);

        using var approver = await app.ClientForAsync(DemoUsers.Approver1);
        var portfolio = await (await approver.GetAsync("/api/portfolio")).ExpectAsync(HttpStatusCode.OK);
        var (_, bytes) = await ReportAsync(approver, "en");
        var lines = Lines(bytes);

        Assert.Contains("Portfolio report", lines);
        Assert.Contains("Scope All projects", lines);
        Assert.Contains($"Projects {portfolio.Number("projects").ToString("N0", En)}", lines);
        Assert.Contains($"Hectares of all sites {Ha(portfolio, "hectaresTotal")} ha", lines);
        Assert.Contains($"Hectares under restoration {Ha(portfolio, "hectaresUnderRestoration")} ha", lines);
        Assert.True(portfolio.GetProperty("hectaresUnderRestoration").GetDecimal() > 0);

        // Projects per state: one row per state of the API (label, step group, count), and their total.
        var states = portfolio.GetProperty("states").EnumerateArray().ToList();
        Assert.Contains(states, s => s.Str("state") == "Monitoring");
        foreach (var s in states)
        {
            var group = s.Str("group") == "none" ? "—" : s.Str("group");
            Assert.Contains($"{StateLabel(s.Str("state"), En)} {group} {s.Number("projects").ToString("N0", En)}", lines);
        }
        Assert.Equal(portfolio.Number("projects"), states.Sum(s => s.Number("projects")));

        // The GBF 2.2 table: each ecosystem's row total and its part under restoration, and the column totals.
        foreach (var eco in portfolio.GetProperty("hectares").EnumerateArray().GroupBy(c => c.Str("ecosystemType")))
        {
            var label = RestorationWorkflow.Projects.EcosystemTypes.Label(eco.Key).For(En);
            var total = eco.Sum(c => c.GetProperty("hectares").GetDecimal()).ToString("N2", En);
            var under = eco.Where(c => c.GetProperty("underRestoration").GetBoolean()).Sum(c => c.GetProperty("hectares").GetDecimal()).ToString("N2", En);
            Assert.Contains(lines, l => l.StartsWith(label + " ", StringComparison.Ordinal) && l.EndsWith($" {total} {under}", StringComparison.Ordinal));
        }
        Assert.Contains(lines, l => l.StartsWith("Total ", StringComparison.Ordinal)
            && l.EndsWith($" {Ha(portfolio, "hectaresTotal")} {Ha(portfolio, "hectaresUnderRestoration")}", StringComparison.Ordinal));

        // Targets and overdue items as the API counts them; the overdue decision is listed by its title.
        var targets = portfolio.GetProperty("targets").EnumerateArray().ToList();
        Assert.True(targets.Single(t => t.Str("status") == "onTrack").Number("targets") >= 1);
        foreach (var t in targets)
            Assert.Contains($"{PortfolioDto.StatusLabel(t.Str("status")).For(En)} {t.Number("targets")} {t.Number("projects")}", lines);
        var approvals = portfolio.GetProperty("overdue").EnumerateArray().Single(o => o.Str("kind") == DueItemKinds.ApprovalDecision);
        Assert.Contains($"Approval decision {approvals.Number("items")} {approvals.Number("projects")}", lines);
        Assert.Contains(lines, l => l.Contains("Decide the Kilombero plan", StringComparison.Ordinal) && l.EndsWith(" 12", StringComparison.Ordinal));
        Assert.Contains("Under restoration (GBF Target 2, indicator 2.2) counts the sites", string.Join(' ', lines), StringComparison.Ordinal);

        using var pdf = PdfDocument.Open(bytes);
        Assert.Equal("Portfolio report", pdf.Information.Title);
        Assert.Equal("Alex Approver", pdf.Information.Author);
        var pages = pdf.NumberOfPages;
        Assert.All(pdf.GetPages(), p => Assert.Contains($"Page {p.Number} of {pages}", Pdf.Text(p), StringComparison.Ordinal));
    }

    [Fact]
    public async Task AManagersReport_CoversOnlyTheirProjects()
    {
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        using var pm2 = await app.ClientForAsync(DemoUsers.Pm2);
        var mine = await ProjectAsync(pm, "Pangani mangroves", "marineCoastal", "Monitoring", 39.00, 0.02);
        await OverdueAsync(mine, "Review the Pangani plan", 5);
        var theirs = await ProjectAsync(pm2, "Selous savanna", "savanna", "Evaluation", 37.50, 0.06);
        await OverdueAsync(theirs, "Review the Selous plan", 7);

        var own = await (await pm.GetAsync("/api/portfolio")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("mine", own.Str("scope"));
        var (_, bytes) = await ReportAsync(pm, "en");
        var lines = Lines(bytes);
        var text = string.Join('\n', lines);

        Assert.Contains("Scope The projects on whose team Pat Manager is", lines);
        Assert.Contains($"Projects {own.Number("projects").ToString("N0", En)}", lines);
        Assert.Contains($"Hectares of all sites {Ha(own, "hectaresTotal")} ha", lines);
        Assert.Contains("Review the Pangani plan", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Review the Selous plan", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Savanna", text, StringComparison.Ordinal);

        // The approver's report adds up the other manager's project too.
        using var approver = await app.ClientForAsync(DemoUsers.Approver1);
        var all = await (await approver.GetAsync("/api/portfolio")).ExpectAsync(HttpStatusCode.OK);
        Assert.True(all.Number("projects") > own.Number("projects"));
        var allText = string.Join('\n', Lines((await ReportAsync(approver, "en")).Pdf));
        Assert.Contains("Review the Selous plan", allText, StringComparison.Ordinal);
        Assert.Contains("Savanna", allText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InChinese_EcosystemAndStateLabelsAreChinese_AndNoGlyphIsMissing()
    {
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        var (mikumi, version) = await ProjectWithVersionAsync(pm, "Mikumi forest", "forest", "Monitoring", 37.10, 0.03);
        await pm.AddTargetAsync(mikumi, TargetsApi.Environmental(version));
        using var auditor = await app.ClientForAsync(DemoUsers.Auditor);
        var (_, bytes) = await ReportAsync(auditor, "zh-Hans");
        var lines = Lines(bytes);
        var text = string.Join('\n', lines);
        var zh = new CultureInfo("zh-Hans");

        Assert.Contains("项目组合报告", text, StringComparison.Ordinal);
        Assert.Contains("范围 全部项目", lines);
        Assert.Contains("森林", text, StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith(StateLabel("Monitoring", zh) + " D ", StringComparison.Ordinal));
        Assert.Contains("长期监测", text, StringComparison.Ordinal);
        Assert.Contains("生态系统恢复机会的评估", text, StringComparison.Ordinal);
        Assert.Contains("进展正常", text, StringComparison.Ordinal);
        Assert.Contains("无数据", text, StringComparison.Ordinal);
        Assert.Contains("第 1 页，共", text, StringComparison.Ordinal);
        Assert.True(ReportFont.Shared.Covers(text), "a character has no glyph in the report font");
        using var pdf = PdfDocument.Open(bytes);
        Assert.DoesNotContain(pdf.GetPages().SelectMany(p => p.Letters), l => string.IsNullOrEmpty(l.Value) || l.Value == "\uFFFD" || l.Value == "\0");
        Assert.Equal("项目组合报告", pdf.Information.Title);
    }

    [Fact]
    public async Task AnEmptyPortfolio_SaysSoInEverySection()
    {
        // A project manager on no team: nothing to add up.
        var (_, email) = await Accounts.CreateAsync(app, "lonely-pm", "ProjectManager");
        using var lonely = await app.ClientForAsync(email, Accounts.Password);
        var (_, bytes) = await ReportAsync(lonely, "en");
        var lines = Lines(bytes);
        Assert.Contains("Projects 0", lines);
        Assert.Contains("No sites recorded.", lines);
        Assert.Contains("No projects in the scope.", lines);
        Assert.Contains("No targets set.", lines);
        Assert.Contains("Nothing is overdue.", lines);
        Assert.Contains("No decisions recorded yet.", lines);
    }

    [Fact]
    public async Task AProjectKind_OnThePortfolioEndpoint_AndThePortfolioKind_OnAProject_Are400NamingKind()
    {
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        var problem = await (await pm.PostAsJsonAsync("/api/reports", new { kind = "audit-trail", language = "en" })).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["kind"], problem.ErrorFields());
        var projectId = await pm.CreateProjectAsync("Portfolio kind on a project");
        problem = await (await pm.PostAsJsonAsync($"/api/projects/{projectId}/reports", new { kind = "portfolio", language = "en" })).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["kind"], problem.ErrorFields());
        Assert.Contains("portfolio report", problem.ErrorsOf("kind")[0], StringComparison.Ordinal);
        problem = await (await pm.PostAsJsonAsync("/api/reports", new { kind = "portfolio", language = "de" })).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["language"], problem.ErrorFields());
    }

    [Fact]
    public async Task WhoMay_RequestSeeAndDownload_APortfolioReport()
    {
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        var id = (await (await pm.PostAsJsonAsync("/api/reports", new { kind = "portfolio", language = "en" })).ExpectAsync(HttpStatusCode.Accepted))
            .GetProperty("id").GetGuid();
        Assert.Equal(ReportJob.Outcome.Done, await app.RunJobAsync(id));
        var request = new { kind = "portfolio", language = "en" };

        // Every role may request one (of their own scope).
        foreach (var email in new[] { DemoUsers.Pm2, DemoUsers.Approver1, DemoUsers.Auditor, DemoUsers.Admin })
        {
            using var client = await app.ClientForAsync(email);
            Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync("/api/reports", request)).StatusCode);
        }
        // The requester, approvers, auditors and administrators see and download the manager's report; another manager does not.
        var served = new List<string>();
        foreach (var email in new[] { DemoUsers.Pm, DemoUsers.Approver1, DemoUsers.Auditor, DemoUsers.Admin })
        {
            using var client = await app.ClientForAsync(email);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/reports/{id}")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/reports/{id}/file")).StatusCode);
            served.Add(await app.UserIdAsync(email));
        }
        using (var pm2 = await app.ClientForAsync(DemoUsers.Pm2))
        {
            var refused = await (await pm2.GetAsync($"/api/reports/{id}/file")).ExpectProblemAsync(HttpStatusCode.Forbidden);
            Assert.Contains("requested it", refused.Str("detail"), StringComparison.Ordinal);
            await (await pm2.GetAsync($"/api/reports/{id}")).ExpectProblemAsync(HttpStatusCode.Forbidden);
        }
        using var anonymous = app.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/reports", request)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/reports/{id}/file")).StatusCode);

        // An account without a role is not signed in to the API at all (401, the identity rule); a principal holding
        // no role that reaches the service is refused with 403 for a request and for the manager's report.
        var (roleless, email2) = await Accounts.CreateAsync(app, "roleless-reports", "ProjectManager");
        using (var admin = await app.ClientForAsync(DemoUsers.Admin))
            await (await admin.PutAsJsonAsync($"/api/admin/users/{roleless}/roles", new { roles = Array.Empty<string>() })).ExpectAsync(HttpStatusCode.OK);
        using (var noRole = await app.ClientForAsync(email2, Accounts.Password))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await noRole.PostAsJsonAsync("/api/reports", request)).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await noRole.GetAsync($"/api/reports/{id}/file")).StatusCode);
        }
        await using (var scope = app.Scope())
        {
            var service = scope.ServiceProvider.GetRequiredService<ReportService>();
            var principal = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, roleless)], "test"));
            var result = await service.RequestAsync(ReportScope.Portfolio, null, "portfolio", "en", principal, CancellationToken.None);
            Assert.Equal(403, result.Refusal?.Status);
            Assert.Null(result.Report);
            var download = await service.DownloadAsync(id, principal, CancellationToken.None);
            Assert.Equal(403, download.Refusal?.Status);
            Assert.Null(download.Bytes);
        }

        // Every served download was recorded, one per downloader, with no project.
        var downloads = await app.DownloadsAsync(id);
        Assert.Equal(served.Order().ToArray(), downloads.Where(d => d.Outcome == ReportDownloadOutcomes.Served).Select(d => d.UserId).Order().ToArray());
        Assert.All(downloads, d => Assert.Null(d.ProjectId));
    }

    [Fact]
    public async Task FromThePortfolioPage_ARequestLeadsToTheReportsPage_AndTheListShowsItToThoseWhoMaySeeIt()
    {
        using var browser = await PageSession.SignInAsync(app, DemoUsers.Pm2);
        var page = await browser.GetStringAsync("/Portfolio");
        Assert.Contains("data-testid=\"portfolio-report-request\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("/api/", page, StringComparison.Ordinal);

        var posted = await browser.PostAsync("/Portfolio?handler=Report", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["language"] = "zh-Hans",
            ["__RequestVerificationToken"] = PageSession.Token(page),
        }));
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        var location = posted.Headers.Location!.OriginalString;
        var reportId = Guid.Parse(location.Split('/').Last());
        var row = await app.RowAsync(reportId);
        Assert.Equal(("portfolio", "zh-Hans", (Guid?)null), (row.Kind, row.Language, row.ProjectId));
        Assert.Equal(await app.UserIdAsync(DemoUsers.Pm2), row.RequestedById);

        Assert.Equal(ReportJob.Outcome.Done, await app.RunJobAsync(reportId));
        var done = await browser.GetStringAsync(location);
        Assert.Contains("data-status=\"done\"", done, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"report-portfolio-link\"", done, StringComparison.Ordinal);
        var file = await browser.GetAsync($"/Reports/{reportId}?handler=File");
        Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        Assert.Equal("application/pdf", file.Content.Headers.ContentType?.MediaType);

        var listed = await browser.GetStringAsync("/Portfolio");
        Assert.Contains($"/Reports/{reportId}", listed, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"report-download\"", listed, StringComparison.Ordinal);
        // The auditor's list shows it; the other manager's does not, and their page for it is refused.
        using (var auditor = await PageSession.SignInAsync(app, DemoUsers.Auditor))
            Assert.Contains($"/Reports/{reportId}", await auditor.GetStringAsync("/Portfolio"), StringComparison.Ordinal);
        using var pm = await PageSession.SignInAsync(app, DemoUsers.Pm);
        Assert.DoesNotContain($"/Reports/{reportId}", await pm.GetStringAsync("/Portfolio"), StringComparison.Ordinal);
        var refused = await pm.GetAsync($"/Reports/{reportId}");
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.Contains("/Account/AccessDenied", refused.Headers.Location!.OriginalString, StringComparison.Ordinal);

        // A bad language shows the message and makes no report.
        var before = await app.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(db.Reports));
        var bad = await browser.PostAsync("/Portfolio?handler=Report", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["language"] = "fr",
            ["__RequestVerificationToken"] = PageSession.Token(listed),
        }));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("is not a report language", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await app.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(db.Reports)));
    }
}
