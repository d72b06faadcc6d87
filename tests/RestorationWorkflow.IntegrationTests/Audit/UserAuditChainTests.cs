using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.IntegrationTests.Infrastructure;

namespace RestorationWorkflow.IntegrationTests.Audit;

/// <summary>User-account events have a SHA-256 chain of their own.</summary>
public sealed class UserAuditChainTests(AppFactory factory) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task AccountChanges_AreChained_AndAnEditedEventIsNamed()
    {
        using var admin = await factory.ClientForAsync(DemoUsers.Admin);
        var created = await (await admin.PostAsJsonAsync("/api/admin/users",
            new { email = $"chain-{Guid.NewGuid():N}@example.org", password = "Chained-Account-2026!", roles = new[] { "Auditor" } }))
            .ExpectAsync(HttpStatusCode.Created);
        await (await admin.PostAsync($"/api/admin/users/{created.Str("id")}/lock", null)).ExpectAsync(HttpStatusCode.OK);
        using var auditor = await factory.ClientForAsync(DemoUsers.Auditor);

        var intact = await (await auditor.GetAsync("/api/audit/users/verify")).ExpectAsync(HttpStatusCode.OK);
        Assert.True(intact.GetProperty("valid").GetBoolean(), intact.GetRawText());
        var count = intact.Number("eventCount");
        Assert.True(count >= 8, $"{count} events: six demo users, one created, one locked.");

        var locked = await factory.QueryDbAsync(db => db.UserAuditEvents.Where(e => e.Action == "user.locked").OrderBy(e => e.Sequence).LastAsync());
        await factory.WithDbAsync(db => db.UserAuditEvents.Where(e => e.Id == locked.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.ActorName, "Someone Else")));

        var broken = await (await auditor.GetAsync("/api/audit/users/verify")).ExpectAsync(HttpStatusCode.OK);
        Assert.False(broken.GetProperty("valid").GetBoolean());
        Assert.Equal(locked.Sequence, broken.Number("brokenSequence"));
    }

    [Fact]
    public async Task OnlyAuditorsVerifyTheUserChain()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);

        Assert.Equal(HttpStatusCode.Forbidden, (await pm.GetAsync("/api/audit/users/verify")).StatusCode);
    }
}
