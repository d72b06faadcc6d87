using System.Net;
using System.Net.Http.Json;
using RestorationWorkflow.IntegrationTests.Infrastructure;

namespace RestorationWorkflow.IntegrationTests.People;

/// <summary>
/// The people guards on the fixture definition (v1 + <c>participationRecorded</c> and <c>consentGranted</c>): met and
/// unmet, several unmet in one 422; a withdrawal suspends the project and Resume waits for consent given again; A3
/// cannot be not applicable with IPLC stakeholders; plan approval needs consent for implementation.
/// </summary>
public sealed class ConsentWorkflowTests(AppFactory factory) : IClassFixture<AppFactory>
{
    /// <summary>A project in Assessment with A1–A6 settled (ticked: the fixture definition has no forms); returns its version.</summary>
    private static async Task<(Guid Id, int Version)> InAssessmentAsync(HttpClient pm)
    {
        var id = await pm.CreateProjectAsync();
        var version = await pm.FireAsync(id, "StartAssessment", 1);
        version = await pm.CompleteStepsAsync(id, ProjectsApi.AssessmentSteps, version, participation: false);
        return (id, version);
    }

    [Fact]
    public async Task SubmitAssessment_ReportsParticipationAndConsentTogether_ThenPassesWhenBothAreRecorded()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var (id, v) = await InAssessmentAsync(pm);
        var sid = (await pm.AddStakeholderAsync(id, PeopleApi.Stakeholder(v))).Str("id");
        v++;

        var unmet = await pm.RefusedAsync(id, "SubmitAssessment", v);
        Assert.Equal(["participationRecorded", "consentGranted"], unmet);

        // An event for another step does not count; one for A2 does.
        await pm.AddParticipationAsync(id, PeopleApi.Participation(v++, stepCode: "B1"));
        Assert.Contains("participationRecorded", await pm.RefusedAsync(id, "SubmitAssessment", v));
        await pm.AddParticipationAsync(id, PeopleApi.Participation(v++, stepCode: "A2"));
        Assert.Equal(["consentGranted"], await pm.RefusedAsync(id, "SubmitAssessment", v));

        // Withheld consent, or consent for another stage, is not consent for the assessment.
        await pm.AddConsentAsync(id, PeopleApi.Consent(v++, sid, ["plan"]));
        await pm.AddConsentAsync(id, PeopleApi.Consent(v++, sid, ["assessment"], "withheld"));
        Assert.Equal(["consentGranted"], await pm.RefusedAsync(id, "SubmitAssessment", v));
        await pm.AddConsentAsync(id, PeopleApi.Consent(v++, sid, ["assessment"], "conditional", "2026-04-03", conditions: "Meetings in Ogiek."));

        await pm.FireAsync(id, "SubmitAssessment", v);
        Assert.Equal("ConsentReview", (await pm.GetProjectAsync(id)).Str("state"));
    }

    [Fact]
    public async Task ConsentGranted_IsMet_WithoutIplcStakeholders()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var (id, v) = await InAssessmentAsync(pm);
        await pm.AddStakeholderAsync(id, PeopleApi.Stakeholder(v++, isIplc: false, name: "County government", group: "government"));
        Assert.Equal(["participationRecorded"], await pm.RefusedAsync(id, "SubmitAssessment", v));
        await pm.AddParticipationAsync(id, PeopleApi.Participation(v++, stepCode: "A3", women: 0, men: 0, otherGender: 4));
        await pm.FireAsync(id, "SubmitAssessment", v);
    }

    [Fact]
    public async Task Withdrawal_SuspendsAtOnce_Audited_AndResumeWaitsForConsentGivenAgain()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var (id, v) = await InAssessmentAsync(pm);
        var sid = (await pm.AddStakeholderAsync(id, PeopleApi.Stakeholder(v++))).Str("id");
        var consent = await pm.AddConsentAsync(id, PeopleApi.Consent(v++, sid, ["assessment", "plan"]));

        var withdrawn = await (await pm.PostAsJsonAsync($"/api/projects/{id}/consents/{consent.Str("id")}/withdrawal",
            new { date = "2026-05-10", reason = "The community assembly withdrew its consent.", expectedVersion = v })).ExpectAsync(HttpStatusCode.OK);
        v++;
        Assert.Equal("withdrawn", withdrawn.Str("outcome"));
        Assert.Equal("Ogiek community", withdrawn.Str("stakeholderName"));
        Assert.Equal("Suspended", withdrawn.Str("projectState"));
        Assert.Equal(v, withdrawn.Number("version"));
        var project = await pm.GetProjectAsync(id);
        Assert.Equal("Suspended", project.Str("state"));
        Assert.Equal(v, project.Number("version"));

        // One audit event records the withdrawal and the suspension.
        var last = (await (await pm.GetAsync($"/api/projects/{id}/history")).ExpectAsync(HttpStatusCode.OK)).EnumerateArray().Last();
        Assert.Equal("consent.withdrawn", last.Str("action"));
        Assert.Equal("WithdrawConsent", last.Str("trigger"));
        Assert.Equal("Assessment", last.Str("fromState"));
        Assert.Equal("Suspended", last.Str("toState"));
        Assert.Equal("withdrawn", last.GetProperty("changes").GetProperty($"consents.{consent.Str("id")}.outcome").Str("new"));
        var verify = await (await pm.GetAsync($"/api/projects/{id}/audit/verify")).ExpectAsync(HttpStatusCode.OK);
        Assert.True(verify.GetProperty("valid").GetBoolean(), verify.GetRawText());

        // Resume needs consent given again.
        Assert.Equal(["consentGranted"], await pm.RefusedAsync(id, "Resume", v, "Talks resumed."));
        // Consent given again before the withdrawal's date is not newer than the withdrawal.
        await pm.AddConsentAsync(id, PeopleApi.Consent(v++, sid, ["assessment"], date: "2026-05-01"));
        Assert.Equal(["consentGranted"], await pm.RefusedAsync(id, "Resume", v, "Talks resumed."));
        await pm.AddConsentAsync(id, PeopleApi.Consent(v++, sid, ["assessment"], date: "2026-06-01"));
        await pm.FireAsync(id, "Resume", v, "Consent given again at the assembly of 1 June.");
        Assert.Equal("Assessment", (await pm.GetProjectAsync(id)).Str("state"));
    }

    [Fact]
    public async Task Withdrawal_OfASuspendedProject_IsRecordedWithoutAnotherTransition()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var (id, v) = await InAssessmentAsync(pm);
        var sid = (await pm.AddStakeholderAsync(id, PeopleApi.Stakeholder(v++))).Str("id");
        var first = await pm.AddConsentAsync(id, PeopleApi.Consent(v++, sid, ["assessment"]));
        var second = await pm.AddConsentAsync(id, PeopleApi.Consent(v++, sid, ["plan"]));
        await (await pm.PostAsJsonAsync($"/api/projects/{id}/consents/{first.Str("id")}/withdrawal",
            new { date = "2026-05-10", reason = "Withdrawn.", expectedVersion = v++ })).ExpectAsync(HttpStatusCode.OK);
        var again = await (await pm.PostAsJsonAsync($"/api/projects/{id}/consents/{second.Str("id")}/withdrawal",
            new { date = "2026-05-11", reason = "Withdrawn too.", expectedVersion = v++ })).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("withdrawn", again.Str("outcome"));
        Assert.Equal("Suspended", again.Str("projectState"));
        var last = (await (await pm.GetAsync($"/api/projects/{id}/history")).ExpectAsync(HttpStatusCode.OK)).EnumerateArray().Last();
        Assert.Equal(System.Text.Json.JsonValueKind.Null, last.GetProperty("trigger").ValueKind);
        // …but the withdrawal itself is recorded, and the project stays suspended at the new version.
        Assert.Equal("consent.withdrawn", last.Str("action"));
        Assert.Equal("withdrawn", last.GetProperty("changes").GetProperty($"consents.{second.Str("id")}.outcome").Str("new"));
        Assert.Equal(v, again.Number("version"));
        var project = await pm.GetProjectAsync(id);
        Assert.Equal("Suspended", project.Str("state"));
        Assert.Equal(v, project.Number("version"));
    }

    [Fact]
    public async Task Withdrawal_BadFieldsOrAConsentThatWasNotGiven_IsRefused_AndChangesNothing()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var (id, v) = await InAssessmentAsync(pm);
        var sid = (await pm.AddStakeholderAsync(id, PeopleApi.Stakeholder(v++))).Str("id");
        var withheld = await pm.AddConsentAsync(id, PeopleApi.Consent(v++, sid, ["assessment"], "withheld"));
        var path = $"/api/projects/{id}/consents/{withheld.Str("id")}/withdrawal";

        var invalid = await (await pm.PostAsJsonAsync(path, new { reason = " ", expectedVersion = v })).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["date", "reason"], invalid.ErrorFields().Order(StringComparer.Ordinal));

        var refused = await (await pm.PostAsJsonAsync(path, new { date = "2026-05-10", reason = "Withdrawn.", expectedVersion = v }))
            .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(["outcome"], refused.Guards("unmet"));

        // A withdrawal dated before the consent it withdraws (given 2026-04-02) is refused too.
        var granted = await pm.AddConsentAsync(id, PeopleApi.Consent(v++, sid, ["plan"]));
        var early = await (await pm.PostAsJsonAsync($"/api/projects/{id}/consents/{granted.Str("id")}/withdrawal",
            new { date = "2026-04-01", reason = "Withdrawn.", expectedVersion = v })).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(["date"], early.Guards("unmet"));
        Assert.Contains("2026-04-02", early.GetProperty("unmet")[0].Str("message"), StringComparison.Ordinal);

        // No refusal touched the record, the project's state or its version.
        var consents = await (await pm.GetAsync($"/api/projects/{id}/consents")).ExpectAsync(HttpStatusCode.OK);
        var items = consents.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(2, items.Count);
        var item = items.Single(i => i.Str("id") == withheld.Str("id"));
        Assert.Equal("withheld", item.Str("outcome"));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, item.GetProperty("withdrawnOn").ValueKind);
        Assert.All(items, i => Assert.Equal(System.Text.Json.JsonValueKind.Null, i.GetProperty("withdrawnOn").ValueKind));
        Assert.Equal(v, consents.Number("version"));
        Assert.Equal("Assessment", (await pm.GetProjectAsync(id)).Str("state"));
    }

    [Fact]
    public async Task AWithdrawnConsent_CannotBeChangedOrRemoved()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var (id, v) = await InAssessmentAsync(pm);
        var sid = (await pm.AddStakeholderAsync(id, PeopleApi.Stakeholder(v++))).Str("id");
        var consent = await pm.AddConsentAsync(id, PeopleApi.Consent(v++, sid, ["assessment"]));
        var path = $"/api/projects/{id}/consents/{consent.Str("id")}";
        await (await pm.PostAsJsonAsync($"{path}/withdrawal", new { date = "2026-05-10", reason = "Withdrawn.", expectedVersion = v++ })).ExpectAsync(HttpStatusCode.OK);

        var changed = await (await pm.PutAsJsonAsync(path, PeopleApi.Consent(v, sid, ["assessment"]))).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(["outcome"], changed.Guards("unmet"));
        var removed = await (await pm.DeleteAsync($"{path}?expectedVersion={v}")).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(["outcome"], removed.Guards("unmet"));

        var consents = await (await pm.GetAsync($"/api/projects/{id}/consents")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("withdrawn", Assert.Single(consents.GetProperty("items").EnumerateArray()).Str("outcome"));
        Assert.Equal(v, consents.Number("version"));
    }

    [Fact]
    public async Task A3_NotApplicable_IsRefusedWhileTheProjectHasAnIplcStakeholder()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        var sid = (await pm.AddStakeholderAsync(id, PeopleApi.Stakeholder(1))).Str("id");
        var response = await pm.PutAsJsonAsync($"/api/projects/{id}/checklist/A3", new { status = "notApplicable", note = "No one lives there.", expectedVersion = 2 });
        var problem = await response.ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(["status"], problem.Guards("unmet"));
        Assert.Contains("Ogiek community", problem.GetProperty("unmet")[0].Str("message"), StringComparison.Ordinal);

        // Other steps, and A3 once no stakeholder is IPLC, may be not applicable.
        var v = await pm.SetStepAsync(id, "A4", 2, "notApplicable", "Costs are assessed by the ministry.");
        await (await pm.PutAsJsonAsync($"/api/projects/{id}/stakeholders/{sid}", PeopleApi.Stakeholder(v, isIplc: false))).ExpectAsync(HttpStatusCode.OK);
        await pm.SetStepAsync(id, "A3", v + 1, "notApplicable", "No IPLC in the area.");
    }

    [Fact]
    public async Task ApprovingThePlan_IsRefusedWithoutConsentForImplementation()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        using var approver1 = await factory.ClientForAsync(DemoUsers.Approver1);
        using var approver2 = await factory.ClientForAsync(DemoUsers.Approver2);
        var id = await pm.CreateProjectAsync();
        string? sid = null;
        var v = await pm.ToPlanReviewAsync(approver1, id, async version =>
        {
            sid = (await pm.AddStakeholderAsync(id, PeopleApi.Stakeholder(version))).Str("id");
            await pm.AddConsentAsync(id, PeopleApi.Consent(version + 1, sid, ["assessment", "plan"]));
            return version + 2;
        });
        var request = (await approver1.OpenRequestAsync(id, "plan")).GetProperty("id").GetGuid();

        var refused = await (await approver1.DecideRawAsync(request, "approve", "Plan checked.")).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(["consentGranted"], refused.Guards("unmet"));
        Assert.Equal(0, (await approver1.OpenRequestAsync(id, "plan")).Number("approvals"));

        v = (await (await approver2.DecideRawAsync(request, "reject", "Consent for implementation is missing.")).ExpectAsync(HttpStatusCode.Created)).Number("projectVersion");
        v = (await pm.AddConsentAsync(id, PeopleApi.Consent(v, sid!, ["implementation"]))).Number("version");
        await pm.FireAsync(id, "SubmitPlan", v);
        await approver1.ApprovePlanAsync(approver2, id);
        Assert.Equal("Implementation", (await pm.GetProjectAsync(id)).Str("state"));
    }

    [Fact]
    public async Task Approver_VerifiesAConsentRecord_AManagerCannot()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        using var approver = await factory.ClientForAsync(DemoUsers.Approver1);
        var id = await pm.CreateProjectAsync();
        var sid = (await pm.AddStakeholderAsync(id, PeopleApi.Stakeholder(1))).Str("id");
        var consent = await pm.AddConsentAsync(id, PeopleApi.Consent(2, sid, ["assessment"]));
        var path = $"/api/projects/{id}/consents/{consent.Str("id")}/verification";
        await (await pm.PostAsJsonAsync(path, new { expectedVersion = 3 })).ExpectProblemAsync(HttpStatusCode.Forbidden);
        var verified = await (await approver.PostAsJsonAsync(path, new { expectedVersion = 3 })).ExpectAsync(HttpStatusCode.OK);
        Assert.False(string.IsNullOrEmpty(verified.Str("verifiedById")));
        // Every consent response names its stakeholder, not only the list.
        Assert.Equal("Ogiek community", consent.Str("stakeholderName"));
        Assert.Equal("Ogiek community", verified.Str("stakeholderName"));
        Assert.Equal(4, verified.Number("version"));
        Assert.False(string.IsNullOrEmpty(verified.Str("verifiedByName")));

        // A change to the record is no longer what the approver verified.
        var changed = await (await pm.PutAsJsonAsync($"/api/projects/{id}/consents/{consent.Str("id")}", PeopleApi.Consent(4, sid, ["assessment", "plan"])))
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, changed.GetProperty("verifiedById").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, changed.GetProperty("verifiedAt").ValueKind);
    }
}
