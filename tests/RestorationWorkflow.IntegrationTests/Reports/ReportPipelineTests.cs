using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RestorationWorkflow.IntegrationTests.Infrastructure;
using RestorationWorkflow.IntegrationTests.Reminders;
using RestorationWorkflow.Reports;
using RestorationWorkflow.Web.Features.Reports;
using UglyToad.PdfPig;

namespace RestorationWorkflow.IntegrationTests.Reports;

/// <summary>
/// The report pipeline of issue 20 (decision 0036): request → job (run here by hand, as Hangfire would) → done →
/// download checked against the stored SHA-256 and recorded; tampering refused; failures kept with their reason.
/// </summary>
public sealed class ReportPipelineTests(ReportPipelineTests.App app) : IClassFixture<ReportPipelineTests.App>
{
    [Fact]
    public async Task ARequestedReport_IsRenderedByTheJob_StoredOnce_AndDownloadedWithItsHash()
    {
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        var projectId = await pm.CreateProjectAsync("Pipeline mangrove belt");

        var response = await pm.PostAsJsonAsync($"/api/projects/{projectId}/reports", new { kind = "audit-trail", language = "en" });
        var accepted = await response.ExpectAsync(HttpStatusCode.Accepted);
        var id = accepted.GetProperty("id").GetGuid();
        Assert.Equal("queued", accepted.Str("status"));
        Assert.Equal($"/api/reports/{id}", response.Headers.Location?.OriginalString);
        var job = Assert.Single(app.Jobs.All, j => j.Type == typeof(ReportJob) && (Guid)j.Args[0] == id);
        Assert.Equal(nameof(ReportJob.RunAsync), job.Method.Name);
        Assert.Equal("queued", (await (await pm.GetAsync($"/api/reports/{id}")).ExpectAsync(HttpStatusCode.OK)).Str("status"));

        Assert.Equal(ReportJob.Outcome.Done, await app.RunJobAsync(id));
        // A second run of the same job (a duplicate, a retry) finds the row taken and changes nothing.
        Assert.Equal(ReportJob.Outcome.NotClaimed, await app.RunJobAsync(id));

        var status = await (await pm.GetAsync($"/api/reports/{id}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("done", status.Str("status"));
        Assert.Equal("audit-trail", status.Str("kind"));
        Assert.Equal("en", status.Str("language"));
        Assert.Equal(projectId, status.GetProperty("projectId").GetGuid());
        Assert.Equal("Pipeline mangrove belt", status.Str("projectName"));
        Assert.Equal("Pat Manager", status.Str("requestedBy"));
        var sha = status.Str("sha256");
        var size = status.GetProperty("size").GetInt64();

        var file = await pm.GetAsync($"/api/reports/{id}/file");
        Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        Assert.Equal("application/pdf", file.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", file.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Matches("^audit-trail_[A-Za-z0-9._()-]+_en\\.pdf$", file.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        Assert.Equal("nosniff", file.Headers.GetValues("X-Content-Type-Options").Single());
        var bytes = await file.Content.ReadAsByteArrayAsync();
        Assert.Equal(size, bytes.Length);
        Assert.Equal(sha, Convert.ToHexStringLower(SHA256.HashData(bytes)));
        using (var pdf = PdfDocument.Open(bytes))
            Assert.Contains("Pipeline mangrove belt", string.Concat(pdf.GetPages().Select(p => string.Concat(p.Letters.Select(l => l.Value)))), StringComparison.Ordinal);

        // Stored once, under Storage:Root/reports/, read-only, with no temp file left.
        var row = await app.RowAsync(id);
        Assert.StartsWith("reports/", row.StorageName, StringComparison.Ordinal);
        var path = Path.Combine(app.StorageRoot, row.StorageName!);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(path));
        Assert.True(File.GetAttributes(path).HasFlag(FileAttributes.ReadOnly));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path)!, "*.tmp"));
        Assert.True(row.PageCount >= 1);

        // The download is recorded: who, when, which report.
        var downloads = await app.DownloadsAsync(id);
        var download = Assert.Single(downloads);
        Assert.Equal(ReportDownloadOutcomes.Served, download.Outcome);
        Assert.Equal(await app.UserIdAsync(DemoUsers.Pm), download.UserId);
        Assert.Equal(projectId, download.ProjectId);
        Assert.Equal(sha, download.FoundSha256);

        // Asking again makes a new report; the list shows both, newest first.
        var again = await (await pm.PostAsJsonAsync($"/api/projects/{projectId}/reports", new { kind = "audit-trail", language = "zh-Hans" })).ExpectAsync(HttpStatusCode.Accepted);
        var second = again.GetProperty("id").GetGuid();
        Assert.NotEqual(id, second);
        var list = await (await pm.GetAsync($"/api/projects/{projectId}/reports")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(2, list.Number("total"));
        Assert.Equal([second, id], list.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()).ToArray());
    }

    [Fact]
    public async Task AFileAlteredOnDisk_IsRefusedAsTampered_Logged_AndRecorded()
    {
        using var auditor = await app.ClientForAsync(DemoUsers.Auditor);
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        var projectId = await pm.CreateProjectAsync("Tampered report project");
        var id = (await (await auditor.PostAsJsonAsync($"/api/projects/{projectId}/reports", new { kind = "audit-trail", language = "en" }))
            .ExpectAsync(HttpStatusCode.Accepted)).GetProperty("id").GetGuid();
        Assert.Equal(ReportJob.Outcome.Done, await app.RunJobAsync(id));
        var row = await app.RowAsync(id);
        var path = Path.Combine(app.StorageRoot, row.StorageName!);
        File.SetAttributes(path, FileAttributes.Normal);
        await using (var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite))
        {
            stream.Position = stream.Length / 2;
            var b = stream.ReadByte();
            stream.Position = stream.Length / 2;
            stream.WriteByte((byte)(b ^ 0x01));
        }

        app.Logs.Clear();
        var problem = await (await auditor.GetAsync($"/api/reports/{id}/file")).ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("report-tampered", problem.Str("code"));
        Assert.Contains(app.Logs.Entries, e => e.Level == LogLevel.Critical && e.Message.Contains("tampering", StringComparison.Ordinal) && e.Message.Contains(id.ToString(), StringComparison.Ordinal));
        var download = Assert.Single(await app.DownloadsAsync(id));
        Assert.Equal(ReportDownloadOutcomes.Tampered, download.Outcome);
        Assert.NotEqual(row.Sha256, download.FoundSha256);
    }

    [Fact]
    public async Task ARenderThatCannotBeMade_EndsFailed_WithItsReason_AndNoFile()
    {
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        var projectId = await pm.CreateProjectAsync("Vanishing project");
        var id = (await (await pm.PostAsJsonAsync($"/api/projects/{projectId}/reports", new { kind = "audit-trail", language = "en" }))
            .ExpectAsync(HttpStatusCode.Accepted)).GetProperty("id").GetGuid();
        // The project is gone by the time the job runs (the row names a project that no longer exists).
        var gone = Guid.NewGuid();
        await app.WithDbAsync(db => db.Reports.Where(r => r.Id == id).ExecuteUpdateAsync(s => s.SetProperty(r => r.ProjectId, gone)));

        Assert.Equal(ReportJob.Outcome.Failed, await app.RunJobAsync(id));

        var row = await app.RowAsync(id);
        Assert.Equal(ReportStatus.Failed, row.Status);
        Assert.Contains(gone.ToString(), row.FailureReason, StringComparison.Ordinal);
        Assert.Null(row.StorageName);
        Assert.Null(row.Sha256);
        Assert.NotNull(row.FinishedAt);
        var folder = Path.Combine(app.StorageRoot, ReportStorage.Folder);
        Assert.DoesNotContain(Directory.Exists(folder) ? Directory.GetFiles(folder, "*", SearchOption.AllDirectories) : [],
            f => f.Contains(id.ToString("N"), StringComparison.Ordinal));
        using var auditor = await app.ClientForAsync(DemoUsers.Auditor);
        var status = await (await auditor.GetAsync($"/api/reports/{id}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("failed", status.Str("status"));
        Assert.Contains("no longer exists", status.Str("failureReason"), StringComparison.Ordinal);
        var problem = await (await auditor.GetAsync($"/api/reports/{id}/file")).ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("report-not-ready", problem.Str("code"));
    }

    [Fact]
    public async Task AJobLostFromTheQueue_IsEnqueuedAgain_WhenTheReportIsLookedAt()
    {
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        var projectId = await pm.CreateProjectAsync("Lost job project");
        var id = (await (await pm.PostAsJsonAsync($"/api/projects/{projectId}/reports", new { kind = "audit-trail", language = "en" }))
            .ExpectAsync(HttpStatusCode.Accepted)).GetProperty("id").GetGuid();
        int JobsOf() => app.Jobs.All.Count(j => j.Type == typeof(ReportJob) && (Guid)j.Args[0] == id);
        Assert.Equal(1, JobsOf());
        await pm.GetAsync($"/api/reports/{id}");
        Assert.Equal(1, JobsOf());

        // Enqueued long ago and never taken (the in-memory queue was lost in a restart).
        await app.WithDbAsync(db => db.Reports.Where(r => r.Id == id).ExecuteUpdateAsync(s => s.SetProperty(r => r.EnqueuedAt, DateTimeOffset.UtcNow.AddHours(-1))));
        Assert.Equal("queued", (await (await pm.GetAsync($"/api/reports/{id}")).ExpectAsync(HttpStatusCode.OK)).Str("status"));
        Assert.Equal(2, JobsOf());
        await pm.GetAsync($"/api/reports/{id}");
        Assert.Equal(2, JobsOf());
        Assert.Equal(ReportJob.Outcome.Done, await app.RunJobAsync(id));
    }

    [Theory]
    [InlineData("""{"kind":"dossierx","language":"en"}""", "kind")]
    [InlineData("""{"language":"en"}""", "kind")]
    [InlineData("""{"kind":"audit-trail","language":"fr"}""", "language")]
    [InlineData("""{"kind":"audit-trail"}""", "language")]
    public async Task ABadKindOrLanguage_Is400_NamingTheField(string body, string field)
    {
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        var projectId = await pm.CreateProjectAsync("Bad request project");
        var problem = await (await pm.PostAsync($"/api/projects/{projectId}/reports", Http.RawJson(body))).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal([field], problem.ErrorFields());
        Assert.Equal(0, await app.WithDbAsync(db => db.Reports.CountAsync(r => r.ProjectId == projectId)));
    }

    [Fact]
    public async Task AProjectKind_AskedForThePortfolio_Is400NamingKind()
    {
        using var auditor = await app.ClientForAsync(DemoUsers.Auditor);
        var problem = await (await auditor.PostAsJsonAsync("/api/reports", new { kind = "audit-trail", language = "en" })).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["kind"], problem.ErrorFields());
        Assert.Contains("project report", problem.ErrorsOf("kind")[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task WhoMay_RequestAndDownload()
    {
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        var projectId = await pm.CreateProjectAsync("Role matrix project");
        var id = (await (await pm.PostAsJsonAsync($"/api/projects/{projectId}/reports", new { kind = "audit-trail", language = "en" }))
            .ExpectAsync(HttpStatusCode.Accepted)).GetProperty("id").GetGuid();
        await app.RunJobAsync(id);
        var request = new { kind = "audit-trail", language = "en" };

        foreach (var email in new[] { DemoUsers.Auditor, DemoUsers.Approver1, DemoUsers.Pm2 })
        {
            using var client = await app.ClientForAsync(email);
            Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync($"/api/projects/{projectId}/reports", request)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/reports/{id}/file")).StatusCode);
        }
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.PostAsJsonAsync($"/api/projects/{projectId}/reports", request)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.GetAsync($"/api/reports/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.GetAsync($"/api/reports/{id}/file")).StatusCode);
        // An account holding no role uses nothing (decision 0005: its tokens are refused), so 401 everywhere, never a file.
        using (var adminApi = await app.ClientForAsync(DemoUsers.Admin))
        {
            var email = $"no.role.{Guid.NewGuid():N}@example.org";
            await (await adminApi.PostAsJsonAsync("/api/admin/users", new { email, displayName = "No Role", password = AppFactory.DemoPassword, roles = Array.Empty<string>() }))
                .ExpectAsync(HttpStatusCode.Created);
            using var nobody = await app.ClientForAsync(email);
            Assert.Equal(HttpStatusCode.Unauthorized, (await nobody.PostAsJsonAsync($"/api/projects/{projectId}/reports", request)).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await nobody.GetAsync($"/api/reports/{id}")).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await nobody.GetAsync($"/api/reports/{id}/file")).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await nobody.GetAsync($"/api/projects/{projectId}/reports")).StatusCode);
        }
        using var anonymous = app.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/reports/{id}/file")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync($"/api/projects/{projectId}/reports", request)).StatusCode);

        // Every served download was recorded, one per downloader; the refused ones served nothing.
        var downloads = await app.DownloadsAsync(id);
        Assert.Equal(3, downloads.Count(d => d.Outcome == ReportDownloadOutcomes.Served));
        var expected = new List<string>();
        foreach (var email in new[] { DemoUsers.Auditor, DemoUsers.Approver1, DemoUsers.Pm2 })
            expected.Add(await app.UserIdAsync(email));
        Assert.Equal(expected.Order().ToArray(), downloads.Select(d => d.UserId).Order().ToArray());
    }

    /// <summary>The app with a job client that records what is enqueued (no Hangfire server: the tests run the jobs).</summary>
    public sealed class App : AppFactory
    {
        public CapturingJobClient Jobs { get; } = new();

        public CapturingLogs Logs { get; } = new();

        protected override void ConfigureTestServices(IServiceCollection services)
        {
            services.AddSingleton<Hangfire.IBackgroundJobClient>(Jobs);
            services.AddSingleton<ILoggerProvider>(Logs);
        }

        public async Task<ReportJob.Outcome> RunJobAsync(Guid id)
        {
            await using var scope = Scope();
            return await scope.ServiceProvider.GetRequiredService<ReportJob>().RunAsync(id, CancellationToken.None);
        }

        public async Task<T> WithDbAsync<T>(Func<RestorationWorkflow.Data.AppDbContext, Task<T>> action)
        {
            await using var scope = Scope();
            return await action(scope.ServiceProvider.GetRequiredService<RestorationWorkflow.Data.AppDbContext>());
        }

        public Task<Report> RowAsync(Guid id) => WithDbAsync(db => db.Reports.AsNoTracking().SingleAsync(r => r.Id == id));

        public Task<List<ReportDownload>> DownloadsAsync(Guid id) =>
            WithDbAsync(db => db.ReportDownloads.AsNoTracking().Where(d => d.ReportId == id).OrderBy(d => d.Id).ToListAsync());

        public Task<string> UserIdAsync(string email) => WithDbAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());
    }
}

/// <summary>Keeps every log entry the app writes, for assertions on what was logged.</summary>
public sealed class CapturingLogs : ILoggerProvider
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<(LogLevel Level, string Message)> _entries = new();

    public IReadOnlyList<(LogLevel Level, string Message)> Entries => [.. _entries];

    public void Clear() => _entries.Clear();

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLogs owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner._entries.Enqueue((logLevel, formatter(state, exception)));
    }
}
