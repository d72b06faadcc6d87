using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.IntegrationTests.Infrastructure;

namespace RestorationWorkflow.IntegrationTests.Admin;

public sealed class AdminUsersApiTests(AppFactory factory) : IClassFixture<AppFactory>
{
    private const string Password = "Admin-Created-2026!";

    [Fact]
    public async Task Create_WithRoles_Returns201WithLocationAndRoles()
    {
        using var admin = await factory.ClientForAsync(DemoUsers.Admin);
        var email = NewEmail("create");

        var response = await admin.PostAsJsonAsync("/api/admin/users", new { email, displayName = "Casey Created", password = Password, roles = new[] { "Auditor", "Approver" } });

        var user = await response.ExpectAsync(HttpStatusCode.Created);
        var id = user.Str("id");
        Assert.Equal($"/api/admin/users/{id}", response.Headers.Location!.OriginalString);
        Assert.Equal(email, user.Str("email"));
        Assert.Equal("Casey Created", user.Str("displayName"));
        Assert.Equal(["Approver", "Auditor"], Roles(user));
        Assert.False(user.GetProperty("lockedOut").GetBoolean());

        var fetched = await (await admin.GetAsync(response.Headers.Location)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(id, fetched.Str("id"));
        Assert.Equal(["Approver", "Auditor"], Roles(fetched));

        // The new user signs in with the password the administrator chose.
        Assert.False(string.IsNullOrEmpty(await factory.TokenForAsync(email, Password)));
    }

    [Fact]
    public async Task Create_WithUnknownRole_Returns400NamingRolesAndCreatesNoUser()
    {
        using var admin = await factory.ClientForAsync(DemoUsers.Admin);
        var email = NewEmail("badrole");

        var response = await admin.PostAsJsonAsync("/api/admin/users", new { email, password = Password, roles = new[] { "Approver", "Overlord" } });

        var problem = await response.ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["roles"], problem.ErrorFields());
        Assert.Contains("Overlord", problem.ErrorsOf("roles")[0], StringComparison.Ordinal);
        Assert.False(await factory.QueryDbAsync(db => db.Users.AnyAsync(u => u.Email == email)));
    }

    [Fact]
    public async Task Create_WithDuplicateEmail_Returns400NamingEmail()
    {
        using var admin = await factory.ClientForAsync(DemoUsers.Admin);
        var before = await factory.QueryDbAsync(db => db.Users.CountAsync());

        var response = await admin.PostAsJsonAsync("/api/admin/users", new { email = DemoUsers.Pm, password = Password, roles = new[] { "Auditor" } });

        var problem = await response.ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["email"], problem.ErrorFields());
        Assert.Contains(DemoUsers.Pm, problem.ErrorsOf("email")[0], StringComparison.Ordinal);
        Assert.Equal(before, await factory.QueryDbAsync(db => db.Users.CountAsync()));
    }

    [Fact]
    public async Task Create_WithWeakPassword_Returns400NamingPassword()
    {
        using var admin = await factory.ClientForAsync(DemoUsers.Admin);
        var email = NewEmail("weak");

        var response = await admin.PostAsJsonAsync("/api/admin/users", new { email, password = "short", roles = new[] { "Auditor" } });

        var problem = await response.ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["password"], problem.ErrorFields());
        Assert.Contains(problem.ErrorsOf("password"), m => m.Contains("at least 12 characters", StringComparison.Ordinal));
        Assert.False(await factory.QueryDbAsync(db => db.Users.AnyAsync(u => u.Email == email)));
    }

    [Fact]
    public async Task SetRoles_ReplacesTheRoles()
    {
        using var admin = await factory.ClientForAsync(DemoUsers.Admin);
        var (id, email) = await CreateUserAsync(admin, "roles", "ProjectManager");

        var response = await admin.PutAsJsonAsync($"/api/admin/users/{id}/roles", new { roles = new[] { "Auditor", "Approver" } });

        var user = await response.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(["Approver", "Auditor"], Roles(user));
        var stored = await factory.QueryDbAsync(db => db.UserRoles.Where(ur => ur.UserId == id)
            .Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name!).OrderBy(n => n).ToListAsync());
        Assert.Equal(["Approver", "Auditor"], stored);

        // A fresh token carries the new roles: no longer a project manager, so creating a project is refused.
        using var client = await factory.ClientForAsync(email, Password);
        var create = await client.PostAsJsonAsync("/api/projects", ProjectsApi.ValidRequest("Not mine to create"));
        await create.ExpectProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task SetRoles_WithUnknownRole_Returns400AndKeepsTheRoles()
    {
        using var admin = await factory.ClientForAsync(DemoUsers.Admin);
        var (id, _) = await CreateUserAsync(admin, "keeproles", "Auditor");

        var response = await admin.PutAsJsonAsync($"/api/admin/users/{id}/roles", new { roles = new[] { "Root" } });

        var problem = await response.ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["roles"], problem.ErrorFields());
        var user = await (await admin.GetAsync($"/api/admin/users/{id}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(["Auditor"], Roles(user));
    }

    [Fact]
    public async Task Lock_RefusesSignIn_UnlockAllowsItAgain()
    {
        using var admin = await factory.ClientForAsync(DemoUsers.Admin);
        var (id, email) = await CreateUserAsync(admin, "lock", "Approver");
        using var anonymous = factory.CreateClient();

        var locked = await (await admin.PostAsync($"/api/admin/users/{id}/lock", null)).ExpectAsync(HttpStatusCode.OK);
        Assert.True(locked.GetProperty("lockedOut").GetBoolean());

        var refused = await anonymous.PostAsJsonAsync("/api/auth/login", new { email, password = Password });
        var problem = await refused.ExpectProblemAsync(HttpStatusCode.Unauthorized);
        Assert.False(problem.TryGetProperty("accessToken", out _));

        var unlocked = await (await admin.PostAsync($"/api/admin/users/{id}/unlock", null)).ExpectAsync(HttpStatusCode.OK);
        Assert.False(unlocked.GetProperty("lockedOut").GetBoolean());
        Assert.Equal(0, unlocked.Number("accessFailedCount"));

        var accepted = await anonymous.PostAsJsonAsync("/api/auth/login", new { email, password = Password });
        var token = await accepted.ExpectAsync(HttpStatusCode.OK);
        Assert.False(string.IsNullOrEmpty(token.Str("accessToken")));
    }

    [Theory]
    [InlineData("GET", "")]
    [InlineData("PUT", "/roles")]
    [InlineData("POST", "/lock")]
    [InlineData("POST", "/unlock")]
    public async Task UnknownUserId_Returns404Problem(string method, string suffix)
    {
        using var admin = await factory.ClientForAsync(DemoUsers.Admin);
        var id = Guid.NewGuid().ToString();
        using var request = new HttpRequestMessage(new HttpMethod(method), $"/api/admin/users/{id}{suffix}");
        if (method == "PUT")
            request.Content = JsonContent.Create(new { roles = new[] { "Auditor" } });

        var problem = await (await admin.SendAsync(request)).ExpectProblemAsync(HttpStatusCode.NotFound);
        Assert.Contains(id, problem.Str("detail"), StringComparison.Ordinal);
    }

    private static async Task<(string Id, string Email)> CreateUserAsync(HttpClient admin, string prefix, params string[] roles)
    {
        var email = NewEmail(prefix);
        var response = await admin.PostAsJsonAsync("/api/admin/users", new { email, password = Password, roles });
        var user = await response.ExpectAsync(HttpStatusCode.Created);
        return (user.Str("id"), email);
    }

    private static string NewEmail(string prefix) => $"{prefix}-{Guid.NewGuid():N}@example.org";

    private static string[] Roles(JsonElement user) => [.. user.GetProperty("roles").EnumerateArray().Select(r => r.GetString()!)];
}
