using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.IntegrationTests.Infrastructure;
using RestorationWorkflow.IntegrationTests.Sites;
using RestorationWorkflow.Reminders;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.IntegrationTests.Portfolio;

/// <summary>
/// <c>/api/portfolio</c> and its exports: every figure is the sum of the projects behind it (and its link lists exactly
/// them), a project manager sees only their own projects, filters narrow and a bad one is a 400 naming it, the CSV files
/// carry a byte order mark and their columns, and a project's JSON export holds no personal data. Each test works in its own
/// country, so the projects of the other tests in this class do not count.
/// </summary>
public sealed class PortfolioTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static Dictionary<string, object?> Request(string name, string country, string[] ecosystems, string startDate = "2026-03-01") => new()
    {
        ["name"] = name, ["description"] = "Portfolio test.", ["country"] = country, ["region"] = "North", ["scale"] = "site",
        ["ecosystemTypes"] = ecosystems, ["naturallyLowTreeCover"] = false, ["situation"] = "underRestoration", ["startDate"] = startDate,
        ["lifespanYears"] = 10, ["budget"] = 1000m, ["currency"] = "USD", ["leadOrganisation"] = "Trust", ["areaHectares"] = 1m,
    };

    /// <summary>Adds a site of <paramref name="ecosystem"/> and returns its computed hectares and the project's version.</summary>
    private static async Task<(decimal Hectares, int Version)> SiteAsync(HttpClient pm, Guid id, int version, string ecosystem, double west, double south, double size)
    {
        var site = await (await pm.PostSiteAsync(id, SitesApi.Request(SitesApi.Box(west, south, west + size, south + size), version, $"{ecosystem} {west}", 100m, ecosystem)))
            .ExpectAsync(HttpStatusCode.Created);
        return (site.GetProperty("computedHectares").GetDecimal(), site.Number("version"));
    }

    private static async Task<JsonElement> PortfolioAsync(HttpClient client, string query) =>
        await (await client.GetAsync("/api/portfolio" + query)).ExpectAsync(HttpStatusCode.OK);

    private static decimal Cell(JsonElement portfolio, string ecosystem, string state) =>
        portfolio.GetProperty("hectares").EnumerateArray().Where(c => c.Str("ecosystemType") == ecosystem && c.Str("state") == state)
            .Select(c => c.GetProperty("hectares").GetDecimal()).Single();

    private static async Task<HashSet<Guid>> ProjectsBehindAsync(HttpClient client, string link)
    {
        var list = await (await client.GetAsync(link)).ExpectAsync(HttpStatusCode.OK);
        return [.. list.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid())];
    }

    [Fact]
    public async Task Every_figure_is_the_sum_of_its_projects_and_links_to_exactly_them()
    {
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        // Rwanda: P1 monitoring (forest + wetland sites), P2 planning (grassland), P3 draft (forest).
        var p1 = await pm.CreateProjectWithAsync(Request("Akagera wetlands", "RW", ["forest", "wetland"]));
        var (forest1, v1) = await SiteAsync(pm, p1, 1, "forest", 30.00, -2.00, 0.05);
        var (wetland1, v1b) = await SiteAsync(pm, p1, v1, "wetland", 30.10, -2.00, 0.03);
        var p2 = await pm.CreateProjectWithAsync(Request("Nyungwe grassland", "RW", ["grassland"]));
        var (grass2, _) = await SiteAsync(pm, p2, 1, "grassland", 29.50, -2.40, 0.04);
        var p3 = await pm.CreateProjectWithAsync(Request("Gishwati forest", "RW", ["forest"]));
        var (forest3, _) = await SiteAsync(pm, p3, 1, "forest", 29.40, -1.80, 0.02);
        await app.ForceStateAsync(p1, "Monitoring");
        await app.ForceStateAsync(p2, "Planning");

        // P1's targets: one measured on track (43.3 t/ha on 2026-06-01 against 43.29 expected), one without data.
        var biomass = await pm.AddTargetAsync(p1, TargetsApi.Environmental(v1b));
        var jobs = await pm.AddTargetAsync(p1, TargetsApi.SocioEconomic(biomass.Number("version")));
        await pm.RecordAsync(p1, biomass.GetProperty("id").GetGuid(), MeasurementsApi.Measurement(jobs.Number("version")));
        // P2: an approval decision overdue by ten days.
        await app.WithDbAsync(async db =>
        {
            var today = DuePlan.Day(DateTimeOffset.UtcNow);
            db.DueItems.Add(DueItem.Create(p2, DueItemKinds.ApprovalDecision, "approval:test", null, today.AddDays(-10), new LocalizedText("Decide", "决定"), DateTimeOffset.UtcNow));
            await db.SaveChangesAsync();
        });

        using var approver = await app.ClientForAsync(DemoUsers.Approver1);
        var portfolio = await PortfolioAsync(approver, "?country=RW");
        Assert.Equal("all", portfolio.Str("scope"));
        Assert.Equal(3, portfolio.Number("projects"));
        Assert.Equal(forest1, Cell(portfolio, "forest", "Monitoring"));
        Assert.Equal(wetland1, Cell(portfolio, "wetland", "Monitoring"));
        Assert.Equal(grass2, Cell(portfolio, "grassland", "Planning"));
        Assert.Equal(forest3, Cell(portfolio, "forest", "Draft"));
        Assert.Equal(4, portfolio.GetProperty("hectares").GetArrayLength());
        var groups = portfolio.GetProperty("hectares").EnumerateArray().ToDictionary(c => (c.Str("ecosystemType"), c.Str("state")), c => c.Str("group"));
        Assert.Equal("D", groups[("forest", "Monitoring")]);
        Assert.Equal("C", groups[("grassland", "Planning")]);
        Assert.Equal("none", groups[("forest", "Draft")]);
        // Under restoration (GBF 2.2): only the monitoring project's sites; the total is every site, and each project's area
        // (kept to two decimals, the sites' to four).
        Assert.Equal(forest1 + wetland1, portfolio.GetProperty("hectaresUnderRestoration").GetDecimal());
        Assert.Equal(forest1 + wetland1 + grass2 + forest3, portfolio.GetProperty("hectaresTotal").GetDecimal());
        var areas = 0m;
        foreach (var id in new[] { p1, p2, p3 })
            areas += (await approver.GetProjectAsync(id)).GetProperty("areaHectares").GetDecimal();
        Assert.InRange(portfolio.GetProperty("hectaresTotal").GetDecimal() - areas, -0.015m, 0.015m);

        var targets = portfolio.GetProperty("targets").EnumerateArray().ToDictionary(t => t.Str("status"));
        Assert.Equal((1, 1), (targets["onTrack"].Number("targets"), targets["onTrack"].Number("projects")));
        Assert.Equal(1, targets["noData"].Number("targets"));
        Assert.Equal(0, targets["offTrack"].Number("targets") + targets["atRisk"].Number("targets"));
        var overdue = portfolio.GetProperty("overdue").EnumerateArray().ToDictionary(o => o.Str("kind"));
        Assert.Equal((1, 1), (overdue["approvalDecision"].Number("items"), overdue["approvalDecision"].Number("projects")));
        Assert.Equal(10, Assert.Single(portfolio.GetProperty("oldestOverdue").EnumerateArray()).Number("daysOverdue"));
        var country = Assert.Single(portfolio.GetProperty("countries").EnumerateArray());
        Assert.Equal(("RW", 3), (country.Str("country"), country.Number("projects")));

        // Each figure's link lists the projects behind it.
        var cell = portfolio.GetProperty("hectares").EnumerateArray().Single(c => c.Str("ecosystemType") == "forest" && c.Str("state") == "Monitoring");
        Assert.Equal([p1], await ProjectsBehindAsync(approver, cell.Str("projectsLink")));
        Assert.Equal([p1], await ProjectsBehindAsync(approver, targets["onTrack"].Str("projectsLink")));
        Assert.Equal([p1], await ProjectsBehindAsync(approver, targets["noData"].Str("projectsLink")));
        Assert.Equal([p2], await ProjectsBehindAsync(approver, overdue["approvalDecision"].Str("projectsLink")));
        Assert.Equal([p1, p2, p3], await ProjectsBehindAsync(approver, country.Str("projectsLink")));
        Assert.Equal([p1], await ProjectsBehindAsync(approver, "/api/projects?country=RW&underRestoration=true"));

        // The page shows the same figures.
        using var session = await PageSession.SignInAsync(app, DemoUsers.Approver1);
        var html = await session.GetStringAsync("/Portfolio?country=RW");
        Assert.Contains((forest1 + wetland1).ToString("N2", System.Globalization.CultureInfo.GetCultureInfo("en")), html, StringComparison.Ordinal);
    }

    /// <summary>Targets by status, overdue items by kind and hectares by cell of a dashboard, as comparable values.</summary>
    private static (Dictionary<string, int> Targets, Dictionary<string, int> Overdue, Dictionary<string, decimal> Hectares) Totals(JsonElement portfolio) =>
        (portfolio.GetProperty("targets").EnumerateArray().ToDictionary(t => t.Str("status"), t => t.Number("targets")),
         portfolio.GetProperty("overdue").EnumerateArray().ToDictionary(o => o.Str("kind"), o => o.Number("items")),
         portfolio.GetProperty("hectares").EnumerateArray().ToDictionary(c => c.Str("ecosystemType") + "/" + c.Str("state"), c => c.GetProperty("hectares").GetDecimal()));

    [Fact]
    public async Task The_whole_portfolio_is_the_sum_of_its_countries_for_every_scope()
    {
        // The dashboard over every project (no filter, a caller who sees all) counts targets and due items from their
        // own tables; a manager's, or a filtered one, through their projects. Both must agree with the per-country sums.
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        using var pm2 = await app.ClientForAsync(DemoUsers.Pm2);
        var mine = await pm.CreateProjectWithAsync(Request("Whole mine", "ZW", ["forest"]));
        var (_, mineVersion) = await SiteAsync(pm, mine, 1, "forest", 31.00, -18.00, 0.03);
        await pm.AddTargetAsync(mine, TargetsApi.Environmental(mineVersion));
        var theirs = await pm2.CreateProjectWithAsync(Request("Whole theirs", "ZM", ["wetland"]));
        var (_, theirVersion) = await SiteAsync(pm2, theirs, 1, "wetland", 28.00, -15.00, 0.02);
        await pm2.AddTargetAsync(theirs, TargetsApi.SocioEconomic(theirVersion));
        await app.WithDbAsync(async db =>
        {
            var today = DuePlan.Day(DateTimeOffset.UtcNow);
            db.DueItems.Add(DueItem.Create(theirs, DueItemKinds.ApprovalDecision, "approval:whole", null, today.AddDays(-3), new LocalizedText("Decide", "决定"), DateTimeOffset.UtcNow));
            await db.SaveChangesAsync();
        });

        using var approver = await app.ClientForAsync(DemoUsers.Approver1);
        foreach (var client in new[] { approver, pm, pm2 })
        {
            var whole = await PortfolioAsync(client, "");
            var (targets, overdue, hectares) = Totals(whole);
            var sumTargets = new Dictionary<string, int>(StringComparer.Ordinal);
            var sumOverdue = new Dictionary<string, int>(StringComparer.Ordinal);
            var sumHectares = new Dictionary<string, decimal>(StringComparer.Ordinal);
            foreach (var country in whole.GetProperty("countries").EnumerateArray().Select(c => c.Str("country")))
            {
                var (t, o, h) = Totals(await PortfolioAsync(client, "?country=" + country));
                foreach (var (k, v) in t)
                    sumTargets[k] = sumTargets.GetValueOrDefault(k) + v;
                foreach (var (k, v) in o)
                    sumOverdue[k] = sumOverdue.GetValueOrDefault(k) + v;
                foreach (var (k, v) in h)
                    sumHectares[k] = sumHectares.GetValueOrDefault(k) + v;
            }
            Assert.Equal(sumTargets.OrderBy(p => p.Key), targets.OrderBy(p => p.Key));
            Assert.Equal(sumOverdue.OrderBy(p => p.Key), overdue.OrderBy(p => p.Key));
            Assert.Equal(sumHectares.OrderBy(p => p.Key), hectares.OrderBy(p => p.Key));
        }
        // The manager's whole portfolio leaves out the other manager's target and overdue item.
        var approverTargets = Totals(await PortfolioAsync(approver, "")).Targets.Values.Sum();
        var pmTargets = Totals(await PortfolioAsync(pm, "")).Targets.Values.Sum();
        var pm2Targets = Totals(await PortfolioAsync(pm2, "")).Targets.Values.Sum();
        Assert.True(pmTargets < approverTargets && pm2Targets < approverTargets, $"pm {pmTargets}, pm2 {pm2Targets}, all {approverTargets}");
        Assert.Equal(0, Totals(await PortfolioAsync(pm, "?country=ZM")).Overdue.Values.Sum());
        Assert.Equal(1, Totals(await PortfolioAsync(pm2, "?country=ZM")).Overdue["approvalDecision"]);
    }

    [Fact]
    public async Task A_project_manager_sees_only_their_own_projects_figures()
    {
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        using var pm2 = await app.ClientForAsync(DemoUsers.Pm2);
        var mine = await pm.CreateProjectWithAsync(Request("Mine", "BI", ["forest"]));
        var (mineHa, _) = await SiteAsync(pm, mine, 1, "forest", 29.90, -3.40, 0.05);
        var theirs = await pm2.CreateProjectWithAsync(Request("Theirs", "BI", ["forest"]));
        var (theirHa, _) = await SiteAsync(pm2, theirs, 1, "forest", 30.00, -3.40, 0.02);

        var own = await PortfolioAsync(pm, "?country=BI");
        Assert.Equal("mine", own.Str("scope"));
        Assert.Equal(1, own.Number("projects"));
        Assert.Equal(mineHa, own.GetProperty("hectaresTotal").GetDecimal());
        var link = Assert.Single(own.GetProperty("countries").EnumerateArray()).Str("projectsLink");
        Assert.Contains("mine=true", link, StringComparison.Ordinal);
        Assert.Equal([mine], await ProjectsBehindAsync(pm, link));
        Assert.Equal(theirHa, (await PortfolioAsync(pm2, "?country=BI")).GetProperty("hectaresTotal").GetDecimal());
        using var auditor = await app.ClientForAsync(DemoUsers.Auditor);
        var all = await PortfolioAsync(auditor, "?country=BI");
        Assert.Equal((2, mineHa + theirHa), (all.Number("projects"), all.GetProperty("hectaresTotal").GetDecimal()));

        // The exports keep the same scope.
        var csv = await pm.GetStringAsync("/api/portfolio/projects.csv?country=BI");
        Assert.Contains(mine.ToString(), csv, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(theirs.ToString(), csv, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Filters_narrow_the_figures_and_an_unknown_value_is_a_400_naming_its_parameter()
    {
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        var early = await pm.CreateProjectWithAsync(Request("Early", "MW", ["wetland"], "2026-02-01"));
        await SiteAsync(pm, early, 1, "wetland", 34.00, -13.00, 0.02);
        var late = await pm.CreateProjectWithAsync(Request("Late", "MW", ["forest"], "2028-02-01"));
        var (lateHa, _) = await SiteAsync(pm, late, 1, "forest", 34.10, -13.00, 0.03);
        using var admin = await app.ClientForAsync(DemoUsers.Admin);

        Assert.Equal(2, (await PortfolioAsync(admin, "?country=MW")).Number("projects"));
        var period = await PortfolioAsync(admin, "?country=mw&startFrom=2027-01-01&startTo=2029-12-31");
        Assert.Equal((1, lateHa), (period.Number("projects"), period.GetProperty("hectaresTotal").GetDecimal()));
        var wetland = await PortfolioAsync(admin, "?country=MW&ecosystemType=wetland");
        Assert.Equal(1, wetland.Number("projects"));
        Assert.Equal("wetland", Assert.Single(wetland.GetProperty("hectares").EnumerateArray()).Str("ecosystemType"));

        foreach (var (query, field) in new[]
                 {
                     ("?country=ZZ", "country"), ("?ecosystemType=jungle", "ecosystemType"), ("?startFrom=2026-13-01", "startFrom"),
                     ("?startFrom=2027-01-01&startTo=2026-01-01", "startTo"),
                 })
        {
            var problem = await (await admin.GetAsync("/api/portfolio" + query)).ExpectProblemAsync(HttpStatusCode.BadRequest);
            Assert.Equal([field], problem.ErrorFields());
            Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync("/api/portfolio/projects.csv" + query)).StatusCode);
        }
        using var session = await PageSession.SignInAsync(app, DemoUsers.Admin);
        var page = await session.GetAsync("/Portfolio?ecosystemType=jungle");
        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        Assert.Contains("data-field=\"ecosystemType\"", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_csv_exports_start_with_a_byte_order_mark_and_carry_their_columns_and_no_personal_data()
    {
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        var (id, biomass, _, version) = await pm.MonitoredProjectAsync(app);
        await app.WithDbAsync(async db => await db.Projects.Where(p => p.Id == id).ExecuteUpdateAsync(s => s.SetProperty(p => p.Country, "LS")));
        await pm.RecordAsync(id, biomass, MeasurementsApi.Measurement(version));

        var response = await pm.GetAsync("/api/portfolio/projects.csv?country=LS");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("code,name,country,ecosystemTypes,state,stepGroup,startDate,sites,hectares,underRestoration,targets,onTrack,atRisk,offTrack,noData,measurements,overdueItems,projectId", lines[0]);
        var row = Assert.Single(lines[1..]).Split(',');
        Assert.Equal(("LS", "Implementation", "C", "true"), (row[2], row[4], row[5], row[9]));
        Assert.Equal(("2", "1", "1", "1"), (row[10], row[11], row[14], row[15]));

        var measurements = await pm.GetByteArrayAsync("/api/portfolio/measurements.csv?country=LS");
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, measurements[..3]);
        var text = Encoding.UTF8.GetString(measurements, 3, measurements.Length - 3);
        var mlines = text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("projectCode,projectId,targetId,indicator,unit,date,value,method", mlines[0]);
        Assert.EndsWith(",vegetationBiomass,t/ha,2026-06-01,43.3,Plot survey", Assert.Single(mlines[1..]), StringComparison.Ordinal);
        Assert.DoesNotContain("Wanjiru", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_json_export_holds_the_results_and_no_personal_data_and_is_refused_to_those_who_may_not_read()
    {
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        var (id, biomass, _, version) = await pm.MonitoredProjectAsync(app, "Planning");
        var planted = "Secret Stakeholder Name";
        var stakeholder = await pm.AddStakeholderAsync(id, PeopleApi.Stakeholder(version, name: planted, contact: "planted.contact@example.net"));
        var participation = await pm.AddParticipationAsync(id, PeopleApi.Participation(stakeholder.Number("version")));
        var consent = await pm.AddConsentAsync(id, PeopleApi.Consent(participation.Number("version"), stakeholder.Str("id"), ["assessment"]));
        await pm.RecordAsync(id, biomass, MeasurementsApi.Measurement(consent.Number("version")));

        // The manager may see the contact on the project page; the export leaves it out all the same.
        var response = await pm.GetAsync($"/api/projects/{id}/export.json");
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        foreach (var personal in new[] { planted, "planted.contact@example.net", "A. Wanjiru", DemoUsers.Pm, "Mary Wanjiru" })
            Assert.DoesNotContain(personal, text, StringComparison.OrdinalIgnoreCase);
        using var json = JsonDocument.Parse(text);
        var root = json.RootElement;
        Assert.Equal(id, root.GetProperty("project").GetProperty("id").GetGuid());
        Assert.Equal((1, 1), (root.GetProperty("stakeholders").Number("total"), root.GetProperty("stakeholders").GetProperty("byGroup").Number("indigenousPeople")));
        Assert.Equal("granted", Assert.Single(root.GetProperty("consents").EnumerateArray()).Str("outcome"));
        var attended = Assert.Single(root.GetProperty("participation").EnumerateArray());
        Assert.Equal((12, 10, 1), (attended.Number("women"), attended.Number("men"), attended.Number("otherGender")));
        Assert.Equal(43.3m, Assert.Single(root.GetProperty("measurements").EnumerateArray()).GetProperty("value").GetDecimal());
        Assert.Equal("onTrack", root.GetProperty("targets").EnumerateArray().Single(t => t.GetProperty("id").GetGuid() == biomass).Str("status"));

        // The page's download is the same document.
        using var session = await PageSession.SignInAsync(app, DemoUsers.Auditor);
        var page = await session.GetAsync($"/Projects/{id}?handler=Export");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.DoesNotContain(planted, await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var anonymous = app.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/projects/{id}/export.json")).StatusCode);
        using var auditor = await app.ClientForAsync(DemoUsers.Auditor);
        await (await auditor.GetAsync($"/api/projects/{Guid.NewGuid()}/export.json")).ExpectProblemAsync(HttpStatusCode.NotFound);
    }
}
