using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using RestorationWorkflow.IntegrationTests.Infrastructure;

namespace RestorationWorkflow.IntegrationTests.People;

/// <summary>
/// <c>/api/projects/{id}/stakeholders</c>, <c>…/participation</c>, <c>…/consents</c>: CRUD through the command path,
/// 400 per field, 409 on a stale version, 403 for auditors, and the contact kept from everyone outside the team —
/// in the API and in the audit history.
/// </summary>
public sealed class PeopleApiTests(AppFactory factory) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task Stakeholder_Crud_ThroughTheCommandPath()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        var added = await pm.AddStakeholderAsync(id, PeopleApi.Stakeholder(1));
        Assert.Equal(2, added.Number("version"));
        Assert.Equal("indigenousPeople", added.Str("group"));
        Assert.True(added.GetProperty("isIplc").GetBoolean());
        Assert.Equal(PeopleApi.Contact, added.Str("contact"));
        var sid = added.Str("id");

        var updated = await (await pm.PutAsJsonAsync($"/api/projects/{id}/stakeholders/{sid}",
            PeopleApi.Stakeholder(2, name: "Ogiek council", group: "localCommunity"))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(3, updated.Number("version"));
        Assert.Equal("Ogiek council", updated.Str("name"));

        var list = await (await pm.GetAsync($"/api/projects/{id}/stakeholders")).ExpectAsync(HttpStatusCode.OK);
        var item = Assert.Single(list.GetProperty("items").EnumerateArray());
        Assert.Equal("localCommunity", item.Str("group"));
        Assert.Equal(3, list.Number("version"));

        var removed = await (await pm.DeleteAsync($"/api/projects/{id}/stakeholders/{sid}?expectedVersion=3")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(4, removed.Number("version"));
        list = await (await pm.GetAsync($"/api/projects/{id}/stakeholders")).ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(list.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Participation_And_Consent_Crud()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        var sid = (await pm.AddStakeholderAsync(id, PeopleApi.Stakeholder(1))).Str("id");
        var ev = await pm.AddParticipationAsync(id, PeopleApi.Participation(2));
        Assert.Equal(12, ev.Number("women"));
        Assert.Equal("A3", ev.Str("stepCode"));
        var ev2 = await (await pm.PutAsJsonAsync($"/api/projects/{id}/participation/{ev.Str("id")}", PeopleApi.Participation(3, stepCode: "A2", women: 5)))
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("A2", ev2.Str("stepCode"));
        Assert.Equal(4, ev2.Number("version"));

        var consent = await pm.AddConsentAsync(id, PeopleApi.Consent(4, sid, ["assessment", "plan"], "conditional", conditions: "No planting on the sacred grove."));
        Assert.Equal(["assessment", "plan"], consent.GetProperty("scopes").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("conditional", consent.Str("outcome"));
        var changed = await (await pm.PutAsJsonAsync($"/api/projects/{id}/consents/{consent.Str("id")}", PeopleApi.Consent(5, sid, ["assessment"])))
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("granted", changed.Str("outcome"));
        Assert.Equal(["assessment"], changed.GetProperty("scopes").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("", changed.Str("conditions"));
        Assert.Equal(6, changed.Number("version"));

        await (await pm.DeleteAsync($"/api/projects/{id}/consents/{consent.Str("id")}?expectedVersion=6")).ExpectAsync(HttpStatusCode.OK);
        await (await pm.DeleteAsync($"/api/projects/{id}/participation/{ev.Str("id")}?expectedVersion=7")).ExpectAsync(HttpStatusCode.OK);
        var consents = await (await pm.GetAsync($"/api/projects/{id}/consents")).ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(consents.GetProperty("items").EnumerateArray());
        Assert.Equal(8, consents.Number("version"));
        var events = await (await pm.GetAsync($"/api/projects/{id}/participation")).ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(events.GetProperty("items").EnumerateArray());
    }

    [Theory]
    [InlineData("name", """{"name":"","group":"ngo","isIplc":false,"expectedVersion":1}""")]
    [InlineData("group", """{"name":"A","group":"tribe","isIplc":false,"expectedVersion":1}""")]
    [InlineData("isIplc", """{"name":"A","group":"ngo","expectedVersion":1}""")]
    [InlineData("contact", """{"name":"A","group":"ngo","isIplc":false,"contact":"CONTACT","expectedVersion":1}""")]
    [InlineData("expectedVersion", """{"name":"A","group":"ngo","isIplc":false}""")]
    public async Task Stakeholder_BadField_Is400NamingIt(string field, string json)
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        var response = await pm.PostAsync($"/api/projects/{id}/stakeholders", Http.RawJson(json.Replace("CONTACT", new string('x', 501), StringComparison.Ordinal)));
        var problem = await response.ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal([field], problem.ErrorFields());
    }

    [Theory]
    [InlineData("date", "date", null)]
    [InlineData("stepCode", "stepCode", "Z9")]
    [InlineData("method", "method", "")]
    [InlineData("purpose", "purpose", "")]
    [InlineData("outcome", "outcome", "")]
    [InlineData("women", "women", -1)]
    [InlineData("men", "men", null)]
    [InlineData("otherGender", "otherGender", 2_000_000)]
    [InlineData("nonIplcMembers", "nonIplcMembers", -3)]
    [InlineData("iplcMembers", "iplcMembers", 5)]
    public async Task Participation_BadField_Is400NamingIt(string property, string field, object? value)
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        var body = JsonSerializer.SerializeToNode(PeopleApi.Participation(1))!.AsObject();
        body[property] = value is null ? null : JsonSerializer.SerializeToNode(value);
        var problem = await (await pm.PostAsJsonAsync($"/api/projects/{id}/participation", body)).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal([field], problem.ErrorFields());
    }

    [Fact]
    public async Task Participation_WithoutAnyGenderCount_Is400OnWomen_AndAForeignEvidenceFileIs400()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        var problem = await (await pm.PostAsJsonAsync($"/api/projects/{id}/participation", PeopleApi.Participation(1, women: 0, men: 0, otherGender: 0)))
            .ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["women"], problem.ErrorFields());

        var body = JsonSerializer.SerializeToNode(PeopleApi.Participation(1))!.AsObject();
        body["evidenceFileId"] = Guid.NewGuid().ToString();
        problem = await (await pm.PostAsJsonAsync($"/api/projects/{id}/participation", body)).ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["evidenceFileId"], problem.ErrorFields());
        var events = await (await pm.GetAsync($"/api/projects/{id}/participation")).ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(events.GetProperty("items").EnumerateArray());
        Assert.Equal(1, events.Number("version"));
    }

    [Theory]
    [InlineData("stakeholderId", """{"scopes":["plan"],"outcome":"granted","date":"2026-04-02","expectedVersion":1}""")]
    [InlineData("scopes", """{"stakeholderId":"SID","scopes":[],"outcome":"granted","date":"2026-04-02","expectedVersion":1}""")]
    [InlineData("scopes[0]", """{"stakeholderId":"SID","scopes":["harvest"],"outcome":"granted","date":"2026-04-02","expectedVersion":1}""")]
    [InlineData("outcome", """{"stakeholderId":"SID","scopes":["plan"],"outcome":"maybe","date":"2026-04-02","expectedVersion":1}""")]
    [InlineData("outcome", """{"stakeholderId":"SID","scopes":["plan"],"outcome":"withdrawn","date":"2026-04-02","expectedVersion":1}""")]
    [InlineData("date", """{"stakeholderId":"SID","scopes":["plan"],"outcome":"granted","expectedVersion":1}""")]
    [InlineData("conditions", """{"stakeholderId":"SID","scopes":["plan"],"outcome":"conditional","date":"2026-04-02","expectedVersion":1}""")]
    public async Task Consent_BadField_Is400NamingIt(string field, string json)
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        var problem = await (await pm.PostAsync($"/api/projects/{id}/consents", Http.RawJson(json.Replace("SID", Guid.NewGuid().ToString(), StringComparison.Ordinal))))
            .ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal([field], problem.ErrorFields());
    }

    [Fact]
    public async Task Consent_ForAStakeholderWhoIsNotIplc_Is422NamingStakeholderId()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        var ngo = (await pm.AddStakeholderAsync(id, PeopleApi.Stakeholder(1, isIplc: false, name: "Green NGO", group: "ngo"))).Str("id");
        var problem = await (await pm.PostAsJsonAsync($"/api/projects/{id}/consents", PeopleApi.Consent(2, ngo, ["assessment"])))
            .ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(["stakeholderId"], problem.Guards("unmet"));
        Assert.Contains(ngo, problem.GetProperty("unmet")[0].Str("message"), StringComparison.Ordinal);
        var consents = await (await pm.GetAsync($"/api/projects/{id}/consents")).ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(consents.GetProperty("items").EnumerateArray());
        Assert.Equal(2, consents.Number("version"));
    }

    [Fact]
    public async Task StaleVersion_Is409WithTheCurrentVersion_AndWritesNothing()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        await pm.AddStakeholderAsync(id, PeopleApi.Stakeholder(1));
        foreach (var (path, body) in new (string, object)[]
                 {
                     ("stakeholders", PeopleApi.Stakeholder(1, name: "Late")),
                     ("participation", PeopleApi.Participation(1)),
                 })
        {
            var problem = await (await pm.PostAsJsonAsync($"/api/projects/{id}/{path}", body)).ExpectProblemAsync(HttpStatusCode.Conflict);
            Assert.Equal(2, problem.Number("currentVersion"));
        }
        var list = await (await pm.GetAsync($"/api/projects/{id}/stakeholders")).ExpectAsync(HttpStatusCode.OK);
        Assert.Single(list.GetProperty("items").EnumerateArray());
        Assert.Equal(2, list.Number("version"));
        var events = await (await pm.GetAsync($"/api/projects/{id}/participation")).ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(events.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Auditor_CannotWrite_403()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        var sid = (await pm.AddStakeholderAsync(id, PeopleApi.Stakeholder(1))).Str("id");
        using var auditor = await factory.ClientForAsync(DemoUsers.Auditor);
        await (await auditor.PostAsJsonAsync($"/api/projects/{id}/stakeholders", PeopleApi.Stakeholder(2))).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await auditor.PutAsJsonAsync($"/api/projects/{id}/stakeholders/{sid}", PeopleApi.Stakeholder(2))).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await auditor.DeleteAsync($"/api/projects/{id}/stakeholders/{sid}?expectedVersion=2")).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await auditor.PostAsJsonAsync($"/api/projects/{id}/participation", PeopleApi.Participation(2))).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await auditor.PostAsJsonAsync($"/api/projects/{id}/consents", PeopleApi.Consent(2, sid, ["assessment"]))).ExpectProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(2, (await pm.GetProjectAsync(id)).Number("version"));
    }

    [Fact]
    public async Task Contact_IsMaskedForAuditorAndApprover_VisibleToTheManager_AndNeverInTheHistory()
    {
        using var pm = await factory.ClientForAsync(DemoUsers.Pm);
        var id = await pm.CreateProjectAsync();
        var sid = (await pm.AddStakeholderAsync(id, PeopleApi.Stakeholder(1))).Str("id");
        await (await pm.PutAsJsonAsync($"/api/projects/{id}/stakeholders/{sid}", PeopleApi.Stakeholder(2, contact: "+254 799 000 111"))).ExpectAsync(HttpStatusCode.OK);

        var mine = (await (await pm.GetAsync($"/api/projects/{id}/stakeholders")).ExpectAsync(HttpStatusCode.OK)).GetProperty("items")[0];
        Assert.Equal("+254 799 000 111", mine.Str("contact"));
        Assert.False(mine.GetProperty("contactMasked").GetBoolean());

        foreach (var email in new[] { DemoUsers.Auditor, DemoUsers.Approver1 })
        {
            using var other = await factory.ClientForAsync(email);
            var response = await other.GetAsync($"/api/projects/{id}/stakeholders");
            var text = await response.Content.ReadAsStringAsync();
            var item = (await response.ExpectAsync(HttpStatusCode.OK)).GetProperty("items")[0];
            Assert.Equal(JsonValueKind.Null, item.GetProperty("contact").ValueKind);
            Assert.True(item.GetProperty("contactMasked").GetBoolean());
            Assert.DoesNotContain("799 000 111", text, StringComparison.Ordinal);
            Assert.DoesNotContain("Wanjiru", text, StringComparison.Ordinal);

            var history = await other.GetAsync($"/api/projects/{id}/history");
            var historyText = await history.Content.ReadAsStringAsync();
            await history.ExpectAsync(HttpStatusCode.OK);
            Assert.DoesNotContain("799 000 111", historyText, StringComparison.Ordinal);
            Assert.DoesNotContain("Wanjiru", historyText, StringComparison.Ordinal);
            Assert.DoesNotContain("711 222 333", historyText, StringComparison.Ordinal);
        }

        // The history records that the contact was set and changed, masked.
        var events = (await (await pm.GetAsync($"/api/projects/{id}/history")).ExpectAsync(HttpStatusCode.OK)).EnumerateArray().ToList();
        var changed = events.Last(e => e.Str("action") == "stakeholder.updated").GetProperty("changes").GetProperty($"stakeholders.{sid}.contact");
        Assert.Equal("•••", changed.Str("old"));
        Assert.Equal("•••", changed.Str("new"));
    }
}
