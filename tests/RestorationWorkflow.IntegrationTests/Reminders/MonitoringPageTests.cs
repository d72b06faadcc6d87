using System.Globalization;
using System.Net;
using RestorationWorkflow.IntegrationTests.Infrastructure;

namespace RestorationWorkflow.IntegrationTests.Reminders;

/// <summary>
/// The project page's "Monitoring schedule" section and the form that records a review (the same command as the API),
/// and the administrators' overdue report page.
/// </summary>
public sealed class MonitoringPageTests(AppFactory factory) : IClassFixture<AppFactory>
{
    private static string Today => DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static FormUrlEncodedContent Form(string token, string version, string reviewedOn, string summary, string targetId = "") => new(new Dictionary<string, string>
    {
        ["__RequestVerificationToken"] = token, ["ExpectedVersion"] = version, ["TargetId"] = targetId, ["ReviewedOn"] = reviewedOn, ["Summary"] = summary,
    });

    [Fact]
    public async Task AManagerRecordsAReviewFromTheProjectPage_ARefusalShowsNextToItsField_AndOthersSeeNoForm()
    {
        using var pmApi = await factory.ClientForAsync(DemoUsers.Pm);
        using var approver1 = await factory.ClientForAsync(DemoUsers.Approver1);
        using var approver2 = await factory.ClientForAsync(DemoUsers.Approver2);
        var id = await pmApi.CreateProjectWithAsync(SafeguardsApi.ProjectRequest("forest"));
        await pmApi.ToPlanReviewAsync(approver1, id);

        using var pm = await PageSession.SignInAsync(factory, DemoUsers.Pm);
        var inReview = await pm.GetStringAsync($"/Projects/{id}");
        Assert.Contains("data-testid=\"schedule\"", inReview, StringComparison.Ordinal);
        Assert.Contains("data-kind=\"approvalDecision\"", inReview, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"reviews-not-yet\"", inReview, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"record-review-form\"", inReview, StringComparison.Ordinal);

        var version = await approver1.ApprovePlanAsync(approver2, id);
        var page = await pm.GetStringAsync($"/Projects/{id}");
        Assert.Contains("data-testid=\"record-review-form\"", page, StringComparison.Ordinal);
        Assert.Contains("data-kind=\"planReview\"", page, StringComparison.Ordinal);
        Assert.Contains($"action=\"/Projects/{id}/Monitoring\"", page, StringComparison.Ordinal);

        // A date in the future: 400, the message next to the date, nothing recorded.
        var token = PageSession.Token(page);
        var v = version.ToString(CultureInfo.InvariantCulture);
        using (var refused = await pm.PostAsync($"/Projects/{id}/Monitoring", Form(token, v, "2999-01-01", "Too early.")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            var html = await refused.Content.ReadAsStringAsync();
            Assert.Matches("data-valmsg-for=\"ReviewedOn\"[^>]*>[^<]*cannot be after today", html);
        }
        using (var recorded = await pm.PostAsync($"/Projects/{id}/Monitoring", Form(token, v, Today, "Plan reviewed with the community.")))
        {
            Assert.Equal(HttpStatusCode.Redirect, recorded.StatusCode);
            Assert.Equal($"/Projects/{id}#schedule", recorded.Headers.Location!.OriginalString);
        }
        var after = await pm.GetStringAsync($"/Projects/{id}");
        Assert.Contains("Plan reviewed with the community.", after, StringComparison.Ordinal);
        Assert.Contains("recorded a monitoring review", after, StringComparison.Ordinal);

        // An auditor reads the schedule but gets no form, and the page refuses them.
        using var auditor = await PageSession.SignInAsync(factory, DemoUsers.Auditor);
        var read = await auditor.GetStringAsync($"/Projects/{id}");
        Assert.Contains("Plan reviewed with the community.", read, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"record-review-form\"", read, StringComparison.Ordinal);
        using var denied = await auditor.PostAsync($"/Projects/{id}/Monitoring", Form(PageSession.Token(read), v, Today, "Not mine."));
        Assert.Equal(HttpStatusCode.Redirect, denied.StatusCode);
        Assert.Contains("/Account/AccessDenied", denied.Headers.Location!.OriginalString, StringComparison.Ordinal);
        var schedule = await (await pmApi.GetAsync($"/api/projects/{id}/schedule")).ExpectAsync(HttpStatusCode.OK);
        Assert.Single(schedule.GetProperty("reviews").EnumerateArray());
    }

    [Fact]
    public async Task TheOverdueReport_ListsPastItems_FiltersByKind_SortsByDaysOverdue_AndSaysWhatIsWrongWithAQuery()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var request = SafeguardsApi.ProjectRequest("forest");
        request["name"] = $"Overdue report {Guid.NewGuid():N}";
        request["startDate"] = "2015-01-01";
        request["lifespanYears"] = 30;
        var id = await pm.CreateProjectWithAsync(request);
        await pm.FireAsync(id, "StartAssessment", 1);

        using var admin = await PageSession.SignInAsync(factory, DemoUsers.Admin);
        var html = await admin.GetStringAsync("/Admin/Overdue?kind=stepWindow&sort=daysOverdue&order=desc");
        Assert.Contains((string)request["name"]!, html, StringComparison.Ordinal);
        Assert.Contains("data-kind=\"stepWindow\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-kind=\"targetDeadline\"", html, StringComparison.Ordinal);

        using var auditor = await PageSession.SignInAsync(factory, DemoUsers.Auditor);
        using var bad = await auditor.GetAsync("/Admin/Overdue?kind=nope");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("data-testid=\"overdue-errors\"", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var api = await factory.ClientForAsync(DemoUsers.Auditor);
        var report = await (await api.GetAsync("/api/reminders/overdue?pageSize=200")).ExpectAsync(HttpStatusCode.OK);
        var days = report.GetProperty("items").EnumerateArray().Select(i => i.Number("daysOverdue")).ToList();
        Assert.Contains(report.GetProperty("items").EnumerateArray(), i => i.Str("projectId") == id.ToString() && i.Str("kind") == "stepWindow");
        Assert.Equal(days.OrderByDescending(d => d), days);
        var ascending = await (await api.GetAsync("/api/reminders/overdue?pageSize=200&order=asc")).ExpectAsync(HttpStatusCode.OK);
        var up = ascending.GetProperty("items").EnumerateArray().Select(i => i.Number("daysOverdue")).ToList();
        Assert.Equal(up.Order(), up);
        var problem = await (await api.GetAsync("/api/reminders/overdue?kind=nope&pageSize=0")).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["kind", "pageSize"], problem.ErrorFields().Order(StringComparer.Ordinal));
    }
}
