using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace RestorationWorkflow.Web.Infrastructure.Persistence;

/// <summary>Commits the changes of one command's DbContext: the last step of the command path.</summary>
public interface ICommandCommitter
{
    /// <summary>Saves <paramref name="db"/>'s changes atomically; throws as <c>SaveChangesAsync</c> would.</summary>
    Task CommitAsync(DbContext db, CancellationToken ct);
}

/// <summary>One SaveChanges, one transaction: SQL Server, and SQLite with <c>Database:GroupCommit=false</c>.</summary>
public sealed class DirectCommitter : ICommandCommitter
{
    public Task CommitAsync(DbContext db, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.SaveChangesAsync(ct);
    }
}

/// <summary>
/// Group commit for SQLite: commands that reach the commit while another batch is being written wait and are then
/// written together, each SaveChanges in its own savepoint of one transaction, so one fsync (with
/// <c>synchronous=FULL</c>) serves the whole batch. Each command stays atomic: a command that fails (a lost version
/// race, a constraint) is rolled back to its savepoint and gets its own exception, the others commit. If the
/// commit itself fails, every command of the batch gets that failure and nothing of it is written.
/// </summary>
public sealed class SqliteGroupCommitter(SqliteWriteGate gate, ILogger<SqliteGroupCommitter> logger) : ICommandCommitter
{
    private readonly Lock _lock = new();
    private List<Pending> _open = [];
    private bool _writing;

    private int _waiting;

    /// <summary>The largest batch written so far (for diagnostics and tests).</summary>
    public int LargestBatch { get; private set; }

    /// <summary>Commands handed to the committer whose batch is not written yet (for diagnostics and tests).</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    public async Task CommitAsync(DbContext db, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var pending = new Pending(db);
        // What needs no lock is done here, beside the other requests, not by the one writer: finding the changes
        // before, accepting them after the batch is committed.
        var tracker = db.ChangeTracker;
        tracker.DetectChanges();
        var detect = tracker.AutoDetectChangesEnabled;
        tracker.AutoDetectChangesEnabled = false;
        // The command reads nothing more until its batch is written: its connection serves other requests meanwhile.
        KeptOpenSqliteConnection.Release(db);
        bool lead;
        lock (_lock)
        {
            _open.Add(pending);
            lead = !_writing;
            _writing = true;
        }
        // The writer runs beside the requests, so no request waits for batches other than its own.
        Interlocked.Increment(ref _waiting);
        if (lead)
            _ = Task.Run(WriteBatchesAsync, CancellationToken.None);
        try
        {
            await pending.Done.Task;
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
            tracker.AutoDetectChangesEnabled = detect;
        }
        tracker.AcceptAllChanges();
    }

    /// <summary>Writes batches until no command is waiting.</summary>
    private async Task WriteBatchesAsync()
    {
        while (true)
        {
            List<Pending> batch;
            lock (_lock)
            {
                if (_open.Count == 0)
                {
                    _writing = false;
                    return;
                }
                batch = _open;
                _open = [];
            }
            LargestBatch = Math.Max(LargestBatch, batch.Count);
            if (batch.Count == 1)
                await WriteAloneAsync(batch[0]);
            else
                await WriteTogetherAsync(batch);
        }
    }

    private static async Task WriteAloneAsync(Pending pending)
    {
        try
        {
            await pending.Db.SaveChangesAsync(acceptAllChangesOnSuccess: false, CancellationToken.None);
            KeptOpenSqliteConnection.Release(pending.Db);
            pending.Done.TrySetResult();
        }
        catch (Exception ex)
        {
            KeptOpenSqliteConnection.Release(pending.Db);
            pending.Done.TrySetException(ex);
        }
    }

    private async Task WriteTogetherAsync(List<Pending> batch)
    {
        var leader = batch[0].Db;
        var failures = new Exception?[batch.Count];
        try
        {
            using var held = await gate.EnterAsync();
            await using (var transaction = await leader.Database.BeginTransactionAsync(CancellationToken.None))
            {
                var connection = leader.Database.GetDbConnection();
                for (var i = 0; i < batch.Count; i++)
                    failures[i] = await SaveInTransactionAsync(batch[i].Db, i == 0, connection, transaction);
                await transaction.CommitAsync(CancellationToken.None);
            }
            KeptOpenSqliteConnection.Release(leader);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "A group commit of {Count} command(s) failed; none of them was written.", batch.Count);
            KeptOpenSqliteConnection.Release(leader);
            foreach (var pending in batch)
                pending.Done.TrySetException(ex);
            return;
        }
        for (var i = 0; i < batch.Count; i++)
        {
            if (failures[i] is { } failure)
                batch[i].Done.TrySetException(failure);
            else
                batch[i].Done.TrySetResult();
        }
    }

    /// <summary>One command's SaveChanges on the batch's connection and transaction (EF Core wraps it in a savepoint).</summary>
    private static async Task<Exception?> SaveInTransactionAsync(DbContext db, bool isLeader, System.Data.Common.DbConnection connection, IDbContextTransaction transaction)
    {
        try
        {
            if (isLeader)
                await db.SaveChangesAsync(acceptAllChangesOnSuccess: false, CancellationToken.None);
            else
                await KeptOpenSqliteConnection.BorrowAsync(db, connection, transaction.GetDbTransaction(), () => db.SaveChangesAsync(acceptAllChangesOnSuccess: false, CancellationToken.None));
            return null;
        }
        catch (Exception ex) when (ex is DbUpdateException or InvalidOperationException)
        {
            return ex;
        }
    }

    private sealed class Pending(DbContext db)
    {
        public DbContext Db { get; } = db;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
