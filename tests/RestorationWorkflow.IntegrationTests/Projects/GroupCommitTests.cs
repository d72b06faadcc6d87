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

        for (var round = 0; round < 3; round++)
        {
            var code = ProjectsApi.ChecklistOnlySteps[round];
            var responses = await Task.WhenAll(ids.Select(id =>
                pm.PutAsJsonAsync($"/api/projects/{id}/checklist/{code}", new { status = "done", expectedVersion = 1 + round })));
            Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        }

        foreach (var id in ids)
        {
            var verify = await (await pm.GetAsync($"/api/projects/{id}/audit/verify")).ExpectAsync(HttpStatusCode.OK);
            Assert.True(verify.GetProperty("valid").GetBoolean(), verify.GetRawText());
            Assert.Equal(4, verify.Number("eventCount"));
        }
        var committer = Assert.IsType<SqliteGroupCommitter>(factory.Services.GetRequiredService<ICommandCommitter>());
        Assert.True(committer.LargestBatch > 1, $"The largest batch had {committer.LargestBatch} command(s).");
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
