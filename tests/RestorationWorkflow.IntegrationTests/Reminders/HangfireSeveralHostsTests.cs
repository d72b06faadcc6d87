using System.Net;
using System.Net.Http.Json;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using RestorationWorkflow.IntegrationTests.Infrastructure;

namespace RestorationWorkflow.IntegrationTests.Reminders;

/// <summary>
/// Hangfire keeps one log provider per process. A host disposed after it set that provider must not break the job
/// client of a host still running (it did: every page that enqueues answered 500 with ObjectDisposedException).
/// </summary>
public sealed class HangfireSeveralHostsTests
{
    [Fact]
    public async Task AHostStillRunning_MakesItsJobClient_AfterAnotherHostWasDisposed()
    {
        using var running = new AppFactory();
        using var pm = await running.ClientForAsync(DemoUsers.Pm);
        var projectId = await pm.CreateProjectAsync("Survives another host");

        // A second host starts after it (its Hangfire configuration becomes the process's) and is then disposed.
        var gone = new AppFactory();
        await using (var scope = gone.Scope())
            scope.ServiceProvider.GetRequiredService<IBackgroundJobClient>();
        gone.Dispose();

        // The first host makes its job client only now: on the page that offers reports, and through the API.
        await using (var scope = running.Scope())
            Assert.NotNull(scope.ServiceProvider.GetRequiredService<IBackgroundJobClient>());
        using var session = await PageSession.SignInAsync(running, DemoUsers.Pm);
        using var page = await session.GetAsync($"/Projects/{projectId}");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var request = await pm.PostAsJsonAsync($"/api/projects/{projectId}/reports", new { kind = "audit-trail", language = "en" });
        Assert.Equal(HttpStatusCode.Accepted, request.StatusCode);
    }
}
