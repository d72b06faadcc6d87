using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using RestorationWorkflow.Data;
using RestorationWorkflow.Web.Infrastructure;

namespace RestorationWorkflow.IntegrationTests.Persistence;

/// <summary>Each provider's migrations assembly matches the model; no database server is contacted.</summary>
public sealed class ProviderMigrationsTests
{
    // Never opened: model diffing and script generation need the provider, not a server.
    private const string DummySqlServer = "Server=localhost;Database=RestorationWorkflow;User Id=sa;Password=not-used;TrustServerCertificate=True";

    [Fact]
    public void Sqlite_MigrationsMatchTheModel()
    {
        using var context = Sqlite();
        Assert.Contains(context.Database.GetMigrations(), m => m.EndsWith("_Initial", StringComparison.Ordinal));
        Assert.False(context.Database.HasPendingModelChanges(),
            "The model has changes the SQLite migrations do not cover: add a migration to RestorationWorkflow.Migrations.Sqlite.");
    }

    [Fact]
    public void SqlServer_MigrationsMatchTheModel()
    {
        using var context = SqlServer();
        Assert.Contains(context.Database.GetMigrations(), m => m.EndsWith("_Initial", StringComparison.Ordinal));
        Assert.False(context.Database.HasPendingModelChanges(),
            "The model has changes the SQL Server migrations do not cover: add a migration to RestorationWorkflow.Migrations.SqlServer.");
    }

    [Fact]
    public void SqlServer_IdempotentScript_CreatesEveryTableGuarded()
    {
        using var context = SqlServer();

        var script = context.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);

        Assert.False(string.IsNullOrWhiteSpace(script));
        Assert.Contains("IF NOT EXISTS", script, StringComparison.Ordinal);
        foreach (var table in new[] { "AspNetUsers", "AspNetRoles", "AspNetUserRoles", "Projects", "ChecklistItems", "ProjectMembers", "AuditEvents", "DataProtectionKeys", "__EFMigrationsHistory" })
            Assert.Contains($"CREATE TABLE [{table}]", script, StringComparison.Ordinal);
        Assert.Contains("CREATE UNIQUE INDEX [IX_AuditEvents_ProjectId_Sequence]", script, StringComparison.Ordinal);
    }

    [Fact]
    public void Sqlite_MigrationsAssemblyIsNotTheSqlServerOne()
    {
        using var sqlite = Sqlite();
        using var sqlServer = SqlServer();
        Assert.Equal(PersistenceExtensions.SqliteMigrationsAssembly, sqlite.GetService<IMigrationsAssembly>().Assembly.GetName().Name);
        Assert.Equal(PersistenceExtensions.SqlServerMigrationsAssembly, sqlServer.GetService<IMigrationsAssembly>().Assembly.GetName().Name);
    }

    private static AppDbContext Sqlite() => new(new DbContextOptionsBuilder<AppDbContext>()
        .UseSqlite("Data Source=:memory:", o => o.MigrationsAssembly(PersistenceExtensions.SqliteMigrationsAssembly))
        .Options);

    private static AppDbContext SqlServer() => new(new DbContextOptionsBuilder<AppDbContext>()
        .UseSqlServer(DummySqlServer, o => o.MigrationsAssembly(PersistenceExtensions.SqlServerMigrationsAssembly))
        .Options);
}
