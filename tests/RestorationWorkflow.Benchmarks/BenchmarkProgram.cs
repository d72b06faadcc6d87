namespace RestorationWorkflow.Benchmarks;

/// <summary>The entry point: a scenario name, then <c>--name value</c> options.</summary>
internal static class BenchmarkProgram
{
    private const string Usage = """
        Usage: dotnet run -c Release --project tests/RestorationWorkflow.Benchmarks -- <scenario> [options]

        The app runs as a child process (dotnet RestorationWorkflow.Web.dll --urls http://127.0.0.1:<free port>;
        ASPNETCORE_ENVIRONMENT=Production, Seed__DemoUsers=true, Logging__LogLevel__Default=Warning, a fresh temp
        Storage__Root with its own SQLite file). This process is the load generator: it waits for GET /health/live
        (or /health) to answer 200, then drives the app over HTTP with --clients concurrent clients, each on its own
        keep-alive connection with its own bearer token (POST /api/auth/login as the demo users). --warmup seconds
        (not counted: on 2 cores tiered JIT takes ~20 s to settle), then --seconds measured. The child is killed at the
        end, on Ctrl+C and on errors. Each load scenario reports ops/s, requests/s, latency p50/p95/p99, the app's
        CPU time per op and RSS (at the end and peak, from /proc/<pid>), and the load generator's own CPU separately.

        Load scenarios: [--seconds 10] [--clients 32] [--warmup 20] [--app path/to/RestorationWorkflow.Web.dll]
          transitions [--cycle monitoring|plan-review] [--provider sqlite|postgresql] [--nodes 1] [--connection "Host=…"]
              [--npgsql "Max Auto Prepare=20"]
              Each client fires two transitions back and forth on its own project, the triggers checked against the
              workflow new projects start on (workflows/staper-restoration.v2.json): monitoring (default) is
              Monitoring -StartEvaluation-> Evaluation -NextMonitoringCycle-> Monitoring; plan-review is the submit ->
              reject-with-a-comment cycle Planning -SubmitPlan-> PlanReview -RejectPlan (approver)-> Planning.
              Then, with the app stopped, bare SQLite commits (one UPDATE plus one audit INSERT per transaction, the
              app's SQLite settings) from as many clients on a copy of the app's Projects/AuditEvents tables.
              --provider postgresql: the app on PostgreSQL (Database__Provider=PostgreSql), in a fresh database of a
              throwaway cluster started here (initdb into the temp folder as the postgres user, pg_ctl on a free port
              of 127.0.0.1; fsync, synchronous_commit and full_page_writes on, shared_buffers=256MB, max_connections=300;
              stopped with pg_ctl -m fast and deleted at the end) or, with --connection, of that server (the run
              creates and drops its own database there). --nodes N starts N app processes on that database (node 1
              migrates and seeds, the others start after it; one Storage__Root) and puts client i on node i mod N;
              per-node figures and the server's CPU are reported. The bare commits (Npgsql, prepared commands) run on
              the app's own Projects/AuditEvents tables on the same server once the nodes have stopped. --npgsql adds
              Npgsql connection-string keywords to the nodes' connection string (not the bare commits').
              Last line: transitions/s=N bare-commits/s=M ratio=R
          reads
              Each client GETs /api/projects/{id} of its own project with its own token.
              Last line: reads/s=N p50-ms=N p95-ms=N
          search [--projects 10000]
              Starts the app once (database, one template project), stops it, inserts --projects copies of the template
              with varied names, codes, countries, ecosystem types, states, situations and update times straight into
              its SQLite file, starts it again; each client cycles through a mix of filtered, sorted and paged
              GET /api/projects queries (SearchBenchmark.Queries) with its own token.
              Last line: searches/s=N p50-ms=N p95-ms=N
          inbox [--projects 10000] (default --clients 4)
              Starts the app once (database, six more managers and two more approvers, one template project), stops it,
              seeds its SQLite file: --projects projects over eight managers, 2,000 open approval requests (consent, plan,
              evaluation; due dates spread; ~6 KB snapshots; resubmissions, stale ones, approvals already given), the
              first approver on one team in twenty, 100,000 audit events; starts it again. Clients signed in as
              approver1 GET /api/inbox, then GET /api/projects (first page), each after its own warm-up.
              Last line: inbox-p95-ms=N project-list-p95-ms=M
          portfolio [--projects 10000] [--measurements 1000000] [--cache on|off] (default --clients 4)
              Starts the app once (database, one template project), stops it, seeds its SQLite file: --projects projects
              over ten countries, every state and one to three ecosystem types (managed by pm or pm2 in turn), two sites
              and two targets each, --measurements measurements spread over the targets, one due item each (a third
              overdue), one feedback or approval transition each; starts it again. Clients signed in as approver1 GET
              /api/portfolio (every project), then clients signed in as pm (half of them), each after its own warm-up.
              --cache off starts the app with its dashboard cache off (Portfolio__CacheEntries=0): every request computes.
              Last line: portfolio-p95-ms=N
          health
              Each client alternates GET /health/live and /health/ready without a token (/health on builds without them).
              Last line: health/s=N p50-ms=N p95-ms=N

        reminders [--projects 100000] [--state steady|catch-up] [--app path/to/RestorationWorkflow.Web.dll]
              Starts the app once (database, six more managers, one template project), stops it, seeds its SQLite file:
              --projects projects over eight managers, five due items each (500,000) due from 180 days ago to 365 days
              ahead, and (steady, the default) the reminders earlier scans sent, so that only the items crossing a
              threshold today are reminded; catch-up seeds none (every item in range is reminded). Then runs
              `dotnet RestorationWorkflow.Web.dll scan-reminders` (Production): one full scan in the app's process.
              Last line: reminder-scan-s=N peak-managed-mb=M

        coldstart [--runs 5] [--app path/to/RestorationWorkflow.Web.dll]
              Starts the app (Production, no demo users) until GET /health answers 200, --runs times.
              Last line: coldstart-ms median=N min=N max=N

        pdf [--runs 7] [--warmup 3] [--language en|zh-Hans] [--out path/to/dossier.pdf]
              In this process, no app or database: builds a large project's dossier input in memory (330 targets, 540
              participation events, 66 approval requests with 132 decisions, 23 steps with filled forms, 12 sites), renders
              it --warmup times, then --runs times timed (the PDF goes to a counting sink; --out also writes one copy),
              sampling the managed heap every 2 ms. Fails unless the dossier has 95-110 pages.
              Last line: pdf-100-pages-ms=N peak-managed-mb=M (N the median render)

        queries [--executions 100000] [--rounds 5]
              In this process, no app or HTTP: a temp SQLite file with the app's model and migrations and one user row; a
              compiled query reads that row by its key (untracked) on one thread, --executions times per round with EF Core's
              own liftable-constant processor and with the app's (decision 0067) in turn, each after a warm-up as long.
              Last line: query-us ef-core=N app=M bytes ef-core=A app=B (medians of the rounds, per execution)

        Without --app: src/RestorationWorkflow.Web/bin/Release/net10.0/RestorationWorkflow.Web.dll, which dotnet run -c Release
        of this project builds (and which is built here if missing).
        """;

    public static async Task<int> Main(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            Console.WriteLine(Usage);
            return args.Length == 0 ? 2 : 0;
        }

        try
        {
            var options = CommandLine.Parse(args[1..]);
            switch (args[0])
            {
                case "transitions":
                    options.AllowOnly([.. LoadOptions, "cycle", "provider", "nodes", "connection", "npgsql"]);
                    return await TransitionsBenchmark.RunAsync(LoadSettings(options), Cycle.Parse(options.GetString("cycle")),
                        TransitionsDatabase.Parse(options.GetString("provider"), options.GetInt("nodes", 1, min: 1), options.GetString("connection"),
                            options.GetString("npgsql")));
                case "reads":
                    options.AllowOnly(LoadOptions);
                    return await ReadsBenchmark.RunAsync(LoadSettings(options));
                case "search":
                    options.AllowOnly([.. LoadOptions, "projects"]);
                    return await SearchBenchmark.RunAsync(LoadSettings(options), options.GetInt("projects", 10_000, min: 1));
                case "inbox":
                    options.AllowOnly([.. LoadOptions, "projects"]);
                    return await InboxBenchmark.RunAsync(LoadSettings(options) with { Clients = options.GetInt("clients", 4, min: 1) }, options.GetInt("projects", 10_000, min: 2_000));
                case "portfolio":
                    options.AllowOnly([.. LoadOptions, "projects", "measurements", "cache"]);
                    return await PortfolioBenchmark.RunAsync(LoadSettings(options) with { Clients = options.GetInt("clients", 4, min: 1) },
                        options.GetInt("projects", 10_000, min: 1), options.GetInt("measurements", 1_000_000, min: 0),
                        options.GetString("cache") switch
                        {
                            null or "on" => true,
                            "off" => false,
                            var other => throw new UsageException($"--cache is on or off, not {other}."),
                        });
                case "health":
                    options.AllowOnly(LoadOptions);
                    return await HealthBenchmark.RunAsync(LoadSettings(options));
                case "reminders":
                    options.AllowOnly("projects", "state", "app");
                    return await ReminderBenchmark.RunAsync(options.GetString("app"), options.GetInt("projects", 100_000, min: 1),
                        options.GetString("state") switch
                        {
                            null or "steady" => true,
                            "catch-up" => false,
                            var other => throw new UsageException($"--state must be steady or catch-up, not '{other}'."),
                        });
                case "pdf":
                    options.AllowOnly("runs", "warmup", "language", "out");
                    return PdfBenchmark.Run(options.GetInt("runs", 7, min: 1), options.GetInt("warmup", 3, min: 0),
                        options.GetString("language") switch
                        {
                            null or "en" => "en",
                            "zh-Hans" => "zh-Hans",
                            var other => throw new UsageException($"--language must be en or zh-Hans, not '{other}'."),
                        }, options.GetString("out"));
                case "queries":
                    options.AllowOnly("executions", "rounds");
                    return await QueryBenchmark.RunAsync(options.GetInt("executions", 100_000, min: 1), options.GetInt("rounds", 5, min: 1));
                case "coldstart":
                    options.AllowOnly("runs", "app");
                    return await ColdStartBenchmark.RunAsync(options.GetInt("runs", 5, min: 1), options.GetString("app"));
                default:
                    throw new UsageException($"Unknown scenario '{args[0]}'.");
            }
        }
        catch (UsageException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message);
            await Console.Error.WriteLineAsync(Usage);
            return 2;
        }
        catch (AppFailedException ex)
        {
            await Console.Error.WriteLineAsync($"FAILED: {ex.Message}; the app's last output:");
            await ex.App.DumpOutputAsync();
            return 1;
        }
    }

    private static readonly string[] LoadOptions = ["seconds", "clients", "warmup", "app"];

    private static LoadSettings LoadSettings(CommandLine options) => new(
        Seconds: options.GetInt("seconds", 10, min: 1),
        Clients: options.GetInt("clients", 32, min: 1),
        WarmupSeconds: options.GetInt("warmup", 20, min: 0),
        AppPath: options.GetString("app"));
}
