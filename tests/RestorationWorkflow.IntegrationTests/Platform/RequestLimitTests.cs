using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RestorationWorkflow.IntegrationTests.Infrastructure;
using RestorationWorkflow.Web.Infrastructure;
using RestorationWorkflow.Web.Infrastructure.Persistence;

namespace RestorationWorkflow.IntegrationTests.Platform;

/// <summary>
/// <c>Requests:MaxConcurrent</c> and <c>Requests:QueueLimit</c> (decision 0059): one request at a time and one waiting
/// here. The first holds its turn while its body is still arriving; the second waits; the third gets a 503 with
/// <c>Retry-After</c>; the health probes and file transfers do not wait.
/// </summary>
public sealed class RequestLimitTests(RequestLimitTests.OneAtATimeApp factory) : IClassFixture<RequestLimitTests.OneAtATimeApp>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task TheSecondRequestWaits_TheThirdIsTurnedAway_AndTheProbesStillAnswer()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        using var anonymous = factory.CreateClient(new() { AllowAutoRedirect = false });
        var limiter = factory.Services.GetRequiredService<RequestLimiter>();
        var rejectedBefore = limiter.Rejected;
        var body = new HeldContent(ProjectsApi.ValidRequest("Held while its body arrives"));

        // The first request has its turn and keeps it while its body is incomplete.
        var first = pm.PostAsync("/api/projects", body);
        await WaitUntilAsync(() => limiter.Statistics!.CurrentAvailablePermits == 0, "the first request never took its turn");

        // The second waits in the queue.
        var second = pm.GetAsync("/api/projects");
        await WaitUntilAsync(() => limiter.Statistics!.CurrentQueuedCount == 1, "the second request is not waiting");
        Assert.False(second.IsCompleted);

        // The third finds the queue full: 503, Retry-After, a ProblemDetails; nothing of it ran.
        using var third = await pm.GetAsync("/api/workflows");
        var problem = await third.ExpectProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.Equal("The server is busy.", problem.GetProperty("title").GetString());
        Assert.Equal(TimeSpan.FromSeconds(1), third.Headers.RetryAfter?.Delta);
        Assert.Equal(rejectedBefore + 1, limiter.Rejected);

        // A page turned away gets the error page with 503, re-executed without a turn of its own.
        using var page = await anonymous.GetAsync("/Account/Login");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("The server is busy", html, StringComparison.Ordinal);
        Assert.Contains("Request id", html, StringComparison.Ordinal);

        // The probes do not wait for a turn.
        using var live = await anonymous.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        using var ready = await anonymous.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.False(second.IsCompleted);

        // The first request's body arrives: it is created, then the second has its turn.
        body.Release();
        using var created = await first.WaitAsync(Patience);
        await created.ExpectAsync(HttpStatusCode.Created);
        using var listed = await second.WaitAsync(Patience);
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        Assert.Equal(1, limiter.Statistics!.CurrentAvailablePermits);
        Assert.Equal(rejectedBefore + 2, limiter.Rejected);
    }

    /// <summary>
    /// Every endpoint and page that uploads or downloads files, each feature's own, with a body of the type it accepts
    /// (routing sends another type to its own 415 endpoint): 404 for a project, file or report that does not exist,
    /// 400 for a site without its fields.
    /// </summary>
    public static TheoryData<string, string, string?, HttpStatusCode> FileTransfers => new()
    {
        { "GET", "/api/evidence/{0}/file", null, HttpStatusCode.NotFound },
        { "POST", "/api/projects/{0}/evidence", "multipart/form-data; boundary=held", HttpStatusCode.NotFound },
        { "GET", "/api/reports/{0}/file", null, HttpStatusCode.NotFound },
        { "POST", "/api/projects/{0}/measurements/import", "text/csv", HttpStatusCode.NotFound },
        { "POST", "/api/projects/{0}/sites", "application/json", HttpStatusCode.BadRequest },
        { "PUT", "/api/projects/{0}/sites/{0}", "application/json", HttpStatusCode.BadRequest },
        { "GET", "/Projects/{0}/Evidence", null, HttpStatusCode.NotFound },
        { "GET", "/Projects/{0}/Measurements/Import", null, HttpStatusCode.NotFound },
        { "GET", "/Projects/{0}/Sites", null, HttpStatusCode.NotFound },
        { "GET", "/Reports/{0}", null, HttpStatusCode.NotFound },
    };

    [Theory]
    [MemberData(nameof(FileTransfers))]
    public async Task AFileTransfer_DoesNotWaitForATurn(string method, string path, string? contentType, HttpStatusCode expected)
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var limiter = factory.Services.GetRequiredService<RequestLimiter>();
        var body = new HeldContent(ProjectsApi.ValidRequest("Held for a file transfer"));
        var first = pm.PostAsync("/api/projects", body);
        await WaitUntilAsync(() => limiter.Statistics!.CurrentAvailablePermits == 0, "the first request never took its turn");
        var rejectedBefore = limiter.Rejected;

        // Answered without waiting: a request that waited would sit in the queue until the first ends.
        using var request = new HttpRequestMessage(new HttpMethod(method), string.Format(CultureInfo.InvariantCulture, path, Guid.NewGuid()));
        if (contentType is not null)
        {
            request.Content = new StringContent(contentType == "application/json" ? "{}" : "target,date,value\n");
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }
        var transfer = pm.SendAsync(request);
        var answered = await Task.WhenAny(transfer, Task.Delay(Patience));
        Assert.True(answered == transfer, $"{method} {path} waited for a turn");
        using var response = await transfer;
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal(0, limiter.Statistics!.CurrentQueuedCount);
        Assert.Equal(rejectedBefore, limiter.Rejected);

        body.Release();
        using var created = await first.WaitAsync(Patience);
        await created.ExpectAsync(HttpStatusCode.Created);
    }

    [Fact]
    public void TheSettings_DefaultTo16PerProcessor_AndA1000Queue()
    {
        var options = RequestLimitOptions.Read(Configuration(null, null), processors: 2);
        Assert.Equal(32, options.MaxConcurrent);
        Assert.Equal(1000, options.QueueLimit);

        var set = RequestLimitOptions.Read(Configuration("0", "5"), processors: 2);
        Assert.Equal(0, set.MaxConcurrent);
        Assert.Equal(5, set.QueueLimit);
    }

    [Theory]
    [InlineData("-1", null, "Requests:MaxConcurrent '-1' is not valid")]
    [InlineData("many", null, "Requests:MaxConcurrent 'many' is not valid")]
    [InlineData(null, "1000001", "Requests:QueueLimit '1000001' is not valid")]
    public void ASettingOutOfRange_StopsStartUp_NamingIt(string? maxConcurrent, string? queueLimit, string expected)
    {
        var ex = Assert.Throws<StartupException>(() => RequestLimitOptions.Read(Configuration(maxConcurrent, queueLimit), processors: 2));
        Assert.StartsWith(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutALimit_EveryRequestHasItsTurnAtOnce()
    {
        using var limiter = new RequestLimiter(new RequestLimitOptions { MaxConcurrent = 0, QueueLimit = 0 });
        using var one = await limiter.AcquireAsync(CancellationToken.None);
        using var two = await limiter.AcquireAsync(CancellationToken.None);
        Assert.True(one.IsAcquired && two.IsAcquired);
        Assert.Null(limiter.Statistics);
    }

    private static IConfiguration Configuration(string? maxConcurrent, string? queueLimit) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Requests:MaxConcurrent"] = maxConcurrent,
            ["Requests:QueueLimit"] = queueLimit,
        }).Build();

    private static async Task WaitUntilAsync(Func<bool> condition, string failure)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, failure);
            await Task.Delay(10);
        }
    }

    [Fact]
    [Trait(TestDatabase.Trait, TestDatabase.SqliteOnly)]
    public void TheConnectionShelf_KeepsAsManyIdleConnectionsAsRequestsWorkedOnAtOnce() =>
        Assert.Equal(1, factory.Services.GetRequiredService<SqliteConnectionShelf>().Capacity);

    public sealed class OneAtATimeApp : AppFactory
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Requests:MaxConcurrent"] = "1",
            ["Requests:QueueLimit"] = "1",
        };
    }

    /// <summary>A JSON body whose first byte is sent at once and the rest only on <see cref="Release"/>.</summary>
    private sealed class HeldContent : HttpContent
    {
        private readonly byte[] _bytes;
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public HeldContent(object request)
        {
            _bytes = JsonSerializer.SerializeToUtf8Bytes(request, JsonSerializerOptions.Web);
            Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        public void Release() => _released.TrySetResult();

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(_bytes.AsMemory(0, 1));
            await stream.FlushAsync();
            await _released.Task.WaitAsync(Patience);
            await stream.WriteAsync(_bytes.AsMemory(1));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = _bytes.Length;
            return true;
        }
    }
}
