using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using RestorationWorkflow.Data;
using RestorationWorkflow.IntegrationTests.Infrastructure;

namespace RestorationWorkflow.IntegrationTests.Projects;

/// <summary>Fails the commit of every database transaction while <see cref="Armed"/> is on.</summary>
public sealed class CommitFailureInterceptor : DbTransactionInterceptor
{
    private int _armed;
    private int _failures;

    public bool Armed
    {
        get => Volatile.Read(ref _armed) == 1;
        set => Volatile.Write(ref _armed, value ? 1 : 0);
    }

    /// <summary>How many commits were failed on purpose.</summary>
    public int Failures => Volatile.Read(ref _failures);

    public override InterceptionResult TransactionCommitting(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result)
    {
        ThrowWhenArmed();
        return result;
    }

    public override ValueTask<InterceptionResult> TransactionCommittingAsync(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
    {
        ThrowWhenArmed();
        return ValueTask.FromResult(result);
    }

    private void ThrowWhenArmed()
    {
        if (!Armed)
            return;
        Interlocked.Increment(ref _failures);
        throw new InvalidOperationException("Injected fault: the database commit failed.");
    }
}

/// <summary>The app with <see cref="CommitFailureInterceptor"/> added to the pooled DbContext's options.</summary>
public sealed class CommitFailureAppFactory : AppFactory
{
    public CommitFailureInterceptor Interceptor { get; } = new();

    protected override void ConfigureTestServices(IServiceCollection services)
    {
        // Applied after the app's own AddDbContextPool configuration, so the pool's options carry both interceptors.
        services.ConfigureDbContext<AppDbContext>(o => o.AddInterceptors(Interceptor), ServiceLifetime.Singleton);
    }
}

public sealed class TransitionFaultInjectionTests(CommitFailureAppFactory factory) : IClassFixture<CommitFailureAppFactory>
{
    [Fact]
    public async Task Fire_WhenTheCommitFails_Returns500ProblemAndChangesNothing()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        var before = await factory.SnapshotAsync(id);
        Assert.Equal(new ProjectSnapshot("Draft", 1, WorkflowsApi.LatestVersion, 1), before);
        var failuresBefore = factory.Interceptor.Failures;

        HttpResponseMessage response;
        factory.Interceptor.Armed = true;
        try
        {
            response = await pm.PostAsJsonAsync($"/api/projects/{id}/transitions", new { trigger = "StartAssessment", expectedVersion = 1 });
        }
        finally
        {
            factory.Interceptor.Armed = false;
        }

        var problem = await response.ExpectProblemAsync(HttpStatusCode.InternalServerError);
        Assert.False(string.IsNullOrEmpty(problem.Str("traceId")));
        Assert.DoesNotContain("Injected fault", problem.Str("detail"), StringComparison.Ordinal);
        Assert.True(factory.Interceptor.Failures > failuresBefore, "The injected fault fired inside the transition's transaction.");
        Assert.Equal(before, await factory.SnapshotAsync(id));
        Assert.Equal(0, await factory.QueryDbAsync(db => db.AuditEvents.CountAsync(e => e.ProjectId == id && e.Action == "workflow.transition")));

        // Once the fault is gone the same request succeeds: nothing half-written blocks it.
        var version = await pm.FireAsync(id, "StartAssessment", 1);
        Assert.Equal(2, version);
        Assert.Equal(new ProjectSnapshot("Assessment", 2, WorkflowsApi.LatestVersion, 2), await factory.SnapshotAsync(id));
        var verify = await (await pm.GetAsync($"/api/projects/{id}/audit/verify")).ExpectAsync(HttpStatusCode.OK);
        Assert.True(verify.GetProperty("valid").GetBoolean());
    }

    [Fact]
    public async Task UpdateChecklist_WhenTheCommitFails_Returns500ProblemAndChangesNothing()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();

        HttpResponseMessage response;
        factory.Interceptor.Armed = true;
        try
        {
            response = await pm.PutAsJsonAsync($"/api/projects/{id}/checklist/D1", new { status = "done", expectedVersion = 1 });
        }
        finally
        {
            factory.Interceptor.Armed = false;
        }

        await response.ExpectProblemAsync(HttpStatusCode.InternalServerError);
        Assert.Equal(new ProjectSnapshot("Draft", 1, WorkflowsApi.LatestVersion, 1), await factory.SnapshotAsync(id));
        var a1 = await factory.QueryDbAsync(db => db.ChecklistItems.AsNoTracking().SingleAsync(i => i.ProjectId == id && i.Code == "D1"));
        Assert.Equal(RestorationWorkflow.Projects.ChecklistStatus.Open, a1.Status);
    }
}
