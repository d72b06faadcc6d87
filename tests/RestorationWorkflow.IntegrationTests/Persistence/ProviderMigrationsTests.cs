using System.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RestorationWorkflow.Approvals;
using RestorationWorkflow.Data;
using RestorationWorkflow.IntegrationTests.Infrastructure;
using RestorationWorkflow.Projects;
using RestorationWorkflow.Web.Infrastructure;
using RestorationWorkflow.Web.Infrastructure.Persistence;

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

    /// <summary>
    /// The content stamp's triggers (decision 0068) on SQL Server: each created in its own batch, and each table declared
    /// to EF Core as having one, so that SaveChanges does not use OUTPUT, which SQL Server refuses on such tables.
    /// </summary>
    [Fact]
    public void SqlServer_IdempotentScript_CreatesTheContentStampTriggers_OnTablesSavedWithoutOutput()
    {
        using var context = SqlServer();

        var script = context.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);

        foreach (var type in CoveredContent.StampedEntities)
        {
            var entity = context.Model.FindEntityType(type)!;
            var table = entity.GetTableName()!;
            Assert.Contains($"EXEC(N'CREATE TRIGGER [{CoveredContent.TriggerOf(table)}] ON [{table}] AFTER INSERT, UPDATE, DELETE AS", script, StringComparison.Ordinal);
            Assert.False(entity.IsSqlOutputClauseUsed(), $"{table} has a trigger: SQL Server cannot save it with OUTPUT.");
        }
        Assert.Contains("EXEC(N'CREATE TRIGGER [TR_Projects_ContentStamp] ON [Projects] AFTER UPDATE AS", script, StringComparison.Ordinal);
        Assert.Contains("IF UPDATE([Name]) OR UPDATE([Code])", script, StringComparison.Ordinal);
        Assert.False(context.Model.FindEntityType(typeof(Project))!.IsSqlOutputClauseUsed());
    }

    [Fact]
    public void PostgreSql_MigrationsMatchTheModel()
    {
        using var context = PostgreSql();
        Assert.Contains(context.Database.GetMigrations(), m => m.EndsWith("_Initial", StringComparison.Ordinal));
        Assert.False(context.Database.HasPendingModelChanges(),
            "The model has changes the PostgreSQL migrations do not cover: add a migration to RestorationWorkflow.Migrations.PostgreSql.");
    }

    [Fact]
    public void PostgreSql_IdempotentScript_CreatesEveryTable_TheChainIndex_AndTicksForTimes()
    {
        using var context = PostgreSql();

        var script = context.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);

        foreach (var table in new[] { "AspNetUsers", "AspNetRoles", "AspNetUserRoles", "Projects", "ChecklistItems", "ProjectMembers", "AuditEvents", "DataProtectionKeys" })
            Assert.Contains($"CREATE TABLE \"{table}\"", script, StringComparison.Ordinal);
        Assert.Contains("CREATE UNIQUE INDEX \"IX_AuditEvents_ProjectId_Sequence\"", script, StringComparison.Ordinal);
        // Date-times as exact UTC ticks (the audit hash covers every tick; timestamptz keeps microseconds only).
        Assert.Contains("\"At\" bigint NOT NULL", script, StringComparison.Ordinal);
        Assert.DoesNotContain("timestamp with time zone", script, StringComparison.Ordinal);
    }

    /// <summary>The app on a real PostgreSQL database: Npgsql, the PostgreSQL migrations assembly, every migration applied.</summary>
    [PostgresFact]
    public async Task PostgreSql_TheAppsRegistration_UsesThePostgreSqlMigrationsAssembly()
    {
        await using var app = new AppFactory { PostgreSql = PostgresCluster.Shared.CreateDatabase() };
        await using var scope = app.Scope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();

        Assert.True(db.Database.IsNpgsql());
        var migrations = AssertWiredTo(db, "Npgsql.EntityFrameworkCore.PostgreSQL", PersistenceExtensions.PostgreSqlMigrationsAssembly);
        Assert.Equal(migrations, await db.Database.GetAppliedMigrationsAsync());
        Assert.False(db.Database.CreateExecutionStrategy().RetriesOnFailure, "PostgreSQL answers a lost race with 409 itself, never by retrying a commit.");
    }

    /// <summary>
    /// The running app (started the way every integration test starts it, with <c>Database:Provider=Sqlite</c>)
    /// gives out a DbContext on SQLite whose migrations come from the SQLite assembly, and applied them.
    /// </summary>
    [Fact]
    public async Task Sqlite_TheAppsRegistration_UsesTheSqliteMigrationsAssembly()
    {
        await using var app = new ProviderAppFactory(DatabaseProvider.Sqlite);
        await using var scope = app.Scope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();

        Assert.True(db.Database.IsSqlite());
        var migrations = AssertWiredTo(db, "Microsoft.EntityFrameworkCore.Sqlite", PersistenceExtensions.SqliteMigrationsAssembly);
        Assert.Equal(migrations, await db.Database.GetAppliedMigrationsAsync());
    }

    /// <summary>
    /// The app's own registration (<see cref="PersistenceExtensions.AddPersistence"/>) with
    /// <c>Database:Provider=SqlServer</c> gives out a DbContext on SQL Server whose migrations come from the SQL
    /// Server assembly. The whole app is not started: it would migrate, which needs a server; nothing here opens
    /// a connection.
    /// </summary>
    [Fact]
    public async Task SqlServer_TheAppsRegistration_UsesTheSqlServerMigrationsAssembly()
    {
        var root = Path.Combine(Path.GetTempPath(), "rw-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        try
        {
            var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing", ContentRootPath = root });
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Database:Provider"] = nameof(DatabaseProvider.SqlServer),
                ["ConnectionStrings:SqlServer"] = DummySqlServer,
                ["Storage:Root"] = root,
            });
            builder.AddPersistence();
            using var host = builder.Build();
            await using var scope = host.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();

            Assert.True(db.Database.IsSqlServer());
            AssertWiredTo(db, "Microsoft.EntityFrameworkCore.SqlServer", PersistenceExtensions.SqlServerMigrationsAssembly);
            Assert.True(db.Database.CreateExecutionStrategy().RetriesOnFailure, "SQL Server is registered with EnableRetryOnFailure.");
            // Its queries' shapers and command resolvers are compiled once (decision 0067); building one connects to nothing.
            QueryDelegatesOnceTests.AssertTheExecutorHoldsItsDelegates(db, db.Projects.Where(p => p.Code == "KE-001").Expression);
            Assert.Equal(ConnectionState.Closed, db.Database.GetDbConnection().State);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>
    /// Asserts <paramref name="db"/> runs on <paramref name="provider"/>, its options name
    /// <paramref name="migrationsAssembly"/>, and every migration (and the model snapshot) it finds comes from
    /// that assembly. Returns the migration ids.
    /// </summary>
    private static List<string> AssertWiredTo(AppDbContext db, string provider, string migrationsAssembly)
    {
        Assert.Equal(provider, db.Database.ProviderName);
        Assert.Equal(migrationsAssembly, RelationalOptionsExtension.Extract(db.GetService<IDbContextOptions>()).MigrationsAssembly);

        var assembly = db.GetService<IMigrationsAssembly>();
        Assert.Equal(migrationsAssembly, assembly.Assembly.GetName().Name);
        var migrations = db.Database.GetMigrations().ToList();
        Assert.NotEmpty(migrations);
        Assert.Equal(migrations, assembly.Migrations.Keys);
        Assert.All(assembly.Migrations.Values, type => Assert.Equal(migrationsAssembly, type.Assembly.GetName().Name));
        Assert.NotNull(assembly.ModelSnapshot);
        Assert.Equal(migrationsAssembly, assembly.ModelSnapshot.GetType().Assembly.GetName().Name);
        return migrations;
    }

    /// <summary>The app as the other integration tests start it, with <c>Database:Provider</c> set explicitly.</summary>
    private sealed class ProviderAppFactory(DatabaseProvider provider) : AppFactory
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Database:Provider"] = provider.ToString(),
        };
    }

    private static AppDbContext Sqlite() => new(new DbContextOptionsBuilder<AppDbContext>()
        .UseSqlite("Data Source=:memory:", o => o.MigrationsAssembly(PersistenceExtensions.SqliteMigrationsAssembly))
        .Options);

    private static AppDbContext PostgreSql() => new(new DbContextOptionsBuilder<AppDbContext>()
        .UseNpgsql("Host=localhost;Database=restoration_workflow;Username=not-used", o => o.MigrationsAssembly(PersistenceExtensions.PostgreSqlMigrationsAssembly))
        .Options);

    private static AppDbContext SqlServer() => new(new DbContextOptionsBuilder<AppDbContext>()
        .UseSqlServer(DummySqlServer, o => o.MigrationsAssembly(PersistenceExtensions.SqlServerMigrationsAssembly))
        .Options);
}
