namespace RestorationWorkflow.Web.Infrastructure;

/// <summary>
/// Every <see cref="NativeHeapOptions.TrimSeconds"/>, gives the free memory inside glibc's arenas back to the system
/// (<see cref="NativeHeap.Trim"/>, decision 0058). SQLite's statements and the runtime allocate and free there all the
/// time; under the transitions load 15–17 MiB were free but resident again ten seconds after a trim. A trim takes each
/// arena's lock in turn and took 1.4 ms under that load; every 1, 2 or 10 s made no difference in throughput.
/// </summary>
public sealed class NativeHeapTrimmer : BackgroundService
{
    private readonly ILogger<NativeHeapTrimmer> _logger;
    private readonly Func<bool> _trim;

    /// <summary>Started with the service's creation, so that the first trim is one interval after it.</summary>
    private readonly PeriodicTimer? _timer;

    public NativeHeapTrimmer(NativeHeapOptions options, TimeProvider time, ILogger<NativeHeapTrimmer> logger)
        : this(options, time, logger, NativeHeap.Trim)
    {
    }

    /// <summary>With the trim itself given (tests count the calls).</summary>
    internal NativeHeapTrimmer(NativeHeapOptions options, TimeProvider time, ILogger<NativeHeapTrimmer> logger, Func<bool> trim)
    {
        ArgumentNullException.ThrowIfNull(options);
        _logger = logger;
        _trim = trim;
        if (options.TrimSeconds > 0)
            _timer = new PeriodicTimer(TimeSpan.FromSeconds(options.TrimSeconds), time);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_timer is null)
            return;
        if (!NativeHeap.IsGlibc)
        {
            _logger.LogInformation("Not glibc: NativeHeap:TrimSeconds has nothing to trim.");
            return;
        }
        try
        {
            while (await _timer.WaitForNextTickAsync(stoppingToken))
            {
                _trim();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    public override void Dispose()
    {
        _timer?.Dispose();
        base.Dispose();
    }
}

/// <summary>The <c>NativeHeap</c> settings.</summary>
public sealed class NativeHeapOptions
{
    /// <summary><c>NativeHeap:TrimSeconds</c>: how often the free memory in glibc's arenas is given back (default 10; 0: never).</summary>
    public int TrimSeconds { get; init; } = 10;

    /// <summary>The settings, checked.</summary>
    /// <exception cref="StartupException">The value is not a whole number from 0 to 3600 (one line naming the key).</exception>
    public static NativeHeapOptions Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return new NativeHeapOptions
        {
            TrimSeconds = SettingReader.WholeNumber(configuration, "NativeHeap:TrimSeconds", new NativeHeapOptions().TrimSeconds, 0, 3600,
                "use a whole number of seconds from 0 (never) to 3600"),
        };
    }
}
