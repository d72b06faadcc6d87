using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using RestorationWorkflow.IntegrationTests.Infrastructure;

namespace RestorationWorkflow.IntegrationTests.Projects;

/// <summary>The app on a <see cref="FakeTimeProvider"/>, started at the real time (Identity's lock-out clock is the real one).</summary>
public sealed class FakeTimeAppFactory : AppFactory
{
    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    protected override void ConfigureTestServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(Time);
}

/// <summary>Every time the command path records comes from the app's <see cref="TimeProvider"/>.</summary>
public sealed class ProjectTimeTests(FakeTimeAppFactory factory) : IClassFixture<FakeTimeAppFactory>
{
    [Fact]
    public async Task CreatedUpdatedAndEventTimes_AreTheClocksTimes_AndTheListIsNewestFirst()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var created = factory.Time.GetUtcNow();
        var first = await pm.CreateProjectAsync($"Timed first {Guid.NewGuid():N}");
        factory.Time.Advance(TimeSpan.FromMinutes(10));
        var second = await pm.CreateProjectAsync($"Timed second {Guid.NewGuid():N}");
        factory.Time.Advance(TimeSpan.FromMinutes(20));
        var changed = factory.Time.GetUtcNow();
        await pm.FireAsync(first, "StartAssessment", 1);

        var project = await pm.GetProjectAsync(first);
        Assert.Equal(created, project.GetProperty("createdAt").GetDateTimeOffset());
        Assert.Equal(changed, project.GetProperty("updatedAt").GetDateTimeOffset());
        var history = await (await pm.GetAsync($"/api/projects/{first}/history")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal([created, changed], history.EnumerateArray().Select(e => e.GetProperty("at").GetDateTimeOffset()));

        var list = await (await pm.GetAsync("/api/projects?q=Timed")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal([first, second], list.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()));
    }
}
