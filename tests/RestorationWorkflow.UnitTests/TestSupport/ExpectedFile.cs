using System.Runtime.CompilerServices;

namespace RestorationWorkflow.UnitTests.TestSupport;

/// <summary>
/// Compares text with an expected file checked into the test project and copied to the output. On a
/// mismatch the failure names the first differing line. With <c>UPDATE_EXPECTED=1</c> (and only then) the
/// checked-in file is rewritten with the actual text instead, for review in the diff before committing.
/// </summary>
internal static class ExpectedFile
{
    public const string UpdateVariable = "UPDATE_EXPECTED";

    private const string ProjectFile = "RestorationWorkflow.UnitTests.csproj";

    /// <param name="actual">The text produced now; its line ends must be <c>\n</c>.</param>
    /// <param name="relativePath">The file's path inside the test project, e.g. <c>Workflows/Expected/a.mmd</c>.</param>
    /// <param name="callerFile">Filled in by the compiler; used to find the test project's source folder.</param>
    public static void AssertMatches(string actual, string relativePath, [CallerFilePath] string callerFile = "")
    {
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentException.ThrowIfNullOrEmpty(relativePath);
        Assert.False(actual.Contains('\r', StringComparison.Ordinal), "The text has a \\r; only \\n line ends are expected.");

        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            var source = SourcePath(relativePath, callerFile);
            File.WriteAllText(source, actual);
            return;
        }

        var output = Path.Combine(AppContext.BaseDirectory, relativePath);
        Assert.True(File.Exists(output),
            $"The expected file {relativePath} is not in the test output ({output}). {HowToRefresh(relativePath)}");
        // A checkout that turned \n into \r\n is not a difference in what the code produces.
        var expected = File.ReadAllText(output).ReplaceLineEndings("\n");
        if (expected == actual)
            return;

        Assert.Fail($"The text differs from {relativePath}, {FirstDifference(expected, actual)}\n{HowToRefresh(relativePath)}");
    }

    /// <summary>Where the first difference is: the line number and both versions of that line.</summary>
    internal static string FirstDifference(string expected, string actual)
    {
        var expectedLines = Lines(expected);
        var actualLines = Lines(actual);
        for (var i = 0; i < Math.Max(expectedLines.Count, actualLines.Count); i++)
        {
            var e = i < expectedLines.Count ? expectedLines[i] : null;
            var a = i < actualLines.Count ? actualLines[i] : null;
            if (e != a)
                return $"first at line {i + 1}:\n  expected: {Show(e)}\n  actual:   {Show(a)}";
        }
        return expected.EndsWith('\n') ? "only in the line break at the end: the actual text has none" : "only in the line break at the end: the expected text has none";
    }

    /// <summary>The lines of <paramref name="text"/>; a final line break ends the last line rather than starting an empty one.</summary>
    private static List<string> Lines(string text)
    {
        var lines = text.Split('\n').ToList();
        if (lines.Count > 0 && lines[^1].Length == 0)
            lines.RemoveAt(lines.Count - 1);
        return lines;
    }

    private static string Show(string? line) => line switch
    {
        null => "(end of text)",
        "" => "(empty line)",
        _ => $"\"{line}\"",
    };

    private static string HowToRefresh(string relativePath) =>
        $"If the change is intended, refresh the file: set {UpdateVariable}=1, run the test again (e.g. " +
        $"`{UpdateVariable}=1 dotnet test tests/RestorationWorkflow.UnitTests --filter ExpectedFile`), " +
        $"review the diff of tests/RestorationWorkflow.UnitTests/{relativePath} and commit it.";

    /// <summary>The checked-in file: <paramref name="relativePath"/> under the folder of the test project file.</summary>
    private static string SourcePath(string relativePath, string callerFile)
    {
        var folder = Path.GetDirectoryName(callerFile);
        while (folder is not null && !File.Exists(Path.Combine(folder, ProjectFile)))
            folder = Path.GetDirectoryName(folder);
        Assert.True(folder is not null,
            $"{UpdateVariable}=1 needs the test project's sources: no {ProjectFile} above '{callerFile}'.");
        var path = Path.Combine(folder, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return path;
    }
}
