using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.IntegrationTests.Infrastructure;

namespace RestorationWorkflow.IntegrationTests.Persistence;

/// <summary>The SQLite file the app creates at start-up.</summary>
[Trait(TestDatabase.Trait, TestDatabase.SqliteOnly)]
public sealed class SqliteDatabaseFileTests(SqliteDatabaseFileTests.EmptyDatabaseApp factory) : IClassFixture<SqliteDatabaseFileTests.EmptyDatabaseApp>
{
    /// <summary>The app started on no database file at all, not on a copy of the run's template.</summary>
    public sealed class EmptyDatabaseApp : AppFactory
    {
        protected override bool StartsFromTemplate => false;
    }

    [Fact]
    public async Task DatabaseFile_IsInWalModeAndWasCreatedByMigrations()
    {
        // Starting the host creates and migrates the database.
        _ = factory.Services;
        var file = Path.Combine(factory.StorageRoot, "restoration.db");
        Assert.True(File.Exists(file), $"Expected the database at {file}.");

        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        await connection.OpenAsync();
        await using (var journal = connection.CreateCommand())
        {
            journal.CommandText = "PRAGMA journal_mode;";
            Assert.Equal("wal", (string?)await journal.ExecuteScalarAsync());
        }

        var migrations = new List<string>();
        await using (var history = connection.CreateCommand())
        {
            history.CommandText = "SELECT MigrationId FROM __EFMigrationsHistory ORDER BY MigrationId;";
            await using var reader = await history.ExecuteReaderAsync();
            while (await reader.ReadAsync())
                migrations.Add(reader.GetString(0));
        }
        Assert.Contains(migrations, m => m.EndsWith("_Initial", StringComparison.Ordinal));

        await factory.WithDbAsync(async db =>
        {
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
            Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
        });
    }

    [Fact]
    public async Task Connections_RunWithFullSynchronousAndForeignKeys()
    {
        await factory.WithDbAsync(async db =>
        {
            await db.Database.OpenConnectionAsync();
            try
            {
                var connection = db.Database.GetDbConnection();
                await using var command = connection.CreateCommand();
                command.CommandText = "PRAGMA synchronous;";
                Assert.Equal(2L, await command.ExecuteScalarAsync()); // FULL
                command.CommandText = "PRAGMA foreign_keys;";
                Assert.Equal(1L, await command.ExecuteScalarAsync());
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }
        });
    }

    [Fact]
    public async Task DateTimeOffset_KeepsEveryTickAndSortsInSql()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var older = await pm.CreateProjectAsync();
        var newer = await pm.CreateProjectAsync();
        var odd = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero).AddTicks(1234567);
        await factory.WithDbAsync(async db =>
        {
            await db.Projects.Where(p => p.Id == older).ExecuteUpdateAsync(s => s.SetProperty(p => p.UpdatedAt, odd));
            await db.Projects.Where(p => p.Id == newer).ExecuteUpdateAsync(s => s.SetProperty(p => p.UpdatedAt, odd.AddTicks(1)));
        });

        var stored = await factory.QueryDbAsync(db => db.Projects.AsNoTracking().Where(p => p.Id == older).Select(p => p.UpdatedAt).SingleAsync());
        Assert.Equal(odd.UtcTicks, stored.UtcTicks);

        var order = await factory.QueryDbAsync(db => db.Projects.AsNoTracking()
            .Where(p => p.Id == older || p.Id == newer).OrderByDescending(p => p.UpdatedAt).Select(p => p.Id).ToListAsync());
        Assert.Equal([newer, older], order);

        // Every audit event's hash (which covers At in UTC ticks) still matches after the round trip.
        var events = await factory.QueryDbAsync(db => db.AuditEvents.AsNoTracking().Where(e => e.ProjectId == older).ToListAsync());
        Assert.All(events, e => Assert.Equal(e.Hash, RestorationWorkflow.Audit.AuditChain.ComputeHash(e)));
    }
}
