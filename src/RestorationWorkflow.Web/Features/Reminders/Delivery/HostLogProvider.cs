using Hangfire.AspNetCore;
using Hangfire.Logging;

namespace RestorationWorkflow.Web.Features.Reminders.Delivery;

/// <summary>
/// Hangfire's log provider is process-wide (<c>GlobalConfiguration</c>), while logger factories belong to hosts. Hangfire
/// takes a logger each time a job client is made, so with several hosts in one process (the tests, a host restarted in
/// place) a client made after the host that last set the provider was disposed threw <see cref="ObjectDisposedException"/>
/// — and with it every page that enqueues. This provider is set by every host: the newest host's loggers are used, and a
/// disposed factory gives a logger that writes nothing instead of failing the request.
/// </summary>
public sealed class HostLogProvider(ILoggerFactory loggerFactory) : ILogProvider
{
    private readonly AspNetCoreLogProvider _inner = new(loggerFactory);

    public ILog GetLogger(string name)
    {
        try
        {
            return _inner.GetLogger(name);
        }
        catch (ObjectDisposedException)
        {
            return Silent.Instance;
        }
    }

    private sealed class Silent : ILog
    {
        public static readonly Silent Instance = new();

        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null) => false;
    }
}
