using System.Data.Common;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using RestorationWorkflow.Data;

namespace RestorationWorkflow.Web.Infrastructure.Persistence;

public static class PersistenceExtensions
{
    public const string SqliteMigrationsAssembly = "RestorationWorkflow.Migrations.Sqlite";
    public const string SqlServerMigrationsAssembly = "RestorationWorkflow.Migrations.SqlServer";

    /// <summary>
    /// The DbContext on the provider named by <c>Database:Provider</c>, each with its own migrations assembly.
    /// SQLite runs in WAL mode with <c>synchronous=FULL</c> (see docs/decisions/0006-sqlite-settings.md).
    /// </summary>
    public static IHostApplicationBuilder AddPersistence(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var provider = GetProvider(builder.Configuration);
        var storageRoot = StorageOptions.ResolveRoot(builder.Configuration, builder.Environment);
        builder.Services.Configure<StorageOptions>(o => o.Root = storageRoot);

        switch (provider)
        {
            case DatabaseProvider.Sqlite:
                var sqlite = SqliteConnectionString(builder.Configuration, storageRoot);
                builder.Services.AddSingleton(new SqliteSettingsInterceptor());
                builder.Services.AddSingleton<SqliteWriteGate>();
                builder.Services.AddDbContextPool<AppDbContext>((sp, options) => options
                    .UseSqlite(sqlite, o => o.MigrationsAssembly(SqliteMigrationsAssembly))
                    .AddInterceptors(sp.GetRequiredService<SqliteSettingsInterceptor>(), sp.GetRequiredService<SqliteWriteGate>()));
                break;
            case DatabaseProvider.SqlServer:
                var sqlServer = builder.Configuration.GetConnectionString("SqlServer");
                if (string.IsNullOrWhiteSpace(sqlServer))
                    throw new InvalidOperationException("Database:Provider is SqlServer but ConnectionStrings:SqlServer is empty.");
                builder.Services.AddDbContextPool<AppDbContext>(options => options
                    .UseSqlServer(sqlServer, o => o.MigrationsAssembly(SqlServerMigrationsAssembly).EnableRetryOnFailure()));
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
        return builder;
    }

    public static DatabaseProvider GetProvider(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var value = configuration["Database:Provider"];
        if (string.IsNullOrWhiteSpace(value))
            return DatabaseProvider.Sqlite;
        return Enum.TryParse<DatabaseProvider>(value, ignoreCase: true, out var provider)
            ? provider
            : throw new InvalidOperationException($"Database:Provider '{value}' is not supported; use Sqlite or SqlServer.");
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

    /// <summary>Applies pending migrations (never EnsureCreated) and sets WAL mode on SQLite.</summary>
    public static async Task MigrateDatabaseAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        if (db.Database.IsSqlite())
        {
            // WAL is a property of the database file: set once, it stays.
            await db.Database.OpenConnectionAsync(cancellationToken);
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
            await db.Database.CloseConnectionAsync();
        }
        await db.Database.MigrateAsync(cancellationToken);
    }
}
