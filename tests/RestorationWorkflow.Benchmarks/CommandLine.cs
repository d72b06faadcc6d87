using System.Globalization;

namespace RestorationWorkflow.Benchmarks;

/// <summary><c>--name value</c> pairs after the command.</summary>
internal sealed class CommandLine
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public static CommandLine Parse(string[] args)
    {
        var result = new CommandLine();
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
                throw new UsageException($"Expected '--name value' but found '{args[i]}'.");
            result._values[args[i][2..]] = args[++i];
        }
        return result;
    }

    public string? GetString(string name) => _values.GetValueOrDefault(name);

    /// <summary>Stops the run on an option the scenario does not know (a typo would otherwise measure the defaults).</summary>
    public CommandLine AllowOnly(params string[] names)
    {
        foreach (var name in _values.Keys.Where(k => !names.Contains(k, StringComparer.Ordinal)))
            throw new UsageException($"Unknown option --{name} here; known: {string.Join(", ", names.Select(n => "--" + n))}.");
        return this;
    }

    /// <summary>The integer after <c>--name</c>; a bad value stops the run (exit code 2) rather than measure the wrong thing.</summary>
    public int GetInt(string name, int fallback, int min)
    {
        if (!_values.TryGetValue(name, out var text))
            return fallback;
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min)
            throw new UsageException($"--{name} must be an integer >= {min}, not '{text}'.");
        return value;
    }
}

/// <summary>A bad command line: the run stops with exit code 2 and the usage text.</summary>
internal sealed class UsageException(string message) : Exception(message);
