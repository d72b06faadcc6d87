using Microsoft.Extensions.Logging;

namespace RestorationWorkflow.IntegrationTests.Infrastructure;

/// <summary>
/// Every error the test hosts log (with its exception) appended to one file, <c>rw-tests/server-errors.log</c> under the
/// temp folder: a test that sees only "500" leaves the server's reason behind, and <c>.ci/run</c> prints the file when
/// the suite fails.
/// </summary>
public sealed class ErrorLogFile : ILoggerProvider
{
    public static string PathName { get; } = Path.Combine(Path.GetTempPath(), "rw-tests", "server-errors.log");

    private static readonly Lock Gate = new();

    public ILogger CreateLogger(string categoryName) => new FileLogger(categoryName);

    public void Dispose()
    {
    }

    private sealed class FileLogger(string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
                return;
            ArgumentNullException.ThrowIfNull(formatter);
            var line = $"{DateTimeOffset.UtcNow:O} {logLevel} {category}: {formatter(state, exception)}{Environment.NewLine}{exception}{Environment.NewLine}";
            lock (Gate)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(PathName)!);
                File.AppendAllText(PathName, line);
            }
        }
    }
}
