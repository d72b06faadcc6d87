using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.Audit;
using RestorationWorkflow.IntegrationTests.Infrastructure;

namespace RestorationWorkflow.IntegrationTests.Admin;

/// <summary>Every change to a user account writes a user audit event in the same transaction, and a refused change writes nothing.</summary>
public sealed class UserAuditTests(AppFactory factory) : IClassFixture<AppFactory>
{
    private const string Password = "Audited-User-2026!";

    [Fact]
    public async Task Create_ChangeRoles_Lock_Unlock_EachWriteOneEventNamingTheAdministrator()
    {
        using var admin = await factory.ClientForAsync(DemoUsers.Admin);
        var email = $"audited-{Guid.NewGuid():N}@example.org";

        var created = await (await admin.PostAsJsonAsync("/api/admin/users", new { email, password = Password, roles = new[] { "Auditor" } }))
            .ExpectAsync(HttpStatusCode.Created);
        var id = created.Str("id");
        await (await admin.PutAsJsonAsync($"/api/admin/users/{id}/roles", new { roles = new[] { "Approver" } })).ExpectAsync(HttpStatusCode.OK);
        await (await admin.PostAsync($"/api/admin/users/{id}/lock", null)).ExpectAsync(HttpStatusCode.OK);
        await (await admin.PostAsync($"/api/admin/users/{id}/unlock", null)).ExpectAsync(HttpStatusCode.OK);

        var events = await factory.QueryDbAsync(db => db.UserAuditEvents.Where(e => e.UserId == id).OrderBy(e => e.Id).ToListAsync());
        Assert.Equal([UserAuditActions.Created, UserAuditActions.RolesChanged, UserAuditActions.Locked, UserAuditActions.Unlocked], events.Select(e => e.Action));
        Assert.All(events, e => Assert.Equal("Ada Administrator", e.ActorName));
        Assert.All(events, e => Assert.Equal(email, e.UserEmail));
        Assert.Contains("\"old\":[\"Auditor\"]", events[1].Changes, StringComparison.Ordinal);
        Assert.Contains("\"new\":[\"Approver\"]", events[1].Changes, StringComparison.Ordinal);

        var history = await (await admin.GetAsync($"/api/admin/users/{id}/history")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(4, history.GetArrayLength());
        Assert.Equal(UserAuditActions.Unlocked, history[0].Str("action"));
    }

    [Fact]
    public async Task RefusedCreation_WritesNeitherUserNorEvent()
    {
        using var admin = await factory.ClientForAsync(DemoUsers.Admin);
        var email = $"weak-{Guid.NewGuid():N}@example.org";
        var before = await factory.QueryDbAsync(db => db.UserAuditEvents.CountAsync());

        var response = await admin.PostAsJsonAsync("/api/admin/users", new { email, password = "weak", roles = new[] { "Auditor" } });

        await response.ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.False(await factory.QueryDbAsync(db => db.Users.AnyAsync(u => u.Email == email)));
        Assert.Equal(before, await factory.QueryDbAsync(db => db.UserAuditEvents.CountAsync()));
    }

    [Fact]
    public async Task DemoUsers_WereCreatedBySystem()
    {
        var seeded = await factory.QueryDbAsync(db => db.UserAuditEvents.Where(e => e.UserEmail == DemoUsers.Pm).ToListAsync());
        var created = Assert.Single(seeded);
        Assert.Equal(UserAuditActions.Created, created.Action);
        Assert.Equal("system", created.ActorId);
    }
}
