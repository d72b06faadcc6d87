using System.Net;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.IntegrationTests.Infrastructure;
using RestorationWorkflow.Web.Features.Identity;

namespace RestorationWorkflow.IntegrationTests.Identity;

/// <summary>A production-like database: roles only, no demo users.</summary>
public sealed class NoDemoUsersAppFactory : AppFactory
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Seed:DemoUsers"] = "false" };
}

public sealed class CreateAdminCommandTests(NoDemoUsersAppFactory factory) : IClassFixture<NoDemoUsersAppFactory>
{
    private const string StrongPassword = "First-Admin-Pass-2026!";

    [Fact]
    public async Task Fixture_HasNoDemoUsers()
    {
        Assert.False(await factory.QueryDbAsync(db => db.Users.AnyAsync(u => u.Email == DemoUsers.Admin)));
    }

    [Fact]
    public async Task RunAsync_WithPasswordOnStandardInput_CreatesAnAdministratorWhoCanManageUsers()
    {
        var email = $"root-{Guid.NewGuid():N}@example.org";

        var (exitCode, output, error) = await RunAsync(["create-admin", "--email", email, "--name", "Root Admin"], StrongPassword);

        Assert.True(exitCode == 0, $"Exit code {exitCode}; stderr: {error}");
        Assert.Contains($"Administrator {email} created", output, StringComparison.Ordinal);
        Assert.Equal("", error);

        using var client = await factory.ClientForAsync(email, StrongPassword);
        var users = await (await client.GetAsync("/api/admin/users")).ExpectAsync(HttpStatusCode.OK);
        var me = Assert.Single(users.EnumerateArray(), u => u.Str("email") == email);
        Assert.Equal("Root Admin", me.Str("displayName"));
        Assert.Equal(["Administrator"], me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task RunAsync_ForAnExistingEmail_FailsNamingTheEmail()
    {
        var email = $"twice-{Guid.NewGuid():N}@example.org";
        var (first, _, firstError) = await RunAsync(["create-admin", "--email", email], StrongPassword);
        Assert.True(first == 0, firstError);

        var (exitCode, output, error) = await RunAsync(["create-admin", "--email", email], "Another-Admin-Pass-2026!");

        Assert.NotEqual(0, exitCode);
        Assert.Contains(email, error, StringComparison.Ordinal);
        Assert.Contains("already exists", error, StringComparison.Ordinal);
        Assert.DoesNotContain("created.", output, StringComparison.Ordinal);
        Assert.Equal(1, await factory.QueryDbAsync(db => db.Users.CountAsync(u => u.Email == email)));
        // The first password still works: the second run changed nothing.
        Assert.False(string.IsNullOrEmpty(await factory.TokenForAsync(email, StrongPassword)));
    }

    [Fact]
    public async Task RunAsync_WithAWeakPassword_FailsWithIdentitysMessageAndCreatesNoUser()
    {
        var email = $"weak-{Guid.NewGuid():N}@example.org";

        var (exitCode, _, error) = await RunAsync(["create-admin", "--email", email], "Short1!");

        Assert.NotEqual(0, exitCode);
        Assert.Contains(email, error, StringComparison.Ordinal);
        Assert.Contains("Passwords must be at least 12 characters", error, StringComparison.Ordinal);
        Assert.False(await factory.QueryDbAsync(db => db.Users.AnyAsync(u => u.Email == email)));
    }

    [Fact]
    public async Task RunAsync_WithoutEmail_PrintsUsage()
    {
        var (exitCode, _, error) = await RunAsync(["create-admin"], StrongPassword);

        Assert.Equal(2, exitCode);
        Assert.Contains("Usage: create-admin --email", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_WithEmptyStandardInput_RefusesWithoutCreating()
    {
        var email = $"nopass-{Guid.NewGuid():N}@example.org";

        var (exitCode, _, error) = await RunAsync(["create-admin", "--email", email], "");

        Assert.Equal(2, exitCode);
        Assert.Contains("No password given", error, StringComparison.Ordinal);
        Assert.False(await factory.QueryDbAsync(db => db.Users.AnyAsync(u => u.Email == email)));
    }

    private async Task<(int ExitCode, string Output, string Error)> RunAsync(string[] args, string standardInput)
    {
        Assert.True(string.IsNullOrEmpty(Environment.GetEnvironmentVariable("RW_ADMIN_PASSWORD")),
            "RW_ADMIN_PASSWORD is set in the environment; it would override the password these tests type.");
        using var input = new StringReader(standardInput + "\n");
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await CreateAdminCommand.RunAsync(factory.Services, args, input, output, error);
        return (exitCode, output.ToString(), error.ToString());
    }
}
