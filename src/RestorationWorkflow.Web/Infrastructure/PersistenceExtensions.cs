using System.Data.Common;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using RestorationWorkflow.Data;

namespace RestorationWorkflow.Web.Infrastructure;

public enum DatabaseProvider
{
    Sqlite,
    SqlServer,
}

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
        builder.Services.AddDataProtection().SetApplicationName("RestorationWorkflow").PersistKeysToDbContext<AppDbContext>();
        builder.Services.AddHealthChecks().AddDbContextCheck<AppDbContext>("database");
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

/// <summary>Per-connection SQLite settings: full fsync on commit (an audit trail must survive power loss), foreign keys.</summary>
public sealed class SqliteSettingsInterceptor : DbConnectionInterceptor
{
    /// <summary>
    /// <c>busy_timeout</c> lets SQLite wait for the write lock itself, in short steps; otherwise
    /// Microsoft.Data.Sqlite retries a busy database every 150 ms, which dominated latency under load.
    /// </summary>
    public const string Pragmas = "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=30000;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

/// <summary>
/// SQLite has one writer at a time. Rather than let concurrent requests of this process race for the file
/// lock (and sleep in SQLite's busy handler), SaveChanges calls queue here, one at a time, in arrival order.
/// A SaveChanges inside an explicit transaction skips the gate: that transaction already holds the lock,
/// and waiting here could deadlock against a writer queued behind it.
/// </summary>
public sealed class SqliteWriteGate : SaveChangesInterceptor, IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<DbContext, object> _holders = [];

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (ShouldQueue(eventData.Context))
        {
            _gate.Wait();
            _holders.AddOrUpdate(eventData.Context!, this);
        }
        return result;
    }

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (ShouldQueue(eventData.Context))
        {
            await _gate.WaitAsync(cancellationToken);
            _holders.AddOrUpdate(eventData.Context!, this);
        }
        return result;
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Release(eventData?.Context);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Release(eventData?.Context);
        return ValueTask.FromResult(result);
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => Release(eventData?.Context);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Release(eventData?.Context);
        return Task.CompletedTask;
    }

    public override void SaveChangesCanceled(DbContextEventData eventData) => Release(eventData?.Context);

    public override Task SaveChangesCanceledAsync(DbContextEventData eventData, CancellationToken cancellationToken = default)
    {
        Release(eventData?.Context);
        return Task.CompletedTask;
    }

    public void Dispose() => _gate.Dispose();

    private static bool ShouldQueue(DbContext? context) => context is not null && context.Database.CurrentTransaction is null;

    private void Release(DbContext? context)
    {
        if (context is not null && _holders.Remove(context))
            _gate.Release();
    }
}
