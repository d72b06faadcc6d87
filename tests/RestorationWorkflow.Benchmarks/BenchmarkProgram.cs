namespace RestorationWorkflow.Benchmarks;

/// <summary>
/// The entry point (not top-level statements: the generated <c>Program</c> would clash with the web app's).
/// </summary>
internal static class BenchmarkProgram
{
    private const string Usage = """
        Usage:
          transitions [--seconds 10] [--clients 8] [--warmup 20]
              The real app in-process on Kestrel (127.0.0.1, free port, SQLite in a temp folder): each client
              drives its own project Monitoring <-> Evaluation over HTTP; then bare SQLite commits (one UPDATE
              plus one audit INSERT per transaction) from as many clients, same settings, same duration.
              The warm-up (not counted) lets tiered JIT settle (on 2 cores it takes ~20 s) before the measured seconds.
              Last line: transitions/s=N bare-commits/s=M ratio=R
          coldstart [--runs 5] [--app path/to/RestorationWorkflow.Web.dll]
              Starts the built app (Release) as a child process until GET /health answers 200, --runs times.
              Last line: coldstart-ms median=N min=N max=N
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
                    return await TransitionsBenchmark.RunAsync(new TransitionsSettings(
                        Seconds: options.GetInt("seconds", 10, min: 1),
                        Clients: options.GetInt("clients", 32, min: 1),
                        WarmupSeconds: options.GetInt("warmup", 20, min: 0)));
                case "coldstart":
                    return await ColdStartBenchmark.RunAsync(options.GetInt("runs", 5, min: 1), options.GetString("app"));
                default:
                    throw new UsageException($"Unknown command '{args[0]}'.");
            }
        }
        catch (UsageException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message);
            await Console.Error.WriteLineAsync(Usage);
            return 2;
        }
    }
}
