using System.Data;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.Commands;

namespace RestorationWorkflow.Web.Infrastructure.Persistence;

/// <summary>
/// A check-then-write change outside the project command path (delegations, notification preferences) in one
/// serializable transaction: the change's checks and writes are saved and committed together when it succeeds, rolled
/// back when it refuses. SQLite runs one writer at a time, so such a change never races there; on PostgreSQL (and SQL
/// Server) the server aborts one of two changes that raced — a serialization failure, a deadlock, or a unique key the
/// other took first, such as the next sequence of a user's audit chain. That change is run again from the start on a
/// clean change tracker, where its checks see what the other committed (an overlap is then refused, 422, as it would
/// have been one after the other). After three lost races (<c>attempts</c>) the last exception propagates.
/// </summary>
public static class SerializableTransaction
{
    public static async Task<CommandResult<T>> RunAsync<T>(DbContext db, Func<Task<CommandResult<T>>> change, CancellationToken ct, int attempts = 3)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(change);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var strategy = db.Database.CreateExecutionStrategy();
                return await strategy.ExecuteAsync(async () =>
                {
                    await using var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.Serializable, ct);
                    var result = await change();
                    if (!result.Succeeded)
                    {
                        await transaction.RollbackAsync(ct);
                        db.ChangeTracker.Clear();
                        return result;
                    }
                    await db.SaveChangesAsync(ct);
                    await transaction.CommitAsync(ct);
                    return result;
                });
            }
            catch (Exception ex) when (attempt < attempts && LostRace(ex))
            {
                db.ChangeTracker.Clear();
            }
        }
    }

    /// <summary>
    /// Whether <paramref name="exception"/> says another writer won: run the change again. Looks through wrappers: the
    /// provider's execution strategy wraps a failure it judges transient in an <see cref="InvalidOperationException"/>.
    /// </summary>
    public static bool LostRace(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is DbException provider)
                return DatabaseErrors.IsUniqueViolation(provider) || DatabaseErrors.IsRaceLost(provider);
        }
        return false;
    }
}
