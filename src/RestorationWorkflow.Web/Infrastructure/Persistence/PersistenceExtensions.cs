using System.Data.Common;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection.Extensions;
using RestorationWorkflow.Data;

namespace RestorationWorkflow.Web.Infrastructure.Persistence;

public static class PersistenceExtensions
{
    public const string SqliteMigrationsAssembly = "RestorationWorkflow.Migrations.Sqlite";
    public const string SqlServerMigrationsAssembly = "RestorationWorkflow.Migrations.SqlServer";
    public const string PostgreSqlMigrationsAssembly = "RestorationWorkflow.Migrations.PostgreSql";

    /// <summary>
    /// The DbContext on the provider named by <c>Database:Provider</c>, each with its own migrations assembly.
    /// SQLite runs in WAL mode with <c>synchronous=FULL</c> (see docs/decisions/0006-sqlite-settings.md).
    /// </summary>
    public static IHostApplicationBuilder AddPersistence(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var provider = GetProvider(builder.Configuration);
        var storageRoot = StorageOptions.ResolveRoot(builder.Configuration, builder.Environment);
        builder.Services.Configure<StorageOptions>(builder.Configuration.GetSection(StorageOptions.Section));
        builder.Services.PostConfigure<StorageOptions>(o => o.Root = storageRoot);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<StorageFaults>();
        builder.Services.AddSingleton<StorageFaultCommandInterceptor>();
        builder.Services.AddSingleton<StorageFaultTransactionInterceptor>();

        switch (provider)
        {
            case DatabaseProvider.Sqlite:
                var sqlite = SqliteConnectionString(builder.Configuration, storageRoot);
                builder.Services.AddSingleton(new SqliteSettingsInterceptor());
                builder.Services.AddSingleton<SqliteWriteGate>();
                builder.Services.AddSingleton<SqliteStatementCacheCounts>();
                // Idle connections are kept up to what the node reads at once (Requests:MaxConcurrent, its default when
                // that is 0, no limit).
                builder.Services.AddSingleton(sp => new SqliteConnectionShelf(ShelfCapacity(sp.GetService<RequestLimitOptions>())));
                if (builder.Configuration.GetValue("Database:GroupCommit", defaultValue: true))
                    builder.Services.AddSingleton<ICommandCommitter, SqliteGroupCommitter>();
                else
                    builder.Services.AddSingleton<ICommandCommitter, DirectCommitter>();
                var cacheStatements = builder.Configuration.GetValue("Database:StatementCache", defaultValue: true);
                builder.Services.AddDbContextPool<AppDbContext>((sp, options) =>
                {
                    options.UseSqlite(sqlite, o => o.MigrationsAssembly(SqliteMigrationsAssembly))
                        .SortOnlyDependentRows()
                        .CreateQueryDelegatesOnce()
                        .AddInterceptors(sp.GetRequiredService<SqliteSettingsInterceptor>(), sp.GetRequiredService<StorageFaultTransactionInterceptor>())
                        // The features' save interceptors run before the write gate is taken: EF Core reports no failure
                        // (so the gate would never be released) for an exception thrown by a SavingChanges after it.
                        .AddInterceptors(sp.GetServices<ISaveChangesInterceptor>())
                        .AddInterceptors(sp.GetRequiredService<SqliteWriteGate>());
                    // Connections stay open with their prepared statements for the life of a pooled context (decision 0017).
                    // Their commands record storage faults themselves: no command interceptor, whose mere presence
                    // makes EF Core build an event object for every event of every command (decision 0066).
                    if (cacheStatements)
                        options.KeepSqliteConnectionsOpen();
                    else
                        options.AddInterceptors(sp.GetRequiredService<StorageFaultCommandInterceptor>());
                });
                break;
            case DatabaseProvider.SqlServer:
                var sqlServer = builder.Configuration.GetConnectionString("SqlServer");
                if (string.IsNullOrWhiteSpace(sqlServer))
                    throw new StartupException("Database:Provider is SqlServer but ConnectionStrings:SqlServer is empty.");
                builder.Services.AddDbContextPool<AppDbContext>((sp, options) => options
                    .UseSqlServer(sqlServer, o => o.MigrationsAssembly(SqlServerMigrationsAssembly).EnableRetryOnFailure())
                    .SortOnlyDependentRows()
                    .CreateQueryDelegatesOnce()
                    .AddInterceptors(sp.GetRequiredService<StorageFaultCommandInterceptor>(), sp.GetRequiredService<StorageFaultTransactionInterceptor>())
                    .AddInterceptors(sp.GetServices<ISaveChangesInterceptor>()));
                builder.Services.AddSingleton<ICommandCommitter, DirectCommitter>();
                break;
            case DatabaseProvider.PostgreSql:
                var postgreSql = PostgreSqlConnectionString(builder.Configuration);
                // No EnableRetryOnFailure: a retried SaveChanges could commit twice after a lost acknowledgement, and
                // the command path answers a lost race with 409 itself (decision 0041).
                builder.Services.AddDbContextPool<AppDbContext>((sp, options) => options
                    .UseNpgsql(postgreSql, o => o.MigrationsAssembly(PostgreSqlMigrationsAssembly))
                    .SortOnlyDependentRows()
                    .CreateQueryDelegatesOnce()
                    .AddInterceptors(sp.GetRequiredService<StorageFaultCommandInterceptor>(), sp.GetRequiredService<StorageFaultTransactionInterceptor>())
                    .AddInterceptors(sp.GetServices<ISaveChangesInterceptor>()));
                builder.Services.AddSingleton<ICommandCommitter, DirectCommitter>();
                break;
        }

        // Keys in the database: a restart keeps everyone signed in, and every node of one database shares them.
        var dataProtection = builder.Services.AddDataProtection().SetApplicationName("RestorationWorkflow").PersistKeysToDbContext<AppDbContext>();
        if (DataProtectionCertificate.Load(builder.Configuration, builder.Environment) is { } certificate)
            dataProtection.ProtectKeysWithCertificate(certificate).UnprotectKeysWithAnyCertificate(certificate);
        else
            builder.Services.AddHostedService<DataProtectionCertificate.MissingWarning>();
        // Ready: a statement runs (opening a pooled connection alone proves little).
        builder.Services.AddHealthChecks().AddDbContextCheck<AppDbContext>("database", tags: ["ready"], customTestQuery: async (db, ct) =>
        {
            await db.Database.ExecuteSqlRawAsync("SELECT 1", ct);
            return true;
        });
        // Ready: the storage takes writes (no recent "disk full" or read-only failure, enough free space).
        builder.Services.AddHealthChecks().AddCheck<StorageHealthCheck>("storage", tags: ["ready"]);
        // Temp files left by a write a crash interrupted (decision 0042).
        builder.Services.AddHostedService<StaleTempFiles>();
        return builder;
    }

    /// <summary>
    /// How many idle SQLite connections a node keeps open (decision 0060): as many as it works on requests at once
    /// (<c>Requests:MaxConcurrent</c>), or that setting's default when it is 0 (no limit) or not registered.
    /// </summary>
    public static int ShelfCapacity(RequestLimitOptions? requests) =>
        requests is { MaxConcurrent: > 0 } ? requests.MaxConcurrent : RequestLimitOptions.DefaultPerProcessor * Environment.ProcessorCount;

    public static DatabaseProvider GetProvider(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var value = configuration["Database:Provider"];
        if (string.IsNullOrWhiteSpace(value))
            return DatabaseProvider.Sqlite;
        return EnumNames.TryParse<DatabaseProvider>(value, out var provider)
            ? provider
            : throw new StartupException($"Database:Provider '{TextRules.Quote(value)}' is not supported; use Sqlite, SqlServer or PostgreSql.");
    }

    /// <summary>Npgsql's <c>Max Auto Prepare</c> when the connection string does not set it (decision 0048).</summary>
    public const int DefaultMaxAutoPrepare = 64;

    /// <summary>
    /// <c>ConnectionStrings:PostgreSql</c> (required with <c>Database:Provider=PostgreSql</c>). Unless it says otherwise,
    /// Npgsql prepares the statements a connection runs repeatedly (<c>Max Auto Prepare</c>
    /// <see cref="DefaultMaxAutoPrepare"/>, decision 0048); <c>Max Auto Prepare=0</c> turns that off (behind a pooler
    /// in transaction mode that does not keep prepared statements).
    /// </summary>
    /// <exception cref="StartupException">It is empty or not a valid Npgsql connection string.</exception>
    public static string PostgreSqlConnectionString(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var configured = configuration.GetConnectionString("PostgreSql");
        if (string.IsNullOrWhiteSpace(configured))
            throw new StartupException("Database:Provider is PostgreSql but ConnectionStrings:PostgreSql is empty.");
        try
        {
            var builder = new Npgsql.NpgsqlConnectionStringBuilder(configured);
            var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = configured };
            if (!given.ContainsKey("Max Auto Prepare") && !given.ContainsKey("MaxAutoPrepare"))
                builder.MaxAutoPrepare = DefaultMaxAutoPrepare;
            return builder.ConnectionString;
        }
        catch (ArgumentException ex)
        {
            throw new StartupException($"ConnectionStrings:PostgreSql is not a valid connection string: {ex.Message}", ex);
        }
    }

    /// <summary><c>ConnectionStrings:Sqlite</c>, or <c>{Storage:Root}/restoration.db</c>.</summary>
    public static string SqliteConnectionString(IConfiguration configuration, string storageRoot)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var configured = configuration.GetConnectionString("Sqlite");
        var builder = new SqliteConnectionStringBuilder(string.IsNullOrWhiteSpace(configured)
            ? $"Data Source={Path.Combine(storageRoot, "restoration.db")}"
            : configured)
        {
            Pooling = true,
            DefaultTimeout = 30,
        };
        return builder.ToString();
    }

    /// <summary>
    /// Applies pending migrations (never EnsureCreated), sets WAL mode on SQLite and checks that the SQLite file takes
    /// writes (a read-only file would otherwise fail on the first write of a request).
    /// </summary>
    /// <exception cref="StartupException">The database cannot be opened, migrated or written (one line: what and where).</exception>
    public static async Task MigrateDatabaseAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        // Not a pooled context: a pooled one would keep the design-time model that migrating builds (decision 0061).
        await using var db = new AppDbContext(services.GetRequiredService<DbContextOptions<AppDbContext>>());
        try
        {
            if (db.Database.IsSqlite())
            {
                // WAL is a property of the database file: set once, it stays.
                await db.Database.OpenConnectionAsync(cancellationToken);
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
                await db.Database.CloseConnectionAsync();
            }
            await db.Database.MigrateAsync(cancellationToken);
            if (db.Database.IsSqlite())
            {
                // Takes the write lock without writing: SQLITE_READONLY on a file opened read-only.
                await db.Database.OpenConnectionAsync(cancellationToken);
                await db.Database.ExecuteSqlRawAsync("BEGIN IMMEDIATE; ROLLBACK;", cancellationToken);
                await db.Database.CloseConnectionAsync();
            }
            ForgetDesignTimeModel(db);
        }
        catch (Exception ex) when (ex is DbException || ex.InnerException is DbException)
        {
            throw new StartupException($"The database {Where(db)} cannot be used: {DatabaseErrors.Describe(ex)}", ex);
        }
    }

    /// <summary>
    /// EF Core caches the design-time model (the mutable one that migrations compare with their snapshot) beside the
    /// runtime model, for the life of the process: about 2.4 MB of objects that only migrating reads. Taken out of
    /// EF Core's cache once the database is migrated; a later caller that asks for it builds it again (decision 0061).
    /// </summary>
    private static void ForgetDesignTimeModel(AppDbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        var designTimeKey = db.GetService<IModelCacheKeyFactory>().Create(db, designTime: true);
        db.GetService<Microsoft.Extensions.Caching.Memory.IMemoryCache>().Remove(designTimeKey);
    }

    /// <summary>The SQLite file, or the SQL Server or PostgreSQL server and database (never a password).</summary>
    private static string Where(AppDbContext db)
    {
        var connectionString = db.Database.GetConnectionString() ?? "";
        if (db.Database.IsSqlite())
            return Path.GetFullPath(new SqliteConnectionStringBuilder(connectionString).DataSource);
        if (db.Database.IsNpgsql())
        {
            var npgsql = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
            return $"{npgsql.Database} on {npgsql.Host}:{npgsql.Port}";
        }
        var sql = new Microsoft.Data.SqlClient.SqlConnectionStringBuilder(connectionString);
        return $"{sql.InitialCatalog} on {sql.DataSource}";
    }
}
