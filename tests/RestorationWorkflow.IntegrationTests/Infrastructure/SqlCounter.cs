using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace RestorationWorkflow.IntegrationTests.Infrastructure;

/// <summary>
/// Records the SQL the app sends to its database while a recording is open (see <see cref="AppFactory.Sql"/>):
/// an EF Core command interceptor on the app's pooled DbContext, one per factory, so parallel classes don't mix.
/// </summary>
public sealed class SqlCounter : DbCommandInterceptor
{
    private readonly ConcurrentQueue<string> _commands = new();
    private int _recording;

    /// <summary>Starts recording; the recording ends when the result is disposed.</summary>
    public Recording Record()
    {
        _commands.Clear();
        Volatile.Write(ref _recording, 1);
        return new Recording(this);
    }

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result) =>
        Seen(command, result);

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Seen(command, result));

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result) =>
        Seen(command, result);

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Seen(command, result));

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result) =>
        Seen(command, result);

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Seen(command, result));

    private T Seen<T>(DbCommand command, T result)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (Volatile.Read(ref _recording) == 1)
            _commands.Enqueue(command.CommandText);
        return result;
    }

    /// <summary>The commands recorded so far.</summary>
    public sealed class Recording(SqlCounter counter) : IDisposable
    {
        public IReadOnlyList<string> Commands => [.. counter._commands];

        public void Clear() => counter._commands.Clear();

        public void Dispose() => Volatile.Write(ref counter._recording, 0);
    }
}
