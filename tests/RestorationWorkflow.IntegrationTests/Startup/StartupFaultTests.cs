using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RestorationWorkflow.Data;
using RestorationWorkflow.Web.Infrastructure.Persistence;

namespace RestorationWorkflow.IntegrationTests.Startup;

/// <summary>
/// The built app as a process: a fault the operator must fix stops start-up with exit code 1 and one line on
/// standard error saying what and where, never an unhandled exception (exit code 134).
/// </summary>
public sealed class StartupFaultTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "rw-startup-faults", Guid.NewGuid().ToString("N"));
    private readonly List<string> _immutable = [];

    public StartupFaultTests()
    {
        Directory.CreateDirectory(Path.Combine(_root, "data"));
    }

    private string DatabaseFile => Path.Combine(_root, "data", "restoration.db");

    [Fact]
    public async Task ProjectsPinnedToDefinitionsThatAreNotLoaded_StopStartUp_NamingEachAndHowManyProjectsUseIt()
    {
        await CreateDatabaseAsync(
            Project("staper-restoration", 1),   // loaded: not named
            Project("staper-restoration", 9),
            Project("staper-restoration", 9),
            Project("retired-workflow", 2));

        var run = await RunAppAsync();

        Assert.Equal(1, run.ExitCode);
        var line = Assert.Single(run.ErrorLines);
        Assert.Contains("staper-restoration@9 (2 projects)", line, StringComparison.Ordinal);
        Assert.Contains("retired-workflow@2 (1 project)", line, StringComparison.Ordinal);
        Assert.DoesNotContain("staper-restoration@1 (", line, StringComparison.Ordinal);
        Assert.DoesNotContain("Now listening", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABadStepForm_StopsStartUp_NamingTheFileAndJsonPath()
    {
        var forms = Path.Combine(_root, "forms");
        Directory.CreateDirectory(forms);
        var shipped = Path.Combine(AppContext.BaseDirectory, "workflows", "forms");
        foreach (var file in Directory.EnumerateFiles(shipped, "*.json"))
            File.Copy(file, Path.Combine(forms, Path.GetFileName(file)));
        var a4 = Path.Combine(forms, "A4.v1.json");
        File.WriteAllText(a4, File.ReadAllText(a4).Replace("\"type\": \"number\"", "\"type\": \"decimal\"", StringComparison.Ordinal));

        var run = await RunAppAsync(environment: new() { ["Forms__Path"] = forms });

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(run.ErrorLines, l => l.StartsWith("A4.v1.json: $.properties.estimatedCost", StringComparison.Ordinal));
        Assert.DoesNotContain("Now listening", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProjectsOnLoadedDefinitions_Start()
    {
        await CreateDatabaseAsync(Project("staper-restoration", 1));

        var run = await RunAppAsync(untilListening: true);

        Assert.Contains("Now listening", run.Output, StringComparison.Ordinal);
        Assert.Empty(run.ErrorLines);
    }

    [Fact]
    public async Task AReadOnlyDatabaseFile_StopsStartUp_NamingTheFile()
    {
        await CreateDatabaseAsync();
        var connectionString = await MakeReadOnlyAsync(DatabaseFile);

        var run = await RunAppAsync(environment: connectionString is null ? null : new() { ["ConnectionStrings__Sqlite"] = connectionString });

        Assert.Equal(1, run.ExitCode);
        var line = Assert.Single(run.ErrorLines);
        Assert.Contains(DatabaseFile, line, StringComparison.Ordinal);
        Assert.Contains("readonly", line.Replace("-", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Unhandled exception", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AStorageRootThatCannotBeCreated_StopsStartUp_NamingIt()
    {
        // A regular file where a folder of the path should be: no user, root included, can create it.
        var file = Path.Combine(_root, "not-a-folder");
        await File.WriteAllTextAsync(file, "");
        var storageRoot = Path.Combine(file, "data");

        var run = await RunAppAsync(storageRoot: storageRoot);

        Assert.Equal(1, run.ExitCode);
        var line = Assert.Single(run.ErrorLines);
        Assert.Contains("Storage:Root", line, StringComparison.Ordinal);
        Assert.Contains(storageRoot, line, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", run.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Reminders__ScanCron", "every quarter hour", "Reminders:ScanCron")]
    [InlineData("Email__Smtp__Port", "smtp", "Email:Smtp:Port")]
    [InlineData("App__BaseUrl", "restoration.example.org", "App:BaseUrl")]
    [InlineData("Email__From", "not an address", "Email:From")]
    [InlineData("Reminders__BeforeDueDays", "soon", "Reminders:BeforeDueDays")]
    public async Task ABadReminderSetting_StopsStartUp_NamingTheKey(string variable, string value, string key)
    {
        var run = await RunAppAsync(environment: new Dictionary<string, string> { [variable] = value });

        Assert.Equal(1, run.ExitCode);
        var line = Assert.Single(run.ErrorLines);
        Assert.Contains(key, line, StringComparison.Ordinal);
        Assert.Contains(value, line, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", run.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ReverseProxy__KnownProxies", "proxy.internal", "ReverseProxy:KnownProxies")]
    [InlineData("ReverseProxy__KnownProxies__0", "10.0.5", "ReverseProxy:KnownProxies:0")]
    [InlineData("ReverseProxy__KnownNetworks", "10.0.0.1/24", "ReverseProxy:KnownNetworks")]
    [InlineData("ReverseProxy__KnownNetworks", "10.0.0.0/33", "ReverseProxy:KnownNetworks")]
    [InlineData("ReverseProxy__ForwardLimit", "0", "ReverseProxy:ForwardLimit")]
    public async Task ABadReverseProxySetting_StopsStartUp_NamingTheKey(string variable, string value, string key)
    {
        var run = await RunAppAsync(environment: new Dictionary<string, string> { [variable] = value });

        Assert.Equal(1, run.ExitCode);
        var line = Assert.Single(run.ErrorLines);
        Assert.StartsWith($"{key} '{value}' is not valid", line, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", run.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Evidence__MaxFileMegabytes", "0", "Evidence:MaxFileMegabytes")]
    [InlineData("Monitoring__ImportMaxRows", "0", "Monitoring:ImportMaxRows")]
    [InlineData("Portfolio__CacheEntries", "-1", "Portfolio:CacheEntries")]
    public async Task ASettingOutOfRange_StopsStartUp_NamingTheKey(string variable, string value, string key)
    {
        var run = await RunAppAsync(environment: new Dictionary<string, string> { [variable] = value });

        Assert.Equal(1, run.ExitCode);
        var line = Assert.Single(run.ErrorLines);
        Assert.Contains(key, line, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Now listening", run.Output, StringComparison.Ordinal);
        // Stopped before the database was created.
        Assert.False(File.Exists(DatabaseFile));
    }

    /// <summary>An INSERT of a project row pinned to <paramref name="workflowId"/>@<paramref name="version"/>.</summary>
    private static string Project(string workflowId, int version) => $"""
        INSERT INTO Projects (Id, Code, Name, Description, Country, EcosystemTypes, AreaHectares, State, StateBeforeSuspension,
            WorkflowId, WorkflowVersion, Version, CreatedAt, CreatedById, UpdatedAt, AuditSequence, AuditHead)
        VALUES ('{Guid.NewGuid().ToString().ToUpperInvariant()}', '{Guid.NewGuid():N}', 'Pinned', '', 'KE', '[]', '0', 'Draft', NULL,
            '{workflowId}', {version}, 1, 0, 'someone', 0, 0, '');
        """;

    /// <summary>The app's own migrations (and WAL) on the database file, then <paramref name="statements"/>.</summary>
    private async Task CreateDatabaseAsync(params string[] statements)
    {
        var services = new ServiceCollection();
        services.AddDbContext<AppDbContext>(o => o.UseSqlite($"Data Source={DatabaseFile}", s => s.MigrationsAssembly(PersistenceExtensions.SqliteMigrationsAssembly)));
        await using (var provider = services.BuildServiceProvider())
        {
            await provider.MigrateDatabaseAsync();
            await using var scope = provider.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            foreach (var statement in statements)
                await db.Database.ExecuteSqlRawAsync(statement);
        }
        SqliteConnection.ClearAllPools();
    }

    /// <summary>
    /// Makes the file read-only for the app: mode 0444, and for root (whom modes do not stop) the immutable
    /// attribute. Where neither holds, the connection string opens the file read-only, which SQLite treats the same.
    /// </summary>
    private async Task<string?> MakeReadOnlyAsync(string file)
    {
        if (OperatingSystem.IsWindows())
            return $"Data Source={file};Mode=ReadOnly";
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        if (Environment.UserName != "root")
            return null;
        if (await RunAsync("chattr", "+i", file) == 0)
        {
            _immutable.Add(file);
            return null;
        }
        return $"Data Source={file};Mode=ReadOnly";
    }

    private sealed record AppRun(int ExitCode, string Output, IReadOnlyList<string> ErrorLines);

    private async Task<AppRun> RunAppAsync(string? storageRoot = null, Dictionary<string, string>? environment = null, bool untilListening = false)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "RestorationWorkflow.Web.dll"), "--urls", "http://127.0.0.1:0"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _root,
        };
        start.Environment["Storage__Root"] = storageRoot ?? Path.Combine(_root, "data");
        start.Environment["Workflows__Path"] = Path.Combine(AppContext.BaseDirectory, "workflows");
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in environment ?? [])
            start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var output = new System.Text.StringBuilder();
        var errors = new List<string>();
        var listening = new TaskCompletionSource();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
                return;
            lock (output)
                output.AppendLine(e.Data);
            if (e.Data.Contains("Now listening", StringComparison.Ordinal))
                listening.TrySetResult();
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (!string.IsNullOrEmpty(e.Data))
            {
                lock (errors)
                    errors.Add(e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            if (untilListening)
            {
                await Task.WhenAny(listening.Task, process.WaitForExitAsync(timeout.Token));
                timeout.Token.ThrowIfCancellationRequested();
                process.Kill(entireProcessTree: true);
            }
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("The app neither stopped nor started listening: " + output);
        }
        process.WaitForExit(); // drains the asynchronous readers
        lock (output)
            return new AppRun(process.ExitCode, output.ToString(), [.. errors]);
    }

    private static async Task<int> RunAsync(string file, params string[] arguments)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            await process.WaitForExitAsync();
            return process.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return -1; // not installed
        }
    }

    public void Dispose()
    {
        foreach (var file in _immutable)
            RunAsync("chattr", "-i", file).GetAwaiter().GetResult();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left for the OS to clean.
        }
    }
}
