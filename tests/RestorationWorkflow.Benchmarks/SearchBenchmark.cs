using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace RestorationWorkflow.Benchmarks;

/// <summary>
/// The project list (search) at scale: the app starts once to create its database and one template project, is
/// stopped, <c>--projects</c> rows (10,000 by default) are inserted into its SQLite file from this process (copies of
/// the template with varied name, code, country, ecosystem types, state, situation and update time; no HTTP path is
/// added for this), and the app is started again. Each client then cycles through a fixed mix of filtered, sorted
/// and paged <c>GET /api/projects</c> queries with its own token.
/// </summary>
internal static class SearchBenchmark
{
    /// <summary>The mix: every filter, every sort, both orders, shallow and deep pages.</summary>
    public static readonly string[] Queries =
    [
        "",
        "?q=river",
        "?country=KE&sort=name",
        "?ecosystemType=reefs&sort=code&order=desc",
        "?step=C",
        "?state=Monitoring&sort=country",
        "?situation=underRestoration&sort=name&order=desc&page=3",
        "?q=BR-2026-01&sort=code",
        "?country=CN&ecosystemType=wetland&state=Planning",
        "?q=Trust&country=BR&page=2",
        "?sort=state&page=40",
        "?sort=name&page=200&pageSize=25",
    ];

    private static readonly string[] CountryCodes = ["KE", "CN", "BR", "PE", "ID", "IN", "FR", "US", "TZ", "MX"];
    // The states of staper-restoration v2, which the template project (created on the latest version) is pinned to.
    private static readonly string[] States = ["Draft", "Assessment", "ConsentReview", "Planning", "PlanReview", "Implementation", "Monitoring", "Evaluation", "Closed"];
    private static readonly string?[] Situations = ["underRestoration", "identifiedConsidered", "notYetConsidered", null];
    private static readonly string[] Ecosystems = ["forest", "grassland", "savanna", "cropland", "wetland", "otherTerrestrial", "inlandWater", "marineCoastal", "reefs", "urban"];
    private static readonly string[] Words = ["river", "forest", "mangrove", "peatland", "savanna", "coral", "terrace", "wetland", "prairie", "delta"];
    private static readonly string[] Leads = ["Forest Service", "Wetlands Trust", "Reef Alliance", "Community Council", "Water Agency"];

    public static async Task<int> RunAsync(LoadSettings settings, int projects)
    {
        var appDll = await AppProcess.FindOrBuildAsync(settings.AppPath);
        var root = AppProcess.RegisterTempFolder(Path.Combine(Path.GetTempPath(), "rw-bench", Guid.NewGuid().ToString("N")));
        var storage = Path.Combine(root, "app");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"search: {projects} projects, {settings.Clients} clients, {settings.Seconds} s measured after {settings.WarmupSeconds} s warm-up, {Environment.ProcessorCount} cores, storage {root}"));
        try
        {
            string databasePath;
            await using (var first = await LoadRun.StartAppAsync(appDll, storage))
            {
                using var client = LoadRun.CreateHttpClient(first.BaseAddress, 1);
                var api = new ApiClient(client);
                var token = await api.LoginAsync(TransitionsBenchmark.ManagerEmail, TransitionsBenchmark.DemoPassword);
                await api.CreateProjectAsync(token, "Search template");
                databasePath = first.DatabasePath;
            }
            var seeding = Stopwatch.StartNew();
            Seed(databasePath, projects);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seed: {projects} projects inserted into {databasePath} in {seeding.ElapsedMilliseconds} ms (app stopped)"));

            WindowResult result;
            await using (var app = await LoadRun.StartAppAsync(appDll, storage))
            {
                using var client = LoadRun.CreateHttpClient(app.BaseAddress, settings.Clients);
                var api = new ApiClient(client);
                var clients = await Task.WhenAll(Enumerable.Range(0, settings.Clients).Select(async i =>
                    (LoadClient)new SearchClient(client, await api.LoginAsync(TransitionsBenchmark.ManagerEmail, TransitionsBenchmark.DemoPassword), i)));
                result = await LoadRun.WarmUpAndMeasureAsync(clients, settings, "searches", app);
                LoadRun.Report(result, "searches", app.Pid);
            }
            return await LoadRun.FinishAsync(result, "searches", "searches");
        }
        finally
        {
            AppProcess.TryDelete(root);
        }
    }

    /// <summary>
    /// Copies the template project <paramref name="count"/> times in one transaction: every column of its row, with
    /// the searched and sorted ones varied. Checklists, teams and audit events are not copied: the list reads none.
    /// </summary>
    private static void Seed(string databasePath, int count)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = false }.ToString());
        connection.Open();
        var columns = new List<string>();
        using (var info = connection.CreateCommand())
        {
            info.CommandText = "SELECT name FROM pragma_table_info('Projects')";
            using var reader = info.ExecuteReader();
            while (reader.Read())
                columns.Add(reader.GetString(0));
        }
        string[] varied = ["Id", "Name", "Code", "Country", "State", "Situation", "EcosystemTypes", "UpdatedAt", "CreatedAt", "LeadOrganisation", "Description"];
        using var transaction = connection.BeginTransaction();
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = $"INSERT INTO Projects ({string.Join(", ", columns.Select(c => $"\"{c}\""))}) SELECT "
            + string.Join(", ", columns.Select(c => varied.Contains(c) ? "@" + c : $"\"{c}\""))
            + " FROM Projects WHERE Name = 'Search template'";
        var parameters = varied.Where(columns.Contains).ToDictionary(c => c, c => insert.Parameters.Add(new SqliteParameter("@" + c, null)));
        var random = new Random(15);
        var start = DateTimeOffset.UtcNow.AddDays(-400).UtcTicks;
        var sequence = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var country = CountryCodes[random.Next(CountryCodes.Length)];
            var prefix = $"{country}-2026-";
            sequence[prefix] = sequence.GetValueOrDefault(prefix) + 1;
            var ecosystems = Ecosystems.OrderBy(_ => random.Next()).Take(1 + random.Next(3)).ToArray();
            var ticks = start + (long)(random.NextDouble() * TimeSpan.FromDays(400).Ticks);
            Set(parameters, "Id", Guid.NewGuid().ToString().ToUpperInvariant());
            Set(parameters, "Name", string.Create(CultureInfo.InvariantCulture, $"{Words[random.Next(Words.Length)]} restoration {i:D5}"));
            Set(parameters, "Code", string.Create(CultureInfo.InvariantCulture, $"{prefix}{sequence[prefix]:D4}"));
            Set(parameters, "Country", country);
            Set(parameters, "State", States[random.Next(States.Length)]);
            Set(parameters, "Situation", (object?)Situations[random.Next(Situations.Length)] ?? DBNull.Value);
            Set(parameters, "EcosystemTypes", "[" + string.Join(",", ecosystems.Select(e => $"\"{e}\"")) + "]");
            Set(parameters, "UpdatedAt", ticks);
            Set(parameters, "CreatedAt", ticks);
            Set(parameters, "LeadOrganisation", Leads[random.Next(Leads.Length)]);
            Set(parameters, "Description", $"Restoring a degraded {Words[random.Next(Words.Length)]} with the community.");
            insert.ExecuteNonQuery();
        }
        transaction.Commit();
        using var analyze = connection.CreateCommand();
        analyze.CommandText = "ANALYZE";
        analyze.ExecuteNonQuery();
    }

    private static void Set(Dictionary<string, SqliteParameter> parameters, string column, object value)
    {
        if (parameters.TryGetValue(column, out var parameter))
            parameter.Value = value;
    }

    /// <summary>One client: the next query of the mix (each client starts at its own offset), a 200 counts.</summary>
    private sealed class SearchClient(HttpClient http, string token, int offset) : LoadClient
    {
        private int _next = offset;

        protected override async Task StepAsync()
        {
            var query = Queries[_next++ % Queries.Length];
            await MeasureOkAsync(() => GetAsync(http, "/api/projects" + query, token));
        }
    }
}
