using System.Net;
using System.Text.RegularExpressions;
using RestorationWorkflow.IntegrationTests.Infrastructure;

namespace RestorationWorkflow.IntegrationTests.Measurements;

/// <summary>
/// The pages: the chart (SVG from the app, the project page's authorization), the measurements page's form and the
/// import page's preview and confirmation, posted with the anti-forgery token as a browser would.
/// </summary>
public sealed partial class MeasurementPageTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static string Page(Guid id, Guid targetId) => $"/Projects/{id}/Targets/{targetId}/Measurements";

    [Fact]
    public async Task The_chart_is_an_svg_of_the_points_for_every_reader_of_the_project()
    {
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        var (id, biomass, _, version) = await pm.MonitoredProjectAsync(app);
        var first = await pm.RecordAsync(id, biomass, MeasurementsApi.Measurement(version, "2026-01-15", 41.5m));
        await pm.RecordAsync(id, biomass, MeasurementsApi.Measurement(first.Number("version"), "2026-06-01", 43.3m));

        using var auditor = await PageSession.SignInAsync(app, DemoUsers.Auditor);
        using var response = await auditor.GetAsync(Page(id, biomass) + "?handler=Chart");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/svg+xml", response.Content.Headers.ContentType?.MediaType);
        var svg = await response.Content.ReadAsStringAsync();
        await File.WriteAllTextAsync(Path.Combine(Path.GetTempPath(), "rw-progress-chart.svg"), svg);
        Assert.StartsWith("<svg", svg.TrimStart()[..Math.Min(200, svg.TrimStart().Length)].Split('\n').Last(l => l.Contains("<svg", StringComparison.Ordinal)).TrimStart(), StringComparison.Ordinal);
        Assert.Contains("<desc>2026-01-15 41.5; 2026-06-01 43.3</desc>", svg, StringComparison.Ordinal);
        Assert.Contains("2025-06-01 40 → 2031-06-30 60 t/ha", svg, StringComparison.Ordinal);
        // Two measurement markers at least (ScottPlot draws filled circles), and no script.
        Assert.True(CircleOrPath().Count(svg) >= 2, "The chart draws no markers.");
        Assert.DoesNotContain("<script", svg, StringComparison.OrdinalIgnoreCase);

        using var anonymous = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var login = await anonymous.GetAsync(Page(id, biomass) + "?handler=Chart");
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await auditor.GetAsync(Page(id, Guid.NewGuid()) + "?handler=Chart")).StatusCode);
    }

    [Fact]
    public async Task A_manager_records_a_measurement_on_the_page_and_the_project_page_shows_the_status()
    {
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        var (id, biomass, _, _) = await pm.MonitoredProjectAsync(app);
        using var page = await PageSession.SignInAsync(app, DemoUsers.Pm);
        var html = await page.GetStringAsync(Page(id, biomass));
        Assert.Contains("data-status=\"noData\"", html, StringComparison.Ordinal);

        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["MeasuredOn"] = "2026-06-01", ["Value"] = "40.5", ["Unit"] = "t/ha", ["Method"] = "Plot survey", ["MeasuredBy"] = "A. Wanjiru",
            ["Notes"] = "", ["EvidenceFileId"] = "", ["ExpectedVersion"] = Version(html), ["__RequestVerificationToken"] = PageSession.Token(html),
        });
        using var saved = await page.PostAsync(Page(id, biomass), form);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);

        var project = await page.GetStringAsync($"/Projects/{id}");
        Assert.Contains($"data-status=\"offTrack\"", project, StringComparison.Ordinal);
        Assert.Contains(Page(id, biomass) + "?handler=Chart", project, StringComparison.Ordinal);
        Assert.Equal(1, await app.MeasurementCountAsync(id));

        // A unit that is not the target's shows its message next to the field, with nothing written.
        var again = await page.GetStringAsync(Page(id, biomass));
        using var wrong = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["MeasuredOn"] = "2026-07-01", ["Value"] = "41", ["Unit"] = "kg", ["Method"] = "Plot survey", ["MeasuredBy"] = "A. Wanjiru",
            ["ExpectedVersion"] = Version(again), ["__RequestVerificationToken"] = PageSession.Token(again),
        });
        using var refused = await page.PostAsync(Page(id, biomass), wrong);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("t/ha", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(1, await app.MeasurementCountAsync(id));

        // Readers see the page without the form; the import page is the managers'.
        using var auditor = await PageSession.SignInAsync(app, DemoUsers.Auditor);
        Assert.DoesNotContain("measurement-form", await auditor.GetStringAsync(Page(id, biomass)), StringComparison.Ordinal);
        var denied = await auditor.GetAsync($"/Projects/{id}/Measurements/Import");
        Assert.Equal(HttpStatusCode.Redirect, denied.StatusCode);
        Assert.Contains("/Account/AccessDenied", denied.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_import_page_previews_bad_rows_by_line_and_imports_a_good_file_on_confirmation()
    {
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        var (id, _, _, _) = await pm.MonitoredProjectAsync(app);
        using var page = await PageSession.SignInAsync(app, DemoUsers.Pm);
        const string header = "target,date,value,unit,method,measuredBy,notes\n";

        var bad = await PreviewAsync(page, id, header + "vegetationBiomass,2026-01-15,41.5,t/ha,Plot survey,A. Wanjiru,\njobsCreated,2026-01-15,3,t/ha,Payroll,B. Otieno,\n");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.Status);
        Assert.Contains("<tr data-line=\"3\"><td>3</td><td>unit</td>", bad.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("import-confirm", bad.Html, StringComparison.Ordinal);

        var good = await PreviewAsync(page, id, header + "vegetationBiomass,2026-01-15,41.5,t/ha,Plot survey,A. Wanjiru,\njobsCreated,2026-01-15,3,jobs,Payroll,B. Otieno,\n");
        Assert.Equal(HttpStatusCode.OK, good.Status);
        Assert.Equal(0, await app.MeasurementCountAsync(id));
        var confirm = ConfirmForm().Match(good.Html);
        Assert.True(confirm.Success, "No confirmation form.");
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["ExpectedVersion"] = ValueOf(confirm.Value, "ExpectedVersion"),
            ["Csv"] = System.Net.WebUtility.HtmlDecode(ValueOf(confirm.Value, "Csv")),
            ["__RequestVerificationToken"] = PageSession.Token(confirm.Value),
        });
        using var imported = await page.PostAsync($"/Projects/{id}/Measurements/Import?handler=Import", form);
        Assert.Equal(HttpStatusCode.Redirect, imported.StatusCode);
        Assert.Equal(2, await app.MeasurementCountAsync(id));
        Assert.Equal("measurements.imported", (await app.AuditActionsAsync(id))[^1]);
    }

    private static async Task<(HttpStatusCode Status, string Html)> PreviewAsync(HttpClient page, Guid id, string csv)
    {
        var html = await page.GetStringAsync($"/Projects/{id}/Measurements/Import");
        using var form = new MultipartFormDataContent
        {
            { new StringContent(PageSession.Token(html)), "__RequestVerificationToken" },
            { new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(csv)), "file", "results.csv" },
        };
        using var response = await page.PostAsync($"/Projects/{id}/Measurements/Import?handler=Preview", form);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static string Version(string html) => ValueOf(html, "ExpectedVersion");

    private static string ValueOf(string html, string name) =>
        Regex.Match(html, $"""name="{name}" value="(?<v>[^"]*)" """.TrimEnd()).Groups["v"].Value;

    [GeneratedRegex("""<circle|<path""")]
    private static partial Regex CircleOrPath();

    [GeneratedRegex("""<form[^>]*data-testid="import-confirm-form"[\s\S]*?</form>""")]
    private static partial Regex ConfirmForm();
}
