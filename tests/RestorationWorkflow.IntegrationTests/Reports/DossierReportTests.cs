using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RestorationWorkflow.IntegrationTests.Infrastructure;
using RestorationWorkflow.IntegrationTests.Reporting;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Web.Features.Reports;
using RestorationWorkflow.Web.Features.Reports.Dossier;
using RestorationWorkflow.Web.Reporting;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.IntegrationTests.Reports;

/// <summary>The project dossier (issue 20, report 1) of real projects, read back with PdfPig; and through the API and its job.</summary>
public sealed class DossierReportTests(ReportPipelineTests.App app) : IClassFixture<ReportPipelineTests.App>
{
    private const string OfficerContact = "Joseph Kiprono, kiprono@example.org";

    [Fact]
    public async Task ADossier_ShowsTheProject_ItsState_TargetsAsSentences_SitesStepsPeopleAndApprovals()
    {
        var id = await ProjectWithDataAsync("Mau forest dossier");
        var input = await LoadAsync(id, "en", DemoUsers.Pm);
        var bytes = Render(input, "dossier-en");
        var text = Squeezed(AllText(bytes));

        Assert.Contains(Squeeze("Mau forest dossier"), text, StringComparison.Ordinal);
        Assert.Contains(Squeeze("Project dossier"), text, StringComparison.Ordinal);
        var state = await StateLabelAsync(id, "en");
        Assert.Equal("Restoration plan review", state);
        Assert.Contains(Squeeze(state), text, StringComparison.Ordinal);
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        var targets = await (await pm.GetAsync($"/api/projects/{id}/targets")).ExpectAsync(HttpStatusCode.OK);
        var sentences = targets.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("sentence").Str("en")).ToList();
        Assert.Equal(2, sentences.Count);
        foreach (var sentence in sentences)
            Assert.Contains(Squeeze(sentence), text, StringComparison.Ordinal);
        // Sites with computed and declared hectares, the steps' content, participation by gender, approvals with their hash.
        Assert.Contains(Squeeze("Riparian strip"), text, StringComparison.Ordinal);
        Assert.Contains(Squeeze("12,300.00"), text, StringComparison.Ordinal);
        Assert.Contains(Squeeze(StaperSteps.Get("B8").Label.En), text, StringComparison.Ordinal);
        Assert.Contains(Squeeze("Village meeting"), text, StringComparison.Ordinal);
        var consentRequest = input.Gates.SelectMany(g => g.Requests).First();
        Assert.Contains(consentRequest.SnapshotHash, text, StringComparison.Ordinal);
        Assert.Contains(Squeeze("Approved"), text, StringComparison.Ordinal);
        Assert.Contains(input.Steps, s => s.Code == "A1" && s.HasForm && s.Fields.Count > 0);
        Assert.Contains(Squeeze(input.Steps.First(s => s.Code == "A1").Fields[0].Label), text, StringComparison.Ordinal);
        // The current state is marked in the progress table and the diagram's caption names it.
        Assert.Contains(Squeeze("the project is now in \"Restoration plan review\""), text, StringComparison.Ordinal);
        using var pdf = Pdf.Open(bytes);
        Assert.Equal("Project dossier — " + input.Project.Code + " · Mau forest dossier", pdf.Information.Title);
        var pages = pdf.NumberOfPages;
        Assert.Contains(Squeeze($"Page {pages} of {pages}"), text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InChinese_TheSeedsStepNamesAndTheStateAreThere_AndNoGlyphIsMissing()
    {
        var id = await ProjectWithDataAsync("茅森林档案");
        var input = await LoadAsync(id, "zh-Hans", DemoUsers.Pm);
        var bytes = Render(input, "dossier-zh");
        var raw = AllText(bytes);
        var text = Squeezed(raw);

        var chinese = new CultureInfo("zh-Hans");
        foreach (var step in StaperSteps.All)
            Assert.Contains(Squeeze(step.Label.For(chinese)), text, StringComparison.Ordinal);
        var state = await StateLabelAsync(id, "zh-Hans");
        Assert.Equal("恢复计划审查", state);
        Assert.Contains(state, text, StringComparison.Ordinal);
        Assert.Contains("项目档案", text, StringComparison.Ordinal);
        Assert.Contains("茅森林档案", text, StringComparison.Ordinal);
        Assert.Contains(Squeeze(input.Plan.Targets[0].Sentence), text, StringComparison.Ordinal);
        Assert.True(ReportFont.Shared.Covers(raw), "a character has no glyph in the report font");
        using var pdf = Pdf.Open(bytes);
        Assert.DoesNotContain(pdf.GetPages().SelectMany(p => p.Letters), l => string.IsNullOrEmpty(l.Value) || l.Value == "\uFFFD" || l.Value == "\0");
    }

    [Fact]
    public async Task AStakeholdersContact_IsInTheTeamsDossier_AndNotInAnApproversOrAnAuditors()
    {
        var id = await ProjectWithDataAsync("Contact masking dossier");

        var team = Squeezed(AllText(Render(await LoadAsync(id, "en", DemoUsers.Pm), "dossier-team")));
        Assert.Contains(Squeeze(OfficerContact), team, StringComparison.Ordinal);
        Assert.Contains(Squeeze("County forest office"), team, StringComparison.Ordinal);

        foreach (var reader in new[] { DemoUsers.Approver1, DemoUsers.Auditor })
        {
            var input = await LoadAsync(id, "en", reader);
            Assert.False(input.People.ContactsVisible);
            Assert.All(input.People.Stakeholders, s => Assert.Null(s.Contact));
            var text = Squeezed(AllText(Render(input, "dossier-masked")));
            Assert.Contains(Squeeze("County forest office"), text, StringComparison.Ordinal);
            Assert.DoesNotContain("Kiprono", text, StringComparison.Ordinal);
            Assert.DoesNotContain("kiprono@example.org", text, StringComparison.Ordinal);
            Assert.Contains(Squeeze("they are left out of this copy"), text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task AnEmptyProject_SaysSoInEverySection()
    {
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync("Empty dossier");

        var text = Squeezed(AllText(Render(await LoadAsync(id, "en", DemoUsers.Pm), "dossier-empty")));
        foreach (var sentence in new[]
        {
            "No sites recorded.", "No stakeholders recorded.", "No participation events recorded.", "No consent records.",
            "No targets recorded.", "No request has been made to this gate yet.", "No evaluations recorded.",
            "No adaptive-management decisions recorded.", "No lessons recorded.", "The form is not filled in yet.",
        })
        {
            Assert.Contains(Squeeze(sentence), text, StringComparison.Ordinal);
        }
        var zh = Squeezed(AllText(Render(await LoadAsync(id, "zh-Hans", DemoUsers.Pm), "dossier-empty-zh")));
        Assert.Contains("尚未记录地块。", zh, StringComparison.Ordinal);
        Assert.Contains("尚未记录利益攸关方。", zh, StringComparison.Ordinal);
        Assert.Contains("尚未记录目标。", zh, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARequestedDossier_Is202_AndTheJobMakesADoneReport()
    {
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync("Requested dossier");

        var response = await pm.PostAsJsonAsync($"/api/projects/{id}/reports", new { kind = "dossier", language = "zh-Hans" });
        var accepted = await response.ExpectAsync(HttpStatusCode.Accepted);
        var reportId = accepted.GetProperty("id").GetGuid();
        Assert.Equal("queued", accepted.Str("status"));
        Assert.Single(app.Jobs.All, j => j.Type == typeof(ReportJob) && (Guid)j.Args[0] == reportId);

        Assert.Equal(ReportJob.Outcome.Done, await app.RunJobAsync(reportId));

        var status = await (await pm.GetAsync($"/api/reports/{reportId}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("done", status.Str("status"));
        Assert.Equal("dossier", status.Str("kind"));
        var file = await pm.GetAsync($"/api/reports/{reportId}/file");
        Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        Assert.Matches("^dossier_[A-Za-z0-9._()-]+_zh-Hans\\.pdf$", file.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var text = Squeezed(AllText(await file.Content.ReadAsByteArrayAsync()));
        Assert.Contains("Requesteddossier", text, StringComparison.Ordinal);
        Assert.Contains("项目档案", text, StringComparison.Ordinal);
        Assert.True((await app.RowAsync(reportId)).PageCount >= 2);
    }

    /// <summary>
    /// A project in plan review: assessment and planning steps settled with forms, a site, participation, a stakeholder
    /// with a contact, two targets, the consent gate approved and the plan submitted.
    /// </summary>
    private async Task<Guid> ProjectWithDataAsync(string name)
    {
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        using var approver = await app.ClientForAsync(DemoUsers.Approver1);
        var id = await pm.CreateProjectAsync(name);
        await pm.ToPlanReviewAsync(approver, id, async version =>
        {
            (_, version) = await pm.AnySiteAsync(id, version);
            var stakeholder = await pm.AddStakeholderAsync(id, PeopleApi.Stakeholder(version, isIplc: false, name: "County forest office", contact: OfficerContact, group: "government"));
            return stakeholder.Number("version");
        });
        return id;
    }

    private async Task<DossierReportInput> LoadAsync(Guid id, string language, string readerEmail)
    {
        await using var scope = app.Scope();
        var db = scope.ServiceProvider.GetRequiredService<RestorationWorkflow.Data.AppDbContext>();
        var reader = await db.Users.AsNoTracking().SingleAsync(u => u.Email == readerEmail);
        var source = scope.ServiceProvider.GetRequiredService<DossierReportSource>();
        return (await source.LoadAsync(id, language, reader.Id, reader.DisplayName, CancellationToken.None))!;
    }

    private async Task<string> StateLabelAsync(Guid id, string language)
    {
        await using var scope = app.Scope();
        var project = await scope.ServiceProvider.GetRequiredService<RestorationWorkflow.Data.AppDbContext>().Projects.AsNoTracking().SingleAsync(p => p.Id == id);
        return app.Services.GetRequiredService<WorkflowCatalog>().DefinitionOf(project).GetState(project.State).Label.For(new CultureInfo(language));
    }

    private byte[] Render(DossierReportInput input, string keepAs)
    {
        var bytes = app.Services.GetRequiredService<DossierReport>().Render(input);
        Pdf.Keep(bytes, keepAs);
        return bytes;
    }

    private static string AllText(byte[] bytes)
    {
        using var pdf = Pdf.Open(bytes);
        return string.Concat(pdf.GetPages().Select(Pdf.Text));
    }

    /// <summary>Text without white space: a sentence wrapped over lines (or a table cell) reads the same.</summary>
    private static string Squeeze(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c)));

    private static string Squeezed(string text) => Squeeze(text);
}
