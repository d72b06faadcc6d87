using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using RestorationWorkflow.IntegrationTests.Infrastructure;
using RestorationWorkflow.IntegrationTests.Projects;

namespace RestorationWorkflow.IntegrationTests.Reminders;

/// <summary>
/// The DueItems table kept true by the project commands, on a fake clock (<see cref="FakeTimeAppFactory"/>): targets make their
/// deadlines due at once and their monitoring once the plan is approved; a late review moves the next date; an
/// approval request's decision is due while it is open; consent renewal dates; the step window; a cancelled
/// project has nothing due (a closed one keeps its targets, AdaptiveDecisionTests); a command that changes none of it writes no due item.
/// </summary>
public sealed class DueItemTests(FakeTimeAppFactory factory) : IClassFixture<FakeTimeAppFactory>
{
    private DateOnly Today => DateOnly.FromDateTime(factory.Time.GetUtcNow().UtcDateTime);

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static async Task<JsonElement> ScheduleAsync(HttpClient client, Guid id) =>
        await (await client.GetAsync($"/api/projects/{id}/schedule")).ExpectAsync(HttpStatusCode.OK);

    private static Dictionary<string, JsonElement> Items(JsonElement schedule) =>
        schedule.GetProperty("items").EnumerateArray().ToDictionary(i => i.Str("key"), i => i.Clone(), StringComparer.Ordinal);

    private static DateOnly DueOn(JsonElement item) => DateOnly.ParseExact(item.Str("dueOn"), "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static async Task<(Guid Id, string EnvironmentalTarget, string SocioEconomicTarget)> TargetsOfAsync(HttpClient client, Guid id)
    {
        var targets = await (await client.GetAsync($"/api/projects/{id}/targets")).ExpectAsync(HttpStatusCode.OK);
        var items = targets.GetProperty("items").EnumerateArray().ToList();
        return (id, items.Single(t => t.Str("kind") == "environmental").Str("id"), items.Single(t => t.Str("kind") == "socioEconomic").Str("id"));
    }

    [Fact]
    public async Task Targets_MakeDeadlinesDue_TheApprovalItsDecision_AndTheApprovedPlanMonitoring_AndALateReviewMovesTheNextDate()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        using var approver1 = await factory.ClientForAsync(DemoUsers.Approver1);
        using var approver2 = await factory.ClientForAsync(DemoUsers.Approver2);
        var id = await pm.CreateProjectWithAsync(SafeguardsApi.ProjectRequest("forest"));
        await pm.ToPlanReviewAsync(approver1, id);
        var (_, environmental, socioEconomic) = await TargetsOfAsync(pm, id);

        // Under review: the deadlines and the plan gate's decision (30 days) are due; monitoring is not yet.
        var review = await approver1.OpenRequestAsync(id, "plan");
        var inReview = Items(await ScheduleAsync(pm, id));
        Assert.Equal(new DateOnly(2031, 6, 30), DueOn(inReview[$"targetDeadline:{environmental}"]));
        Assert.Equal(new DateOnly(2030, 12, 31), DueOn(inReview[$"targetDeadline:{socioEconomic}"]));
        var decision = inReview[$"approvalDecision:{review.Str("id")}"];
        Assert.Equal(Today.AddDays(30), DueOn(decision));
        Assert.Equal("approvalDecision", decision.Str("kind"));
        Assert.DoesNotContain(inReview.Keys, k => k.StartsWith("targetMonitoring:", StringComparison.Ordinal) || k == "planReview");

        // Approved: the request's item goes, monitoring starts today (12-month targets, C4's 12-month review interval),
        // and the project is in Implementation, whose window (years 3–6) ends 2032-03-01.
        var approvedOn = Today;
        await approver1.ApprovePlanAsync(approver2, id);
        var approved = Items(await ScheduleAsync(pm, id));
        Assert.DoesNotContain(approved.Keys, k => k.StartsWith("approvalDecision:", StringComparison.Ordinal));
        Assert.Equal(approvedOn.AddMonths(12), DueOn(approved[$"targetMonitoring:{environmental}"]));
        Assert.Equal(approvedOn.AddMonths(12), DueOn(approved[$"targetMonitoring:{socioEconomic}"]));
        Assert.Equal(approvedOn.AddMonths(12), DueOn(approved["planReview"]));
        Assert.Equal(new DateOnly(2032, 3, 1), DueOn(approved["stepWindow"]));
        Assert.Equal(
            ["before14", "before3", "due", "overdue", "escalation"],
            approved[$"targetMonitoring:{environmental}"].GetProperty("upcomingReminders").EnumerateArray().Select(s => s.Str("stage")));

        // Fourteen months on, the reviews are overdue; the environmental review took place ten days ago, late.
        factory.Time.Advance(TimeSpan.FromDays(426));
        using var pmLater = await factory.ClientForAsync(DemoUsers.Pm);
        var overdue = Items(await ScheduleAsync(pmLater, id));
        Assert.True(overdue[$"targetMonitoring:{environmental}"].GetProperty("overdue").GetBoolean());
        Assert.Equal(Today.DayNumber - approvedOn.AddMonths(12).DayNumber, overdue[$"targetMonitoring:{environmental}"].Number("daysOverdue"));

        var reviewedOn = Today.AddDays(-10);
        var version = (await pmLater.GetProjectAsync(id)).Number("version");
        var recorded = await (await pmLater.PostAsJsonAsync($"/api/projects/{id}/monitoring/reviews",
            new { targetId = environmental, reviewedOn = Day(reviewedOn), summary = "Biomass plots re-measured: +8 %.", expectedVersion = version }))
            .ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(Day(reviewedOn.AddMonths(12)), recorded.Str("nextDueOn"));
        Assert.Equal(version + 1, recorded.Number("version"));

        var after = await ScheduleAsync(pmLater, id);
        var moved = Items(after);
        Assert.Equal(reviewedOn.AddMonths(12), DueOn(moved[$"targetMonitoring:{environmental}"]));
        Assert.NotEqual(approvedOn.AddMonths(24), DueOn(moved[$"targetMonitoring:{environmental}"]));
        Assert.False(moved[$"targetMonitoring:{environmental}"].GetProperty("overdue").GetBoolean());
        // The other target and the plan keep their dates.
        Assert.Equal(approvedOn.AddMonths(12), DueOn(moved[$"targetMonitoring:{socioEconomic}"]));
        Assert.Equal(approvedOn.AddMonths(12), DueOn(moved["planReview"]));
        var listed = Assert.Single(after.GetProperty("reviews").EnumerateArray());
        Assert.Equal(environmental, listed.Str("targetId"));
        Assert.Equal("Biomass plots re-measured: +8 %.", listed.Str("summary"));

        // A review of the plan moves the plan's review; the audit chain still verifies.
        version = recorded.Number("version");
        await (await pmLater.PostAsJsonAsync($"/api/projects/{id}/monitoring/reviews",
            new { reviewedOn = Day(Today), summary = "Plan reviewed with the community.", expectedVersion = version })).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(Today.AddMonths(12), DueOn(Items(await ScheduleAsync(pmLater, id))["planReview"]));
        var verify = await (await pmLater.GetAsync($"/api/projects/{id}/audit/verify")).ExpectAsync(HttpStatusCode.OK);
        Assert.True(verify.GetProperty("valid").GetBoolean(), verify.GetRawText());

        // The overdue report lists the socio-economic review (administrators and auditors).
        using var admin = await factory.ClientForAsync(DemoUsers.Admin);
        var report = await (await admin.GetAsync("/api/reminders/overdue?kind=targetMonitoring&pageSize=200")).ExpectAsync(HttpStatusCode.OK);
        var rows = report.GetProperty("items").EnumerateArray().Where(r => r.Str("projectId") == id.ToString()).ToList();
        var row = Assert.Single(rows);
        Assert.Equal(overdue[$"targetMonitoring:{socioEconomic}"].Str("id"), row.Str("id"));
        Assert.Equal(Today.DayNumber - approvedOn.AddMonths(12).DayNumber, row.Number("daysOverdue"));
        Assert.All(report.GetProperty("items").EnumerateArray(), r => Assert.Equal("targetMonitoring", r.Str("kind")));
    }

    [Fact]
    public async Task ACommandThatChangesNothingDue_WritesNoDueItem_AndAnUnrelatedOneDoesNotEvenReadThem()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        var version = await pm.FireAsync(id, "StartAssessment", 1);
        var target = await pm.AddTargetAsync(id, TargetsApi.Environmental(version));
        version = target.Number("version");
        Assert.Contains($"targetDeadline:{target.Str("id")}", Items(await ScheduleAsync(pm, id)).Keys);
        var before = await factory.QueryDbAsync(db => db.DueItems.AsNoTracking().Where(d => d.ProjectId == id).Select(d => new { d.Key, d.UpdatedAt }).ToListAsync());

        using (var sql = factory.Sql.Record())
        {
            version = await pm.SetStepAsync(id, "A3", version, "notApplicable", "No IPLC in the area.");
            Assert.DoesNotContain(sql.Commands, c => c.Contains("\"DueItems\"", StringComparison.Ordinal));

            sql.Clear();
            var changed = await (await pm.PutAsJsonAsync($"/api/projects/{id}/targets/{target.Str("id")}",
                TargetsApi.Environmental(version, b => b.Baseline("source", "2025 plot survey, re-checked")))).ExpectAsync(HttpStatusCode.OK);
            Assert.Equal(version + 1, changed.Number("version"));
            Assert.Contains(sql.Commands, c => c.Contains("\"DueItems\"", StringComparison.Ordinal));
            Assert.DoesNotContain(sql.Commands, c => c.Contains("INSERT INTO \"DueItems\"", StringComparison.Ordinal)
                || c.Contains("UPDATE \"DueItems\"", StringComparison.Ordinal) || c.Contains("DELETE FROM \"DueItems\"", StringComparison.Ordinal));
        }
        var after = await factory.QueryDbAsync(db => db.DueItems.AsNoTracking().Where(d => d.ProjectId == id).Select(d => new { d.Key, d.UpdatedAt }).ToListAsync());
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task AMoveThatStaysOutsideMonitoring_RecomputesOnlyTheStepWindow()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        var target = await pm.AddTargetAsync(id, TargetsApi.Environmental(1));
        using (var sql = factory.Sql.Record())
        {
            await pm.FireAsync(id, "StartAssessment", target.Number("version"));
            Assert.Contains(sql.Commands, c => c.Contains("INSERT INTO \"DueItems\"", StringComparison.Ordinal));
            Assert.DoesNotContain(sql.Commands, c => c.Contains("\"RestorationTargets\"", StringComparison.Ordinal)
                || c.Contains("\"ConsentRecords\"", StringComparison.Ordinal) || c.Contains("\"MonitoringReviews\"", StringComparison.Ordinal));
        }
        var items = Items(await ScheduleAsync(pm, id));
        Assert.Equal(["stepWindow", $"targetDeadline:{target.Str("id")}"], items.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ConsentRenewal_IsDueOnItsDate_MovesWithIt_AndGoesWithIt_AndCancellingRemovesEverything()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        var version = await pm.FireAsync(id, "StartAssessment", 1);
        var sid = (await pm.AddStakeholderAsync(id, PeopleApi.Stakeholder(version))).Str("id");
        version++;
        var body = new Dictionary<string, object?>
        {
            ["stakeholderId"] = sid, ["scopes"] = new[] { "assessment" }, ["outcome"] = "conditional", ["date"] = "2026-04-02",
            ["conditions"] = "Renew with the council of elders each year.", ["renewOn"] = "2026-04-01", ["expectedVersion"] = version,
        };
        var refused = await (await pm.PostAsJsonAsync($"/api/projects/{id}/consents", body)).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["renewOn"], refused.ErrorFields());

        body["renewOn"] = "2027-04-02";
        var consent = await (await pm.PostAsJsonAsync($"/api/projects/{id}/consents", body)).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal("2027-04-02", consent.Str("renewOn"));
        var key = $"consentRenewal:{consent.Str("id")}";
        var item = Items(await ScheduleAsync(pm, id))[key];
        Assert.Equal(new DateOnly(2027, 4, 2), DueOn(item));
        Assert.Contains("Ogiek community", item.Str("titleEn"), StringComparison.Ordinal);
        Assert.Contains("Ogiek community", item.Str("titleZh"), StringComparison.Ordinal);
        var history = await (await pm.GetAsync($"/api/projects/{id}/history")).ExpectAsync(HttpStatusCode.OK);
        Assert.Contains($"consents.{consent.Str("id")}.renewOn", history.EnumerateArray().Last().GetProperty("changes").GetRawText(), StringComparison.Ordinal);

        version = consent.Number("version");
        body["renewOn"] = "2028-01-15";
        body["expectedVersion"] = version;
        version = (await (await pm.PutAsJsonAsync($"/api/projects/{id}/consents/{consent.Str("id")}", body)).ExpectAsync(HttpStatusCode.OK)).Number("version");
        Assert.Equal(new DateOnly(2028, 1, 15), DueOn(Items(await ScheduleAsync(pm, id))[key]));

        body["renewOn"] = null;
        body["expectedVersion"] = version;
        version = (await (await pm.PutAsJsonAsync($"/api/projects/{id}/consents/{consent.Str("id")}", body)).ExpectAsync(HttpStatusCode.OK)).Number("version");
        Assert.DoesNotContain(key, Items(await ScheduleAsync(pm, id)).Keys);

        body["renewOn"] = "2028-01-15";
        body["expectedVersion"] = version;
        version = (await (await pm.PutAsJsonAsync($"/api/projects/{id}/consents/{consent.Str("id")}", body)).ExpectAsync(HttpStatusCode.OK)).Number("version");
        var target = await pm.AddTargetAsync(id, TargetsApi.Environmental(version));
        Assert.Equal(2, (await ScheduleAsync(pm, id)).GetProperty("items").EnumerateArray().Count(i => i.Str("kind") is "consentRenewal" or "targetDeadline"));

        await pm.FireAsync(id, "Cancel", target.Number("version"), "Funding withdrawn.");
        Assert.Empty((await ScheduleAsync(pm, id)).GetProperty("items").EnumerateArray());
        Assert.Equal(0, await factory.QueryDbAsync(db => db.DueItems.CountAsync(d => d.ProjectId == id)));
    }

    [Fact]
    public async Task PastItsWindow_AProjectIsWarned_NotBlocked_AndTheWarningGoesWithTheState()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var request = SafeguardsApi.ProjectRequest("forest");
        request["startDate"] = "2015-01-01";
        request["lifespanYears"] = 30;
        var id = await pm.CreateProjectWithAsync(request);
        Assert.DoesNotContain("stepWindow", Items(await ScheduleAsync(pm, id)).Keys);

        var version = await pm.FireAsync(id, "StartAssessment", 1);
        var schedule = await ScheduleAsync(pm, id);
        var window = Items(schedule)["stepWindow"];
        Assert.Equal(new DateOnly(2018, 1, 1), DueOn(window));
        Assert.True(window.GetProperty("overdue").GetBoolean());
        Assert.True(schedule.GetProperty("window").GetProperty("past").GetBoolean());
        using var page = await PageSession.SignInAsync(factory, DemoUsers.Pm);
        var html = await page.GetStringAsync($"/Projects/{id}");
        Assert.Contains("data-testid=\"step-window-warning\"", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"schedule-window-warning\"", html, StringComparison.Ordinal);

        // Not a block: the assessment is submitted as it would be without a window; ConsentReview has none.
        version = await pm.CompleteStepsAsync(id, ProjectsApi.AssessmentSteps, version);
        await pm.FireAsync(id, "SubmitAssessment", version);
        Assert.DoesNotContain("stepWindow", Items(await ScheduleAsync(pm, id)).Keys);
        Assert.DoesNotContain("data-testid=\"step-window-warning\"", await page.GetStringAsync($"/Projects/{id}"), StringComparison.Ordinal);

        // A start date moved later moves the window of the state the project works in (Planning: years 0–3).
        using var approver = await factory.ClientForAsync(DemoUsers.Approver1);
        version = await approver.DecideAsync(id, "consent", "approve", "Consent verified.");
        Assert.Equal(new DateOnly(2018, 1, 1), DueOn(Items(await ScheduleAsync(pm, id))["stepWindow"]));
        var project = await pm.GetProjectAsync(id);
        await (await pm.PutAsJsonAsync($"/api/projects/{id}", ProjectsApi.UpdateRequest(project, version, b => b["startDate"] = Day(Today))))
            .ExpectAsync(HttpStatusCode.OK);
        var moved = Items(await ScheduleAsync(pm, id))["stepWindow"];
        Assert.Equal(Today.AddYears(3), DueOn(moved));
        Assert.False(moved.GetProperty("overdue").GetBoolean());
    }

    [Fact]
    public async Task RecordingAReview_IsForTheProjectsManagers_OnTheCurrentVersion_WithValidFields_OnceThePlanIsApproved()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        using var pm2 = await factory.ClientForAsync(DemoUsers.Pm2);
        using var auditor = await factory.ClientForAsync(DemoUsers.Auditor);
        var id = await pm.CreateProjectAsync();
        var version = await pm.FireAsync(id, "StartAssessment", 1);
        var target = await pm.AddTargetAsync(id, TargetsApi.Environmental(version));
        version = target.Number("version");
        object Body(object? targetId = null, string? reviewedOn = null, string? summary = "Plots measured.", int? expected = null) =>
            new { targetId, reviewedOn = reviewedOn ?? Day(Today), summary, expectedVersion = expected ?? version };
        Task<HttpResponseMessage> Post(HttpClient client, object body, Guid? project = null) =>
            client.PostAsJsonAsync($"/api/projects/{project ?? id}/monitoring/reviews", body);

        var forbidden = await (await Post(auditor, Body())).ExpectProblemAsync(HttpStatusCode.Forbidden);
        Assert.Contains("roleMember", forbidden.GetRawText(), StringComparison.Ordinal);
        await (await Post(pm2, Body())).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await Post(pm, Body(), Guid.NewGuid())).ExpectProblemAsync(HttpStatusCode.NotFound);
        var stale = await (await Post(pm, Body(expected: version - 1))).ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(version, stale.Number("currentVersion"));

        var invalid = await (await Post(pm, Body(reviewedOn: Day(Today.AddDays(1)), summary: " "))).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["reviewedOn", "summary"], invalid.ErrorFields().Order(StringComparer.Ordinal));
        var unknown = await (await Post(pm, Body(targetId: Guid.NewGuid()))).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["targetId"], unknown.ErrorFields());

        // In Assessment the plan is not approved: monitoring reviews do not apply yet.
        var early = await (await Post(pm, Body(targetId: Guid.Parse(target.Str("id"))))).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(["monitoringNotOpen"], early.Guards("unmet"));
        Assert.Equal(version, (await pm.GetProjectAsync(id)).Number("version"));
        Assert.Equal(0, await factory.QueryDbAsync(db => db.MonitoringReviews.CountAsync(r => r.ProjectId == id)));
    }
}
