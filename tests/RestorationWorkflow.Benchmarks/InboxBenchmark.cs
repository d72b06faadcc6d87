using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;

namespace RestorationWorkflow.Benchmarks;

/// <summary>
/// The inbox at scale. The app starts once (database, demo users, six more managers and two more approvers created
/// through <c>/api/admin/users</c>, one template project), is stopped, and its SQLite file is seeded from this process:
/// <c>--projects</c> projects (10,000) spread over eight managers, 2,000 of them in a review state with an open approval
/// request (gates consent / plan / evaluation, due dates from ten days past to two weeks ahead, a canonical snapshot of
/// about 6 KB, one in five a resubmission with its superseded predecessor, one in twenty stale, a third of the plan
/// requests with one approval already), the first approver on the team of one project in twenty, and 100,000 audit
/// events. The app is started again; clients signed in as the first approver GET <c>/api/inbox</c>, then GET
/// <c>/api/projects</c> (first page), each after its own warm-up.
/// </summary>
internal static class InboxBenchmark
{
    private const string AdminEmail = "admin@example.org";
    private const string Password = "Restore-Demo-2026!";
    private const int OpenRequests = 2_000;
    private const int AuditEvents = 100_000;

    private static readonly string[] CountryCodes = ["KE", "CN", "BR", "PE", "ID", "IN", "FR", "US", "TZ", "MX"];
    private static readonly string[] OtherStates = ["Draft", "Assessment", "Planning", "Implementation", "Monitoring", "Evaluation", "Closed", "Suspended"];
    private static readonly string[] Words = ["river", "forest", "mangrove", "peatland", "savanna", "coral", "terrace", "wetland", "prairie", "delta"];

    public static async Task<int> RunAsync(LoadSettings settings, int projects)
    {
        var appDll = await AppProcess.FindOrBuildAsync(settings.AppPath);
        var root = AppProcess.RegisterTempFolder(Path.Combine(Path.GetTempPath(), "rw-bench", Guid.NewGuid().ToString("N")));
        var storage = Path.Combine(root, "app");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"inbox: {projects} projects, {OpenRequests} open requests, {AuditEvents} audit events; {settings.Clients} clients, {settings.Seconds} s measured after {settings.WarmupSeconds} s warm-up per endpoint, {Environment.ProcessorCount} cores, storage {root}"));
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
                for (var i = 3; i <= 4; i++)
                    await CreateUserAsync(client, admin, string.Create(CultureInfo.InvariantCulture, $"approver{i}@example.org"), "Approver");
                var token = await api.LoginAsync(TransitionsBenchmark.ManagerEmail, Password);
                await api.CreateProjectAsync(token, "Inbox template");
                databasePath = first.DatabasePath;
            }
            var seeding = Stopwatch.StartNew();
            var approverOnTeams = Seed(databasePath, projects);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"seed: {projects} projects, {OpenRequests} open requests, {AuditEvents} audit events, approver1 on {approverOnTeams} teams, in {seeding.ElapsedMilliseconds} ms (app stopped)"));

            WindowResult inbox, list;
            await using (var app = await LoadRun.StartAppAsync(appDll, storage))
            {
                using var client = LoadRun.CreateHttpClient(app.BaseAddress, settings.Clients);
                var api = new ApiClient(client);
                var tokens = await Task.WhenAll(Enumerable.Range(0, settings.Clients).Select(_ => api.LoginAsync(TransitionsBenchmark.ApproverEmail, Password)));
                using (var probe = new HttpRequestMessage(HttpMethod.Get, "/api/inbox"))
                {
                    probe.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens[0]);
                    using var response = await client.SendAsync(probe);
                    var body = await response.Content.ReadAsStringAsync();
                    var counts = body.IndexOf("\"counts\"", StringComparison.Ordinal) is var at and >= 0 ? body[at..Math.Min(body.Length, at + 140)] : body[..Math.Min(body.Length, 200)];
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"probe: GET /api/inbox as approver1 → {(int)response.StatusCode}, {body.Length} bytes, {counts}"));
                }

                inbox = await LoadRun.WarmUpAndMeasureAsync([.. tokens.Select(t => (LoadClient)new GetClient(client, t, "/api/inbox"))], settings, "inbox reads", app);
                LoadRun.Report(inbox, "inbox reads", app.Pid);
                list = await LoadRun.WarmUpAndMeasureAsync([.. tokens.Select(t => (LoadClient)new GetClient(client, t, "/api/projects"))], settings, "project lists", app);
                LoadRun.Report(list, "project lists", app.Pid);
            }
            var failed = inbox.ErrorRate > LoadRun.MaxErrorRate || list.ErrorRate > LoadRun.MaxErrorRate;
            if (failed)
            {
                await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"FAILED: inbox {inbox.Errors} errors ({inbox.ErrorRate:P2}), project list {list.Errors} errors ({list.ErrorRate:P2}), limit {LoadRun.MaxErrorRate:P0}."));
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"inbox/s={inbox.Rate:F0} p50-ms={inbox.P(0.50):F2}; project-list/s={list.Rate:F0} p50-ms={list.P(0.50):F2}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"inbox-p95-ms={inbox.P(0.95):F0} project-list-p95-ms={list.P(0.95):F0}"));
            return failed ? 1 : 0;
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

    /// <summary>Seeds the stopped app's database in one transaction; answers on how many teams approver1 was put.</summary>
    private static int Seed(string databasePath, int count)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = false }.ToString());
        connection.Open();
        var users = Query(connection, "SELECT Email, Id FROM AspNetUsers").ToDictionary(r => r[0], r => r[1], StringComparer.OrdinalIgnoreCase);
        string[] managers = [users["pm@example.org"], users["pm2@example.org"], .. Enumerable.Range(1, 6).Select(i => users[$"manager{i}@example.org"])];
        var approver1 = users["approver1@example.org"];
        string[] otherApprovers = [users["approver2@example.org"], users["approver3@example.org"], users["approver4@example.org"]];
        var template = Query(connection, "SELECT Id FROM Projects WHERE Name = 'Inbox template'").Single()[0];
        var columns = Query(connection, "SELECT name FROM pragma_table_info('Projects')").Select(r => r[0]).ToList();
        var auditColumns = Query(connection, "SELECT name FROM pragma_table_info('AuditEvents')").Select(r => r[0]).Where(c => c != "Id").ToList();

        using var transaction = connection.BeginTransaction();
        string[] varied = ["Id", "Name", "Code", "Country", "State", "UpdatedAt", "CreatedAt", "CreatedById", "StateEnteredById", "Description"];
        using var project = Command(connection, transaction,
            $"INSERT INTO Projects ({string.Join(", ", columns.Select(c => $"\"{c}\""))}) SELECT "
            + string.Join(", ", columns.Select(c => varied.Contains(c) ? "@" + c : $"\"{c}\""))
            + " FROM Projects WHERE Id = @template", [.. varied.Where(columns.Contains), "template"]);
        using var member = Command(connection, transaction,
            "INSERT INTO ProjectMembers (ProjectId, UserId, Role, AddedAt) VALUES (@p, @u, @r, @at)", ["p", "u", "r", "at"]);
        using var audit = Command(connection, transaction,
            $"INSERT INTO AuditEvents ({string.Join(", ", auditColumns.Select(c => $"\"{c}\""))}) SELECT "
            + string.Join(", ", auditColumns.Select(c => c is "ProjectId" or "Sequence" or "At" ? "@" + c : $"\"{c}\""))
            + " FROM AuditEvents WHERE ProjectId = @template AND Sequence = 1", ["ProjectId", "Sequence", "At", "template"]);
        using var request = Command(connection, transaction,
            "INSERT INTO ApprovalRequests (Id, ProjectId, Gate, State, WorkflowVersion, Sequence, SubmittedById, OpenedAt, DueAt, Quorum, Snapshot, SnapshotHash, "
            + "PreviousRequestId, Status, ClosedAt, Stale, StaleSince, StaleSections, Revision) VALUES (@id, @p, @gate, @state, @wv, @seq, @by, @opened, @due, @quorum, "
            + "@snapshot, @hash, @previous, @status, @closed, @stale, @staleSince, @staleSections, 0)",
            ["id", "p", "gate", "state", "wv", "seq", "by", "opened", "due", "quorum", "snapshot", "hash", "previous", "status", "closed", "stale", "staleSince", "staleSections"]);
        using var decision = Command(connection, transaction,
            "INSERT INTO ApprovalDecisions (Id, RequestId, ProjectId, Decision, DeciderId, OnBehalfOfId, Comment, Sections, SnapshotHash, DecidedAt) "
            + "VALUES (@id, @r, @p, 'Approve', @by, NULL, 'Checked for the benchmark.', '[]', @hash, @at)", ["id", "r", "p", "by", "hash", "at"]);
        var workflowVersion = int.Parse(Query(connection, "SELECT WorkflowVersion FROM Projects WHERE Id = '" + template + "'").Single()[0], CultureInfo.InvariantCulture);

        var random = new Random(17);
        var now = DateTimeOffset.UtcNow;
        var sequence = new Dictionary<string, int>(StringComparer.Ordinal);
        var onTeams = 0;
        var auditPerProject = AuditEvents / count;
        var auditExtra = AuditEvents - (auditPerProject * count);
        for (var i = 0; i < count; i++)
        {
            var id = Guid.NewGuid().ToString().ToUpperInvariant();
            var manager = managers[random.Next(managers.Length)];
            // The first OpenRequests projects are in review: half plan, a third consent, the rest evaluation.
            var (state, gate, quorum) = i >= OpenRequests ? (OtherStates[random.Next(OtherStates.Length)], null, 0)
                : (i % 20) switch
                {
                    < 10 => ("PlanReview", "plan", 2),
                    < 17 => ("ConsentReview", "consent", 1),
                    _ => ("EvaluationReview", "evaluation", 1),
                };
            var country = CountryCodes[random.Next(CountryCodes.Length)];
            var prefix = $"{country}-2026-";
            sequence[prefix] = sequence.GetValueOrDefault(prefix) + 1;
            var updated = now.AddDays(-random.NextDouble() * 400).UtcTicks;
            Set(project, "Id", id);
            Set(project, "Name", string.Create(CultureInfo.InvariantCulture, $"{Words[random.Next(Words.Length)]} restoration {i:D5}"));
            Set(project, "Code", string.Create(CultureInfo.InvariantCulture, $"{prefix}{sequence[prefix] + 1:D4}"));
            Set(project, "Country", country);
            Set(project, "State", state);
            Set(project, "UpdatedAt", updated);
            Set(project, "CreatedAt", updated);
            Set(project, "CreatedById", manager);
            Set(project, "StateEnteredById", manager);
            Set(project, "Description", $"Restoring a degraded {Words[random.Next(Words.Length)]} with the community.");
            Set(project, "template", template);
            project.ExecuteNonQuery();

            AddMember(member, id, manager, "Manager", now);
            if (random.Next(4) == 0)
                AddMember(member, id, managers[(Array.IndexOf(managers, manager) + 1) % managers.Length], "Member", now);
            if (random.Next(20) == 0)
            {
                AddMember(member, id, approver1, "Member", now);
                onTeams++;
            }

            var events = auditPerProject + (i < auditExtra ? 1 : 0);
            for (var s = 1; s <= events; s++)
            {
                Set(audit, "ProjectId", id);
                Set(audit, "Sequence", s);
                Set(audit, "At", updated - ((events - s) * TimeSpan.TicksPerHour));
                Set(audit, "template", template);
                audit.ExecuteNonQuery();
            }

            if (gate is null)
                continue;
            var opened = now.AddDays(-random.Next(1, 20));
            var due = now.AddDays(-10 + (random.NextDouble() * 24));
            string? previousId = null;
            var seq = 1;
            var content = random.Next();
            var snapshot = Snapshot(content, gate, variant: 0);
            if (random.Next(5) == 0)
            {
                previousId = Guid.NewGuid().ToString().ToUpperInvariant();
                var old = Snapshot(content, gate, variant: 1);
                InsertRequest(request, previousId, id, gate, state, workflowVersion, 1, manager, opened.AddDays(-15), opened.AddDays(-5), quorum, old, null,
                    status: 3, closed: opened, stale: true, staleSections: "consents");
                seq = 2;
            }
            var requestId = Guid.NewGuid().ToString().ToUpperInvariant();
            var stale = random.Next(20) == 0;
            InsertRequest(request, requestId, id, gate, state, workflowVersion, seq, manager, opened, due, quorum, snapshot, previousId,
                status: 0, closed: null, stale: stale, staleSections: stale ? "consents" : "");
            if (gate == "plan" && random.Next(3) == 0)
            {
                var by = random.Next(30) == 0 ? approver1 : otherApprovers[random.Next(otherApprovers.Length)];
                Set(decision, "id", Guid.NewGuid().ToString().ToUpperInvariant());
                Set(decision, "r", requestId);
                Set(decision, "p", id);
                Set(decision, "by", by);
                Set(decision, "hash", Sha256(snapshot));
                Set(decision, "at", opened.AddDays(1).UtcTicks);
                decision.ExecuteNonQuery();
            }
        }
        transaction.Commit();
        using var analyze = connection.CreateCommand();
        analyze.CommandText = "ANALYZE";
        analyze.ExecuteNonQuery();
        return onTeams;
    }

    private static void InsertRequest(
        SqliteCommand command, string id, string projectId, string gate, string state, int workflowVersion, int sequence, string by, DateTimeOffset opened,
        DateTimeOffset due, int quorum, string snapshot, string? previous, int status, DateTimeOffset? closed, bool stale, string staleSections)
    {
        Set(command, "id", id);
        Set(command, "p", projectId);
        Set(command, "gate", gate);
        Set(command, "state", state);
        Set(command, "wv", workflowVersion);
        Set(command, "seq", sequence);
        Set(command, "by", by);
        Set(command, "opened", opened.UtcTicks);
        Set(command, "due", due.UtcTicks);
        Set(command, "quorum", quorum);
        Set(command, "snapshot", snapshot);
        Set(command, "hash", Sha256(snapshot));
        Set(command, "previous", (object?)previous ?? DBNull.Value);
        Set(command, "status", status);
        Set(command, "closed", closed is { } c ? c.UtcTicks : DBNull.Value);
        Set(command, "stale", stale ? 1 : 0);
        Set(command, "staleSince", stale ? opened.AddDays(1).UtcTicks : DBNull.Value);
        Set(command, "staleSections", staleSections);
        command.ExecuteNonQuery();
    }

    private static void AddMember(SqliteCommand member, string projectId, string userId, string role, DateTimeOffset now)
    {
        Set(member, "p", projectId);
        Set(member, "u", userId);
        Set(member, "r", role);
        Set(member, "at", now.UtcTicks);
        member.ExecuteNonQuery();
    }

    /// <summary>
    /// A canonical snapshot (sorted keys, no white space) of about 6 KB: registry, team, checklist, consents,
    /// stakeholders, targets and safeguards keyed by ids, as the app's snapshot builder writes them.
    /// </summary>
    private static string Snapshot(int content, string gate, int variant)
    {
        // The same records (ids) in both variants of a project's snapshot; a resubmission (variant 1 is the
        // superseded one) differs in a few values: one consent withdrawn, consent dates, the monitoring frequency.
        var random = new Random(content);
        Guid NextId()
        {
            var bytes = new byte[16];
            random.NextBytes(bytes);
            return new Guid(bytes);
        }
        var b = new StringBuilder(7_000);
        b.Append("{\"checklist\":{");
        string[] steps = ["A1", "A2", "A3", "A4", "A5", "A6", "B1", "B2", "B3", "B4", "B5", "C1", "C2", "C3", "C4", "D1", "D2", "D3"];
        b.AppendJoin(',', steps.Select(s => $"\"{s}\":{{\"note\":\"Settled with the county office.\",\"status\":\"done\"}}"));
        b.Append("},\"consents\":{");
        b.AppendJoin(',', Enumerable.Range(0, 4).Select(i => string.Create(CultureInfo.InvariantCulture,
            $"\"{NextId():N}\":{{\"date\":\"2026-0{1 + i}-1{variant}\",\"outcome\":\"{(variant == 1 && i == 0 ? "withdrawn" : "granted")}\",\"scopes\":[\"assessment\",\"plan\",\"implementation\"],\"stakeholder\":\"Community {i}\"}}")));
        b.Append("},\"registry\":{\"areaHectares\":").Append(random.Next(10, 5000)).Append(",\"country\":\"KE\",\"description\":\"Restoring a degraded riparian forest with the community; ")
            .Append(new string('x', 200)).Append("\",\"gate\":\"").Append(gate).Append("\",\"name\":\"Benchmark project\"},\"stakeholders\":{");
        b.AppendJoin(',', Enumerable.Range(0, 6).Select(i => $"\"{NextId():N}\":{{\"group\":\"localCommunity\",\"isIplc\":true,\"name\":\"Community {i}\"}}"));
        b.Append("},\"targets\":{");
        b.AppendJoin(',', Enumerable.Range(0, 5).Select(i => string.Create(CultureInfo.InvariantCulture,
            $"\"{NextId():N}\":{{\"action\":\"increase\",\"baseline\":{{\"date\":\"2025-06-01\",\"source\":\"2025 plot survey\",\"value\":{40 + i}}},\"deadline\":\"2031-06-30\",\"indicator\":\"vegetationBiomass\",\"monitoringMonths\":{12 - variant},\"quantity\":50,\"unit\":\"t/ha\"}}")));
        b.Append("},\"safeguards\":{");
        b.AppendJoin(',', Enumerable.Range(1, 9).Select(n => $"\"{n}\":{{\"answer\":\"addressed\",\"note\":\"Covered in section {n} of the plan; the community agreed the rules at the village meeting.\"}}"));
        b.Append("}}");
        return b.ToString();
    }

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

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

    /// <summary>One client: GET <paramref name="path"/> with its own token; a 200 counts.</summary>
    private sealed class GetClient(HttpClient http, string token, string path) : LoadClient
    {
        protected override async Task StepAsync()
        {
            await MeasureOkAsync(() => GetAsync(http, path, token));
        }
    }
}
