using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Data.Sqlite;

namespace RestorationWorkflow.Benchmarks;

/// <summary>
/// One full reminder scan at scale. The app starts once (database, demo users, six more managers created through
/// <c>/api/admin/users</c>, one template project) and is stopped; its SQLite file is seeded from this process with
/// <c>--projects</c> projects (100,000), each with one manager of eight (one in four a second manager, one in twenty
/// approver1 on the team) and five due items (two monitoring reviews, a target deadline, the plan review, the step
/// window) due on days spread evenly from 180 days ago to 365 days ahead. With <c>--state steady</c> (default) the
/// reminders earlier scans would have sent are in <c>SentReminders</c>, so the scan is the first one after midnight:
/// it reads every item up to today + 14 days and reminds the items that crossed a threshold today; <c>catch-up</c>
/// seeds none, so every item in range is reminded (a first scan over an old database). Then the app runs
/// <c>scan-reminders</c> (Release, Production) as a child process — the scan job in the app's own process and
/// configuration, like every other scenario — which prints the scan's time and the managed heap's peak.
/// </summary>
internal static class ReminderBenchmark
{
    private const string AdminEmail = "admin@example.org";
    private const string Password = "Restore-Demo-2026!";
    private const int ItemsPerProject = 5;
    private const int PastDays = 180;
    private const int FutureDays = 365;

    // The app's defaults (ReminderThresholds): the benchmark mirrors the schedule to seed what earlier scans sent.
    private static readonly int[] BeforeDueDays = [14, 3];
    private const int EscalationDays = 7;

    private static readonly string[] Kinds = ["targetMonitoring", "targetMonitoring", "targetDeadline", "planReview", "stepWindow"];
    private static readonly string[] Words = ["river", "forest", "mangrove", "peatland", "savanna", "coral", "terrace", "wetland", "prairie", "delta"];

    public static async Task<int> RunAsync(string? appPath, int projects, bool steady)
    {
        var appDll = await AppProcess.FindOrBuildAsync(appPath);
        var root = AppProcess.RegisterTempFolder(Path.Combine(Path.GetTempPath(), "rw-bench", Guid.NewGuid().ToString("N")));
        var storage = Path.Combine(root, "app");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"reminders: {projects} projects, {projects * ItemsPerProject} due items, state {(steady ? "steady" : "catch-up")}, {Environment.ProcessorCount} cores, storage {root}"));
        try
        {
            string databasePath;
            await using (var first = await LoadRun.StartAppAsync(appDll, storage))
            {
                using var client = LoadRun.CreateHttpClient(first.BaseAddress, 1);
                var api = new ApiClient(client);
                var admin = await api.LoginAsync(AdminEmail, Password);
                for (var i = 1; i <= 6; i++)
                    await CreateUserAsync(client, admin, string.Create(CultureInfo.InvariantCulture, $"manager{i}@example.org"), "ProjectManager");
                var token = await api.LoginAsync(TransitionsBenchmark.ManagerEmail, Password);
                await api.CreateProjectAsync(token, "Reminder template");
                databasePath = first.DatabasePath;
            }
            var seeding = Stopwatch.StartNew();
            var seeded = Seed(databasePath, projects, steady);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"seed: {projects} projects, {seeded.Items} due items ({seeded.InRange} due by today + 14 days), {seeded.Sent} reminders already sent, {seeded.Expected} to send, in {seeding.ElapsedMilliseconds} ms (app stopped)"));

            var started = Stopwatch.StartNew();
            await using var scan = AppProcess.Start(appDll, storage, AppProcess.BenchmarkEnvironment(storage), ["scan-reminders"]);
            long peakRss = 0;
            var cpu = TimeSpan.Zero;
            var machineBefore = ProcFs.Machine();
            using var sampling = new CancellationTokenSource();
            var sampler = Task.Run(async () =>
            {
                while (!sampling.IsCancellationRequested && !scan.HasExited)
                {
                    if (scan.Sample() is { } sample)
                    {
                        peakRss = Math.Max(peakRss, sample.PeakRssKiB);
                        cpu = sample.Cpu;
                    }
                    await Task.Delay(20, CancellationToken.None);
                }
            });
            var exit = await scan.WaitForExitAsync(TimeSpan.FromMinutes(10));
            await sampling.CancelAsync();
            await sampler;
            var wall = started.Elapsed;
            var busy = ProcFs.BusyShare(machineBefore, ProcFs.Machine());
            var output = scan.RecentOutput.ToList();
            var summary = output.LastOrDefault(l => l.StartsWith("scan-reminders:", StringComparison.Ordinal));
            var figures = output.LastOrDefault(l => l.StartsWith("scan-seconds=", StringComparison.Ordinal));
            if (exit != 0 || summary is null || figures is null)
                throw new AppFailedException($"scan-reminders exited with {exit} without its result lines", scan);
            Console.WriteLine("app> " + summary);
            Console.WriteLine("app> " + figures);
            var values = figures.Split(' ').Select(p => p.Split('=')).ToDictionary(p => p[0], p => double.Parse(p[1], CultureInfo.InvariantCulture), StringComparer.Ordinal);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"process: {wall.TotalSeconds:F1} s from start to exit (start-up, migrations check, scan), cpu {cpu.TotalSeconds:F1} s (last sample), peak rss {ProcFs.MiB(peakRss)}; machine {(busy is { } b ? b.ToString("P0", CultureInfo.InvariantCulture) : "n/a")} busy meanwhile"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"reminder-scan-s={values["scan-seconds"]:F2} peak-managed-mb={values["peak-managed-mb"]:F0}"));
            return 0;
        }
        finally
        {
            AppProcess.TryDelete(root);
        }
    }

    private static async Task CreateUserAsync(HttpClient client, string adminToken, string email, string role)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/admin/users")
        {
            Content = JsonContent.Create(new { email, displayName = email[..email.IndexOf('@', StringComparison.Ordinal)], password = Password, roles = new[] { role } }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminToken);
        using var response = await client.SendAsync(request);
        if (response.StatusCode != HttpStatusCode.Created)
            throw new InvalidOperationException($"Creating {email} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    private readonly record struct Seeded(int Items, int InRange, int Sent, int Expected);

    /// <summary>The latest stage reached on <paramref name="today"/> and the day it began (the app's ReminderSchedule, mirrored).</summary>
    private static (string Stage, DateOnly From)? Reached(DateOnly due, DateOnly today)
    {
        (string, DateOnly)? latest = null;
        foreach (var days in BeforeDueDays.OrderDescending())
        {
            if (due.AddDays(-days) <= today)
                latest = ("before" + days.ToString(CultureInfo.InvariantCulture), due.AddDays(-days));
        }
        if (due <= today)
            latest = ("due", due);
        if (due.AddDays(1) <= today)
            latest = ("overdue", due.AddDays(1));
        if (due.AddDays(EscalationDays) <= today)
            latest = ("escalation", due.AddDays(EscalationDays));
        return latest;
    }

    /// <summary>Seeds the stopped app's database in one transaction, with prepared statements.</summary>
    private static Seeded Seed(string databasePath, int count, bool steady)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = false }.ToString());
        connection.Open();
        var users = Query(connection, "SELECT Email, Id FROM AspNetUsers").ToDictionary(r => r[0], r => r[1], StringComparer.OrdinalIgnoreCase);
        string[] managers = [users["pm@example.org"], users["pm2@example.org"], .. Enumerable.Range(1, 6).Select(i => users[$"manager{i}@example.org"])];
        var approver1 = users["approver1@example.org"];
        var template = Query(connection, "SELECT Id FROM Projects WHERE Name = 'Reminder template'").Single()[0];
        var columns = Query(connection, "SELECT name FROM pragma_table_info('Projects')").Select(r => r[0]).ToList();

        using var transaction = connection.BeginTransaction();
        string[] varied = ["Id", "Name", "Code", "UpdatedAt", "CreatedAt", "CreatedById", "StateEnteredById"];
        using var project = Command(connection, transaction,
            $"INSERT INTO Projects ({string.Join(", ", columns.Select(c => $"\"{c}\""))}) SELECT "
            + string.Join(", ", columns.Select(c => varied.Contains(c) ? "@" + c : $"\"{c}\""))
            + " FROM Projects WHERE Id = @template", [.. varied.Where(columns.Contains), "template"]);
        using var member = Command(connection, transaction,
            "INSERT INTO ProjectMembers (ProjectId, UserId, Role, AddedAt) VALUES (@p, @u, @r, @at)", ["p", "u", "r", "at"]);
        using var item = Command(connection, transaction,
            "INSERT INTO DueItems (Id, ProjectId, Kind, Key, SourceId, DueOn, TitleEn, TitleZh, UpdatedAt, Settled) VALUES (@id, @p, @kind, @key, @source, @due, @en, @zh, @at, @settled)",
            ["id", "p", "kind", "key", "source", "due", "en", "zh", "at", "settled"]);
        using var sent = Command(connection, transaction,
            "INSERT INTO SentReminders (Id, Key, DueItemId, ProjectId, Stage, DueOn, CreatedAt) VALUES (@id, @key, @item, @p, @stage, @due, @at)",
            ["id", "key", "item", "p", "stage", "due", "at"]);

        var random = new Random(18);
        var now = DateTimeOffset.UtcNow;
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var horizon = today.AddDays(BeforeDueDays.Max());
        int items = 0, inRange = 0, sentCount = 0, expected = 0;
        for (var i = 0; i < count; i++)
        {
            var id = Guid.NewGuid().ToString().ToUpperInvariant();
            var manager = managers[random.Next(managers.Length)];
            var name = string.Create(CultureInfo.InvariantCulture, $"{Words[random.Next(Words.Length)]} restoration {i:D6}");
            Set(project, "Id", id);
            Set(project, "Name", name);
            Set(project, "Code", string.Create(CultureInfo.InvariantCulture, $"RM-{i:D6}"));
            Set(project, "UpdatedAt", now.UtcTicks);
            Set(project, "CreatedAt", now.UtcTicks);
            Set(project, "CreatedById", manager);
            Set(project, "StateEnteredById", manager);
            Set(project, "template", template);
            project.ExecuteNonQuery();
            AddMember(member, id, manager, "Manager", now);
            if (random.Next(4) == 0)
                AddMember(member, id, managers[(Array.IndexOf(managers, manager) + 1) % managers.Length], "Manager", now);
            if (random.Next(20) == 0)
                AddMember(member, id, approver1, "Member", now);

            foreach (var kind in Kinds)
            {
                var itemId = Guid.NewGuid();
                var due = today.AddDays(random.Next(-PastDays, FutureDays + 1));
                var reached = Reached(due, today);
                // Settled: an earlier scan sent its last stage (escalation), as the scan marks it.
                var settled = steady && reached is { Stage: "escalation" } last && last.From < today;
                Set(item, "id", itemId.ToString().ToUpperInvariant());
                Set(item, "p", id);
                Set(item, "kind", kind);
                Set(item, "key", $"{kind}:{itemId:N}");
                Set(item, "source", DBNull.Value);
                Set(item, "due", due.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                Set(item, "en", $"{kind} of {name}");
                Set(item, "zh", $"{name} 的 {kind}");
                Set(item, "at", now.UtcTicks);
                Set(item, "settled", settled ? 1 : 0);
                item.ExecuteNonQuery();
                items++;
                if (due <= horizon)
                    inRange++;
                if (reached is not { } stage)
                    continue;
                if (!steady || stage.From == today)
                {
                    expected++;
                    continue;
                }
                // An earlier scan (yesterday or before) sent this stage already.
                Set(sent, "id", Guid.NewGuid().ToString().ToUpperInvariant());
                Set(sent, "key", string.Create(CultureInfo.InvariantCulture, $"{itemId:N}:{stage.Stage}:{due:yyyy-MM-dd}"));
                Set(sent, "item", itemId.ToString().ToUpperInvariant());
                Set(sent, "p", id);
                Set(sent, "stage", stage.Stage);
                Set(sent, "due", due.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                Set(sent, "at", now.AddDays(-1).UtcTicks);
                sent.ExecuteNonQuery();
                sentCount++;
            }
        }
        transaction.Commit();
        using var analyze = connection.CreateCommand();
        analyze.CommandText = "ANALYZE";
        analyze.ExecuteNonQuery();
        return new Seeded(items, inRange, sentCount, expected);
    }

    private static void AddMember(SqliteCommand command, string projectId, string userId, string role, DateTimeOffset at)
    {
        Set(command, "p", projectId);
        Set(command, "u", userId);
        Set(command, "r", role);
        Set(command, "at", at.UtcTicks);
        command.ExecuteNonQuery();
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction transaction, string sql, IEnumerable<string> parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var name in parameters)
            command.Parameters.Add(new SqliteParameter("@" + name, null));
        return command;
    }

    private static void Set(SqliteCommand command, string name, object value)
    {
        var parameter = "@" + name;
        if (command.Parameters.Contains(parameter))
            command.Parameters[parameter].Value = value;
    }

    private static List<string[]> Query(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string[]>();
        while (reader.Read())
            rows.Add([.. Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "" : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture)!)]);
        return rows;
    }
}
