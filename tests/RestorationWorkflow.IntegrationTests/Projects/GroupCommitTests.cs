using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
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
}
