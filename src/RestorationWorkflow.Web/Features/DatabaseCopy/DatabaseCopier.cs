using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using RestorationWorkflow.Audit;
using RestorationWorkflow.Data;
using RestorationWorkflow.Web.Features.Audit;
using RestorationWorkflow.Web.Features.Reminders.Delivery;
using RestorationWorkflow.Web.Infrastructure.Persistence;

namespace RestorationWorkflow.Web.Features.DatabaseCopy;

/// <summary>Where <see cref="DatabaseCopier"/> writes: a provider other than SQLite and its connection string.</summary>
public sealed record DatabaseCopyTarget(DatabaseProvider Provider, string ConnectionString);

/// <summary>One table: rows read from the source and rows found on the target after the copy.</summary>
public sealed record TableCopy(string Table, long SourceRows, long TargetRows);

/// <summary>What a copy did and found. <see cref="Succeeded"/>: committed, every count equal, every chain valid with equal heads.</summary>
public sealed class DatabaseCopyResult
{
    public List<TableCopy> Tables { get; } = [];

    /// <summary>Projects whose chain verified on the source and on the target with the same head (sequence and hash).</summary>
    public int ChainsVerified { get; set; }

    public int Chains { get; set; }

    /// <summary>The user-account chain verified on both sides with the same head.</summary>
    public bool UserChainVerified { get; set; }

    /// <summary>Tables whose identity sequence was moved past the copied ids.</summary>
    public int SequencesReset { get; set; }

    public bool Refused { get; set; }

    public bool Committed { get; set; }

    public List<string> Problems { get; } = [];

    public TimeSpan Elapsed { get; set; }

    public long Rows => Tables.Sum(t => t.SourceRows);

    public bool Succeeded => Committed && Problems.Count == 0;
}

/// <summary>
/// Copies every table of the configured database (SQLite on a single node) into an empty database of another provider
/// (PostgreSQL, or SQL Server) and proves the copy by the audit chains (decision 0043). The target is migrated with its
/// own migrations assembly first and refused when it holds any row. Tables are copied in foreign-key order, as columns of
/// the EF model's relational tables (so Identity's tables, data-protection keys, shadow and owned columns come along
/// without a list to keep): each value is read from the source through the source model's type mapping and written
/// through the target's (<see cref="RowInserter{T}"/>), in batches from one streaming reader, never a whole table in
/// memory. Ids are kept; PostgreSQL's identity sequences are then moved past them (SQL Server moves an identity's
/// seed itself when <c>IDENTITY_INSERT</c> writes a higher value). Everything is written in one transaction on the
/// target and committed only when each table's row count equals the source's and every project's chain (and the
/// user-account chain) verifies on both sides with the same head: otherwise nothing but the migrated schema is left.
/// The source is read in one transaction (a consistent snapshot) that is rolled back, so verifying there stores
/// nothing. Hangfire's job storage is not copied: due items and sent reminders are the truth, and the next scan
/// enqueues what is due again.
/// </summary>
public sealed class DatabaseCopier(AppDbContext source, AuditHeadSeal seal, TimeProvider time)
{
    /// <summary>Rows per batch read from the source and written to the target.</summary>
    public const int BatchSize = 1000;

    /// <summary>Projects whose chains are verified per round (the verifier's queries hold their events in memory).</summary>
    private const int ChainBatch = 100;

    private const string Verifier = "copy-database";

    public async Task<DatabaseCopyResult> CopyAsync(DatabaseCopyTarget target, TextWriter progress, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(progress);
        var started = Stopwatch.StartNew();
        var result = new DatabaseCopyResult();
        await using var destination = CreateTarget(target);
        if (await RefusalAsync(destination, ct) is { } refusal)
        {
            result.Refused = true;
            result.Problems.Add(refusal);
            return result;
        }
        await progress.WriteLineAsync($"copy-database: migrating the target ({DescribeTarget(destination)})…");
        await destination.Database.MigrateAsync(ct);

        // The source in one transaction: a snapshot no writer changes while it is read, rolled back at the end.
        await using var sourceTransaction = await source.Database.BeginTransactionAsync(ct);
        await using var targetTransaction = await destination.Database.BeginTransactionAsync(ct);
        var tables = TablesInForeignKeyOrder(destination.Model.GetRelationalModel());
        foreach (var table in tables)
        {
            var copied = await CopyTableAsync(table, destination, ct);
            await progress.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {table.Name}: {copied} rows"));
        }
        result.SequencesReset = await ResetSequencesAsync(tables, destination, ct);

        foreach (var table in tables)
        {
            var sourceRows = await CountAsync(source, table, ct);
            var targetRows = await CountAsync(destination, table, ct);
            result.Tables.Add(new TableCopy(table.Name, sourceRows, targetRows));
            if (sourceRows != targetRows)
                result.Problems.Add(string.Create(CultureInfo.InvariantCulture, $"{table.Name}: {sourceRows} rows on the source, {targetRows} on the target."));
        }

        // The verifier stores each result; on both sides that write is undone (the source's transaction is rolled
        // back, the target's goes back to this savepoint), so the copy holds exactly the source's rows.
        await targetTransaction.CreateSavepointAsync("verified", ct);
        await VerifyChainsAsync(destination, result, ct);
        await targetTransaction.RollbackToSavepointAsync("verified", ct);
        await sourceTransaction.RollbackAsync(ct);

        if (result.Problems.Count == 0)
        {
            await targetTransaction.CommitAsync(ct);
            result.Committed = true;
        }
        else
        {
            await targetTransaction.RollbackAsync(ct);
        }
        result.Elapsed = started.Elapsed;
        return result;
    }

    /// <summary>The target's context: its provider, its migrations assembly, no retrying execution strategy (one explicit transaction).</summary>
    private static AppDbContext CreateTarget(DatabaseCopyTarget target)
    {
        var options = new DbContextOptionsBuilder<AppDbContext>();
        switch (target.Provider)
        {
            case DatabaseProvider.PostgreSql:
                options.UseNpgsql(target.ConnectionString, o => o.MigrationsAssembly(PersistenceExtensions.PostgreSqlMigrationsAssembly).CommandTimeout(600));
                break;
            case DatabaseProvider.SqlServer:
                options.UseSqlServer(target.ConnectionString, o => o.MigrationsAssembly(PersistenceExtensions.SqlServerMigrationsAssembly).CommandTimeout(600));
                break;
            default:
                throw new ArgumentException($"The target provider must be PostgreSql or SqlServer, not {target.Provider}.", nameof(target));
        }
        return new AppDbContext(options.Options);
    }

    /// <summary>
    /// Why the target cannot take the copy, or null: it must be empty — no migration applied, or every migration applied
    /// and no row in any table. Checked before anything is written, so a refused target is left exactly as it was.
    /// </summary>
    private static async Task<string?> RefusalAsync(AppDbContext destination, CancellationToken ct)
    {
        var applied = (await destination.Database.GetAppliedMigrationsAsync(ct)).ToList();
        if (applied.Count == 0)
            return null;
        var pending = (await destination.Database.GetPendingMigrationsAsync(ct)).ToList();
        if (pending.Count > 0)
            return string.Create(CultureInfo.InvariantCulture,
                $"The target {DescribeTarget(destination)} already has {applied.Count} migrations applied and {pending.Count} pending: copy into an empty database.");
        var holding = new List<string>();
        foreach (var table in destination.Model.GetRelationalModel().Tables.OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            var rows = await CountAsync(destination, table, ct);
            if (rows > 0)
                holding.Add(string.Create(CultureInfo.InvariantCulture, $"{table.Name} ({rows})"));
        }
        return holding.Count == 0
            ? null
            : $"The target {DescribeTarget(destination)} is not empty: {string.Join(", ", holding)}. Nothing was written; copy into an empty database.";
    }

    /// <summary>The tables, each after the tables its foreign keys point to (a table's references to itself aside).</summary>
    public static IReadOnlyList<ITable> TablesInForeignKeyOrder(IRelationalModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var ordered = new List<ITable>();
        var state = new Dictionary<ITable, bool>();
        foreach (var table in model.Tables.OrderBy(t => t.Name, StringComparer.Ordinal))
            Visit(table);
        return ordered;

        void Visit(ITable table)
        {
            if (state.TryGetValue(table, out var done))
            {
                if (!done)
                    throw new InvalidOperationException($"The foreign keys of {table.Name} form a cycle: the tables cannot be copied in order.");
                return;
            }
            state[table] = false;
            foreach (var principal in table.ForeignKeyConstraints.Select(f => f.PrincipalTable).Where(p => p != table).OrderBy(p => p.Name, StringComparer.Ordinal))
                Visit(principal);
            state[table] = true;
            ordered.Add(table);
        }
    }

    /// <summary>Streams one table from the source into the target, a batch at a time; answers the rows written.</summary>
    private async Task<long> CopyTableAsync(ITable targetTable, AppDbContext destination, CancellationToken ct)
    {
        var sourceTable = source.Model.GetRelationalModel().FindTable(targetTable.Name, targetTable.Schema)
            ?? throw new InvalidOperationException($"The table {targetTable.Name} is not in the source's model.");
        var columns = targetTable.Columns.ToList();
        var readers = new Func<DbDataReader, int, object?>[columns.Count];
        var rowColumns = new List<RowColumn<object?[]>>(columns.Count);
        for (var i = 0; i < columns.Count; i++)
        {
            var sourceColumn = sourceTable.FindColumn(columns[i].Name)
                ?? throw new InvalidOperationException($"The column {targetTable.Name}.{columns[i].Name} is not in the source's model.");
            readers[i] = ModelValueReader(Mapping(sourceColumn));
            var index = i;
            rowColumns.Add(new RowColumn<object?[]>(columns[i].Name, row => row[index], Mapping(columns[i]), columns[i].IsNullable));
        }

        var identityInsert = destination.Database.IsSqlServer() && columns.Any(IsSqlServerIdentity);
        var sql = destination.GetService<ISqlGenerationHelper>();
        var table = sql.DelimitIdentifier(targetTable.Name, targetTable.Schema);
        if (identityInsert)
        {
            var on = "SET IDENTITY_INSERT " + table + " ON";
            await destination.Database.ExecuteSqlRawAsync(on, ct);
        }

        long rows = 0;
        await using (var inserter = new RowInserter<object?[]>(destination, StoreObjectIdentifier.Table(targetTable.Name, targetTable.Schema), rowColumns))
        {
            var sourceSql = source.GetService<ISqlGenerationHelper>();
            var key = targetTable.PrimaryKey?.Columns.Select(c => sourceSql.DelimitIdentifier(c.Name)).ToList() ?? [];
            await using var command = source.Database.GetDbConnection().CreateCommand();
            command.Transaction = source.Database.CurrentTransaction!.GetDbTransaction();
            command.CommandText = $"SELECT {string.Join(", ", columns.Select(c => sourceSql.DelimitIdentifier(c.Name)))} FROM {sourceSql.DelimitIdentifier(sourceTable.Name, sourceTable.Schema)}"
                + (key.Count > 0 ? $" ORDER BY {string.Join(", ", key)}" : "");
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var row = new object?[columns.Count];
                for (var i = 0; i < row.Length; i++)
                    row[i] = reader.IsDBNull(i) ? null : readers[i](reader, i);
                inserter.Add(row);
                rows++;
                if (inserter.Buffered >= BatchSize)
                    await inserter.FlushAsync(ct);
            }
            await inserter.FlushAsync(ct);
        }

        if (identityInsert)
        {
            var off = "SET IDENTITY_INSERT " + table + " OFF";
            await destination.Database.ExecuteSqlRawAsync(off, ct);
        }
        return rows;
    }

    /// <summary>The column's mapping with the property's value converter (a column shared by several properties maps them alike).</summary>
    private static RelationalTypeMapping Mapping(IColumn column) => column.PropertyMappings[0].TypeMapping;

    /// <summary>Reads the column's stored value as the provider type, then converts it to the model's value.</summary>
    private static Func<DbDataReader, int, object?> ModelValueReader(RelationalTypeMapping mapping)
    {
        var converter = mapping.Converter;
        var providerType = converter?.ProviderClrType ?? mapping.ClrType;
        var read = ReadAsMethod.MakeGenericMethod(Nullable.GetUnderlyingType(providerType) ?? providerType)
            .CreateDelegate<Func<DbDataReader, int, object?>>();
        return converter is null ? read : (reader, ordinal) => converter.ConvertFromProvider(read(reader, ordinal));
    }

    private static readonly MethodInfo ReadAsMethod = typeof(DatabaseCopier).GetMethod(nameof(ReadAs), BindingFlags.NonPublic | BindingFlags.Static)!;

    private static object? ReadAs<TValue>(DbDataReader reader, int ordinal) => reader.GetFieldValue<TValue>(ordinal);

    private static bool IsSqlServerIdentity(IColumn column) =>
        column.PropertyMappings.Any(m => SqlServerPropertyExtensions.GetValueGenerationStrategy(m.Property, StoreObjectIdentifier.Table(column.Table.Name, column.Table.Schema))
            == Microsoft.EntityFrameworkCore.Metadata.SqlServerValueGenerationStrategy.IdentityColumn);

    /// <summary>PostgreSQL: every identity (or serial) column's sequence continues after the highest copied id.</summary>
    private static async Task<int> ResetSequencesAsync(IReadOnlyList<ITable> tables, AppDbContext destination, CancellationToken ct)
    {
        if (!destination.Database.IsNpgsql())
            return 0;
        var sql = destination.GetService<ISqlGenerationHelper>();
        var reset = 0;
        foreach (var table in tables)
        {
            foreach (var column in table.Columns.Where(c => c.PropertyMappings.Any(m => m.Property.ValueGenerated == ValueGenerated.OnAdd)
                         && (c.ProviderClrType == typeof(int) || c.ProviderClrType == typeof(long) || c.ProviderClrType == typeof(short))))
            {
                var qualified = sql.DelimitIdentifier(table.Name, table.Schema);
                var name = sql.DelimitIdentifier(column.Name);
                // is_called false on an empty table: the next id is 1; otherwise the next id follows the highest.
                var statement = $"SELECT setval(pg_get_serial_sequence({{0}}, {{1}}), COALESCE(MAX({name}), 1), MAX({name}) IS NOT NULL) AS \"Value\" FROM {qualified} HAVING pg_get_serial_sequence({{0}}, {{1}}) IS NOT NULL";
                var changed = await destination.Database.SqlQueryRaw<long>(statement, qualified, column.Name).ToListAsync(ct);
                reset += changed.Count;
            }
        }
        return reset;
    }

    private static async Task<long> CountAsync(AppDbContext db, ITable table, CancellationToken ct)
    {
        var sql = db.GetService<ISqlGenerationHelper>();
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        command.CommandText = $"SELECT COUNT(*) FROM {sql.DelimitIdentifier(table.Name, table.Schema)}";
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            return Convert.ToInt64(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// Every project's chain with <see cref="AuditVerifier"/> on the source and on the target (a round of projects at a
    /// time), and the user-account chain: each must be valid on both sides with the same head.
    /// </summary>
    private async Task VerifyChainsAsync(AppDbContext destination, DatabaseCopyResult result, CancellationToken ct)
    {
        var onSource = new AuditVerifier(source, seal, time);
        var onTarget = new AuditVerifier(destination, seal, time);
        // The ids alone (16 bytes a project) are held; the chains are read a round at a time.
        var all = await source.Projects.AsNoTracking().Select(p => p.Id).ToListAsync(ct);
        foreach (var ids in all.Chunk(ChainBatch))
        {
            var before = await onSource.VerifyAsync(ids, Verifier, ct);
            var copied = await onTarget.VerifyAsync(ids, Verifier, ct);
            source.ChangeTracker.Clear();
            destination.ChangeTracker.Clear();
            foreach (var id in ids)
            {
                result.Chains++;
                var s = before.GetValueOrDefault(id);
                var t = copied.GetValueOrDefault(id);
                if (s is not { Valid: true })
                    result.Problems.Add($"Project {id}: the chain does not verify on the source: {s?.Reason}");
                else if (t is not { Valid: true })
                    result.Problems.Add($"Project {id}: the chain does not verify on the target: {t?.Reason}");
                else if (s.HeadSequence != t.HeadSequence || !string.Equals(s.HeadHash, t.HeadHash, StringComparison.Ordinal))
                    result.Problems.Add($"Project {id}: the head differs: {s.HeadSequence} {s.HeadHash} on the source, {t.HeadSequence} {t.HeadHash} on the target.");
                else
                    result.ChainsVerified++;
            }
        }

        var (sourceUsers, sourceHead) = await VerifyUserChainAsync(source, ct);
        var (targetUsers, targetHead) = await VerifyUserChainAsync(destination, ct);
        if (sourceUsers is not null)
            result.Problems.Add($"The user-account chain does not verify on the source: {sourceUsers}");
        else if (targetUsers is not null)
            result.Problems.Add($"The user-account chain does not verify on the target: {targetUsers}");
        else if (!string.Equals(sourceHead, targetHead, StringComparison.Ordinal))
            result.Problems.Add($"The user-account chain's head differs: {sourceHead} on the source, {targetHead} on the target.");
        else
            result.UserChainVerified = true;
    }

    private static async Task<(string? Problem, string Head)> VerifyUserChainAsync(AppDbContext db, CancellationToken ct)
    {
        var events = await db.UserAuditEvents.AsNoTracking().OrderBy(e => e.Sequence).ToListAsync(ct);
        var broken = AuditChain.Verify(events);
        return (broken?.Reason, events.Count > 0 ? events[^1].Hash : "");
    }

    /// <summary>The target's server and database, never a password.</summary>
    private static string DescribeTarget(AppDbContext destination)
    {
        var connectionString = destination.Database.GetConnectionString() ?? "";
        if (destination.Database.IsNpgsql())
        {
            var npgsql = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
            return $"PostgreSQL {npgsql.Database} on {npgsql.Host}:{npgsql.Port}";
        }
        var sql = new Microsoft.Data.SqlClient.SqlConnectionStringBuilder(connectionString);
        return $"SQL Server {sql.InitialCatalog} on {sql.DataSource}";
    }
}
