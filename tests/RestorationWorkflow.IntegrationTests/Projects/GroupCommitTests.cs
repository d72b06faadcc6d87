using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RestorationWorkflow.Audit;
using RestorationWorkflow.Data;
using RestorationWorkflow.IntegrationTests.Infrastructure;
using RestorationWorkflow.Web.Infrastructure.Persistence;

namespace RestorationWorkflow.IntegrationTests.Projects;

/// <summary>Concurrent commands on SQLite are committed in groups; each one stays atomic with its own 409.</summary>
[Trait(TestDatabase.Trait, TestDatabase.SqliteOnly)]
public sealed class GroupCommitTests(AppFactory factory) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task ConcurrentCommandsOnManyProjects_AllCommit_AndEveryChainVerifies()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var ids = new List<Guid>();
        for (var i = 0; i < 24; i++)
            ids.Add(await pm.CreateProjectAsync());

        // Rounds of 24 concurrent commands until two of them reached the commit together: on a busy machine the requests of
        // one round can arrive one after another, so a round alone does not prove that commands are grouped. Each round
        // sets one step, done then open again, with its own expected version.
        var committer = Assert.IsType<SqliteGroupCommitter>(factory.Services.GetRequiredService<ICommandCommitter>());
        var rounds = 0;
        while (rounds < 3 || (committer.LargestBatch < 2 && rounds < 16))
        {
            var code = ProjectsApi.ChecklistOnlySteps[rounds % ProjectsApi.ChecklistOnlySteps.Length];
            var status = rounds / ProjectsApi.ChecklistOnlySteps.Length % 2 == 0 ? "done" : "open";
            var version = 1 + rounds;
            var responses = await Task.WhenAll(ids.Select(id =>
                pm.PutAsJsonAsync($"/api/projects/{id}/checklist/{code}", new { status, expectedVersion = version })));
            Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
            rounds++;
        }

        foreach (var id in ids)
        {
            var verify = await (await pm.GetAsync($"/api/projects/{id}/audit/verify")).ExpectAsync(HttpStatusCode.OK);
            Assert.True(verify.GetProperty("valid").GetBoolean(), verify.GetRawText());
            Assert.Equal(1 + rounds, verify.Number("eventCount"));
        }
        Assert.True(committer.LargestBatch > 1, $"The largest batch had {committer.LargestBatch} command(s) after {rounds} rounds.");
    }

    [Fact]
    public async Task ConcurrentCommandsOnOneProject_OneWins_TheOthersGet409_AndNothingOfThemIsWritten()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();

        var responses = await Task.WhenAll(ProjectsApi.ChecklistOnlySteps.Select(code =>
            pm.PutAsJsonAsync($"/api/projects/{id}/checklist/{code}", new { status = "done", expectedVersion = 1 })));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.OK), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        var snapshot = await factory.SnapshotAsync(id);
        Assert.Equal((2, 2), (snapshot.Version, snapshot.AuditEvents));
        var verify = await (await pm.GetAsync($"/api/projects/{id}/audit/verify")).ExpectAsync(HttpStatusCode.OK);
        Assert.True(verify.GetProperty("valid").GetBoolean(), verify.GetRawText());
    }

    [Fact]
    public async Task A_command_s_changes_are_found_before_the_writer_and_accepted_once_committed()
    {
        await using var writer = await NewProjectAndWriterAsync();
        var (id, db, committer) = (writer.ProjectId, writer.Db, writer.Committer);
        var project = await db.Projects.SingleAsync(p => p.Id == id);

        // A change EF Core sees only by comparing with its snapshot (the writer saves without looking for changes).
        project.SetAreaFromSites([12.5m, 0.25m]);
        await committer.CommitAsync(db, CancellationToken.None);

        Assert.Equal(EntityState.Unchanged, db.Entry(project).State);
        Assert.True(db.ChangeTracker.AutoDetectChangesEnabled);
        Assert.Equal(12.75m, await factory.QueryDbAsync(q => q.Projects.Where(p => p.Id == id).Select(p => p.AreaHectares).SingleAsync()));
    }

    [Fact]
    public async Task A_command_that_fails_in_its_batch_keeps_its_changes_unaccepted()
    {
        await using var writer = await NewProjectAndWriterAsync();
        var (id, db, committer) = (writer.ProjectId, writer.Db, writer.Committer);
        // The project's first event has sequence 1 already: the unique index refuses this one.
        var duplicate = new AuditEvent
        {
            ProjectId = id, Sequence = 1, ActorId = "test", ActorName = "Test", At = DateTimeOffset.UnixEpoch, Action = "test",
            WorkflowId = "staper-restoration", WorkflowVersion = 1, Hash = "duplicate",
        };
        db.AuditEvents.Add(duplicate);

        await Assert.ThrowsAsync<DbUpdateException>(() => committer.CommitAsync(db, CancellationToken.None));

        Assert.Equal(EntityState.Added, db.Entry(duplicate).State);
        Assert.True(db.ChangeTracker.AutoDetectChangesEnabled);
        Assert.Equal(1, (await factory.SnapshotAsync(id)).AuditEvents);
    }

    /// <summary>A new project, and a scope's context and committer to write to it directly.</summary>
    private async Task<Writer> NewProjectAndWriterAsync()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        var scope = factory.Services.CreateAsyncScope();
        return new Writer(id, scope, scope.ServiceProvider.GetRequiredService<AppDbContext>(), scope.ServiceProvider.GetRequiredService<ICommandCommitter>());
    }

    private sealed record Writer(Guid ProjectId, AsyncServiceScope Scope, AppDbContext Db, ICommandCommitter Committer) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Scope.DisposeAsync();
    }
}
