using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RestorationWorkflow.IntegrationTests.Evidence;
using RestorationWorkflow.IntegrationTests.Infrastructure;
using RestorationWorkflow.Web.Features.DatabaseCopy;
using RestorationWorkflow.Web.Infrastructure.Persistence;

namespace RestorationWorkflow.IntegrationTests.MultiNode;

/// <summary>A single node on its own SQLite file, whatever provider the run's other hosts use: the copy's source.</summary>
public class SqliteNodeApp : AppFactory
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Database:Provider"] = "Sqlite" };

    /// <summary>Runs <c>copy-database --to-provider PostgreSql --to …</c> on this node's services, as Program does.</summary>
    public async Task<(int ExitCode, string Output, string Error)> CopyToAsync(string postgreSql)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await CopyDatabaseCommand.RunAsync(Services, ["copy-database", "--to-provider", "PostgreSql", "--to", postgreSql], output, error);
        return (exitCode, output.ToString(), error.ToString());
    }

    /// <summary>The copier itself, as the command calls it.</summary>
    public async Task<DatabaseCopyResult> CopyResultAsync(string postgreSql)
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<DatabaseCopier>().CopyAsync(new DatabaseCopyTarget(DatabaseProvider.PostgreSql, postgreSql), TextWriter.Null);
    }
}

/// <summary>The single node as a newcomer runs it: Development, the twelve demo projects seeded through the commands.</summary>
public sealed class SqliteDemoNodeApp : SqliteNodeApp
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Database:Provider"] = "Sqlite", ["Seed:DemoProjects"] = "true" };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseEnvironment("Development");
    }
}

/// <summary>
/// Moving one SQLite node to PostgreSQL (decision 0043): <c>copy-database</c> copies every table into an empty
/// PostgreSQL database, proves it by the audit chains, and a node started on the copy serves the same projects,
/// signs in the same users and writes on (its identity sequences continue after the copied ids).
/// </summary>
public sealed class DatabaseCopyTests
{
    private const string UserPassword = "Moved-Node-2026!";

    [PostgresFact]
    public async Task ASqliteNodeCopiedToPostgreSql_ServesTheSameProjectsUsersAndChains_AndWritesOn()
    {
        await using var sqlite = new SqliteDemoNodeApp();
        using var admin = await sqlite.ClientForAsync(DemoUsers.Admin);
        using var pm = await sqlite.ClientForAsync(DemoUsers.Pm);
        // A user the administrator creates (not a demo user the PostgreSQL node could seed again).
        var email = $"moved-{Guid.NewGuid():N}@example.org";
        await (await admin.PostAsJsonAsync("/api/admin/users",
            new { email, displayName = "Mo Ved", password = UserPassword, roles = new[] { "ProjectManager" } })).ExpectAsync(HttpStatusCode.Created);
        // A project with a transition, a site, a target and an evidence file, besides the demo projects.
        var id = await pm.CreateProjectAsync("Moved with its node");
        using (var upload = EvidenceSamples.Form(EvidenceSamples.Csv(), "plots.csv", "A1", 1))
            await (await pm.PostAsync($"/api/projects/{id}/evidence", upload)).ExpectAsync(HttpStatusCode.Created);
        var (_, version) = await pm.AnySiteAsync(id, 2);
        var target = await pm.AddTargetAsync(id, TargetsApi.Environmental(version));
        version = await pm.FireAsync(id, "StartAssessment", target.Number("version"));
        var token = await sqlite.TokenForAsync(DemoUsers.Pm);
        var projectsBefore = await ProjectsAsync(admin);
        var headsBefore = await HeadsAsync(sqlite);
        var measurementsBefore = await sqlite.QueryDbAsync(db => db.Measurements.CountAsync());
        var usersBefore = await sqlite.QueryDbAsync(db => db.Users.CountAsync());
        Assert.True(measurementsBefore > 0, "The demo projects bring measurements.");

        var database = PostgresCluster.Shared.CreateDatabase();
        var (exitCode, output, error) = await sqlite.CopyToAsync(database);

        Assert.True(exitCode == 0, output + error);
        Assert.Contains($"{headsBefore.Count} of {headsBefore.Count} project chains verified on both sides with equal heads", output, StringComparison.Ordinal);
        Assert.Contains("user-account chain verified, head equal", output, StringComparison.Ordinal);
        // The operator's rsync of Storage:Root (evidence, reports).
        await using var postgres = new AppFactory { PostgreSql = database };
        CopyFolder(sqlite.StorageRoot, postgres.StorageRoot);
        using var adminOnPg = await postgres.ClientForAsync(DemoUsers.Admin);

        // The same projects at the same versions and states, through the API.
        Assert.Equal(projectsBefore, await ProjectsAsync(adminOnPg));
        Assert.Equal(measurementsBefore, await postgres.QueryDbAsync(db => db.Measurements.CountAsync()));
        Assert.Equal(usersBefore, await postgres.QueryDbAsync(db => db.Users.CountAsync()));
        // Every chain verifies on the PostgreSQL node and ends in the same head.
        Assert.Equal(headsBefore, await HeadsAsync(postgres));
        foreach (var project in headsBefore.Keys)
        {
            var verify = await (await adminOnPg.GetAsync($"/api/projects/{project}/audit/verify")).ExpectAsync(HttpStatusCode.OK);
            Assert.True(verify.GetProperty("valid").GetBoolean(), verify.ToString());
        }
        // The users sign in with their passwords; a token issued by the SQLite node is accepted (the keys came along).
        using var movedUser = await postgres.ClientForAsync(email, UserPassword);
        using var pmOnPg = await postgres.ClientForAsync(DemoUsers.Pm);
        using (var oldToken = postgres.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }))
        {
            oldToken.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            Assert.Equal(HttpStatusCode.OK, (await oldToken.GetAsync($"/api/projects/{id}")).StatusCode);
        }
        // The evidence file, its row copied and its bytes rsynced.
        var evidence = await (await pmOnPg.GetAsync($"/api/projects/{id}/evidence")).ExpectAsync(HttpStatusCode.OK);
        var fileId = evidence.GetProperty("items").EnumerateArray().Single().Str("id");
        Assert.Equal(EvidenceSamples.Csv(), await pmOnPg.GetByteArrayAsync($"/api/evidence/{fileId}/file"));
        // New rows on PostgreSQL: the audit events' and user events' sequences continue after the copied ids.
        await pmOnPg.SetStepAsync(id, "A3", version, note: "Written on PostgreSQL");
        var fresh = await pmOnPg.CreateProjectAsync("Born on PostgreSQL");
        await pmOnPg.FireAsync(fresh, "StartAssessment", 1);
        var created = await (await adminOnPg.PostAsJsonAsync("/api/admin/users",
            new { email = $"after-{Guid.NewGuid():N}@example.org", displayName = "Af Ter", password = UserPassword, roles = new[] { "Auditor" } })).ExpectAsync(HttpStatusCode.Created);
        Assert.NotNull(created.GetProperty("id").GetString());
        var afterWrite = await (await adminOnPg.GetAsync($"/api/projects/{id}/audit/verify")).ExpectAsync(HttpStatusCode.OK);
        Assert.True(afterWrite.GetProperty("valid").GetBoolean(), afterWrite.ToString());
        Assert.Equal(headsBefore[id].Sequence + 1, afterWrite.Number("eventCount"));
        using var auditorOnPg = await postgres.ClientForAsync(DemoUsers.Auditor);
        var users = await (await auditorOnPg.GetAsync("/api/audit/users/verify")).ExpectAsync(HttpStatusCode.OK);
        Assert.True(users.GetProperty("valid").GetBoolean(), users.ToString());
    }

    [PostgresFact]
    public async Task ATargetThatHoldsData_IsRefused_AndNothingIsWritten()
    {
        await using var sqlite = new SqliteNodeApp();
        using var pm = await sqlite.ClientForAsync(DemoUsers.Pm);
        await pm.CreateProjectAsync("Stays on SQLite");
        var database = PostgresCluster.Shared.CreateDatabase();
        // A node once started on the target: migrated, demo users and keys written.
        int usersOnTarget;
        await using (var node = new AppFactory { PostgreSql = database })
        {
            _ = node.Server;
            usersOnTarget = await node.QueryDbAsync(db => db.Users.CountAsync());
        }

        var result = await sqlite.CopyResultAsync(database);
        using var error = new StringWriter();
        var exitCode = await CopyDatabaseCommand.ReportAsync(result, TextWriter.Null, error);

        Assert.True(result.Refused);
        Assert.Equal(1, exitCode);
        Assert.Contains("is not empty: ", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("AspNetUsers (", error.ToString(), StringComparison.Ordinal);
        await using var after = new AppFactory { PostgreSql = database };
        Assert.Equal(0, await after.QueryDbAsync(db => db.Projects.CountAsync()));
        Assert.Equal(usersOnTarget, await after.QueryDbAsync(db => db.Users.CountAsync()));
    }

    [PostgresFact]
    public async Task ASourceChainEditedInTheDatabase_FailsTheCopy_AndTheTargetKeepsNoRows()
    {
        await using var sqlite = new SqliteNodeApp();
        using var pm = await sqlite.ClientForAsync(DemoUsers.Pm);
        var tampered = await pm.CreateProjectAsync("Edited behind the app's back");
        await pm.FireAsync(tampered, "StartAssessment", 1);
        var intact = await pm.CreateProjectAsync("Untouched");
        await sqlite.WithDbAsync(db => db.AuditEvents.Where(e => e.ProjectId == tampered && e.Sequence == 2)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.Comment, "rewritten")));
        var database = PostgresCluster.Shared.CreateDatabase();

        var (exitCode, output, error) = await sqlite.CopyToAsync(database);

        Assert.Equal(1, exitCode);
        Assert.Contains("1 of 2 project chains verified", output, StringComparison.Ordinal);
        Assert.Contains("NOT committed", error, StringComparison.Ordinal);
        Assert.Contains($"Project {tampered}: the chain does not verify on the source", error, StringComparison.Ordinal);
        Assert.DoesNotContain(intact.ToString(), error, StringComparison.Ordinal);
        // Rolled back: the schema is there, no row is (the same command can run again once the source is sorted out).
        await using var connection = new Npgsql.NpgsqlConnection(database);
        await connection.OpenAsync();
        foreach (var table in new[] { "Projects", "AuditEvents", "AspNetUsers", "DataProtectionKeys" })
        {
            await using var count = new Npgsql.NpgsqlCommand($"SELECT COUNT(*) FROM \"{table}\"", connection);
            Assert.Equal(0L, (long)(await count.ExecuteScalarAsync())!);
        }
    }

    /// <summary>Every project the administrator sees: id, state and version, in id order.</summary>
    private static async Task<List<string>> ProjectsAsync(HttpClient admin)
    {
        var page = await (await admin.GetAsync("/api/projects?pageSize=200")).ExpectAsync(HttpStatusCode.OK);
        return [.. page.GetProperty("items").EnumerateArray()
            .Select(p => $"{p.Str("id")} {p.Str("code")} {p.Str("state")} v{p.Number("version")}")
            .Order(StringComparer.Ordinal)];
    }

    private static Task<Dictionary<Guid, (int Sequence, string Head)>> HeadsAsync(AppFactory app) =>
        app.QueryDbAsync(async db => (await db.Projects.Select(p => new { p.Id, p.AuditSequence, p.AuditHead }).ToListAsync())
            .ToDictionary(p => p.Id, p => (p.AuditSequence, p.AuditHead)));

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            if (relative.StartsWith("restoration.db", StringComparison.Ordinal))
                continue;
            var destination = Path.Combine(to, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination, overwrite: true);
        }
    }
}
