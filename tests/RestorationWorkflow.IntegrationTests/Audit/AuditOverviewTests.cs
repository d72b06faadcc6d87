using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.IntegrationTests.Infrastructure;

namespace RestorationWorkflow.IntegrationTests.Audit;

/// <summary>The auditors' overview: paged, stored verifications, a fixed number of queries per page.</summary>
public sealed partial class AuditOverviewTests(AuditOverviewTests.ThirtyProjects factory) : IClassFixture<AuditOverviewTests.ThirtyProjects>
{
    private const int Projects = 30;

    /// <summary>The app with 30 projects of two events each, made once for the class.</summary>
    public sealed class ThirtyProjects : AppFactory, IAsyncLifetime
    {
        public async Task InitializeAsync()
        {
            using var pm = await ClientForAsync(DemoUsers.Pm);
            for (var i = 0; i < Projects; i++)
            {
                var id = await pm.CreateProjectAsync($"Overview {i:00}");
                await pm.FireAsync(id, "StartAssessment", 1);
            }
        }

        Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
    }

    [Fact]
    public async Task Viewing_IsPaged_AndReadsNoAuditEvents_WithAFixedNumberOfQueries()
    {
        using var auditor = await PageSession.SignInAsync(factory, DemoUsers.Auditor);
        await auditor.GetStringAsync("/Audit");
        using var sql = factory.Sql.Record();

        var first = await auditor.GetStringAsync("/Audit?page=1");
        var onFirst = sql.Commands.Count;
        sql.Clear();
        var second = await auditor.GetStringAsync("/Audit?page=2");
        var onSecond = sql.Commands.Count;

        Assert.Equal(25, Rows(first));
        Assert.Equal(Projects - 25, Rows(second));
        Assert.Contains("Page 2 of 2", second, StringComparison.Ordinal);
        Assert.Equal(onFirst, onSecond);
        // The page's count and rows, and the layout's two counts: the inbox badge and the notification bell.
        Assert.True(onFirst <= 4, $"{onFirst} queries: {string.Join(" | ", sql.Commands)}");
        Assert.DoesNotContain(sql.Commands, c => c.Contains("\"AuditEvents\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task VerifyingAPage_StoresEachResult_AndANewEventMarksItOutOfDate()
    {
        using var auditor = await PageSession.SignInAsync(factory, DemoUsers.Auditor);
        var page = await auditor.GetStringAsync("/Audit?page=2");
        Assert.Contains("Not verified yet", page, StringComparison.Ordinal);

        using var verify = await auditor.PostAsync("/Audit?page=2&handler=Verify", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = PageSession.Token(page),
        }));
        Assert.Equal(HttpStatusCode.Redirect, verify.StatusCode);

        var verified = await auditor.GetStringAsync("/Audit?page=2");
        Assert.DoesNotContain("Not verified yet", verified, StringComparison.Ordinal);
        Assert.Equal(Projects - 25, IntactBadge().Count(verified));
        var stored = await factory.QueryDbAsync(db => db.AuditVerifications.Where(v => v.Valid && v.HeadSequence == 2).CountAsync());
        Assert.True(stored >= Projects - 25);

        var last = await factory.QueryDbAsync(db => db.Projects.OrderBy(p => p.Name).Select(p => p.Id).LastAsync());
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        await pm.SetStepAsync(last, "D1", 2);
        Assert.Contains("New events since; verify again.", await auditor.GetStringAsync("/Audit?page=2"), StringComparison.Ordinal);
    }

    private static int Rows(string html) => ProjectLink().Count(html);

    [GeneratedRegex("""<td><a href="/Projects/[0-9a-f-]{36}">""")]
    private static partial Regex ProjectLink();

    [GeneratedRegex("""class="badge ok">Intact<""")]
    private static partial Regex IntactBadge();
}
