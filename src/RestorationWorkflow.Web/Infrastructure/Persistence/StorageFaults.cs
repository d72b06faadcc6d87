using System.Data.Common;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace RestorationWorkflow.Web.Infrastructure.Persistence;

/// <summary>
/// The last time a write failed because the storage was full or unavailable
/// (<see cref="DatabaseErrors.IsStorageFault"/>), remembered so that <c>/health/ready</c> reports it.
/// </summary>
public sealed class StorageFaults(TimeProvider time)
{
    private long _lastFaultTicks;
    private string _lastFault = "";

    /// <summary>Remembers <paramref name="exception"/> when it is a storage fault; returns whether it was.</summary>
    public bool Record(Exception exception)
    {
        if (!DatabaseErrors.IsStorageFault(exception))
            return false;
        Volatile.Write(ref _lastFault, DatabaseErrors.Describe(exception));
        Interlocked.Exchange(ref _lastFaultTicks, time.GetUtcNow().UtcTicks);
        return true;
    }

    /// <summary>The last storage fault if it happened within <paramref name="hold"/>, else null.</summary>
    public (DateTimeOffset At, string What)? Within(TimeSpan hold)
    {
        var ticks = Interlocked.Read(ref _lastFaultTicks);
        if (ticks == 0)
            return null;
        var at = new DateTimeOffset(ticks, TimeSpan.Zero);
        return time.GetUtcNow() - at <= hold ? (at, Volatile.Read(ref _lastFault)) : null;
    }
}

/// <summary>
/// Records every storage fault of a database command in <see cref="StorageFaults"/>, wherever the exception goes
/// afterwards (a caller that catches it still leaves the node not ready). On SQLite with its statement cache, the
/// cached command records them itself (<see cref="CachedSqliteCommand"/>), and this interceptor is not registered
/// (decision 0066).
/// </summary>
public sealed class StorageFaultCommandInterceptor(StorageFaults faults) : DbCommandInterceptor
{
    public override void CommandFailed(DbCommand command, CommandErrorEventData eventData)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        faults.Record(eventData.Exception);
    }

    public override Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        faults.Record(eventData.Exception);
        return Task.CompletedTask;
    }
}

/// <summary>Records every storage fault of a commit or another transaction operation in <see cref="StorageFaults"/>.</summary>
public sealed class StorageFaultTransactionInterceptor(StorageFaults faults) : DbTransactionInterceptor
{
    public override void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        faults.Record(eventData.Exception);
    }

    public override Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        faults.Record(eventData.Exception);
        return Task.CompletedTask;
    }
}

/// <summary>
/// <c>storage</c> (tagged ready): Unhealthy for <see cref="StorageOptions.FaultHoldSeconds"/> after a write failed for
/// lack of space or a read-only or failing disk, and whenever the volume of <c>Storage:Root</c> has less free space
/// than <see cref="StorageOptions.MinimumFreeMegabytes"/>.
/// </summary>
public sealed class StorageHealthCheck(StorageFaults faults, IOptions<StorageOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var storage = options.Value;
        if (faults.Within(TimeSpan.FromSeconds(storage.FaultHoldSeconds)) is { } fault)
            return Task.FromResult(HealthCheckResult.Unhealthy($"A write failed at {fault.At:O}: {fault.What}"));
        if (FreeMegabytes(storage.Root) is { } free && free < storage.MinimumFreeMegabytes)
            return Task.FromResult(HealthCheckResult.Unhealthy($"{free} MB free under {storage.Root}; at least {storage.MinimumFreeMegabytes} MB are required."));
        return Task.FromResult(HealthCheckResult.Healthy());
    }

    /// <summary>Free megabytes on the volume of <paramref name="root"/>, or null where the platform cannot say.</summary>
    private static long? FreeMegabytes(string root)
    {
        if (string.IsNullOrEmpty(root))
            return null;
        try
        {
            return new DriveInfo(root).AvailableFreeSpace / (1024 * 1024);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }
}

/// <summary>
/// A request that failed because the storage is full or unavailable: on <c>/api</c> a 503 ProblemDetails with no
/// internals (not even in Development) and <c>Retry-After</c>; pages get the error page with status 503 (see
/// <see cref="ProblemDetailsExtensions.UseProblemDetailsForEverything"/>). The write was one transaction, so
/// nothing of it is stored.
/// </summary>
internal sealed class StorageFaultExceptionHandler(IProblemDetailsService problemDetails, StorageFaults faults, ILogger<StorageFaultExceptionHandler> logger) : IExceptionHandler
{
    public const int RetryAfterSeconds = 60;

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!faults.Record(exception))
            return false;
        logger.LogError(exception, "Storage full or unavailable on {Method} {Path}", httpContext.Request.Method, ProblemDetailsExtensions.OriginalPath(httpContext));
        if (!ProblemDetailsExtensions.IsApi(httpContext))
            return false;
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "The server cannot store data right now.",
                Detail = "Nothing was saved. Try again later; the fault has been logged with the trace id below.",
                Type = "https://tools.ietf.org/html/rfc9110#section-15.6.4",
            },
        });
    }
}
