using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace RestorationWorkflow.Benchmarks;

/// <summary>
/// The ceiling for a transition: the same two writes the app's SaveChanges makes (one UPDATE of the project row
/// with its version check, one INSERT of the audit row) committed in one transaction, through Microsoft.Data.Sqlite
/// directly with prepared commands, from as many concurrent clients as the HTTP run, each on its own connection.
/// The database is a separate file with the app's schema and data for the two tables (copied from the app's file
/// once the app has stopped), opened with the app's SQLite settings, written out here rather than taken from the app
/// so that the benchmark depends on none of its code: WAL on the file; pooling and a 30 s default timeout in the
/// connection string; synchronous=FULL, foreign_keys=ON, busy_timeout=30000 and cache_size=-32768 on every connection.
/// </summary>
internal static class BareSqliteBenchmark
{
    private static readonly string[] Tables = ["Projects", "AuditEvents"];

    /// <summary>What the app's connection interceptor runs on every connection it opens (decision 0006).</summary>
    private const string Pragmas = "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=30000; PRAGMA cache_size=-32768;";

    public static BareRun.Result Run(LoadSettings settings, ResolvedCycle loop, string folder, string appDatabasePath)
    {
        Directory.CreateDirectory(folder);
        var databasePath = Path.Combine(folder, "restoration.db");
        // As the app builds its connection string: Pooling=true, DefaultTimeout=30 (Microsoft.Data.Sqlite retries SQLITE_BUSY that long).
        var connectionString = new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = true, DefaultTimeout = 30 }.ToString();
        var (projects, chainHeadOnProject) = CopySchemaAndData(connectionString, appDatabasePath);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"bare: {databasePath} with the app's Projects/AuditEvents schema and rows; {settings.Clients} clients on their own connections; {loop.Cycle.LoopState} <-> {loop.OtherState}; UPDATE sets {(chainHeadOnProject ? "State, UpdatedAt, Version and the chain head (AuditSequence, AuditHead)" : "State, UpdatedAt, Version")}"));

        var workers = Enumerable.Range(0, settings.Clients)
            .Select(i => new Worker(connectionString, projects[i % projects.Count], loop, chainHeadOnProject))
            .ToArray();
        try
        {
            return BareRun.WarmUpAndMeasure(workers, settings, "bare-sqlite");
        }
        finally
        {
            foreach (var worker in workers)
                worker.Dispose();
        }
    }

    /// <summary>
    /// Creates the two tables (and their indexes) exactly as the app's migration made them, copies their rows,
    /// and sets WAL once as the app does at start-up. Answers the projects, one per client, and whether the project
    /// row carries the audit chain head (AuditSequence, AuditHead), which the app's UPDATE then sets too.
    /// </summary>
    private static (List<ProjectRow> Projects, bool ChainHeadOnProject) CopySchemaAndData(string connectionString, string appDatabasePath)
    {
        using var connection = Open(connectionString);
        Execute(connection, "PRAGMA journal_mode=WAL;");
        Execute(connection, $"ATTACH DATABASE '{appDatabasePath.Replace("'", "''", StringComparison.Ordinal)}' AS app;");
        var ddl = new List<string>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = """
                SELECT sql FROM app.sqlite_master
                WHERE tbl_name IN ('Projects', 'AuditEvents') AND sql IS NOT NULL
                ORDER BY CASE type WHEN 'table' THEN 0 ELSE 1 END, CASE tbl_name WHEN 'Projects' THEN 0 ELSE 1 END;
                """;
            using var reader = command.ExecuteReader();
            while (reader.Read())
                ddl.Add(reader.GetString(0));
        }
        if (ddl.Count < Tables.Length)
            throw new InvalidOperationException($"The app's database {appDatabasePath} has no Projects/AuditEvents tables.");
        using (var transaction = connection.BeginTransaction())
        {
            foreach (var sql in ddl)
                Execute(connection, sql, transaction);
            foreach (var table in Tables)
                Execute(connection, $"INSERT INTO main.\"{table}\" SELECT * FROM app.\"{table}\";", transaction);
            transaction.Commit();
        }
        Execute(connection, "DETACH DATABASE app;");

        var columns = new HashSet<string>(StringComparer.Ordinal);
        using (var command = connection.CreateCommand())
        {
            command.CommandText = """SELECT name FROM pragma_table_info('Projects');""";
            using var reader = command.ExecuteReader();
            while (reader.Read())
                columns.Add(reader.GetString(0));
        }
        var chainHeadOnProject = columns.Contains("AuditSequence") && columns.Contains("AuditHead");

        var projects = new List<ProjectRow>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = """
                SELECT p."Id", p."State", p."Version", p."WorkflowId", p."WorkflowVersion",
                       (SELECT MAX(e."Sequence") FROM "AuditEvents" e WHERE e."ProjectId" = p."Id"),
                       (SELECT e."Hash" FROM "AuditEvents" e WHERE e."ProjectId" = p."Id" ORDER BY e."Sequence" DESC LIMIT 1)
                FROM "Projects" p ORDER BY p."Name";
                """;
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                projects.Add(new ProjectRow(reader.GetString(0), reader.GetString(1), reader.GetInt32(2),
                    reader.GetString(3), reader.GetInt32(4), reader.IsDBNull(5) ? 0 : reader.GetInt32(5),
                    reader.IsDBNull(6) ? new string('0', 64) : reader.GetString(6)));
            }
        }
        if (projects.Count == 0)
            throw new InvalidOperationException("The app's database has no projects to update.");
        return (projects, chainHeadOnProject);
    }

    private sealed record ProjectRow(string Id, string State, int Version, string WorkflowId, int WorkflowVersion, int LastSequence, string LastHash);

    /// <summary>Opens a pooled connection with the app's per-connection pragmas (what its interceptor runs).</summary>
    private static SqliteConnection Open(string connectionString)
    {
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        Execute(connection, Pragmas);
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        command.ExecuteNonQuery();
    }

    /// <summary>One client: its own connection and two prepared commands, one transaction per state change.</summary>
    private sealed class Worker : BareWorker, IDisposable
    {
        private readonly ResolvedCycle _loop;
        private readonly SqliteConnection _connection;
        private readonly SqliteCommand _update;
        private readonly SqliteCommand _insert;
        private readonly ProjectRow _project;
        private readonly string _actorId;
        private string _state;
        private int _version;
        private int _sequence;
        private string _previousHash;

        public Worker(string connectionString, ProjectRow project, ResolvedCycle loop, bool chainHeadOnProject)
        {
            _loop = loop;
            _project = project;
            _state = project.State;
            _version = project.Version;
            _sequence = project.LastSequence;
            _previousHash = project.LastHash;
            _actorId = Guid.NewGuid().ToString();
            _connection = Open(connectionString);

            // What EF Core sends for the project (its version is the concurrency token; the audit chain head lives
            // on the row where the schema has it) and the audit event.
            _update = _connection.CreateCommand();
            _update.CommandText = chainHeadOnProject
                ? """
                  UPDATE "Projects" SET "AuditHead" = $hash, "AuditSequence" = $sequence, "State" = $state, "UpdatedAt" = $at, "Version" = $newVersion
                  WHERE "Id" = $id AND "Version" = $version;
                  """
                : """
                  UPDATE "Projects" SET "State" = $state, "UpdatedAt" = $at, "Version" = $newVersion
                  WHERE "Id" = $id AND "Version" = $version;
                  """;
            if (chainHeadOnProject)
            {
                _update.Parameters.Add("$hash", SqliteType.Text);
                _update.Parameters.Add("$sequence", SqliteType.Integer);
            }
            _update.Parameters.Add("$state", SqliteType.Text);
            // DateTimeOffset columns hold UTC ticks (the app's value converter).
            _update.Parameters.Add("$at", SqliteType.Integer);
            _update.Parameters.Add("$newVersion", SqliteType.Integer);
            _update.Parameters.Add("$id", SqliteType.Text).Value = project.Id;
            _update.Parameters.Add("$version", SqliteType.Integer);

            _insert = _connection.CreateCommand();
            _insert.CommandText = """
                INSERT INTO "AuditEvents" ("Action", "ActorId", "ActorName", "At", "Changes", "Comment", "FromState", "Hash",
                    "PreviousHash", "ProjectId", "Sequence", "ToState", "Trigger", "WorkflowId", "WorkflowVersion")
                VALUES ('workflow.transition', $actorId, 'Pat Manager', $at, $changes, $comment, $from, $hash,
                    $previousHash, $projectId, $sequence, $to, $trigger, $workflowId, $workflowVersion);
                """;
            _insert.Parameters.Add("$actorId", SqliteType.Text).Value = _actorId;
            _insert.Parameters.Add("$at", SqliteType.Integer);
            _insert.Parameters.Add("$changes", SqliteType.Text);
            _insert.Parameters.Add("$comment", SqliteType.Text);
            _insert.Parameters.Add("$from", SqliteType.Text);
            _insert.Parameters.Add("$hash", SqliteType.Text);
            _insert.Parameters.Add("$previousHash", SqliteType.Text);
            _insert.Parameters.Add("$projectId", SqliteType.Text).Value = project.Id;
            _insert.Parameters.Add("$sequence", SqliteType.Integer);
            _insert.Parameters.Add("$to", SqliteType.Text);
            _insert.Parameters.Add("$trigger", SqliteType.Text);
            _insert.Parameters.Add("$workflowId", SqliteType.Text).Value = project.WorkflowId;
            _insert.Parameters.Add("$workflowVersion", SqliteType.Integer).Value = project.WorkflowVersion;
            _update.Prepare();
            _insert.Prepare();
        }

        public override void Run(CancellationToken stop)
        {
            while (!stop.IsCancellationRequested)
            {
                var from = _state;
                var transition = from == _loop.Cycle.LoopState ? _loop.Forward : _loop.Back;
                var to = transition.To!;
                var at = DateTimeOffset.UtcNow.UtcTicks;
                var hash = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()) + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());
                try
                {
                    // BEGIN IMMEDIATE, as EF Core's SaveChanges transaction on Microsoft.Data.Sqlite.
                    using var transaction = _connection.BeginTransaction();
                    _update.Transaction = transaction;
                    _insert.Transaction = transaction;
                    _update.Parameters["$state"].Value = to;
                    _update.Parameters["$at"].Value = at;
                    _update.Parameters["$newVersion"].Value = _version + 1;
                    _update.Parameters["$version"].Value = _version;
                    if (_update.Parameters.Contains("$hash"))
                    {
                        _update.Parameters["$hash"].Value = hash;
                        _update.Parameters["$sequence"].Value = _sequence + 1;
                    }
                    if (_update.ExecuteNonQuery() != 1)
                        throw new InvalidOperationException($"Project {_project.Id} is not at version {_version}.");
                    _insert.Parameters["$at"].Value = at;
                    _insert.Parameters["$changes"].Value = $$$"""{"state":{"old":"{{{from}}}","new":"{{{to}}}"}}""";
                    _insert.Parameters["$comment"].Value = (object?)ResolvedCycle.CommentFor(transition) ?? DBNull.Value;
                    _insert.Parameters["$from"].Value = from;
                    _insert.Parameters["$hash"].Value = hash;
                    _insert.Parameters["$previousHash"].Value = _previousHash;
                    _insert.Parameters["$sequence"].Value = _sequence + 1;
                    _insert.Parameters["$to"].Value = to;
                    _insert.Parameters["$trigger"].Value = transition.Trigger;
                    _insert.ExecuteNonQuery();
                    transaction.Commit();
                }
                catch (Exception ex) when (ex is SqliteException or InvalidOperationException)
                {
                    Interlocked.Increment(ref Errors);
                    LastError = ex.Message;
                    continue;
                }
                _state = to;
                _version++;
                _sequence++;
                _previousHash = hash;
                Interlocked.Increment(ref Commits);
            }
        }

        public void Dispose()
        {
            _update.Dispose();
            _insert.Dispose();
            _connection.Dispose();
        }
    }
}
