using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.IntegrationTests.Infrastructure;
using RestorationWorkflow.IntegrationTests.Sites;
using RestorationWorkflow.Projects;

namespace RestorationWorkflow.IntegrationTests.Portfolio;

/// <summary>What a project keeps of its sites per ecosystem type (decision 0045) and how the tests read it.</summary>
internal static class KeptSiteAreas
{
    public sealed record Area(double Hectares, int Sites);

    /// <summary>The columns each project keeps, for the ecosystem types where it has sites (or a non-zero column).</summary>
    public static Task<Dictionary<Guid, Dictionary<string, Area>>> KeptAsync(AppFactory app) =>
        app.QueryDbAsync(async db =>
        {
            var result = new Dictionary<Guid, Dictionary<string, Area>>();
            foreach (var (code, _) in EcosystemTypes.All)
            {
                var rows = await db.Projects.AsNoTracking()
                    .Select(p => new { p.Id, Hectares = EF.Property<double>(p, SiteAreas.HectaresColumn(code)), Sites = EF.Property<int>(p, SiteAreas.CountColumn(code)) })
                    .Where(r => r.Sites != 0 || r.Hectares != 0)
                    .ToListAsync();
                foreach (var row in rows)
                {
                    if (!result.TryGetValue(row.Id, out var areas))
                        result[row.Id] = areas = new Dictionary<string, Area>(StringComparer.Ordinal);
                    areas[code] = new Area(row.Hectares, row.Sites);
                }
            }
            return result;
        });

    /// <summary>The same, summed from the sites themselves.</summary>
    public static Task<Dictionary<Guid, Dictionary<string, Area>>> FromSitesAsync(AppFactory app) =>
        app.QueryDbAsync(async db =>
        {
            var sites = await db.Sites.AsNoTracking().Select(s => new { s.ProjectId, s.EcosystemType, s.ComputedHectares }).ToListAsync();
            return sites.GroupBy(s => s.ProjectId).ToDictionary(g => g.Key, g => g.GroupBy(s => s.EcosystemType, StringComparer.Ordinal)
                .ToDictionary(t => t.Key, t => new Area((double)t.Sum(s => s.ComputedHectares), t.Count()), StringComparer.Ordinal));
        });

    /// <summary>Every project's kept columns equal its sites' sums (hectares to a millionth, counts exactly).</summary>
    public static async Task AssertKeptAsync(AppFactory app)
    {
        var kept = await KeptAsync(app);
        var truth = await FromSitesAsync(app);
        Assert.Equal(truth.Keys.Order(), kept.Keys.Order());
        foreach (var (project, areas) in truth)
        {
            Assert.Equal(areas.Keys.Order(StringComparer.Ordinal), kept[project].Keys.Order(StringComparer.Ordinal));
            foreach (var (type, area) in areas)
            {
                Assert.Equal(area.Sites, kept[project][type].Sites);
                Assert.Equal(area.Hectares, kept[project][type].Hectares, 6);
            }
        }
    }
}

/// <summary>
/// Each project keeps its hectares and sites per ecosystem type on its row (decision 0045), through every site command:
/// adding, changing a site's type and boundary, removing. The kept columns equal the sums of the sites after each step,
/// and the portfolio's cells (read from the columns) follow.
/// </summary>
public sealed class SiteAreasKeptTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static Dictionary<string, object?> Request(string name) => new()
    {
        ["name"] = name, ["description"] = "Site areas test.", ["country"] = "UG", ["region"] = "West", ["scale"] = "site",
        ["ecosystemTypes"] = new[] { "forest", "wetland" }, ["naturallyLowTreeCover"] = false, ["situation"] = "underRestoration",
        ["startDate"] = "2026-03-01", ["lifespanYears"] = 10, ["budget"] = 1000m, ["currency"] = "USD", ["leadOrganisation"] = "Trust",
        ["areaHectares"] = 1m,
    };

    private static object Site(string ecosystem, double west, double size, int version) =>
        SitesApi.Request(SitesApi.Box(west, 0.50, west + size, 0.50 + size), version, $"{ecosystem} {west}", 100m, ecosystem);

    private static async Task<JsonElement> PortfolioAsync(HttpClient client) =>
        await (await client.GetAsync("/api/portfolio?country=UG")).ExpectAsync(HttpStatusCode.OK);

    private static Dictionary<string, (decimal Hectares, int Sites, int Projects)> Cells(JsonElement portfolio) =>
        portfolio.GetProperty("hectares").EnumerateArray().ToDictionary(c => c.Str("ecosystemType"),
            c => (c.GetProperty("hectares").GetDecimal(), c.Number("sites"), c.Number("projects")), StringComparer.Ordinal);

    [Fact]
    public async Task Site_commands_keep_each_projects_hectares_per_ecosystem_type()
    {
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        using var approver = await app.ClientForAsync(DemoUsers.Approver1);
        var id = await pm.CreateProjectWithAsync(Request("Rwenzori slopes"));
        var other = await pm.CreateProjectWithAsync(Request("Mabira edge"));
        var a = await (await pm.PostSiteAsync(id, Site("forest", 30.00, 0.05, 1))).ExpectAsync(HttpStatusCode.Created);
        var b = await (await pm.PostSiteAsync(id, Site("wetland", 30.10, 0.03, a.Number("version")))).ExpectAsync(HttpStatusCode.Created);
        var c = await (await pm.PostSiteAsync(id, Site("forest", 30.20, 0.02, b.Number("version")))).ExpectAsync(HttpStatusCode.Created);
        var d = await (await pm.PostSiteAsync(other, Site("forest", 31.00, 0.04, 1))).ExpectAsync(HttpStatusCode.Created);
        await KeptSiteAreas.AssertKeptAsync(app);
        var cells = Cells(await PortfolioAsync(approver));
        Assert.Equal((a.Dec("computedHectares") + c.Dec("computedHectares") + d.Dec("computedHectares"), 3, 2), cells["forest"]);
        Assert.Equal((b.Dec("computedHectares"), 1, 1), cells["wetland"]);
        Assert.Equal(2, cells.Count);

        // Site c becomes grassland, twice as wide.
        var changed = await (await pm.PutAsJsonAsync($"/api/projects/{id}/sites/{c.GetProperty("id").GetGuid()}", Site("grassland", 30.20, 0.04, c.Number("version"))))
            .ExpectAsync(HttpStatusCode.OK);
        await KeptSiteAreas.AssertKeptAsync(app);
        cells = Cells(await PortfolioAsync(approver));
        Assert.Equal((a.Dec("computedHectares") + d.Dec("computedHectares"), 2, 2), cells["forest"]);
        Assert.Equal((changed.Dec("computedHectares"), 1, 1), cells["grassland"]);

        // Site a is removed: the project keeps no forest.
        var removed = await (await pm.DeleteAsync($"/api/projects/{id}/sites/{a.GetProperty("id").GetGuid()}?expectedVersion={changed.Number("version")}"))
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(changed.Number("version") + 1, removed.Number("version"));
        await KeptSiteAreas.AssertKeptAsync(app);
        var kept = await KeptSiteAreas.KeptAsync(app);
        Assert.False(kept[id].ContainsKey("forest"));
        cells = Cells(await PortfolioAsync(approver));
        Assert.Equal((d.Dec("computedHectares"), 1, 1), cells["forest"]);
        Assert.Equal(3, cells.Count);
    }
}

/// <summary>
/// A database upgraded from before decision 0045 gets each project's hectares and sites per ecosystem type filled in by
/// the migration <c>KeepSiteAreasPerEcosystem</c> itself (its UPDATE), equal to the sums of its sites. The test rolls a
/// database with sites back to the migration before (the columns are gone, as on a database of that release) and
/// upgrades it again. SQLite's migrations; SQL Server's and PostgreSQL's UPDATE is the same statement in their dialects
/// (SQL Server's checked by its script, PostgreSQL's run by the suite on PostgreSQL when it migrates).
/// </summary>
[Trait(TestDatabase.Trait, TestDatabase.SqliteOnly)]
public sealed class SiteAreasMigrationTests(AppFactory app) : IClassFixture<AppFactory>
{
    private const string MigrationBefore = "20261126144943_KeepTargetProgress";

    [Fact]
    public async Task Upgrading_a_database_with_sites_fills_in_each_projects_hectares_per_ecosystem_type()
    {
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        var first = await pm.CreateProjectAsync("Upgrade one");
        var second = await pm.CreateProjectAsync("Upgrade two");
        var a = await (await pm.PostSiteAsync(first, SitesApi.Request(SitesApi.Box(36.80, -1.30, 36.85, -1.25), 1, "A", 100m, "forest"))).ExpectAsync(HttpStatusCode.Created);
        var b = await (await pm.PostSiteAsync(first, SitesApi.Request(SitesApi.Box(36.90, -1.30, 36.93, -1.27), a.Number("version"), "B", 100m, "forest"))).ExpectAsync(HttpStatusCode.Created);
        await (await pm.PostSiteAsync(first, SitesApi.Request(SitesApi.Box(37.00, -1.30, 37.02, -1.28), b.Number("version"), "C", 100m, "reefs"))).ExpectAsync(HttpStatusCode.Created);
        await (await pm.PostSiteAsync(second, SitesApi.Request(SitesApi.Box(37.10, -1.30, 37.16, -1.24), 1, "D", 100m, "urban"))).ExpectAsync(HttpStatusCode.Created);
        var before = await KeptSiteAreas.KeptAsync(app);
        Assert.Equal(2, before[first]["forest"].Sites);

        await app.MigrateToAsync(MigrationBefore);
        Assert.DoesNotContain(SiteAreas.HectaresColumn("forest"), await app.SqliteColumnsAsync("Projects"));

        await app.MigrateToAsync(null);
        Assert.Contains(SiteAreas.HectaresColumn("forest"), await app.SqliteColumnsAsync("Projects"));
        await KeptSiteAreas.AssertKeptAsync(app);
        var after = await KeptSiteAreas.KeptAsync(app);
        Assert.Equal(before.Keys.Order(), after.Keys.Order());
        foreach (var project in new[] { first, second })
        {
            Assert.Equal(before[project].Keys.Order(StringComparer.Ordinal), after[project].Keys.Order(StringComparer.Ordinal));
            foreach (var (type, area) in before[project])
                Assert.Equal(area.Hectares, after[project][type].Hectares, 6);
        }
    }
}
