using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RestorationWorkflow.IntegrationTests.Infrastructure;

namespace RestorationWorkflow.IntegrationTests.Workflows;

/// <summary>
/// The shipped definitions with the evaluation gate of v3 raised to a quorum of 3, while the demo data has two
/// approvers: the loader cannot know that (users come later), so it loads, and the workflows page, the API and the
/// start-up log warn instead (decision 0026). The plan gate's quorum of 2 is met by the two demo approvers.
/// </summary>
public sealed class GateStaffingWarningTests(GateStaffingWarningTests.QuorumThreeFactory factory) : IClassFixture<GateStaffingWarningTests.QuorumThreeFactory>
{
    private const string Expected = "Gate evaluation needs 3 distinct approvers but only 2 users hold the role Approver.";
    private const string ExpectedZh = "审批关口 evaluation 需要 3 名不同的审批人，但只有 2 名用户具有角色审批人（Approver）。";

    [Fact]
    public async Task Api_WarnsAboutTheGateWhoseQuorumExceedsTheApprovers_NotAboutPlan()
    {
        using var admin = await factory.ClientForAsync(DemoUsers.Admin);

        var definition = await (await admin.GetAsync("/api/workflows/staper-restoration/3")).ExpectAsync(HttpStatusCode.OK);

        var warning = Assert.Single(definition.GetProperty("warnings").EnumerateArray());
        Assert.Equal(("evaluation", 3, 2), (warning.Str("gate"), warning.Number("quorum"), warning.Number("approvers")));
        Assert.Equal(["Approver"], warning.GetProperty("approverRoles").EnumerateArray().Select(r => r.GetString()));
        Assert.StartsWith(Expected, warning.GetProperty("message").Str("en"), StringComparison.Ordinal);
        Assert.Contains("members of the project team are excluded", warning.GetProperty("message").Str("en"), StringComparison.Ordinal);
        Assert.StartsWith(ExpectedZh, warning.GetProperty("message").Str("zh-Hans"), StringComparison.Ordinal);
        // The definition itself is still all there.
        Assert.Equal(3, definition.GetProperty("gates").EnumerateArray().Single(g => g.Str("id") == "evaluation").Number("quorum"));
        Assert.Equal("evaluation", definition.GetProperty("states").EnumerateArray().Single(s => s.Str("code") == "EvaluationReview").Str("gate"));
        Assert.Equal(0, (await (await admin.GetAsync("/api/workflows/staper-restoration/2")).ExpectAsync(HttpStatusCode.OK)).GetProperty("warnings").GetArrayLength());
    }

    [Fact]
    public async Task Page_ShowsTheWarningInEnglishAndChinese_OnTheDefinitionItConcerns()
    {
        using var admin = await PageSession.SignInAsync(factory, DemoUsers.Admin);

        var english = WebUtility.HtmlDecode(await admin.GetStringAsync("/Workflows"));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/Workflows");
        request.Headers.AcceptLanguage.Add(new StringWithQualityHeaderValue("zh-Hans"));
        var chinese = WebUtility.HtmlDecode(await (await admin.SendAsync(request)).Content.ReadAsStringAsync());

        var v3 = Section(english, "workflow-staper-restoration-3");
        Assert.Contains("data-testid=\"gate-warning-evaluation\"", v3, StringComparison.Ordinal);
        Assert.Contains(Expected, v3, StringComparison.Ordinal);
        Assert.DoesNotContain("gate-warning-plan", english, StringComparison.Ordinal);
        Assert.DoesNotContain("gate-warning", Section(english, "workflow-staper-restoration-2"), StringComparison.Ordinal);
        Assert.Contains(ExpectedZh, Section(chinese, "workflow-staper-restoration-3"), StringComparison.Ordinal);
    }

    [Fact]
    public void StartUp_LogsTheWarning_AsAWarningNotAnError()
    {
        _ = factory.Services; // the app has started (and seeded its users) once the services exist

        var entry = Assert.Single(factory.Logs.Entries, e => e.Message.Contains("Gate ", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Warning, entry.Level);
        Assert.StartsWith("Workflow staper-restoration@3: " + Expected, entry.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LockingAnApprover_LeavesThePlanGateShortOfItsQuorum_UntilUnlocked()
    {
        using var admin = await factory.ClientForAsync(DemoUsers.Admin);
        var users = await (await admin.GetAsync("/api/admin/users")).ExpectAsync(HttpStatusCode.OK);
        var approver2 = users.EnumerateArray().Single(u => u.Str("email") == DemoUsers.Approver2).Str("id");

        await (await admin.PostAsync($"/api/admin/users/{approver2}/lock", null)).ExpectAsync(HttpStatusCode.OK);
        try
        {
            var locked = await (await admin.GetAsync("/api/workflows/staper-restoration/3")).ExpectAsync(HttpStatusCode.OK);
            var plan = locked.GetProperty("warnings").EnumerateArray().Single(w => w.Str("gate") == "plan");
            Assert.Equal((2, 1), (plan.Number("quorum"), plan.Number("approvers")));
            Assert.StartsWith("Gate plan needs 2 distinct approvers but only 1 user holds the role Approver.", plan.GetProperty("message").Str("en"), StringComparison.Ordinal);
        }
        finally
        {
            await (await admin.PostAsync($"/api/admin/users/{approver2}/unlock", null)).ExpectAsync(HttpStatusCode.OK);
        }

        var unlocked = await (await admin.GetAsync("/api/workflows/staper-restoration/3")).ExpectAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(unlocked.GetProperty("warnings").EnumerateArray(), w => w.Str("gate") == "plan");
    }

    /// <summary>The HTML of the <c>section</c> carrying <paramref name="testId"/>.</summary>
    private static string Section(string html, string testId)
    {
        var start = html.IndexOf($"data-testid=\"{testId}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"No section {testId}.");
        var end = html.IndexOf("</section>", start, StringComparison.Ordinal);
        return html[start..end];
    }

    /// <summary>The shipped definitions, with the v3 evaluation gate's quorum raised to 3; and the app's log entries.</summary>
    public sealed class QuorumThreeFactory : AppFactory
    {
        private readonly string _workflows;

        public QuorumThreeFactory()
        {
            _workflows = Path.Combine(StorageRoot, "workflows");
            var shipped = Path.Combine(AppContext.BaseDirectory, "workflows");
            Directory.CreateDirectory(Path.Combine(_workflows, "schema"));
            File.Copy(Path.Combine(shipped, "schema", "workflow-definition.schema.json"), Path.Combine(_workflows, "schema", "workflow-definition.schema.json"));
            File.Copy(Path.Combine(shipped, "staper-restoration.v1.json"), Path.Combine(_workflows, "staper-restoration.v1.json"));
            File.Copy(Path.Combine(shipped, "staper-restoration.v2.json"), Path.Combine(_workflows, "staper-restoration.v2.json"));
            var v3 = JsonNode.Parse(File.ReadAllText(Path.Combine(shipped, "staper-restoration.v3.json")))!.AsObject();
            v3["gates"]!.AsArray().Single(g => (string?)g!["id"] == "evaluation")!["quorum"] = 3;
            File.WriteAllText(Path.Combine(_workflows, "staper-restoration.v3.json"), v3.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        }

        public LogCollector Logs { get; } = new();

        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Workflows:Path"] = _workflows };

        protected override void ConfigureTestServices(IServiceCollection services) => services.AddSingleton<ILoggerProvider>(Logs);
    }

    /// <summary>Keeps what the app logs (at the fixture's level, warnings and up).</summary>
    public sealed class LogCollector : ILoggerProvider
    {
        public ConcurrentQueue<(LogLevel Level, string Category, string Message)> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(LogCollector collector, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                ArgumentNullException.ThrowIfNull(formatter);
                if (IsEnabled(logLevel))
                    collector.Entries.Enqueue((logLevel, category, formatter(state, exception)));
            }
        }
    }
}
