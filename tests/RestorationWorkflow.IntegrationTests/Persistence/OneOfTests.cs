using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RestorationWorkflow.Audit;
using RestorationWorkflow.Data;
using RestorationWorkflow.IntegrationTests.Infrastructure;
using RestorationWorkflow.Web.Infrastructure.Persistence;

namespace RestorationWorkflow.IntegrationTests.Persistence;

/// <summary>
/// <see cref="OneOf.Texts{T}"/>, the filter a command's queries use instead of a list parameter (decision 0055): the
/// rows it keeps on the database under test, and one kept expression per set, whatever the order of its texts.
/// </summary>
public sealed class OneOfTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task Keeps_the_rows_whose_text_is_one_of_the_set_and_none_for_an_empty_set()
    {
        var pm = await app.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync("One of");
        var version = await pm.FireAsync(id, "StartAssessment", 1);
        Assert.Equal(2, version);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var events = db.AuditEvents.AsNoTracking().Where(e => e.ProjectId == id);
        var actions = await events.Select(e => e.Action).Distinct().ToListAsync();
        Assert.True(actions.Count >= 2, $"a created project with one transition has at least two actions, not {string.Join(", ", actions)}");

        foreach (var action in actions)
        {
            var expected = await events.CountAsync(e => e.Action == action);
            Assert.Equal(expected, await events.Where(OneOf.Texts<AuditEvent>(nameof(AuditEvent.Action), [action, "no-such-action"])).CountAsync());
        }
        Assert.Equal(await events.CountAsync(), await events.Where(OneOf.Texts<AuditEvent>(nameof(AuditEvent.Action), actions)).CountAsync());
        Assert.Equal(0, await events.Where(OneOf.Texts<AuditEvent>(nameof(AuditEvent.Action), [])).CountAsync());
        Assert.Equal(1, await events.Where(OneOf.Texts<AuditEvent>(nameof(AuditEvent.ToState), ["Assessment"])).CountAsync());
    }

    [Fact]
    public void One_set_in_any_order_with_repeats_is_one_kept_expression()
    {
        var first = OneOf.Texts<AuditEvent>(nameof(AuditEvent.Trigger), ["ApprovePlan", "ApproveEvaluation"]);
        Assert.Same(first, OneOf.Texts<AuditEvent>(nameof(AuditEvent.Trigger), ["ApproveEvaluation", "ApprovePlan", "ApprovePlan"]));
        Assert.NotSame(first, OneOf.Texts<AuditEvent>(nameof(AuditEvent.Trigger), ["ApprovePlan"]));
        Assert.NotSame(first, OneOf.Texts<AuditEvent>(nameof(AuditEvent.ToState), ["ApprovePlan", "ApproveEvaluation"]));
    }
}
