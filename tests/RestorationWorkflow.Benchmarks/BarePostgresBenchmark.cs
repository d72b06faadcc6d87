using System.Diagnostics;
using System.Globalization;
using Npgsql;
using NpgsqlTypes;

namespace RestorationWorkflow.Benchmarks;

/// <summary>
/// The PostgreSQL counterpart of <see cref="BareSqliteBenchmark"/>: the ceiling for a transition on the same server.
/// The same two writes the app's SaveChanges makes (one UPDATE of the project row with its version check and the audit
/// chain head, one INSERT of the audit row) committed in one transaction, through Npgsql directly with prepared
/// commands, from as many concurrent clients as the HTTP run, each on its own connection. It runs on the app's own
/// <c>Projects</c>/<c>AuditEvents</c> tables (the schema, indexes, foreign key and rows the app's migration and the
/// HTTP run left) once every app node has stopped, continuing each project's version and chain; the connection
/// string is the one the nodes had (Npgsql's defaults: pooling on, no automatic preparation, READ COMMITTED).
/// </summary>
internal static class BarePostgresBenchmark
{
    public static BareRun.Result Run(LoadSettings settings, ResolvedCycle loop, string connectionString)
    {
        var projects = ReadProjects(connectionString);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"bare: PostgreSQL, the app's database and its Projects/AuditEvents tables; {settings.Clients} clients on their own connections; {loop.Cycle.LoopState} <-> {loop.OtherState}; UPDATE sets State, UpdatedAt, Version and the chain head (AuditSequence, AuditHead); prepared commands"));

        var workers = new List<Worker>();
        try
        {
            for (var i = 0; i < settings.Clients; i++)
                workers.Add(new Worker(connectionString, projects[i % projects.Count], loop));
            return BareRun.WarmUpAndMeasure(workers, settings, "bare-postgres");
        }
        finally
        {
            foreach (var worker in workers)
                worker.Dispose();
        }
    }

    /// <summary>Each project as the HTTP run left it: state, version, workflow and the head of its audit chain.</summary>
    private static List<ProjectRow> ReadProjects(string connectionString)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var command = new NpgsqlCommand("""
            SELECT p."Id", p."State", p."Version", p."WorkflowId", p."WorkflowVersion",
                   (SELECT MAX(e."Sequence") FROM "AuditEvents" e WHERE e."ProjectId" = p."Id"),
                   (SELECT e."Hash" FROM "AuditEvents" e WHERE e."ProjectId" = p."Id" ORDER BY e."Sequence" DESC LIMIT 1)
            FROM "Projects" p ORDER BY p."Name";
            """, connection);
        using var reader = command.ExecuteReader();
        var projects = new List<ProjectRow>();
        while (reader.Read())
        {
            projects.Add(new ProjectRow(reader.GetGuid(0), reader.GetString(1), reader.GetInt32(2), reader.GetString(3), reader.GetInt32(4),
                reader.IsDBNull(5) ? 0 : reader.GetInt32(5), reader.IsDBNull(6) ? new string('0', 64) : reader.GetString(6)));
        }
        if (projects.Count == 0)
            throw new InvalidOperationException("The app's database has no projects to update.");
        return projects;
    }

    private sealed record ProjectRow(Guid Id, string State, int Version, string WorkflowId, int WorkflowVersion, int LastSequence, string LastHash);

    /// <summary>One client: its own connection and two prepared commands, one transaction per state change.</summary>
    private sealed class Worker : BareWorker, IDisposable
    {
        private readonly ResolvedCycle _loop;
        private readonly NpgsqlConnection _connection;
        private readonly NpgsqlCommand _update;
        private readonly NpgsqlCommand _insert;
        private readonly ProjectRow _project;
        private string _state;
        private int _version;
        private int _sequence;
        private string _previousHash;

        public Worker(string connectionString, ProjectRow project, ResolvedCycle loop)
        {
            _loop = loop;
            _project = project;
            _state = project.State;
            _version = project.Version;
            _sequence = project.LastSequence;
            _previousHash = project.LastHash;
            _connection = new NpgsqlConnection(connectionString);
            _connection.Open();

            // What EF Core sends for the project (its version is the concurrency token; the chain head lives on the row).
            _update = new NpgsqlCommand("""
                UPDATE "Projects" SET "AuditHead" = @hash, "AuditSequence" = @sequence, "State" = @state, "UpdatedAt" = @at, "Version" = @newVersion
                WHERE "Id" = @id AND "Version" = @version;
                """, _connection);
            _update.Parameters.Add(new NpgsqlParameter("hash", NpgsqlDbType.Varchar));
            _update.Parameters.Add(new NpgsqlParameter("sequence", NpgsqlDbType.Integer));
            _update.Parameters.Add(new NpgsqlParameter("state", NpgsqlDbType.Varchar));
            // DateTimeOffset columns hold UTC ticks as bigint (the app's value converter, decision 0041).
            _update.Parameters.Add(new NpgsqlParameter("at", NpgsqlDbType.Bigint));
            _update.Parameters.Add(new NpgsqlParameter("newVersion", NpgsqlDbType.Integer));
            _update.Parameters.Add(new NpgsqlParameter("id", NpgsqlDbType.Uuid) { Value = project.Id });
            _update.Parameters.Add(new NpgsqlParameter("version", NpgsqlDbType.Integer));

            _insert = new NpgsqlCommand("""
                INSERT INTO "AuditEvents" ("Action", "ActorId", "ActorName", "At", "Changes", "Comment", "FromState", "Hash",
                    "PreviousHash", "ProjectId", "Sequence", "ToState", "Trigger", "WorkflowId", "WorkflowVersion")
                VALUES ('workflow.transition', @actorId, 'Pat Manager', @at, @changes, @comment, @from, @hash,
                    @previousHash, @projectId, @sequence, @to, @trigger, @workflowId, @workflowVersion);
                """, _connection);
            _insert.Parameters.Add(new NpgsqlParameter("actorId", NpgsqlDbType.Varchar) { Value = Guid.NewGuid().ToString() });
            _insert.Parameters.Add(new NpgsqlParameter("at", NpgsqlDbType.Bigint));
            _insert.Parameters.Add(new NpgsqlParameter("changes", NpgsqlDbType.Text));
            _insert.Parameters.Add(new NpgsqlParameter("comment", NpgsqlDbType.Varchar));
            _insert.Parameters.Add(new NpgsqlParameter("from", NpgsqlDbType.Varchar));
            _insert.Parameters.Add(new NpgsqlParameter("hash", NpgsqlDbType.Char));
            _insert.Parameters.Add(new NpgsqlParameter("previousHash", NpgsqlDbType.Char));
            _insert.Parameters.Add(new NpgsqlParameter("projectId", NpgsqlDbType.Uuid) { Value = project.Id });
            _insert.Parameters.Add(new NpgsqlParameter("sequence", NpgsqlDbType.Integer));
            _insert.Parameters.Add(new NpgsqlParameter("to", NpgsqlDbType.Varchar));
            _insert.Parameters.Add(new NpgsqlParameter("trigger", NpgsqlDbType.Varchar));
            _insert.Parameters.Add(new NpgsqlParameter("workflowId", NpgsqlDbType.Varchar) { Value = project.WorkflowId });
            _insert.Parameters.Add(new NpgsqlParameter("workflowVersion", NpgsqlDbType.Integer) { Value = project.WorkflowVersion });
            // Server-side prepared statements on this connection (Parse once, then Bind/Execute per commit).
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
                    // BEGIN goes out with the UPDATE (Npgsql sends it lazily), as in EF Core's SaveChanges transaction.
                    using var transaction = _connection.BeginTransaction();
                    _update.Transaction = transaction;
                    _insert.Transaction = transaction;
                    _update.Parameters["hash"].Value = hash;
                    _update.Parameters["sequence"].Value = _sequence + 1;
                    _update.Parameters["state"].Value = to;
                    _update.Parameters["at"].Value = at;
                    _update.Parameters["newVersion"].Value = _version + 1;
                    _update.Parameters["version"].Value = _version;
                    if (_update.ExecuteNonQuery() != 1)
                        throw new InvalidOperationException($"Project {_project.Id} is not at version {_version}.");
                    _insert.Parameters["at"].Value = at;
                    _insert.Parameters["changes"].Value = $$$"""{"state":{"old":"{{{from}}}","new":"{{{to}}}"}}""";
                    _insert.Parameters["comment"].Value = (object?)ResolvedCycle.CommentFor(transition) ?? DBNull.Value;
                    _insert.Parameters["from"].Value = from;
                    _insert.Parameters["hash"].Value = hash;
                    _insert.Parameters["previousHash"].Value = _previousHash;
                    _insert.Parameters["sequence"].Value = _sequence + 1;
                    _insert.Parameters["to"].Value = to;
                    _insert.Parameters["trigger"].Value = transition.Trigger;
                    _insert.ExecuteNonQuery();
                    transaction.Commit();
                }
                catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
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
