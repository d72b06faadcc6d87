using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RestorationWorkflow.IntegrationTests.Infrastructure;
using RestorationWorkflow.IntegrationTests.Sites;
using RestorationWorkflow.Web.Features.Portfolio;

namespace RestorationWorkflow.IntegrationTests.Portfolio;

/// <summary>
/// The dashboard's result cache (decision 0037): a second read with nothing written in between is served from the cache
/// and equal; any write through a command (a measurement recorded or corrected, a site added) moves the data stamp, so
/// the next dashboard is computed again and shows it — never a stale read; scopes and filters are separate entries; the
/// due-item backfill, which writes outside commands, moves the stamp too.
/// </summary>
public sealed class PortfolioCacheTests(AppFactory app) : IClassFixture<AppFactory>
{
    private PortfolioCache Cache => app.Services.GetRequiredService<PortfolioCache>();

    private static async Task<JsonElement> PortfolioAsync(HttpClient client, string query = "") =>
        await (await client.GetAsync("/api/portfolio" + query)).ExpectAsync(HttpStatusCode.OK);

    private static int Targets(JsonElement portfolio, string status) =>
        portfolio.GetProperty("targets").EnumerateArray().Single(t => t.Str("status") == status).Number("targets");

    [Fact]
    public async Task A_repeated_read_is_a_hit_and_every_write_through_a_command_shows_in_the_next_dashboard()
    {
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        using var approver = await app.ClientForAsync(DemoUsers.Approver1);
        var (id, biomass, _, version) = await pm.MonitoredProjectAsync(app, "Monitoring");
        var country = (await pm.GetProjectAsync(id)).Str("country");
        var query = $"?country={country}";

        var first = await PortfolioAsync(approver, query);
        var (hits, misses) = (Cache.Hits, Cache.Misses);
        var again = await PortfolioAsync(approver, query);
        Assert.Equal((hits + 1, misses), (Cache.Hits, Cache.Misses));
        Assert.Equal(first.ToString(), again.ToString());
        var noData = Targets(first, "noData");
        var onTrack = Targets(first, "onTrack");

        // Recorded: 43.3 t/ha on 2026-06-01 is on track; the next dashboard is computed again and counts it.
        var recorded = await pm.RecordAsync(id, biomass, MeasurementsApi.Measurement(version));
        var measurementId = recorded.GetProperty("measurement").GetProperty("id").GetGuid();
        misses = Cache.Misses;
        var afterRecord = await PortfolioAsync(approver, query);
        Assert.Equal(misses + 1, Cache.Misses);
        Assert.Equal((noData - 1, onTrack + 1), (Targets(afterRecord, "noData"), Targets(afterRecord, "onTrack")));

        // Corrected to 40.5 t/ha: off track at once.
        await (await pm.PutAsJsonAsync($"{MeasurementsApi.Path(id, biomass)}/{measurementId}", MeasurementsApi.Measurement(version + 1, value: 40.5m)))
            .ExpectAsync(HttpStatusCode.OK);
        var afterCorrect = await PortfolioAsync(approver, query);
        Assert.Equal((onTrack, 1), (Targets(afterCorrect, "onTrack"), Targets(afterCorrect, "offTrack")));

        // Deleted: no data again, the same figures as before the first measurement.
        await (await pm.DeleteAsync($"{MeasurementsApi.Path(id, biomass)}/{measurementId}?expectedVersion={version + 2}")).ExpectAsync(HttpStatusCode.OK);
        var afterDelete = await PortfolioAsync(approver, query);
        Assert.Equal((noData, onTrack, 0), (Targets(afterDelete, "noData"), Targets(afterDelete, "onTrack"), Targets(afterDelete, "offTrack")));

        // A site added moves the hectares at once, on the page as in the API.
        var site = await (await pm.PostSiteAsync(id, SitesApi.Request(SitesApi.Box(36.80, -1.30, 36.85, -1.25), version + 3, "Cache test site", 100m, "forest")))
            .ExpectAsync(HttpStatusCode.Created);
        var afterSite = await PortfolioAsync(approver, query);
        Assert.Equal(first.GetProperty("hectaresTotal").GetDecimal() + site.GetProperty("computedHectares").GetDecimal(),
            afterSite.GetProperty("hectaresTotal").GetDecimal());
    }

    [Fact]
    public async Task Scopes_and_filters_are_separate_entries()
    {
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        using var pm2 = await app.ClientForAsync(DemoUsers.Pm2);
        using var approver = await app.ClientForAsync(DemoUsers.Approver1);
        await pm.MonitoredProjectAsync(app);

        var all = await PortfolioAsync(approver);
        var mine = await PortfolioAsync(pm);
        var theirs = await PortfolioAsync(pm2);
        Assert.Equal(("all", "mine", "mine"), (all.Str("scope"), mine.Str("scope"), theirs.Str("scope")));
        var pmCount = await app.QueryDbAsync(db => db.ProjectMembers.Where(m => m.UserId == db.Users.Single(u => u.Email == DemoUsers.Pm).Id).Select(m => m.ProjectId).Distinct().CountAsync());
        var pm2Count = await app.QueryDbAsync(db => db.ProjectMembers.Where(m => m.UserId == db.Users.Single(u => u.Email == DemoUsers.Pm2).Id).Select(m => m.ProjectId).Distinct().CountAsync());
        Assert.Equal((pmCount, pm2Count), (mine.Number("projects"), theirs.Number("projects")));
        Assert.Equal(await app.QueryDbAsync(db => db.Projects.CountAsync()), all.Number("projects"));
        Assert.Equal(0, (await PortfolioAsync(approver, "?country=IS")).Number("projects"));
    }

    [Fact]
    public async Task The_due_item_backfill_and_each_command_move_the_stamp()
    {
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        var (id, biomass, _, version) = await pm.MonitoredProjectAsync(app);
        var before = await app.QueryDbAsync(db => PortfolioCache.StampAsync(db, CancellationToken.None));

        await pm.RecordAsync(id, biomass, MeasurementsApi.Measurement(version));
        var afterCommand = await app.QueryDbAsync(db => PortfolioCache.StampAsync(db, CancellationToken.None));
        Assert.True(afterCommand.LastAuditEventId > before.LastAuditEventId);

        // A project left for the backfill (as after an upgrade of the due-plan rules) is in the stamp until it is planned.
        await app.WithDbAsync(async db => await db.Projects.Where(p => p.Id == id).ExecuteUpdateAsync(s => s.SetProperty(p => p.DuePlanRevision, 0)));
        var behind = await app.QueryDbAsync(db => PortfolioCache.StampAsync(db, CancellationToken.None));
        Assert.Equal(afterCommand with { ProjectsToPlan = afterCommand.ProjectsToPlan + 1 }, behind);
    }
}
