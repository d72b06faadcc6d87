using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace RestorationWorkflow.Testing;

/// <summary>
/// Starting the built app as a child process, the part the integration tests' <c>AppProcess</c> and the benchmark's
/// share (one source file linked into both, as <see cref="PostgresTools"/>): <c>dotnet RestorationWorkflow.Web.dll</c>
/// with its own environment, either serving on a free port of 127.0.0.1 or running a command, its output lines kept.
/// </summary>
internal static class AppLaunch
{
    /// <summary>The dotnet that runs this process (set by the SDK under <c>dotnet run</c> and <c>dotnet test</c>), else the one on the PATH.</summary>
    public static string DotnetHost => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    /// <summary>
    /// Starts <paramref name="appDll"/> with <paramref name="environment"/> on top of this process's. Without
    /// <paramref name="command"/> it serves on a free port of 127.0.0.1 (<paramref name="baseAddress"/>); with one (e.g.
    /// <c>scan-reminders</c>) it runs that command instead. Every output line goes to <paramref name="output"/>.
    /// </summary>
    public static Process Start(string appDll, IReadOnlyDictionary<string, string> environment, IReadOnlyList<string>? command, RecentLines output, out Uri baseAddress)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(output);
        baseAddress = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{PostgresTools.FreePort()}"));
        var start = new ProcessStartInfo(DotnetHost)
        {
            WorkingDirectory = Path.GetDirectoryName(appDll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(appDll);
        if (command is not null)
        {
            foreach (var argument in command)
                start.ArgumentList.Add(argument);
        }
        else
        {
            start.ArgumentList.Add("--urls");
            start.ArgumentList.Add(baseAddress.GetLeftPart(UriPartial.Authority));
        }
        foreach (var (name, value) in environment)
            start.Environment[name] = value;
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{DotnetHost} did not start.");
        process.OutputDataReceived += (_, e) => output.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => output.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}

/// <summary>The last 200 lines a child process wrote to stdout and stderr, for failure messages.</summary>
internal sealed class RecentLines : IEnumerable<string>
{
    private readonly ConcurrentQueue<string> _lines = new();

    public void Keep(string? line)
    {
        if (line is null)
            return;
        _lines.Enqueue(line);
        while (_lines.Count > 200)
            _lines.TryDequeue(out _);
    }

    public IEnumerator<string> GetEnumerator() => _lines.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
