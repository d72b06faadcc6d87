using System.Globalization;

namespace RestorationWorkflow.Benchmarks;

/// <summary>CPU time and memory of one process, read from <c>/proc/&lt;pid&gt;/stat</c> and <c>/proc/&lt;pid&gt;/status</c>.</summary>
/// <param name="Cpu">utime + stime: user and kernel CPU time so far (all threads).</param>
/// <param name="RssKiB">VmRSS: resident memory now.</param>
/// <param name="PeakRssKiB">VmHWM: the highest resident memory since the process started.</param>
internal readonly record struct ProcessSample(TimeSpan Cpu, long RssKiB, long PeakRssKiB);

/// <summary>The whole machine's CPU ticks from the first line of <c>/proc/stat</c>.</summary>
/// <param name="BusyTicks">Ticks the machine's own processes and kernel ran (not idle, not waiting for I/O, not stolen).</param>
/// <param name="StealTicks">
/// Ticks a virtual CPU was ready to run but the hypervisor ran something else (<c>steal</c>): time this machine had
/// work for and did not get. A window with much of it measures the host's other guests as much as the app.
/// </param>
/// <param name="TotalTicks">All ticks of all cores.</param>
internal readonly record struct MachineSample(long BusyTicks, long StealTicks, long TotalTicks);

/// <summary>Linux only: elsewhere every reading is <c>null</c> and the reports say "n/a".</summary>
internal static class ProcFs
{
    /// <summary>USER_HZ, the unit of the times in /proc: 100 on Linux x86-64 and arm64 (fixed by the kernel ABI).</summary>
    private const double TicksPerSecond = 100;

    public static ProcessSample? Sample(int pid)
    {
        if (!OperatingSystem.IsLinux())
            return null;
        try
        {
            // "pid (comm) state ppid …": comm may hold spaces and parentheses, so count fields after the last ')'.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // fields[0] is field 3 (state); utime is field 14 and stime field 15 (proc(5)).
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            long rss = 0, peak = 0;
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                    rss = KiB(line);
                else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    peak = KiB(line);
            }
            return new ProcessSample(TimeSpan.FromSeconds(ticks / TicksPerSecond), rss, peak);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            // The process has gone (or is a zombie without memory lines).
            return null;
        }
    }

    /// <summary>The pids whose parent is <paramref name="pid"/> (from <c>/proc/*/stat</c>); empty off Linux.</summary>
    public static IReadOnlyList<int> Children(int pid)
    {
        var children = new List<int>();
        if (!OperatingSystem.IsLinux())
            return children;
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), NumberStyles.Integer, CultureInfo.InvariantCulture, out var child))
                continue;
            try
            {
                // fields[1] after the last ')' is field 4, the parent's pid.
                var stat = File.ReadAllText(Path.Combine(folder, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (int.Parse(fields[1], CultureInfo.InvariantCulture) == pid)
                    children.Add(child);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
            {
                // Gone meanwhile.
            }
        }
        return children;
    }

    public static MachineSample? Machine()
    {
        if (!OperatingSystem.IsLinux())
            return null;
        try
        {
            // "cpu  user nice system idle iowait irq softirq steal guest guest_nice"; guest time is already in user.
            var line = File.ReadLines("/proc/stat").First();
            var values = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8)
                .Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            var total = values.Sum();
            var idle = values[3] + values[4];
            var steal = values.Length > 7 ? values[7] : 0;
            return new MachineSample(total - idle - steal, steal, total);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>The busy share of the whole machine (all cores) between two samples, 0…1.</summary>
    public static double? BusyShare(MachineSample? from, MachineSample? to) =>
        from is { } a && to is { } b && b.TotalTicks > a.TotalTicks
            ? (double)(b.BusyTicks - a.BusyTicks) / (b.TotalTicks - a.TotalTicks)
            : null;

    /// <summary>The share of the whole machine's time (all cores) the hypervisor took between two samples (steal), 0…1.</summary>
    public static double? StealShare(MachineSample? from, MachineSample? to) =>
        from is { } a && to is { } b && b.TotalTicks > a.TotalTicks
            ? (double)(b.StealTicks - a.StealTicks) / (b.TotalTicks - a.TotalTicks)
            : null;

    public static string MiB(long kib) => string.Create(CultureInfo.InvariantCulture, $"{kib / 1024.0:F0} MiB");

    /// <summary>"VmRSS:	  123456 kB" → 123456.</summary>
    private static long KiB(string line) =>
        long.Parse(line.AsSpan(line.IndexOf(':') + 1).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
}
