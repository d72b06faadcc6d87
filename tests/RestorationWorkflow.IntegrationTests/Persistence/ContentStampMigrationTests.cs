using System.Net;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.Approvals;
using RestorationWorkflow.Data;
using RestorationWorkflow.IntegrationTests.Infrastructure;

namespace RestorationWorkflow.IntegrationTests.Persistence;

/// <summary>
/// The content stamp's migrations both ways (decisions 0068 and 0069): rolled back to the migration before
/// <c>ContentStampTriggers</c>, a database has neither the triggers nor the stamp columns; upgraded again, it has a
/// trigger for every stamped table and the project row's, and a write moves the stamp. On SQLite and PostgreSQL
/// (SQL Server's are checked by their script in <see cref="ProviderMigrationsTests"/>).
/// </summary>
public sealed class ContentStampMigrationTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task RolledBackBeforeTheStamp_AndUpgradedAgain_ItsTriggersAndColumnsGoAndComeBack()
    {
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        var (expected, before) = await app.QueryDbAsync(async db => (ExpectedTriggers(db), await MigrationBeforeStampAsync(db)));
        Assert.Equal(expected, await TriggersAsync());
        Assert.Contains("ContentStamp", await ColumnsAsync("Projects"));

        await app.MigrateToAsync(before);
        Assert.Empty(await TriggersAsync());
        Assert.DoesNotContain("ContentStamp", await ColumnsAsync("Projects"));
        Assert.DoesNotContain("ContentStamp", await ColumnsAsync("ApprovalRequests"));

        await app.MigrateToAsync(null);
        Assert.Equal(expected, await TriggersAsync());
        Assert.Contains("ContentStamp", await ColumnsAsync("ApprovalRequests"));
        var stamp = await StampAsync(id);
        var version = (await (await pm.GetAsync($"/api/projects/{id}")).ExpectAsync(HttpStatusCode.OK)).Number("version");
        await pm.SetStepAsync(id, "A3", version);
        Assert.True(await StampAsync(id) > stamp, "A checklist change after the upgrade did not move the stamp.");
    }

    /// <summary>SQLite: three per stamped table (insert, update, delete); PostgreSQL: one each; and the project row's.</summary>
    private static List<string> ExpectedTriggers(AppDbContext db)
    {
        var tables = CoveredContent.StampedEntities.Select(t => db.Model.FindEntityType(t)!.GetTableName()!).ToList();
        var names = db.Database.IsNpgsql()
            ? tables.Select(CoveredContent.TriggerOf)
            : tables.SelectMany(t => new[] { "Insert", "Update", "Delete" }.Select(o => $"{CoveredContent.TriggerOf(t)}_{o}"));
        return [.. names.Append(CoveredContent.TriggerOf("Projects")).Order(StringComparer.Ordinal)];
    }

    /// <summary>The id of the migration that comes before <c>ContentStampTriggers</c> in this provider's assembly.</summary>
    private static async Task<string> MigrationBeforeStampAsync(AppDbContext db)
    {
        var applied = (await db.Database.GetAppliedMigrationsAsync()).ToList();
        var index = applied.FindIndex(m => m.EndsWith("_ContentStampTriggers", StringComparison.Ordinal));
        Assert.True(index > 0, "ContentStampTriggers is not among the applied migrations.");
        return applied[index - 1];
    }

    private Task<List<string>> TriggersAsync() => app.QueryDbAsync(async db =>
    {
        var names = db.Database.IsNpgsql()
            ? db.Database.SqlQueryRaw<string>("""SELECT tgname AS "Value" FROM pg_trigger WHERE NOT tgisinternal AND tgname LIKE '%ContentStamp%'""")
            : db.Database.SqlQueryRaw<string>("""SELECT name AS "Value" FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%ContentStamp%'""");
        return (await names.ToListAsync()).Order(StringComparer.Ordinal).ToList();
    });

    private Task<List<string>> ColumnsAsync(string table) => app.QueryDbAsync(db => (db.Database.IsNpgsql()
            ? db.Database.SqlQuery<string>($"""SELECT column_name AS "Value" FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = {table}""")
            : db.Database.SqlQuery<string>($"""SELECT name AS "Value" FROM pragma_table_info({table})"""))
        .ToListAsync());

    private Task<long> StampAsync(Guid id) =>
        app.QueryDbAsync(db => db.Projects.AsNoTracking().Where(p => p.Id == id).Select(p => p.ContentStamp).SingleAsync());
}
