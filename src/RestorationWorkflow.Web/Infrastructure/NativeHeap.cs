using System.Runtime.InteropServices;

namespace RestorationWorkflow.Web.Infrastructure;

/// <summary>
/// glibc's malloc, tuned for a server that runs for weeks (decision 0058). glibc gives each new thread an arena of its
/// own until there are eight per core, and gives memory back to the system only from the top of an arena, so space
/// freed below a block still in use stays resident: under the transitions load glibc held 67–75 MB in seven arenas,
/// 25–32 MB of it free (SQLite's statements and the runtime's small allocations come and go there).
/// <see cref="LimitArenas"/> caps the arenas at one per core through <c>mallopt</c>, which is what
/// <c>MALLOC_ARENA_MAX</c> does when a process starts (the app cannot set its own environment); <see cref="Trim"/>
/// gives the free pages inside every arena back (<see cref="NativeHeapTrimmer"/> calls it). On a C library other than
/// glibc nothing is done.
/// </summary>
public static class NativeHeap
{
    /// <summary>The environment variable through which glibc, and this class, let an operator choose the limit.</summary>
    public const string EnvironmentVariable = "MALLOC_ARENA_MAX";

    /// <summary>glibc's <c>M_ARENA_MAX</c> parameter of <c>mallopt</c> (malloc.h).</summary>
    private const int MArenaMax = -8;

    private static readonly Lazy<bool> RunsOnGlibc = new(() =>
    {
        if (!OperatingSystem.IsLinux())
            return false;
        try
        {
            return Glibc.gnu_get_libc_version() != IntPtr.Zero;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            // musl and other C libraries: no libc.so.6, or not glibc's.
            return false;
        }
    });

    /// <summary>Whether this process runs on glibc, whose malloc this class tunes.</summary>
    public static bool IsGlibc => RunsOnGlibc.Value;

    /// <summary>The arenas allowed on a machine with <paramref name="processorCount"/> cores: one per core, at least two.</summary>
    public static int ArenaLimit(int processorCount) => Math.Max(2, processorCount);

    /// <summary>
    /// Sets the limit unless <paramref name="environment"/> has <see cref="EnvironmentVariable"/> (then glibc already
    /// read it) or the process does not run on glibc. Call it first, before the host starts its threads: glibc takes the
    /// limit when it next needs an arena, and keeps the arenas it has.
    /// </summary>
    public static NativeHeapLimit LimitArenas(Func<string, string?> environment, int processorCount)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (!IsGlibc)
            return new NativeHeapLimit(NativeHeapLimitKind.NotGlibc, null);
        if (!string.IsNullOrWhiteSpace(environment(EnvironmentVariable)))
            return new NativeHeapLimit(NativeHeapLimitKind.SetByEnvironment, null);
        var limit = ArenaLimit(processorCount);
        return Glibc.mallopt(MArenaMax, limit) == 1
            ? new NativeHeapLimit(NativeHeapLimitKind.Limited, limit)
            : new NativeHeapLimit(NativeHeapLimitKind.NotGlibc, null);
    }

    /// <summary>
    /// Gives the free memory inside glibc's arenas back to the system (<c>malloc_trim(0)</c>): glibc returns only the
    /// free space at the top of an arena by itself, so space freed below memory still in use stays resident. Answers
    /// whether anything was given back; false, too, where the C library is not glibc (<see cref="IsGlibc"/>).
    /// </summary>
    public static bool Trim() => IsGlibc && Glibc.malloc_trim(0) == 1;

    private static class Glibc
    {
        [DllImport("libc.so.6", ExactSpelling = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        internal static extern int malloc_trim(nuint pad);

        [DllImport("libc.so.6", ExactSpelling = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        internal static extern IntPtr gnu_get_libc_version();

        [DllImport("libc.so.6", ExactSpelling = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        internal static extern int mallopt(int param, int value);
    }
}

/// <summary>What <see cref="NativeHeap.LimitArenas"/> did.</summary>
public enum NativeHeapLimitKind
{
    /// <summary>The arenas are limited to <see cref="NativeHeapLimit.Arenas"/>.</summary>
    Limited,

    /// <summary>The environment's <c>MALLOC_ARENA_MAX</c> is in force; the app did not change it.</summary>
    SetByEnvironment,

    /// <summary>Not glibc (another C library, or not Linux): nothing to limit.</summary>
    NotGlibc,
}

/// <summary>The outcome of <see cref="NativeHeap.LimitArenas"/>, logged at start-up.</summary>
public sealed record NativeHeapLimit(NativeHeapLimitKind Kind, int? Arenas)
{
    /// <summary>One line for the start-up log.</summary>
    public string Describe() => Kind switch
    {
        NativeHeapLimitKind.Limited => $"glibc malloc limited to {Arenas} arenas ({NativeHeap.EnvironmentVariable} overrides)",
        NativeHeapLimitKind.SetByEnvironment => $"glibc malloc arenas as {NativeHeap.EnvironmentVariable} sets them",
        _ => "not glibc: malloc arenas left as they are",
    };
}
