using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.Data.Sqlite;

namespace RestorationWorkflow.Benchmarks;

/// <summary>
/// The two transitions each client fires back and forth on its own project, and the path from the initial
/// state to where the cycle starts. Checked against the definition the app loaded before anything is measured.
/// A trigger of the path that ends in <c>?</c> is fired only where the definition has it (v1's StartPlanning, for
/// builds started with <c>--app</c> from before workflow v2).
/// </summary>
internal sealed record Cycle(string Name, string LoopState, string ForwardTrigger, string BackTrigger, string[] PathToLoopState, string Description)
{
    /// <summary>The default: Monitoring → Evaluation → Monitoring …, both fired by the project manager, no comment.</summary>
    public static readonly Cycle Monitoring = new("monitoring", "Monitoring", "StartEvaluation", "NextMonitoringCycle",
        ["StartAssessment", "SubmitAssessment", "ApproveConsent", "StartPlanning?", "SubmitPlan", "ApprovePlan", "StartMonitoring"],
        "StartEvaluation (manager) then NextMonitoringCycle (manager)");

    /// <summary>Submit → reject with a comment: Planning → PlanReview (manager) → Planning (approver, with a comment) ….</summary>
    public static readonly Cycle PlanReview = new("plan-review", "Planning", "SubmitPlan", "RejectPlan",
        ["StartAssessment", "SubmitAssessment", "ApproveConsent", "StartPlanning?"],
        "SubmitPlan (manager) then RejectPlan (approver, with a comment)");

    public static Cycle Parse(string? name) => name switch
    {
        null or "monitoring" => Monitoring,
        "plan-review" => PlanReview,
        _ => throw new UsageException($"--cycle must be monitoring or plan-review, not '{name}'."),
    };
}

/// <summary>A <see cref="Cycle"/> resolved against the loaded definition: its two transitions and the state between them.</summary>
internal sealed record ResolvedCycle(Cycle Cycle, string OtherState, TransitionModel Forward, TransitionModel Back)
{
    public const string Comment = "Benchmark: returned for revision.";

    /// <summary>Whether the app decides gates through approval requests (<see cref="ApiClient.HasApprovalRequestsAsync"/>).</summary>
    public bool ApprovalRequests { get; init; } = true;

    /// <summary>Fired through a decision on the gate's open request, not directly.</summary>
    public bool DecidedByApprovers(TransitionModel transition) => ApprovalRequests && transition.DecidedByApprovers;

    public static ResolvedCycle Resolve(Cycle cycle, WorkflowModel definition)
    {
        var forward = definition.GetTransition(cycle.LoopState, cycle.ForwardTrigger);
        var other = forward.To ?? throw new InvalidOperationException($"{cycle.ForwardTrigger} in {definition.Key} has no target state.");
        var back = definition.GetTransition(other, cycle.BackTrigger);
        if (back.To != cycle.LoopState)
            throw new InvalidOperationException($"{cycle.BackTrigger} in {definition.Key} leads to {back.To}, not back to {cycle.LoopState}.");
        return new ResolvedCycle(cycle, other, forward, back);
    }

    public static string? CommentFor(TransitionModel transition) => transition.RequiresComment ? Comment : null;

    /// <summary>Whether the approver fires it (the transition is not open to the project manager).</summary>
    public static bool ByApprover(TransitionModel transition)
    {
        if (transition.Roles.Contains("ProjectManager"))
            return false;
        if (transition.Roles.Contains("Approver"))
            return true;
        throw new InvalidOperationException(
            $"{transition.Trigger} is for {string.Join(", ", transition.Roles)}; the benchmark signs in as a manager and an approver only.");
    }

    public bool NeedsApprover => ByApprover(Forward) || ByApprover(Back);
}

/// <summary>
/// Where <c>transitions</c> runs: SQLite (the default, one node, the app's own file) or PostgreSQL with
/// <paramref name="Nodes"/> app processes on one database, on a throwaway cluster or the server of <paramref name="Connection"/>.
/// </summary>
internal sealed record TransitionsDatabase(bool PostgreSql, int Nodes, string? Connection, string? NodeOptions = null)
{
    public static TransitionsDatabase Parse(string? provider, int nodes, string? connection, string? nodeOptions = null)
    {
        var postgreSql = provider switch
        {
            null or "sqlite" => false,
            "postgresql" => true,
            _ => throw new UsageException($"--provider must be sqlite or postgresql, not '{provider}'."),
        };
        if (!postgreSql && nodes > 1)
            throw new UsageException("--nodes above 1 needs --provider postgresql: SQLite is one machine's embedded database.");
        if (!postgreSql && connection is not null)
            throw new UsageException("--connection is for --provider postgresql.");
        if (!postgreSql && nodeOptions is not null)
            throw new UsageException("--npgsql is for --provider postgresql.");
        if (nodeOptions is not null)
        {
            try
            {
                _ = new Npgsql.NpgsqlConnectionStringBuilder(nodeOptions);
            }
            catch (ArgumentException e)
            {
                throw new UsageException($"--npgsql is not a list of Npgsql connection-string keywords: {e.Message}");
            }
        }
        return new TransitionsDatabase(postgreSql, nodes, connection, nodeOptions);
    }
}

/// <summary>
/// Workflow transitions per second through the whole app (child processes) over HTTP, against bare commits of the
/// same writes on the same database (<see cref="BareSqliteBenchmark"/>, <see cref="BarePostgresBenchmark"/>), from
/// the same number of concurrent clients.
/// </summary>
internal static class TransitionsBenchmark
{
    public const string ManagerEmail = "pm@example.org";
    public const string ApproverEmail = "approver1@example.org";

    /// <summary>The second demo approver: the plan gate (v3) needs two distinct approvers.</summary>
    public const string SecondApproverEmail = "approver2@example.org";
    public const string DemoPassword = "Restore-Demo-2026!";

    public static async Task<int> RunAsync(LoadSettings settings, Cycle cycle, TransitionsDatabase database)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(database);
        var appDll = await AppProcess.FindOrBuildAsync(settings.AppPath);
        var root = AppProcess.RegisterTempFolder(Path.Combine(Path.GetTempPath(), "rw-bench", Guid.NewGuid().ToString("N")));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"transitions: cycle {cycle.Name}, {settings.Clients} clients, {settings.Seconds} s measured after {settings.WarmupSeconds} s warm-up, {Environment.ProcessorCount} cores, storage {root}"));
        PostgresServer? server = null;
        try
        {
            var appSettings = new Dictionary<string, string>(StringComparer.Ordinal);
            if (database.PostgreSql)
            {
                server = PostgresServer.Start(Path.Combine(root, "postgres"), database.Connection);
                var connectionString = server.CreateDatabase();
                var (version, serverSettings) = server.Describe();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"postgres: PostgreSQL {version}, {(server.IsThrowaway ? "a throwaway cluster started here" : "the server of --connection")}, database {new Npgsql.NpgsqlConnectionStringBuilder(connectionString).Database}; {string.Join(' ', serverSettings)}"));
                appSettings["Database__Provider"] = "PostgreSql";
                // --npgsql: keywords added to the nodes' connection string only (e.g. "Max Auto Prepare=20"); the bare
                // commits keep their own prepared commands.
                var nodeConnection = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
                if (database.NodeOptions is { } extra)
                {
                    foreach (var (key, value) in new Npgsql.NpgsqlConnectionStringBuilder(extra))
                        nodeConnection[key] = value;
                    Console.WriteLine($"nodes' Npgsql options: {extra}");
                }
                appSettings["ConnectionStrings__PostgreSql"] = nodeConnection.ConnectionString;
            }

            WindowResult http;
            ResolvedCycle loop;
            string databasePath;
            var apps = new List<AppProcess>();
            var httpClients = new List<HttpClient>();
            try
            {
                // Node 1 migrates and seeds the demo users; the others start once it is healthy (on the same database and
                // the same Storage:Root, the shared volume of a multi-node deployment) and find nothing left to do.
                for (var node = 0; node < database.Nodes; node++)
                {
                    var nodeSettings = new Dictionary<string, string>(appSettings, StringComparer.Ordinal);
                    if (node > 0)
                        nodeSettings["Seed__DemoUsers"] = "false";
                    apps.Add(await LoadRun.StartAppAsync(appDll, Path.Combine(root, "app"), nodeSettings));
                }
                // Clients round-robin over the nodes (client i on node i mod n), each node with its own pool of connections.
                var clientsPerNode = Enumerable.Range(0, database.Nodes).Select(n => Enumerable.Range(0, settings.Clients).Count(i => i % database.Nodes == n)).ToArray();
                foreach (var (app, i) in apps.Select((a, i) => (a, i)))
                    httpClients.Add(LoadRun.CreateHttpClient(app.BaseAddress, clientsPerNode[i]));
                var apis = httpClients.Select(c => new ApiClient(c)).ToArray();
                (var clients, loop) = await SetUpAsync(apis, settings.Clients, cycle);
                if (database.Nodes > 1)
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"nodes: {string.Join(", ", apps.Select((a, i) => $"node {i + 1} pid {a.Pid} {a.BaseAddress} {clientsPerNode[i]} clients"))}"));
                }
                http = await LoadRun.WarmUpAndMeasureAsync(clients, settings, "transitions", apps, server is { IsThrowaway: true } ? server.CpuTime : null);
                LoadRun.Report(http, "transitions", apps[0].Pid);
                databasePath = apps[0].DatabasePath;
            }
            finally
            {
                foreach (var client in httpClients)
                    client.Dispose();
                foreach (var app in apps)
                    await app.DisposeAsync();
            }
            // The apps have been stopped: the bare run has the machine (and the disk) to itself, as the apps had.
            var bare = server is null
                ? BareSqliteBenchmark.Run(settings, loop, Path.Combine(root, "bare"), databasePath)
                : BarePostgresBenchmark.Run(settings, loop, server.ConnectionString);

            var transitionsPerSecond = http.Rate;
            var commitsPerSecond = bare.Commits / bare.Elapsed.TotalSeconds;
            var ratio = commitsPerSecond > 0 ? transitionsPerSecond / commitsPerSecond : 0;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"bare: {bare.Commits} commits, {bare.Errors} errors in {bare.Elapsed.TotalSeconds:F2} s; {LoadRun.CpuPerOp(bare.Cpu, bare.Commits, "commits")}, {LoadRun.Share(bare.Cpu, bare.Elapsed)} of {Environment.ProcessorCount} cores (this process)"));

            var failed = http.ErrorRate > LoadRun.MaxErrorRate || bare.Errors > 0;
            if (failed)
            {
                await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"FAILED: {http.Errors} of {http.Successes + http.Errors} transitions failed ({http.ErrorRate:P2}, limit {LoadRun.MaxErrorRate:P0}); {bare.Errors} bare commits failed."));
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"transitions/s={transitionsPerSecond:F0} bare-commits/s={commitsPerSecond:F0} ratio={ratio:F2}"));
            return failed ? 1 : 0;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            server?.Dispose();
            AppProcess.TryDelete(root);
        }
    }

    /// <summary>
    /// Signs in, creates one project per client and drives it to the cycle's start over HTTP; then every client
    /// signs in with its own token(s).
    /// </summary>
    private static async Task<(LoadClient[] Clients, ResolvedCycle Loop)> SetUpAsync(ApiClient[] nodes, int count, Cycle cycle)
    {
        var setup = Stopwatch.StartNew();
        // Projects are created and driven to the cycle's start on node 1; each client signs in on its own node.
        var api = nodes[0];
        var manager = await api.LoginAsync(ManagerEmail, DemoPassword);
        var approvers = new[] { await api.LoginAsync(ApproverEmail, DemoPassword), await api.LoginAsync(SecondApproverEmail, DemoPassword) };

        var first = await api.CreateProjectAsync(manager, "Benchmark project 001");
        var definition = await api.GetWorkflowAsync(manager, first.Workflow
            ?? throw new InvalidOperationException("Creating a project answered no workflow."));
        var loop = ResolvedCycle.Resolve(cycle, definition) with { ApprovalRequests = await api.HasApprovalRequestsAsync(manager, first.Id) };
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"setup: workflow {definition.Key} as loaded by the app; cycle {cycle.LoopState} -{loop.Forward.Trigger}-> {loop.OtherState} -{loop.Back.Trigger}-> {cycle.LoopState}"));

        var projects = await Task.WhenAll(Enumerable.Range(1, count).Select(async i =>
        {
            var project = i == 1 ? first : await api.CreateProjectAsync(manager, string.Create(CultureInfo.InvariantCulture, $"Benchmark project {i:D3}"));
            return await DriveToLoopStateAsync(api, definition, loop, manager, approvers, project);
        }));
        var tokens = await Task.WhenAll(Enumerable.Range(0, count).Select(async i => (
            Manager: await nodes[i % nodes.Length].LoginAsync(ManagerEmail, DemoPassword),
            Approver: loop.NeedsApprover ? await nodes[i % nodes.Length].LoginAsync(ApproverEmail, DemoPassword) : null)));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"setup: {projects.Length} projects in {cycle.LoopState}, {count} clients signed in after {setup.ElapsedMilliseconds} ms (sign-in, create, checklist, transitions, approvals over HTTP)"));
        var clients = projects.Select((p, i) => (LoadClient)new TransitionClient(nodes[i % nodes.Length], loop, tokens[i].Manager, tokens[i].Approver, p)
        {
            Node = i % nodes.Length,
        }).ToArray();
        return (clients, loop);
    }

    /// <summary>
    /// Fires the cycle's path on a new project, completing before each transition the checklist steps its
    /// <c>checklistComplete</c> guards name; approvals are fired by the approver. Then completes the steps the
    /// cycle's own guards need (D1 for StartEvaluation, C1–C4 for SubmitPlan).
    /// </summary>
    private static async Task<ProjectVersion> DriveToLoopStateAsync(
        ApiClient api, WorkflowModel definition, ResolvedCycle loop, string manager, string[] approvers, ProjectVersion project)
    {
        var done = new HashSet<string>(StringComparer.Ordinal);
        foreach (var step in loop.Cycle.PathToLoopState)
        {
            var trigger = step.TrimEnd('?');
            if (step.EndsWith('?') && definition.FindTransition(project.State, trigger) is null)
                continue;
            var transition = definition.GetTransition(project.State, trigger);
            var version = await CompleteGuardStepsAsync(api, manager, project, transition, done);
            if (loop.DecidedByApprovers(transition))
            {
                // v3: the gate's approvers decide its request until the project moves on (the quorum).
                var request = await api.OpenRequestAsync(manager, project.Id, transition.Gate!);
                foreach (var approver in approvers)
                {
                    var (status, result, problem) = await api.DecideAsync(approver, project.Id, request, transition.Decision, "Benchmark set-up.");
                    if (result is null)
                        throw new InvalidOperationException($"Deciding {transition.Gate} on project {project.Id} answered {(int)status}: {problem}");
                    project = result;
                    if (project.State != transition.FromStates[0])
                        break;
                }
                continue;
            }
            project = await api.FireOrThrowAsync(ResolvedCycle.ByApprover(transition) ? approvers[0] : manager, project.Id, trigger, version,
                transition.RequiresComment ? "Benchmark set-up." : null);
        }
        if (project.State != loop.Cycle.LoopState)
            throw new InvalidOperationException($"Project {project.Id} ended set-up in {project.State}, not {loop.Cycle.LoopState}.");
        foreach (var transition in new[] { loop.Forward, loop.Back })
            project = project with { Version = await CompleteGuardStepsAsync(api, manager, project, transition, done) };
        return project;
    }

    private static async Task<int> CompleteGuardStepsAsync(ApiClient api, string token, ProjectVersion project, TransitionModel transition, HashSet<string> done)
    {
        var version = project.Version;
        foreach (var code in transition.ChecklistSteps)
        {
            if (done.Add(code))
                version = await api.CompleteStepAsync(token, project.Id, code, version);
        }
        // v2's plan guards: participation counted by gender in the named steps, and SMART targets. The consent and
        // safeguard guards hold for this project as it is (no IPLC stakeholder, no planting on grassland).
        foreach (var guard in transition.Guards ?? [])
        {
            if (guard.Type == "participationRecorded" && guard.Steps is [var step, ..] && done.Add("participation:" + step))
                version = await api.AddParticipationAsync(token, project.Id, step, version);
            else if (guard.Type == "planHasSmartTargets" && done.Add("targets"))
                version = await api.AddSmartTargetsAsync(token, project.Id, version);
        }
        return version;
    }

    /// <summary>One client: fires the cycle on its own project with the version it was given back.</summary>
    private sealed class TransitionClient(ApiClient api, ResolvedCycle loop, string managerToken, string? approverToken, ProjectVersion project)
        : LoadClient
    {
        private ProjectVersion _project = project;

        protected override async Task StepAsync()
        {
            var transition = _project.State == loop.Cycle.LoopState ? loop.Forward : loop.Back;
            var token = ResolvedCycle.ByApprover(transition) ? approverToken! : managerToken;
            var started = Stopwatch.GetTimestamp();
            HttpStatusCode status;
            ProjectVersion? result;
            try
            {
                if (loop.DecidedByApprovers(transition))
                {
                    // v3: a rejection is a decision on the open request, which the submission's answer names. A build from
                    // before that answer (or a client that lost its place after a failure) reads it first, outside the
                    // measured step.
                    if (_project.OpenedRequest is not { } request)
                    {
                        request = await api.OpenRequestAsync(managerToken, _project.Id, transition.Gate!);
                        started = Stopwatch.GetTimestamp();
                    }
                    (status, result, _) = await api.DecideAsync(token, _project.Id, request, transition.Decision, ResolvedCycle.Comment);
                    if (status == HttpStatusCode.Created)
                        status = HttpStatusCode.OK;
                }
                else
                {
                    (status, result, _) = await api.FireAsync(token, _project.Id, transition.Trigger, _project.Version, ResolvedCycle.CommentFor(transition));
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                (status, result) = (default, null);
            }
            if (status == HttpStatusCode.OK && result is not null)
            {
                Succeeded(started);
                _project = result;
                return;
            }
            Failed(started, status);
            try
            {
                // Carry on from what the server has (a 409 says the version moved under us).
                _project = await api.GetProjectAsync(managerToken, _project.Id);
                CountedFollowUp();
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or InvalidOperationException)
            {
                // The next attempt counts again; do not spin while the server cannot answer.
                await Task.Delay(TimeSpan.FromMilliseconds(100), CancellationToken.None);
            }
        }
    }
}
