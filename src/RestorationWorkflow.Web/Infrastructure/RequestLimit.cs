using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace RestorationWorkflow.Web.Infrastructure;

/// <summary>
/// How many requests this node works on at once (decision 0059). Every request in progress holds a pooled
/// <c>DbContext</c>, and on SQLite that context keeps its connection open with its prepared statements (about 0.7 MB
/// each): without a bound, memory grew with the number of clients and the pool kept it. On two cores 128 clients
/// took the app to 416–422 MiB at 1,164–1,373 transitions/s; with 32 at a time, the others waiting their turn in order,
/// the same load ran at 1,441–1,448/s in 321–333 MiB. Requests beyond <see cref="RequestLimitOptions.QueueLimit"/>
/// waiting get a 503 with <c>Retry-After</c>.
/// </summary>
public sealed class RequestLimiter : IDisposable
{
    private readonly ConcurrencyLimiter? _limiter;
    private long _rejected;

    public RequestLimiter(RequestLimitOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        if (options.MaxConcurrent > 0)
        {
            _limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
            {
                PermitLimit = options.MaxConcurrent,
                QueueLimit = options.QueueLimit,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            });
        }
    }

    public RequestLimitOptions Options { get; }

    /// <summary>Requests turned away with a 503 since start-up.</summary>
    public long Rejected => Interlocked.Read(ref _rejected);

    /// <summary>Requests in progress or waiting, as the limiter counts them (<c>null</c> without a limit).</summary>
    public RateLimiterStatistics? Statistics => _limiter?.GetStatistics();

    /// <summary>A turn for one request: acquired at once, after waiting in order, or not (the queue is full).</summary>
    public ValueTask<RateLimitLease> AcquireAsync(CancellationToken cancellationToken) =>
        _limiter is null ? ValueTask.FromResult<RateLimitLease>(Unlimited.Lease) : _limiter.AcquireAsync(1, cancellationToken);

    internal long CountRejection() => Interlocked.Increment(ref _rejected);

    public void Dispose() => _limiter?.Dispose();

    private sealed class Unlimited : RateLimitLease
    {
        public static readonly Unlimited Lease = new();

        public override bool IsAcquired => true;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }
}

/// <summary>The <c>Requests</c> settings.</summary>
public sealed class RequestLimitOptions
{
    /// <summary>Requests worked on at once per processor when <c>Requests:MaxConcurrent</c> is not set.</summary>
    public const int DefaultPerProcessor = 16;

    public const int DefaultQueueLimit = 1000;

    /// <summary><c>Requests:MaxConcurrent</c>: requests worked on at once (default 16 per processor; 0: no limit).</summary>
    public int MaxConcurrent { get; init; } = DefaultPerProcessor * Environment.ProcessorCount;

    /// <summary><c>Requests:QueueLimit</c>: requests that may wait for their turn (default 1,000); more get a 503.</summary>
    public int QueueLimit { get; init; } = DefaultQueueLimit;

    /// <summary>The settings, checked.</summary>
    /// <exception cref="StartupException">A value is not a whole number in its range (one line naming the key).</exception>
    public static RequestLimitOptions Read(IConfiguration configuration, int processors)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return new RequestLimitOptions
        {
            MaxConcurrent = SettingReader.WholeNumber(configuration, "Requests:MaxConcurrent", DefaultPerProcessor * Math.Max(1, processors), 0, 100_000,
                "use a whole number of requests from 0 (no limit) to 100000"),
            QueueLimit = SettingReader.WholeNumber(configuration, "Requests:QueueLimit", DefaultQueueLimit, 0, 1_000_000,
                "use a whole number of waiting requests from 0 to 1000000"),
        };
    }
}

/// <summary>
/// Endpoint metadata: the request does not wait for a turn. For the health probes (cheap, and they must answer while
/// the node is busy), the static assets, and the file transfers, whose time goes to the client's network: a permit held
/// by a slow upload or download would keep others waiting for nothing.
/// </summary>
public sealed class RequestLimitExempt
{
    public static readonly RequestLimitExempt Instance = new();

    private RequestLimitExempt()
    {
    }
}

/// <summary>
/// The pages named to <see cref="RequestLimitExtensions.ExemptPageFromRequestLimit"/>. Razor Pages applies a convention
/// to the pages its name matches and ignores a name that matches none; <see cref="Validator"/> checks the names against
/// the app's pages when the host starts, so a misspelt or moved page stops start-up with its name.
/// </summary>
public sealed class RequestLimitExemptPages
{
    /// <summary>Compared as written (ordinal): a name that only a case-insensitive match would find is refused too.</summary>
    public HashSet<string> Names { get; } = new(StringComparer.Ordinal);

    /// <summary>Fails when a name matches no Razor page's path (<c>/Folder/Page</c>, as conventions name pages).</summary>
    public sealed class Validator(IActionDescriptorCollectionProvider actions) : IValidateOptions<RequestLimitExemptPages>
    {
        public ValidateOptionsResult Validate(string? name, RequestLimitExemptPages options)
        {
            ArgumentNullException.ThrowIfNull(options);
            var pages = actions.ActionDescriptors.Items.OfType<PageActionDescriptor>()
                .Select(p => p.ViewEnginePath)
                .ToHashSet(StringComparer.Ordinal);
            var unknown = options.Names.Where(n => !pages.Contains(n)).Order(StringComparer.Ordinal).ToList();
            return unknown.Count == 0
                ? ValidateOptionsResult.Success
                : ValidateOptionsResult.Fail(
                    $"ExemptPageFromRequestLimit names no page of the app: {string.Join(", ", unknown)}. A page is named by its path under the pages' root without the extension (/Folder/Page).");
        }
    }
}

public static class RequestLimitExtensions
{
    /// <summary>The endpoint's requests do not wait for a turn (<see cref="RequestLimitExempt"/>).</summary>
    public static TBuilder ExemptFromRequestLimit<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.WithMetadata(RequestLimitExempt.Instance);
    }

    /// <summary>
    /// The Razor page's requests (every handler) do not wait for a turn (<see cref="RequestLimitExempt"/>): for the pages
    /// that upload or download files. Each feature names its own pages. A name that matches no page stops start-up
    /// (<see cref="RequestLimitExemptPages"/>), rather than leaving the page it meant waiting for turns.
    /// </summary>
    public static IServiceCollection ExemptPageFromRequestLimit(this IServiceCollection services, string pageName)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrEmpty(pageName);
        services.AddOptions<RequestLimitExemptPages>().Configure(o => o.Names.Add(pageName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RequestLimitExemptPages>, RequestLimitExemptPages.Validator>());
        return services.Configure<RazorPagesOptions>(o =>
            o.Conventions.AddPageApplicationModelConvention(pageName, page => page.EndpointMetadata.Add(RequestLimitExempt.Instance)));
    }

    /// <summary>After routing (the endpoint's metadata decides) and before authentication (which costs CPU).</summary>
    public static IApplicationBuilder UseRequestLimit(this IApplicationBuilder app) => app.UseMiddleware<RequestLimitMiddleware>();
}

/// <summary>Waits for a turn of <see cref="RequestLimiter"/>, or answers 503 with <c>Retry-After</c> when too many wait.</summary>
public sealed partial class RequestLimitMiddleware(RequestDelegate next, RequestLimiter limiter, TimeProvider time, ILogger<RequestLimitMiddleware> logger)
{
    public const int RetryAfterSeconds = 1;

    /// <summary>Set in <see cref="HttpContext.Items"/> on a request turned away: the error page says the server is busy.</summary>
    public const string BusyItem = "RequestLimit.Busy";

    /// <summary>At most one warning per this many seconds, with the count turned away since the last one.</summary>
    private const int WarningIntervalSeconds = 10;

    private long _lastWarning = long.MinValue;
    private long _reportedRejections;

    public async Task InvokeAsync(HttpContext context)
    {
        // Exempt endpoints, and the status-code or error page re-executed for a request that already had (or was
        // refused) its turn.
        if (context.GetEndpoint()?.Metadata.GetMetadata<RequestLimitExempt>() is not null
            || context.Features.Get<IStatusCodeReExecuteFeature>() is not null
            || context.Features.Get<IExceptionHandlerFeature>() is not null)
        {
            await next(context);
            return;
        }

        RateLimitLease lease;
        try
        {
            lease = await limiter.AcquireAsync(context.RequestAborted);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return; // The client left while waiting; there is no one to answer.
        }

        using (lease)
        {
            if (lease.IsAcquired)
            {
                await next(context);
                return;
            }
        }

        Warn(limiter.CountRejection());
        context.Items[BusyItem] = true;
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        if (!ProblemDetailsExtensions.IsApi(context))
            return; // Pages: the error page, re-executed by the status-code pages.
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "The server is busy.",
                Detail = $"This node works on {limiter.Options.MaxConcurrent} requests at once and {limiter.Options.QueueLimit} more may wait; all are taken. Nothing of this request was done. Try again after the seconds in Retry-After.",
                Type = "https://tools.ietf.org/html/rfc9110#section-15.6.4",
            },
        });
    }

    private void Warn(long rejected)
    {
        var now = time.GetTimestamp();
        var last = Interlocked.Read(ref _lastWarning);
        if (last != long.MinValue && time.GetElapsedTime(last, now) < TimeSpan.FromSeconds(WarningIntervalSeconds))
            return;
        if (Interlocked.CompareExchange(ref _lastWarning, now, last) != last)
            return;
        var since = rejected - Interlocked.Exchange(ref _reportedRejections, rejected);
        LogBusy(logger, since, limiter.Options.MaxConcurrent, limiter.Options.QueueLimit);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Busy: {Rejected} request(s) turned away with 503 since the last warning; this node works on {MaxConcurrent} at once and lets {QueueLimit} wait (Requests:MaxConcurrent, Requests:QueueLimit).")]
    private static partial void LogBusy(ILogger logger, long rejected, int maxConcurrent, int queueLimit);
}
