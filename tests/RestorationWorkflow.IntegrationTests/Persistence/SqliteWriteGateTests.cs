using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using RestorationWorkflow.IntegrationTests.Infrastructure;
using RestorationWorkflow.Reminders;
using RestorationWorkflow.Workflows;

namespace RestorationWorkflow.IntegrationTests.Persistence;

/// <summary>An app whose save interceptors include one that throws while <see cref="FailingSaves.Fail"/> is set.</summary>
public sealed class FailingSavesFactory : AppFactory
{
    protected override void ConfigureTestServices(IServiceCollection services)
    {
        services.AddSingleton<FailingSaves>();
        services.AddSingleton<ISaveChangesInterceptor, FailingSaveInterceptor>();
    }

    private sealed class FailingSaveInterceptor(FailingSaves failing) : SaveChangesInterceptor
    {
        public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default) =>
            failing.Fail ? throw new InvalidOperationException("A save interceptor failed.") : ValueTask.FromResult(result);
    }
}

public sealed class FailingSaves
{
    public bool Fail { get; set; }
}

/// <summary>
/// SQLite's write gate queues the saves of this process one at a time (<c>SqliteWriteGate</c>). EF Core reports no
/// failure to the interceptors for an exception thrown by a later interceptor's SavingChanges, so a gate taken before
/// it would never be released and every later save would wait forever: the features' save interceptors (the keepers of
/// decision 0044, …) run before the gate is taken. Seen hanging with the gate registered first.
/// </summary>
[Trait(TestDatabase.Trait, TestDatabase.SqliteOnly)]
public sealed class SqliteWriteGateTests(FailingSavesFactory app) : IClassFixture<FailingSavesFactory>
{
    private static DueItem Item(Guid projectId, string key) =>
        DueItem.Create(projectId, DueItemKinds.ApprovalDecision, key, null, new DateOnly(2026, 1, 1), new LocalizedText("Decide", "决定"), DateTimeOffset.UtcNow);

    [Fact]
    public async Task A_save_failing_in_an_interceptor_does_not_hold_the_gate_for_the_next_save()
    {
        using var pm = await app.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync("Write gate");
        var failing = app.Services.GetRequiredService<FailingSaves>();

        failing.Fail = true;
        await Assert.ThrowsAsync<InvalidOperationException>(() => app.WithDbAsync(async db =>
        {
            db.DueItems.Add(Item(id, "gate:failed"));
            await db.SaveChangesAsync();
        }));
        failing.Fail = false;

        var next = app.WithDbAsync(async db =>
        {
            db.DueItems.Add(Item(id, "gate:next"));
            await db.SaveChangesAsync();
        });
        Assert.True(await Task.WhenAny(next, Task.Delay(TimeSpan.FromSeconds(20))) == next, "The save after the failed one waited for the gate.");
        await next;
        // And a command (its own transaction) still goes through.
        Assert.NotEqual(Guid.Empty, await pm.CreateProjectAsync("After the failed save"));
    }
}
